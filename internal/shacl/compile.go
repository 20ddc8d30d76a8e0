package shacl

import (
	"fmt"
	"strings"
)

// Query is one compiled check: a SPARQL SELECT returning ?focus (and ?value, ?parent,
// ?parentProp when known) for each violation of one constraint of one shape.
type Query struct {
	Shape      string // the targeted shape, compacted
	Path       string // the path of the property shape, compacted; empty for node constraints
	Constraint string // e.g. sh:minCount
	Severity   string
	Message    string
	SPARQL     string
	// Requires is a predicate without which the query cannot find anything (the
	// constraint only looks at values reached through it); empty when the query must
	// always run. Validate skips the query when the graph does not use the predicate.
	Requires string
}

// maxNestedCount bounds the counts compiled into EXISTS patterns (n distinct values
// need n variables and n² inequalities).
const maxNestedCount = 4

// maxDepth bounds the nesting of sh:node/sh:or/… shapes.
const maxDepth = 8

// lexical forms of the XSD datatypes a data steward meets most; a literal typed with
// one of them but written differently ("12,5"^^xsd:decimal) violates sh:datatype.
var lexical = map[string]string{
	xsdNS + "integer":  `^[+-]?[0-9]+$`,
	xsdNS + "decimal":  `^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`,
	xsdNS + "boolean":  `^(true|false|1|0)$`,
	xsdNS + "date":     `^-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+-][0-9]{2}:[0-9]{2})?$`,
	xsdNS + "dateTime": `^-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-4]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$`,
}

type compiler struct {
	g    string // the validated graph, as <iri>
	next int    // fresh variable counter
}

func (c *compiler) fresh(prefix string) string {
	c.next++
	return fmt.Sprintf("?%s%d", prefix, c.next)
}

// Queries compiles the shapes into the queries Validate runs on graph, each with
// LIMIT limit+1 (so that truncation can be detected). It is exported for tests and for
// showing a data steward what is checked.
func (s *Shapes) Queries(graph string, limit int) ([]Query, error) {
	g, err := iriRef(graph)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = DefaultLimit
	}
	var out []Query
	for _, top := range s.top {
		qs, err := compileTop(g, top, limit)
		if err != nil {
			return nil, err
		}
		out = append(out, qs...)
	}
	return out, nil
}

// unit is one (shape, constraint) pair of a targeted shape.
type unit struct {
	owner *shape // the shape holding the constraint: the targeted shape or one of its property shapes
	con   *constraint
}

func units(top *shape) []unit {
	var us []unit
	add := func(s *shape) {
		if s.deactivated {
			return
		}
		for _, c := range s.constraints {
			us = append(us, unit{s, c})
		}
		if s.path != nil {
			// sh:property on a property shape applies to its value nodes.
			for _, ps := range s.properties {
				us = append(us, unit{s, &constraint{kind: "property", n: -1, n2: -1, shapes: []*shape{ps}}})
			}
		}
	}
	add(top)
	if top.path == nil && !top.deactivated {
		for _, ps := range top.properties {
			add(ps)
		}
	}
	return us
}

func compileTop(g string, top *shape, limit int) ([]Query, error) {
	targets, err := targetPattern(g, top)
	if err != nil {
		return nil, err
	}
	var out []Query
	for _, u := range units(top) {
		c := &compiler{g: g}
		body, err := c.topBody(u, targets)
		if err != nil {
			return nil, fmt.Errorf("shape %s, sh:%s: %w", u.owner.name, u.con.kind, err)
		}
		msg := u.owner.message
		if msg == "" {
			msg = defaultMessage(u)
		}
		var b strings.Builder
		fmt.Fprintf(&b, "# shape %s, sh:%s", top.name, u.con.kind)
		if u.owner.path != nil {
			fmt.Fprintf(&b, ", path %s", displayPath(u.owner.path))
		}
		// The violations are limited first, then the parents of blank focus nodes are
		// looked up for those few rows only: an OPTIONAL over the whole selection makes
		// Oxigraph scan the graph (5x slower on ROME 4).
		b.WriteString("\nSELECT ?focus ?value ?parent ?parentProp WHERE {\n")
		b.WriteString("  { SELECT DISTINCT ?focus ?value WHERE {\n")
		b.WriteString(body)
		fmt.Fprintf(&b, "  } LIMIT %d }\n", limit+1)
		fmt.Fprintf(&b, "  OPTIONAL { GRAPH %s { ?parent ?parentProp ?focus } FILTER(isBlank(?focus) && isIRI(?parent)) }\n", g)
		b.WriteString("}\n")
		out = append(out, Query{
			Shape:      top.name,
			Path:       displayPath(u.owner.path),
			Constraint: "sh:" + u.con.kind,
			Severity:   u.owner.severity,
			Message:    msg,
			SPARQL:     b.String(),
			Requires:   requires(u),
		})
	}
	return out, nil
}

// requires returns the predicate a unit cannot be violated without: the predicate of
// a one-step path, when the constraint only looks at values along it.
func requires(u unit) string {
	p := u.owner.path
	if p == nil {
		return ""
	}
	if p.kind == "inverse" {
		p = p.items[0]
	}
	if p.kind != "predicate" {
		return ""
	}
	if u.con.valueWise() || u.con.kind == "maxCount" || u.con.kind == "uniqueLang" {
		return p.iri
	}
	return ""
}

func defaultMessage(u unit) string {
	if u.owner.path != nil {
		return fmt.Sprintf("%s does not satisfy sh:%s", displayPath(u.owner.path), u.con.kind)
	}
	return fmt.Sprintf("focus node does not satisfy sh:%s", u.con.kind)
}

// targetPattern binds ?focus to the focus nodes of a shape in graph g.
func targetPattern(g string, s *shape) (string, error) {
	var parts []string
	needDistinct := len(s.targets) > 1
	for _, t := range s.targets {
		term, err := sparqlTerm(t.term)
		if err != nil {
			return "", fmt.Errorf("shape %s, sh:%s: %w", s.name, t.kind, err)
		}
		switch t.kind {
		case "targetClass":
			parts = append(parts, fmt.Sprintf("GRAPH %s { ?focus a %s }", g, term))
		case "targetNode":
			parts = append(parts, fmt.Sprintf("VALUES ?focus { %s }", term))
		case "targetSubjectsOf":
			parts = append(parts, fmt.Sprintf("GRAPH %s { ?focus %s ?targetObj }", g, term))
			needDistinct = true
		case "targetObjectsOf":
			parts = append(parts, fmt.Sprintf("GRAPH %s { ?targetSubj %s ?focus }", g, term))
			needDistinct = true
		}
	}
	if len(parts) == 0 {
		return "", fmt.Errorf("shape %s has no target", s.name)
	}
	union := "{ " + strings.Join(parts, " } UNION { ") + " }"
	if needDistinct {
		return "  { SELECT DISTINCT ?focus WHERE { " + union + " } }\n", nil
	}
	return "  " + union + "\n", nil
}

// topBody is the WHERE clause of a top-level query: the targets and the pattern that
// selects the focus nodes (and values) violating u.
func (c *compiler) topBody(u unit, targets string) (string, error) {
	s, con := u.owner, u.con
	var p string
	if s.path != nil {
		var err error
		if p, err = sparqlPath(s.path); err != nil {
			return "", err
		}
	}
	switch {
	case con.kind == "class" && s.path != nil:
		// Two NOT EXISTS filters instead of one boolean expression: stores turn them
		// into anti-joins (40 % faster on Oxigraph for 90 000 skill links).
		cl, err := iriRef(con.term.String())
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%s  GRAPH %s { ?focus %s ?value }\n  FILTER NOT EXISTS { GRAPH ?g1 { ?value a %s } }\n  FILTER NOT EXISTS { GRAPH ?g1 { ?value a ?type } GRAPH ?g2 { ?type <%ssubClassOf>+ %s } }\n",
			targets, c.g, p, cl, rdfsNS, cl), nil
	case con.kind == "maxCount" && con.n < maxNestedCount:
		// A join rather than an EXISTS per focus node: a property the graph does not
		// use at all (most measures of an observation) then costs nothing.
		vars := make([]string, con.n+1)
		var triples, conds []string
		for i := range vars {
			vars[i] = fmt.Sprintf("?counted%d", i)
			triples = append(triples, fmt.Sprintf("?focus %s %s", p, vars[i]))
			for j := 0; j < i; j++ {
				conds = append(conds, fmt.Sprintf("!sameTerm(%s, %s)", vars[j], vars[i]))
			}
		}
		body := fmt.Sprintf("%s  GRAPH %s { %s }\n", targets, c.g, strings.Join(triples, " . "))
		if len(conds) > 0 {
			body += "  FILTER(" + strings.Join(conds, " && ") + ")\n"
		}
		return body, nil
	case con.kind == "minCount" && con.n == 1:
		return fmt.Sprintf("%s  FILTER NOT EXISTS { GRAPH %s { ?focus %s ?counted } }\n", targets, c.g, p), nil
	case con.valueWise() && s.path != nil:
		cond, err := c.valueCond(con, "?focus", "?value", 0)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%s  GRAPH %s { ?focus %s ?value }\n  FILTER(%s)\n", targets, c.g, p, cond), nil
	case con.valueWise():
		cond, err := c.valueCond(con, "?focus", "?focus", 0)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%s  FILTER(%s)\n", targets, cond), nil
	case (con.kind == "minCount" || con.kind == "maxCount") && con.n >= maxNestedCount:
		// Large counts: an aggregate, which only works at the top level.
		having := fmt.Sprintf("COUNT(DISTINCT ?counted) < %d", con.n)
		if con.kind == "maxCount" {
			having = fmt.Sprintf("COUNT(DISTINCT ?counted) > %d", con.n)
		}
		return fmt.Sprintf("  { SELECT ?focus (COUNT(DISTINCT ?counted) AS ?value) WHERE {\n  %s  OPTIONAL { GRAPH %s { ?focus %s ?counted } }\n  } GROUP BY ?focus HAVING (%s) }\n",
			targets, c.g, p, having), nil
	default:
		cond, err := c.setCond(con, s, "?focus", p, 0)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%s  FILTER(%s)\n", targets, cond), nil
	}
}

// violated returns a SPARQL expression that is true when the node in x does not
// conform to shape s.
func (c *compiler) violated(s *shape, x string, depth int) (string, error) {
	if depth > maxDepth {
		return "", fmt.Errorf("shapes nested more than %d levels", maxDepth)
	}
	if s.deactivated {
		return "false", nil
	}
	var p string
	if s.path != nil {
		var err error
		if p, err = sparqlPath(s.path); err != nil {
			return "", err
		}
	}
	var terms []string
	for _, con := range s.constraints {
		switch {
		case con.valueWise() && s.path != nil:
			v := c.fresh("v")
			cond, err := c.valueCond(con, x, v, depth+1)
			if err != nil {
				return "", err
			}
			terms = append(terms, fmt.Sprintf("EXISTS { GRAPH %s { %s %s %s } FILTER(%s) }", c.g, x, p, v, cond))
		case con.valueWise():
			cond, err := c.valueCond(con, x, x, depth+1)
			if err != nil {
				return "", err
			}
			terms = append(terms, cond)
		default:
			cond, err := c.setCond(con, s, x, p, depth+1)
			if err != nil {
				return "", err
			}
			terms = append(terms, cond)
		}
	}
	for _, ps := range s.properties {
		if s.path == nil {
			// A property shape of a node shape has the same focus node.
			t, err := c.violated(ps, x, depth+1)
			if err != nil {
				return "", err
			}
			terms = append(terms, t)
			continue
		}
		// sh:property on a property shape applies to each value node.
		v := c.fresh("v")
		t, err := c.violated(ps, v, depth+1)
		if err != nil {
			return "", err
		}
		terms = append(terms, fmt.Sprintf("EXISTS { GRAPH %s { %s %s %s } FILTER(%s) }", c.g, x, p, v, t))
	}
	if len(terms) == 0 {
		return "false", nil
	}
	return "(" + strings.Join(terms, " || ") + ")", nil
}

// valueCond returns an expression that is true when the value node v (of focus node
// f) violates the value-wise constraint con.
func (c *compiler) valueCond(con *constraint, f, v string, depth int) (string, error) {
	switch con.kind {
	case "datatype":
		dt := con.term.String()
		if dt == rdfNS+"langString" {
			return fmt.Sprintf(`!(isLiteral(%s) && LANG(%s) != "")`, v, v), nil
		}
		d, err := iriRef(dt)
		if err != nil {
			return "", err
		}
		cond := fmt.Sprintf("isLiteral(%s) && DATATYPE(%s) = %s", v, v, d)
		if re, ok := lexical[dt]; ok {
			q, _ := quote(re)
			cond += fmt.Sprintf(" && REGEX(STR(%s), %s)", v, q)
		}
		return "!(" + cond + ")", nil
	case "class":
		cl, err := iriRef(con.term.String())
		if err != nil {
			return "", err
		}
		// The instance may be typed in any graph (a fiche in oeg:rome4 for an offer in
		// oeg:offres-ft/…), and the subclass axioms live in oeg:ontology.
		ga, gb, t := c.fresh("g"), c.fresh("g"), c.fresh("t")
		return fmt.Sprintf("!(EXISTS { GRAPH %s { %s a %s } } || EXISTS { GRAPH %s { %s a %s } GRAPH %s { %s <%ssubClassOf>+ %s } })",
			ga, v, cl, ga, v, t, gb, t, rdfsNS, cl), nil
	case "nodeKind":
		switch con.term.String() {
		case shNS + "IRI":
			return fmt.Sprintf("!isIRI(%s)", v), nil
		case shNS + "BlankNode":
			return fmt.Sprintf("!isBlank(%s)", v), nil
		case shNS + "Literal":
			return fmt.Sprintf("!isLiteral(%s)", v), nil
		case shNS + "BlankNodeOrIRI":
			return fmt.Sprintf("isLiteral(%s)", v), nil
		case shNS + "BlankNodeOrLiteral":
			return fmt.Sprintf("isIRI(%s)", v), nil
		default: // IRIOrLiteral
			return fmt.Sprintf("isBlank(%s)", v), nil
		}
	case "minInclusive", "maxInclusive", "minExclusive", "maxExclusive":
		lit, err := sparqlTerm(con.term)
		if err != nil {
			return "", err
		}
		op := map[string]string{"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}[con.kind]
		// An incomparable value (a string against a number) is a violation, hence
		// COALESCE: the comparison error must not silently drop the row.
		return fmt.Sprintf("!COALESCE(%s %s %s, false)", v, op, lit), nil
	case "minLength", "maxLength":
		op := "<"
		if con.kind == "maxLength" {
			op = ">"
		}
		return fmt.Sprintf("(isBlank(%s) || STRLEN(STR(%s)) %s %d)", v, v, op, con.n), nil
	case "pattern":
		pat, err := quote(con.text)
		if err != nil {
			return "", err
		}
		if con.flags != "" {
			fl, _ := quote(con.flags)
			pat += ", " + fl
		}
		return fmt.Sprintf("(isBlank(%s) || !REGEX(STR(%s), %s))", v, v, pat), nil
	case "in":
		var alts []string
		for _, t := range con.list {
			s, err := sparqlTerm(t)
			if err != nil {
				return "", err
			}
			alts = append(alts, fmt.Sprintf("sameTerm(%s, %s)", v, s))
		}
		if len(alts) == 0 {
			return "true", nil
		}
		return "!(" + strings.Join(alts, " || ") + ")", nil
	case "languageIn":
		var alts []string
		for _, t := range con.list {
			q, err := quote(t.String())
			if err != nil {
				return "", err
			}
			alts = append(alts, fmt.Sprintf("LANGMATCHES(LANG(%s), %s)", v, q))
		}
		if len(alts) == 0 {
			return "true", nil
		}
		return fmt.Sprintf("!(isLiteral(%s) && (%s))", v, strings.Join(alts, " || ")), nil
	case "disjoint":
		p2, err := iriRef(con.term.String())
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("EXISTS { GRAPH %s { %s %s %s } }", c.g, f, p2, v), nil
	case "lessThan", "lessThanOrEquals":
		p2, err := iriRef(con.term.String())
		if err != nil {
			return "", err
		}
		op := "<"
		if con.kind == "lessThanOrEquals" {
			op = "<="
		}
		o := c.fresh("o")
		return fmt.Sprintf("EXISTS { GRAPH %s { %s %s %s } FILTER(!COALESCE(%s %s %s, false)) }", c.g, f, p2, o, v, op, o), nil
	case "node", "property":
		return c.violated(con.shapes[0], v, depth+1)
	case "not":
		e, err := c.violated(con.shapes[0], v, depth+1)
		if err != nil {
			return "", err
		}
		return "!" + e, nil
	case "and", "or", "xone":
		var es []string
		for _, s := range con.shapes {
			e, err := c.violated(s, v, depth+1)
			if err != nil {
				return "", err
			}
			if con.kind == "xone" {
				e = fmt.Sprintf("IF(%s, 0, 1)", e)
			}
			es = append(es, e)
		}
		switch con.kind {
		case "and":
			return "(" + strings.Join(es, " || ") + ")", nil
		case "or":
			return "(" + strings.Join(es, " && ") + ")", nil
		default:
			return "((" + strings.Join(es, " + ") + ") != 1)", nil
		}
	}
	return "", fmt.Errorf("constraint sh:%s cannot be checked value by value", con.kind)
}

// setCond returns an expression that is true when the values of focus node f along
// path p (empty for a node shape) violate the constraint con of shape s.
func (c *compiler) setCond(con *constraint, s *shape, f, p string, depth int) (string, error) {
	switch con.kind {
	case "minCount":
		e, err := c.atLeast(f, p, con.n, nil)
		if err != nil {
			return "", err
		}
		return "!" + e, nil
	case "maxCount":
		return c.atLeast(f, p, con.n+1, nil)
	case "hasValue":
		val, err := sparqlTerm(con.term)
		if err != nil {
			return "", err
		}
		if p == "" {
			return fmt.Sprintf("!sameTerm(%s, %s)", f, val), nil
		}
		v := c.fresh("v")
		return fmt.Sprintf("NOT EXISTS { GRAPH %s { %s %s %s } FILTER(sameTerm(%s, %s)) }", c.g, f, p, v, v, val), nil
	case "uniqueLang":
		a, b := c.fresh("v"), c.fresh("v")
		return fmt.Sprintf(`EXISTS { GRAPH %s { %s %s %s . %s %s %s } FILTER(!sameTerm(%s, %s) && LANG(%s) != "" && LCASE(LANG(%s)) = LCASE(LANG(%s))) }`,
			c.g, f, p, a, f, p, b, a, b, a, a, b), nil
	case "equals":
		p2, err := iriRef(con.term.String())
		if err != nil {
			return "", err
		}
		a := c.fresh("v")
		if p == "" {
			return fmt.Sprintf("(NOT EXISTS { GRAPH %s { %s %s %s } } || EXISTS { GRAPH %s { %s %s %s } FILTER(!sameTerm(%s, %s)) })",
				c.g, f, p2, f, c.g, f, p2, a, a, f), nil
		}
		return fmt.Sprintf("(EXISTS { GRAPH %s { %s %s %s } FILTER NOT EXISTS { GRAPH %s { %s %s %s } } } || EXISTS { GRAPH %s { %s %s %s } FILTER NOT EXISTS { GRAPH %s { %s %s %s } } })",
			c.g, f, p, a, c.g, f, p2, a, c.g, f, p2, a, c.g, f, p, a), nil
	case "qualifiedMinCount", "qualifiedMaxCount":
		conforms := func(v string) (string, error) {
			e, err := c.violated(con.shapes[0], v, depth+1)
			if err != nil {
				return "", err
			}
			return "!" + e, nil
		}
		if con.kind == "qualifiedMaxCount" {
			return c.atLeast(f, p, con.n+1, conforms)
		}
		e, err := c.atLeast(f, p, con.n, conforms)
		if err != nil {
			return "", err
		}
		return "!" + e, nil
	}
	return "", fmt.Errorf("constraint sh:%s is not a set constraint", con.kind)
}

// atLeast returns an expression that is true when focus f has at least n distinct
// values along path p, each satisfying filter when it is not nil.
func (c *compiler) atLeast(f, p string, n int, filter func(v string) (string, error)) (string, error) {
	if n <= 0 {
		return "true", nil
	}
	if n > maxNestedCount {
		return "", fmt.Errorf("counts above %d are only supported as sh:minCount/sh:maxCount of a targeted shape's property", maxNestedCount-1)
	}
	vars := make([]string, n)
	var triples, conds []string
	for i := range vars {
		vars[i] = c.fresh("v")
		triples = append(triples, fmt.Sprintf("%s %s %s", f, p, vars[i]))
		for j := 0; j < i; j++ {
			conds = append(conds, fmt.Sprintf("!sameTerm(%s, %s)", vars[j], vars[i]))
		}
		if filter != nil {
			e, err := filter(vars[i])
			if err != nil {
				return "", err
			}
			conds = append(conds, e)
		}
	}
	e := fmt.Sprintf("EXISTS { GRAPH %s { %s }", c.g, strings.Join(triples, " . "))
	if len(conds) > 0 {
		e += " FILTER(" + strings.Join(conds, " && ") + ")"
	}
	return e + " }", nil
}

package shacl

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"

	"github.com/knakk/rdf"
)

const (
	shNS   = "http://www.w3.org/ns/shacl#"
	rdfNS  = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	rdfsNS = "http://www.w3.org/2000/01/rdf-schema#"
	xsdNS  = "http://www.w3.org/2001/XMLSchema#"

	rdfType  = rdfNS + "type"
	rdfFirst = rdfNS + "first"
	rdfRest  = rdfNS + "rest"
	rdfNil   = rdfNS + "nil"
)

// Shapes is a parsed, checked set of SHACL shapes. It is immutable and safe for
// concurrent use.
type Shapes struct {
	top []*shape // shapes with at least one target, in a stable order
	all int      // number of shapes, for Len
}

// Len returns the number of shapes (node and property shapes, nested ones included).
func (s *Shapes) Len() int { return s.all }

// Targeted returns the names of the shapes that have targets, compacted.
func (s *Shapes) Targeted() []string {
	var out []string
	for _, sh := range s.top {
		out = append(out, sh.name)
	}
	return out
}

type shape struct {
	name        string // compacted IRI, or _:label
	path        *path  // nil for a node shape
	targets     []target
	constraints []*constraint
	properties  []*shape
	severity    string
	message     string
	deactivated bool
}

type target struct {
	kind string // targetClass, targetNode, targetSubjectsOf, targetObjectsOf
	term rdf.Term
}

// constraint is one constraint component of a shape; kind is the name of its main
// parameter (minCount, class, qualifiedValueShape, …).
type constraint struct {
	kind   string
	n      int        // minCount, maxCount, minLength, maxLength, qualified counts (-1: absent)
	n2     int        // qualifiedMaxCount (-1: absent)
	term   rdf.Term   // datatype, class, nodeKind, hasValue, bounds, lessThan… predicate
	list   []rdf.Term // in, languageIn
	shapes []*shape   // node, not, and, or, xone, qualifiedValueShape
	flags  string     // pattern flags
	text   string     // pattern
}

// valueWise reports whether the constraint is checked on each value node on its own
// (as opposed to the set of values of a focus node).
func (c *constraint) valueWise() bool {
	switch c.kind {
	case "minCount", "maxCount", "hasValue", "uniqueLang", "equals", "qualifiedMinCount", "qualifiedMaxCount":
		return false
	}
	return true
}

// path is a SHACL property path.
type path struct {
	kind  string // predicate, inverse, sequence, alternative, zeroOrMore, oneOrMore, zeroOrOne
	iri   string
	items []*path
}

// graph is an in-memory index of the shapes graph.
type graph struct {
	spo map[string]map[string][]rdf.Term // subject key → predicate IRI → objects
}

func key(t rdf.Term) string { return t.Serialize(rdf.NTriples) }

func readTurtle(r io.Reader) (*graph, error) {
	dec := rdf.NewTripleDecoder(r, rdf.Turtle)
	g := &graph{spo: map[string]map[string][]rdf.Term{}}
	for {
		t, err := dec.Decode()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("shapes: parse Turtle: %w", err)
		}
		k := key(t.Subj)
		if g.spo[k] == nil {
			g.spo[k] = map[string][]rdf.Term{}
		}
		p := t.Pred.String()
		g.spo[k][p] = append(g.spo[k][p], t.Obj)
	}
	return g, nil
}

func (g *graph) objects(s rdf.Term, p string) []rdf.Term { return g.spo[key(s)][p] }

func (g *graph) object(s rdf.Term, p string) (rdf.Term, bool) {
	o := g.objects(s, p)
	if len(o) == 0 {
		return nil, false
	}
	return o[0], true
}

// list reads an RDF collection.
func (g *graph) list(head rdf.Term) ([]rdf.Term, error) {
	var out []rdf.Term
	seen := map[string]bool{}
	for {
		if head.Type() == rdf.TermIRI && head.String() == rdfNil {
			return out, nil
		}
		if seen[key(head)] {
			return nil, fmt.Errorf("RDF list %s is cyclic", key(head))
		}
		seen[key(head)] = true
		first, ok1 := g.object(head, rdfFirst)
		rest, ok2 := g.object(head, rdfRest)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("%s is not a well-formed RDF list", key(head))
		}
		out = append(out, first)
		head = rest
	}
}

// parameters that carry no validation semantics and are accepted as they are.
var ignoredParams = map[string]bool{
	"name": true, "description": true, "order": true, "group": true, "defaultValue": true,
	"targetClass": true, "targetNode": true, "targetSubjectsOf": true, "targetObjectsOf": true,
	"property": true, "path": true, "severity": true, "message": true, "deactivated": true,
	"qualifiedMinCount": true, "qualifiedMaxCount": true, "flags": true, "declare": true,
	"prefixes": true,
}

var unsupportedParams = map[string]bool{
	"closed": true, "ignoredProperties": true, "sparql": true, "target": true,
	"qualifiedValueShapesDisjoint": true,
}

var constraintParams = []string{
	"minCount", "maxCount", "datatype", "class", "nodeKind", "pattern", "minInclusive",
	"maxInclusive", "minExclusive", "maxExclusive", "minLength", "maxLength", "in",
	"hasValue", "uniqueLang", "languageIn", "lessThan", "lessThanOrEquals", "equals",
	"disjoint", "node", "not", "and", "or", "xone", "qualifiedValueShape",
}

type builder struct {
	g      *graph
	shapes map[string]*shape
	busy   map[string]bool // shapes being built, to refuse recursive shapes
}

func buildShapes(g *graph) (*Shapes, error) {
	b := &builder{g: g, shapes: map[string]*shape{}, busy: map[string]bool{}}
	// Shapes with targets are the entry points; the others are reached from them.
	var roots []string
	for k, preds := range g.spo {
		for p := range preds {
			if p == shNS+"targetClass" || p == shNS+"targetNode" || p == shNS+"targetSubjectsOf" || p == shNS+"targetObjectsOf" {
				roots = append(roots, k)
				break
			}
		}
	}
	sort.Strings(roots)
	out := &Shapes{}
	for _, k := range roots {
		sh, err := b.build(k)
		if err != nil {
			return nil, err
		}
		if !sh.deactivated {
			out.top = append(out.top, sh)
		}
	}
	// Shapes declared but unreachable are still checked, so a typo in one of them is
	// reported now and not when someone starts using it.
	var declared []string
	for k, preds := range g.spo {
		for _, t := range preds[rdfType] {
			if t.String() == shNS+"NodeShape" || t.String() == shNS+"PropertyShape" {
				declared = append(declared, k)
			}
		}
	}
	sort.Strings(declared)
	for _, k := range declared {
		if _, err := b.build(k); err != nil {
			return nil, err
		}
	}
	out.all = len(b.shapes)
	return out, nil
}

// termOf finds the term whose key is k among the graph's subjects.
func (b *builder) termOf(k string) rdf.Term {
	if len(k) > 2 && k[:2] == "_:" {
		t, _ := rdf.NewBlank(k[2:])
		return t
	}
	t, _ := rdf.NewIRI(k[1 : len(k)-1])
	return t
}

func (b *builder) buildTerm(t rdf.Term) (*shape, error) {
	if t.Type() == rdf.TermLiteral {
		return nil, fmt.Errorf("a shape cannot be the literal %s", key(t))
	}
	return b.build(key(t))
}

func (b *builder) build(k string) (*shape, error) {
	if sh, ok := b.shapes[k]; ok {
		return sh, nil
	}
	if b.busy[k] {
		return nil, fmt.Errorf("shape %s refers to itself (recursive shapes are not supported)", displayKey(k))
	}
	b.busy[k] = true
	defer delete(b.busy, k)

	node := b.termOf(k)
	sh := &shape{name: displayKey(k), severity: SeverityViolation}
	fail := func(format string, args ...any) (*shape, error) {
		return nil, fmt.Errorf("shape %s: %s", sh.name, fmt.Sprintf(format, args...))
	}
	for p := range b.g.spo[k] {
		if len(p) <= len(shNS) || p[:len(shNS)] != shNS {
			continue
		}
		local := p[len(shNS):]
		if unsupportedParams[local] {
			if local == "qualifiedValueShapesDisjoint" {
				if v, _ := b.g.object(node, p); v != nil && v.String() == "false" {
					continue
				}
			}
			return fail("sh:%s is not supported by this validator", local)
		}
		if !ignoredParams[local] && !contains(constraintParams, local) {
			return fail("unknown SHACL parameter sh:%s", local)
		}
	}

	if pt, ok := b.g.object(node, shNS+"path"); ok {
		p, err := b.path(pt, 0)
		if err != nil {
			return fail("sh:path: %v", err)
		}
		sh.path = p
	}
	for _, kind := range []string{"targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf"} {
		for _, t := range b.g.objects(node, shNS+kind) {
			if kind != "targetNode" && t.Type() != rdf.TermIRI {
				return fail("sh:%s must be an IRI, got %s", kind, key(t))
			}
			if t.Type() == rdf.TermBlank {
				return fail("sh:targetNode cannot be a blank node")
			}
			sh.targets = append(sh.targets, target{kind: kind, term: t})
		}
	}
	if v, ok := b.g.object(node, shNS+"deactivated"); ok && v.Type() == rdf.TermLiteral && v.String() == "true" {
		sh.deactivated = true
	}
	if v, ok := b.g.object(node, shNS+"severity"); ok {
		switch v.String() {
		case shNS + "Violation":
		case shNS + "Warning":
			sh.severity = SeverityWarning
		case shNS + "Info":
			sh.severity = SeverityInfo
		default:
			return fail("unknown sh:severity %s", key(v))
		}
	}
	sh.message = pickMessage(b.g.objects(node, shNS+"message"))

	intParam := func(name string) (int, bool, error) {
		v, ok := b.g.object(node, shNS+name)
		if !ok {
			return -1, false, nil
		}
		n, err := strconv.Atoi(v.String())
		if err != nil || n < 0 || v.Type() != rdf.TermLiteral {
			return 0, false, fmt.Errorf("sh:%s must be a non-negative integer, got %s", name, key(v))
		}
		return n, true, nil
	}

	for _, kind := range constraintParams {
		vals := b.g.objects(node, shNS+kind)
		for _, v := range vals {
			c := &constraint{kind: kind, n: -1, n2: -1}
			switch kind {
			case "minCount", "maxCount", "minLength", "maxLength":
				n, _, err := intParam(kind)
				if err != nil {
					return fail("%v", err)
				}
				c.n = n
				if (kind == "minCount" || kind == "maxCount") && sh.path == nil {
					return fail("sh:%s needs sh:path", kind)
				}
			case "datatype", "class", "lessThan", "lessThanOrEquals", "equals", "disjoint":
				if v.Type() != rdf.TermIRI {
					return fail("sh:%s must be an IRI, got %s", kind, key(v))
				}
				c.term = v
				if (kind == "lessThan" || kind == "lessThanOrEquals") && sh.path == nil {
					// SHACL allows them only on property shapes.
					return fail("sh:%s needs sh:path", kind)
				}
			case "nodeKind":
				if !nodeKinds[v.String()] {
					return fail("unknown sh:nodeKind %s", key(v))
				}
				c.term = v
			case "minInclusive", "maxInclusive", "minExclusive", "maxExclusive", "hasValue":
				if v.Type() == rdf.TermBlank {
					return fail("sh:%s cannot be a blank node", kind)
				}
				if kind != "hasValue" && v.Type() != rdf.TermLiteral {
					return fail("sh:%s must be a literal, got %s", kind, key(v))
				}
				c.term = v
			case "pattern":
				if v.Type() != rdf.TermLiteral {
					return fail("sh:pattern must be a literal")
				}
				c.text = v.String()
				if f, ok := b.g.object(node, shNS+"flags"); ok {
					c.flags = f.String()
					if !regexp.MustCompile(`^[smixq]*$`).MatchString(c.flags) {
						return fail("sh:flags %q: only s, m, i, x, q are allowed", c.flags)
					}
				}
				// Go's RE2 is close enough to XPath regexes to catch typos early.
				if _, err := regexp.Compile(c.text); err != nil {
					return fail("sh:pattern %q: %v", c.text, err)
				}
			case "uniqueLang":
				if v.String() != "true" {
					continue // uniqueLang false is no constraint
				}
				if sh.path == nil {
					return fail("sh:uniqueLang needs sh:path")
				}
			case "in", "languageIn":
				items, err := b.g.list(v)
				if err != nil {
					return fail("sh:%s: %v", kind, err)
				}
				for _, it := range items {
					if it.Type() == rdf.TermBlank {
						return fail("sh:%s cannot list blank nodes", kind)
					}
					if kind == "languageIn" && (it.Type() != rdf.TermLiteral || !langTag.MatchString(it.String())) {
						return fail("sh:languageIn: %s is not a language tag", key(it))
					}
				}
				c.list = items
			case "node", "not", "qualifiedValueShape":
				s2, err := b.buildTerm(v)
				if err != nil {
					return fail("sh:%s: %v", kind, err)
				}
				c.shapes = []*shape{s2}
				if kind == "qualifiedValueShape" {
					if sh.path == nil {
						return fail("sh:qualifiedValueShape needs sh:path")
					}
					var ok1, ok2 bool
					var err error
					if c.n, ok1, err = intParam("qualifiedMinCount"); err != nil {
						return fail("%v", err)
					}
					if c.n2, ok2, err = intParam("qualifiedMaxCount"); err != nil {
						return fail("%v", err)
					}
					if !ok1 && !ok2 {
						return fail("sh:qualifiedValueShape without sh:qualifiedMinCount or sh:qualifiedMaxCount")
					}
					// One constraint per count, as SHACL reports them
					// (sh:QualifiedMinCountConstraintComponent, …MaxCount…).
					if ok1 {
						sh.constraints = append(sh.constraints, &constraint{kind: "qualifiedMinCount", n: c.n, n2: -1, shapes: c.shapes})
					}
					if ok2 {
						sh.constraints = append(sh.constraints, &constraint{kind: "qualifiedMaxCount", n: c.n2, n2: -1, shapes: c.shapes})
					}
					continue
				}
			case "and", "or", "xone":
				items, err := b.g.list(v)
				if err != nil {
					return fail("sh:%s: %v", kind, err)
				}
				if len(items) == 0 {
					return fail("sh:%s has an empty list", kind)
				}
				for _, it := range items {
					s2, err := b.buildTerm(it)
					if err != nil {
						return fail("sh:%s: %v", kind, err)
					}
					c.shapes = append(c.shapes, s2)
				}
			}
			sh.constraints = append(sh.constraints, c)
		}
	}
	for _, pt := range b.g.objects(node, shNS+"property") {
		ps, err := b.buildTerm(pt)
		if err != nil {
			return fail("sh:property: %v", err)
		}
		if ps.path == nil {
			return fail("sh:property %s has no sh:path", ps.name)
		}
		sh.properties = append(sh.properties, ps)
	}
	sort.SliceStable(sh.properties, func(i, j int) bool { return sh.properties[i].name < sh.properties[j].name })
	b.shapes[k] = sh
	return sh, nil
}

var nodeKinds = map[string]bool{
	shNS + "IRI": true, shNS + "BlankNode": true, shNS + "Literal": true,
	shNS + "BlankNodeOrIRI": true, shNS + "BlankNodeOrLiteral": true, shNS + "IRIOrLiteral": true,
}

var langTag = regexp.MustCompile(`^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$`)

func (b *builder) path(t rdf.Term, depth int) (*path, error) {
	if depth > 10 {
		return nil, errors.New("path nested too deeply")
	}
	switch t.Type() {
	case rdf.TermIRI:
		return &path{kind: "predicate", iri: t.String()}, nil
	case rdf.TermLiteral:
		return nil, fmt.Errorf("a path cannot be the literal %s", key(t))
	}
	if _, ok := b.g.object(t, rdfFirst); ok {
		items, err := b.g.list(t)
		if err != nil {
			return nil, err
		}
		return b.pathList("sequence", items, depth)
	}
	for _, kind := range []string{"inversePath", "zeroOrMorePath", "oneOrMorePath", "zeroOrOnePath"} {
		if v, ok := b.g.object(t, shNS+kind); ok {
			sub, err := b.path(v, depth+1)
			if err != nil {
				return nil, err
			}
			return &path{kind: kind[:len(kind)-4], items: []*path{sub}}, nil
		}
	}
	if v, ok := b.g.object(t, shNS+"alternativePath"); ok {
		items, err := b.g.list(v)
		if err != nil {
			return nil, err
		}
		return b.pathList("alternative", items, depth)
	}
	return nil, fmt.Errorf("%s is not a SHACL path", key(t))
}

func (b *builder) pathList(kind string, items []rdf.Term, depth int) (*path, error) {
	if len(items) < 2 {
		return nil, fmt.Errorf("a %s path needs at least two members", kind)
	}
	p := &path{kind: kind}
	for _, it := range items {
		sub, err := b.path(it, depth+1)
		if err != nil {
			return nil, err
		}
		p.items = append(p.items, sub)
	}
	return p, nil
}

// pickMessage prefers an English message, then one without language, then any.
func pickMessage(ms []rdf.Term) string {
	best, rank := "", 0
	for _, m := range ms {
		l, ok := m.(rdf.Literal)
		if !ok {
			continue
		}
		r := 1
		switch l.Lang() {
		case "en":
			r = 3
		case "":
			r = 2
		}
		if r > rank {
			best, rank = l.String(), r
		}
	}
	return best
}

func displayKey(k string) string {
	if len(k) > 2 && k[0] == '<' {
		return compact(k[1 : len(k)-1])
	}
	return k
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

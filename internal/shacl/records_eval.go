package shacl

import (
	"fmt"
	"strings"

	"github.com/openemploi360/openemploi/internal/ntriples"
)

// evaluator checks the shapes on the current record. Each method mirrors the SPARQL
// the compiler writes for the same constraint (compile.go), on the record's triples.
// When a result cannot be decided in memory, it sets fail and the record, and the
// whole input, fall back to the store.
type evaluator struct {
	r    *Records
	ix   *recIndex
	fail string
}

// foci returns the focus nodes of a targeted shape in the record, each once.
func (e *evaluator) foci(top *recTop) []int32 {
	var out []int32
	add := func(x int32) {
		for _, y := range out {
			if y == x {
				return
			}
		}
		out = append(out, x)
	}
	for _, cl := range top.classes {
		c, ok := e.ix.lookup(cl)
		if !ok {
			continue
		}
		for _, t := range e.ix.tris {
			if t.gp == e.r.predIDs.typ && t.o == c {
				add(t.s)
			}
		}
	}
	for _, gp := range top.subjOf {
		for _, t := range e.ix.tris {
			if t.gp == gp {
				add(t.s)
			}
		}
	}
	return out
}

// unit evaluates one top-level (shape, constraint) pair on focus f, as compileTop's
// query would, adding violations to r.viz and sh:class values to check after the load
// to defers.
func (e *evaluator) unit(ui int, u unit, f int32, defers []pendingDefer) []pendingDefer {
	s, con := u.owner, u.con
	var vals []int32
	if s.path != nil {
		vals = e.path(s.path, f, false)
	}
	add := func(v int32, noValue bool, count int) {
		e.r.viz = append(e.r.viz, pending{unit: ui, focus: f, value: v, count: count, noValue: noValue})
	}
	switch {
	case con.kind == "class":
		node := s.path == nil
		if node {
			vals = []int32{f}
		}
		cl := e.r.term(con.term)
		for _, v := range vals {
			switch e.instance(v, cl) {
			case outTrue:
			case outFalse:
				add(v, node, -1)
			default:
				if e.ix.terms[v].Kind != ntriples.IRI {
					e.fail = fmt.Sprintf("sh:class %s on the blank node %s, not typed in its record, needs the store", compact(cl.Value), focusText(e.ix.terms[v]))
					return defers
				}
				defers = append(defers, pendingDefer{unit: ui, class: cl, focus: f, value: v, node: node})
			}
		}
	case con.kind == "minCount" || con.kind == "maxCount":
		n := len(vals)
		if con.kind == "minCount" && n < con.n || con.kind == "maxCount" && n > con.n {
			if con.n >= maxNestedCount {
				add(f, false, n) // the query's aggregate reports the count
			} else {
				add(f, true, -1)
			}
		}
	case con.valueWise() && s.path != nil:
		for _, v := range vals {
			if e.valueViolates(con, f, v) {
				add(v, false, -1)
			}
		}
	case con.valueWise():
		if e.valueViolates(con, f, f) {
			add(f, true, -1)
		}
	default:
		if e.setViolates(con, s, f, vals) {
			add(f, true, -1)
		}
	}
	return defers
}

// instance says whether x is an instance of class cl: outTrue when the record types it
// so (directly or through rdfs:subClassOf axioms of the record), outFalse for a
// literal, outUnsure otherwise (another graph may type it).
func (e *evaluator) instance(x int32, cl ntriples.Term) outcome {
	if e.ix.terms[x].Kind == ntriples.Literal {
		return outFalse
	}
	seen := map[int32]bool{}
	todo := e.objects(x, e.r.predIDs.typ, false)
	for len(todo) > 0 {
		t := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if e.ix.terms[t] == cl {
			return outTrue
		}
		if !seen[t] {
			seen[t] = true
			todo = append(todo, e.objects(t, e.r.predIDs.subClassOf, false)...)
		}
	}
	return outUnsure
}

// objects returns the objects of (x, gp), marking x as read when mark is set.
func (e *evaluator) objects(x, gp int32, mark bool) []int32 {
	if mark {
		e.ix.read[x] |= readOut
	}
	ts := e.ix.out(x, gp)
	out := make([]int32, 0, len(ts))
	for _, t := range ts {
		if !contains32(out, t.o) {
			out = append(out, t.o)
		}
	}
	return out
}

func contains32(l []int32, x int32) bool {
	for _, y := range l {
		if y == x {
			return true
		}
	}
	return false
}

// union appends to dst the members of src it does not have.
func union(dst, src []int32) []int32 {
	for _, x := range src {
		if !contains32(dst, x) {
			dst = append(dst, x)
		}
	}
	return dst
}

// path returns the distinct nodes reached from x along p (backwards when inv).
func (e *evaluator) path(p *path, x int32, inv bool) []int32 {
	switch p.kind {
	case "predicate":
		gp := e.r.dict[p.iri]
		if !inv {
			return e.objects(x, gp, true)
		}
		e.ix.read[x] |= readIn
		var out []int32
		for _, t := range e.ix.in(x, gp) {
			if !contains32(out, t.s) {
				out = append(out, t.s)
			}
		}
		return out
	case "inverse":
		return e.path(p.items[0], x, !inv)
	case "sequence":
		cur := []int32{x}
		n := len(p.items)
		for i := range p.items {
			step := p.items[i]
			if inv {
				step = p.items[n-1-i]
			}
			var next []int32
			for _, c := range cur {
				next = union(next, e.path(step, c, inv))
			}
			cur = next
		}
		return cur
	case "alternative":
		var out []int32
		for _, it := range p.items {
			out = union(out, e.path(it, x, inv))
		}
		return out
	case "zeroOrOne":
		return union([]int32{x}, e.path(p.items[0], x, inv))
	default: // zeroOrMore, oneOrMore
		var out []int32
		if p.kind == "zeroOrMore" {
			out = append(out, x)
		}
		todo := e.path(p.items[0], x, inv)
		for len(todo) > 0 {
			y := todo[0]
			todo = todo[1:]
			if contains32(out, y) {
				continue
			}
			out = append(out, y)
			todo = append(todo, e.path(p.items[0], y, inv)...)
		}
		return out
	}
}

// violated says whether node x does not conform to shape s (compiler.violated).
func (e *evaluator) violated(s *shape, x int32) bool {
	if s.deactivated {
		return false
	}
	var vals []int32
	if s.path != nil {
		vals = e.path(s.path, x, false)
	}
	for _, con := range s.constraints {
		switch {
		case con.valueWise() && s.path != nil:
			for _, v := range vals {
				if e.valueViolates(con, x, v) {
					return true
				}
			}
		case con.valueWise():
			if e.valueViolates(con, x, x) {
				return true
			}
		default:
			if e.setViolates(con, s, x, vals) {
				return true
			}
		}
		if e.fail != "" {
			return false
		}
	}
	for _, ps := range s.properties {
		if s.path == nil {
			if e.violated(ps, x) {
				return true
			}
			continue
		}
		for _, v := range vals {
			if e.violated(ps, v) {
				return true
			}
		}
	}
	return false
}

// decide turns an outcome into a violation flag: a type error violates, as the
// compiled COALESCE(…, false) does; unsure stops the record.
func (e *evaluator) decide(o outcome, violatedIf outcome, what string) bool {
	switch o {
	case outUnsure:
		if e.fail == "" {
			e.fail = what + " cannot be decided the way the stores do: validate in the store"
		}
		return false
	case outError:
		return true
	}
	return o == violatedIf
}

// valueViolates says whether value v of focus f violates the value-wise constraint
// con (compiler.valueCond).
func (e *evaluator) valueViolates(con *constraint, f, v int32) bool {
	t := e.ix.terms[v]
	isLit := t.Kind == ntriples.Literal
	switch con.kind {
	case "datatype":
		dt := con.term.String()
		if dt == rdfNS+"langString" {
			return !(isLit && t.Lang != "")
		}
		if !isLit || literalType(t) != dt {
			return true
		}
		if p, ok := e.r.patterns[con]; ok {
			return e.decide(p.match(t.Value), outFalse, fmt.Sprintf("the lexical form of %s", valueText(t)))
		}
		return false
	case "class":
		switch e.instance(v, e.r.term(con.term)) {
		case outTrue:
			return false
		case outFalse:
			return true
		}
		if e.fail == "" {
			e.fail = fmt.Sprintf("sh:class %s nested in another constraint, on %s not typed in its record, needs the store",
				compact(con.term.String()), valueText(t))
		}
		return false
	case "nodeKind":
		switch con.term.String() {
		case shNS + "IRI":
			return t.Kind != ntriples.IRI
		case shNS + "BlankNode":
			return t.Kind != ntriples.Blank
		case shNS + "Literal":
			return !isLit
		case shNS + "BlankNodeOrIRI":
			return isLit
		case shNS + "BlankNodeOrLiteral":
			return t.Kind == ntriples.IRI
		default: // IRIOrLiteral
			return t.Kind == ntriples.Blank
		}
	case "minInclusive", "maxInclusive", "minExclusive", "maxExclusive":
		op := map[string]string{"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}[con.kind]
		return e.decide(compareTerms(t, e.r.term(con.term), op), outFalse, fmt.Sprintf("sh:%s on %s", con.kind, valueText(t)))
	case "minLength", "maxLength":
		if t.Kind == ntriples.Blank {
			return true
		}
		n, ok := strLen(t.Value)
		if !ok {
			return e.decide(outUnsure, outTrue, fmt.Sprintf("the length of %s", valueText(t)))
		}
		if con.kind == "minLength" {
			return n < con.n
		}
		return n > con.n
	case "pattern":
		if t.Kind == ntriples.Blank {
			return true
		}
		return e.decide(e.r.patterns[con].match(t.Value), outFalse, fmt.Sprintf("sh:pattern %q on %s", con.text, valueText(t)))
	case "in":
		for _, it := range con.list {
			if e.r.term(it) == t {
				return false
			}
		}
		return true
	case "languageIn":
		if !isLit {
			return true
		}
		for _, it := range con.list {
			if langMatches(t.Lang, it.String()) {
				return false
			}
		}
		return true
	case "disjoint":
		return contains32(e.objects(f, e.r.dict[con.term.String()], true), v)
	case "lessThan", "lessThanOrEquals":
		op := "<"
		if con.kind == "lessThanOrEquals" {
			op = "<="
		}
		for _, o := range e.objects(f, e.r.dict[con.term.String()], true) {
			if e.decide(compareTerms(t, e.ix.terms[o], op), outFalse, fmt.Sprintf("sh:%s on %s", con.kind, valueText(t))) {
				return true
			}
		}
		return false
	case "node", "property":
		return e.violated(con.shapes[0], v)
	case "not":
		return !e.violated(con.shapes[0], v)
	case "and":
		for _, s := range con.shapes {
			if e.violated(s, v) {
				return true
			}
		}
		return false
	case "or":
		for _, s := range con.shapes {
			if !e.violated(s, v) {
				return false
			}
		}
		return true
	case "xone":
		n := 0
		for _, s := range con.shapes {
			if !e.violated(s, v) {
				n++
			}
		}
		return n != 1
	}
	if e.fail == "" {
		e.fail = "constraint sh:" + con.kind + " is not supported record by record"
	}
	return false
}

// setViolates says whether the values vals of focus x along the path of s (none for a
// node shape) violate the set constraint con (compiler.setCond).
func (e *evaluator) setViolates(con *constraint, s *shape, x int32, vals []int32) bool {
	switch con.kind {
	case "minCount":
		return len(vals) < con.n
	case "maxCount":
		return len(vals) > con.n
	case "hasValue":
		want := e.r.term(con.term)
		if s.path == nil {
			return e.ix.terms[x] != want
		}
		for _, v := range vals {
			if e.ix.terms[v] == want {
				return false
			}
		}
		return true
	case "uniqueLang":
		for i, a := range vals {
			la := e.ix.terms[a].Lang
			if la == "" {
				continue
			}
			for _, b := range vals[i+1:] {
				if strings.EqualFold(la, e.ix.terms[b].Lang) {
					return true
				}
			}
		}
		return false
	case "equals":
		other := e.objects(x, e.r.dict[con.term.String()], true)
		if s.path == nil {
			vals = []int32{x}
		}
		if len(other) != len(vals) {
			return true
		}
		for _, v := range vals {
			if !contains32(other, v) {
				return true
			}
		}
		return false
	case "qualifiedMinCount", "qualifiedMaxCount":
		n := 0
		for _, v := range vals {
			if !e.violated(con.shapes[0], v) {
				n++
			}
		}
		if con.kind == "qualifiedMinCount" {
			return n < con.n
		}
		return n > con.n
	}
	if e.fail == "" {
		e.fail = "constraint sh:" + con.kind + " is not supported record by record"
	}
	return false
}

// literalType is DATATYPE(t) of a literal.
func literalType(t ntriples.Term) string {
	switch {
	case t.Lang != "":
		return rdfNS + "langString"
	case t.Datatype == "":
		return xsdNS + "string"
	}
	return t.Datatype
}

package shacl

import (
	"fmt"
	"slices"
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

// unit evaluates one top-level (shape, constraint) pair on focus f, as compileTop's
// query would, adding violations to r.viz and sh:class values to check after the load
// to defers.
func (e *evaluator) unit(ui int, u unit, in *conInfo, p *recPath, f int32, defers []pendingDefer) []pendingDefer {
	s, con := u.owner, u.con
	var vals []int32
	if p != nil {
		vals = e.path(p, f, false)
	}
	add := func(v int32, noValue bool, count int) { e.add(ui, f, v, noValue, count) }
	switch {
	case con.kind == "class":
		node := s.path == nil
		if node {
			vals = []int32{f}
		}
		cl := in.term
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
				defers = append(defers, pendingDefer{unit: ui, in: in, focus: f, value: v, node: node})
			}
		}
	case con.kind == "minCount" || con.kind == "maxCount":
		if !e.countable(con, vals) {
			return defers
		}
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
			if e.valueViolates(in, f, v) {
				add(v, false, -1)
			}
		}
	case con.valueWise():
		if e.valueViolates(in, f, f) {
			add(f, true, -1)
		}
	default:
		if e.setViolates(in, s, f, vals) {
			add(f, true, -1)
		}
	}
	return defers
}

func (e *evaluator) add(ui int, f, v int32, noValue bool, count int) {
	e.r.viz = append(e.r.viz, pending{unit: ui, focus: f, value: v, count: count, noValue: noValue})
}

// instance says whether x is an instance of class cl: outTrue when the record types it
// so (directly or through rdfs:subClassOf axioms of the record), outFalse for a
// literal, outUnsure otherwise (another graph may type it).
func (e *evaluator) instance(x int32, cl ntriples.Term) outcome {
	if e.ix.terms[x].Kind == ntriples.Literal {
		return outFalse
	}
	types := e.objects(x, e.r.predIDs.typ, false)
	for _, t := range types {
		if e.ix.terms[t] == cl {
			return outTrue
		}
	}
	// Subclass axioms in the record itself (rare): walk them.
	var seen []int32
	todo := append([]int32(nil), types...)
	for len(todo) > 0 {
		t := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if e.ix.terms[t] == cl {
			return outTrue
		}
		if !contains32(seen, t) {
			seen = append(seen, t)
			todo = append(todo, e.objects(t, e.r.predIDs.subClassOf, false)...)
		}
	}
	return outUnsure
}

// objects returns the distinct objects of (x, gp), marking x as read when mark is
// set. The slice belongs to the index: appending to it copies it.
func (e *evaluator) objects(x, gp int32, mark bool) []int32 {
	if mark {
		e.ix.read[x] |= readOut
	}
	return e.ix.out(x, gp)
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
func (e *evaluator) path(p *recPath, x int32, inv bool) []int32 {
	switch p.kind {
	case "predicate":
		gp := p.gp
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
		todo := append([]int32(nil), e.path(p.items[0], x, inv)...)
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
	rs := e.r.shapes[s]
	var vals []int32
	if rs.path != nil {
		vals = e.path(rs.path, x, false)
	}
	for _, in := range rs.infos {
		con := in.con
		switch {
		case con.valueWise() && s.path != nil:
			for _, v := range vals {
				if e.valueViolates(in, x, v) {
					return true
				}
			}
		case con.valueWise():
			if e.valueViolates(in, x, x) {
				return true
			}
		default:
			if e.setViolates(in, s, x, vals) {
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

// countable says whether the number of distinct values is the same in every store:
// not when a store may rewrite two of them into one term ("01" and "1" are two values
// in Jena, one in Oxigraph).
func (e *evaluator) countable(con *constraint, vals []int32) bool {
	if len(vals) < 2 {
		return true
	}
	any := false
	for _, v := range vals {
		if rewritten(e.ix.terms[v]) {
			any = true
			break
		}
	}
	if !any {
		return true
	}
	keys := make([]string, 0, len(vals))
	for _, v := range vals {
		k := canonicalKey(e.ix.terms[v])
		if k == "" || slices.Contains(keys, k) {
			e.decide(outUnsure, outTrue, con, e.ix.terms[v])
			return false
		}
		keys = append(keys, k)
	}
	return true
}

// sameTerm is sameTerm(a, b) when the stores agree on it: a and b are equal, or held
// as mapped, or different once rewritten; otherwise it stops the record (outUnsure).
func (e *evaluator) sameTerm(con *constraint, a, b ntriples.Term) outcome {
	if a == b {
		return outTrue // a store rewrites equal terms alike
	}
	if !rewritten(a) && !rewritten(b) {
		return outFalse
	}
	ka, kb := canonicalKey(a), canonicalKey(b)
	if ka == "" || kb == "" || ka == kb {
		return e.unsure(con, a)
	}
	return outFalse
}

func (e *evaluator) unsure(con *constraint, t ntriples.Term) outcome {
	e.decide(outUnsure, outTrue, con, t)
	return outUnsure
}

// sameInStores says whether the text of term t (STR) is the same in every store, as
// sh:pattern and sh:min/maxLength need; otherwise it stops the record. A store may
// rewrite a typed literal (rewritten); the text of a language string stays.
func (e *evaluator) sameInStores(con *constraint, t ntriples.Term) bool {
	if t.Lang == "" && rewritten(t) {
		e.decide(outUnsure, outTrue, con, t)
		return false
	}
	return true
}

// decide turns an outcome into a violation flag: a type error violates, as the
// compiled COALESCE(…, false) does; unsure stops the record, saying which constraint
// on which value.
func (e *evaluator) decide(o outcome, violatedIf outcome, con *constraint, v ntriples.Term) bool {
	switch o {
	case outUnsure:
		if e.fail == "" {
			what := "sh:" + con.kind
			if con.kind == "datatype" {
				what = "the lexical form (sh:datatype)"
			}
			e.fail = fmt.Sprintf("%s on %s cannot be decided the way the stores do: validate in the store", what, valueText(v))
		}
		return false
	case outError:
		return true
	}
	return o == violatedIf
}

// valueViolates says whether value v of focus f violates the value-wise constraint
// con (compiler.valueCond).
func (e *evaluator) valueViolates(in *conInfo, f, v int32) bool {
	con := in.con
	t := e.ix.terms[v]
	isLit := t.Kind == ntriples.Literal
	switch con.kind {
	case "datatype":
		dt := in.term.Value
		if dt == rdfNS+"langString" {
			return !(isLit && t.Lang != "")
		}
		if !isLit {
			return true
		}
		if t.Lang == "" && rewritten(t) && !canonicalised[t.Datatype] && !e.sameInStores(con, t) {
			return false // Oxigraph turns xsd:int into xsd:integer
		}
		if literalType(t) != dt {
			return true
		}
		if in.lexical {
			return e.decide(lexicalOK(dt, t.Value), outFalse, con, t)
		}
		return false
	case "class":
		switch e.instance(v, in.term) {
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
		return e.decide(compareRead(t, asOrdered(t), in.term, in.bound, in.op), outFalse, con, t)
	case "minLength", "maxLength":
		if t.Kind == ntriples.Blank {
			return true
		}
		if !e.sameInStores(con, t) {
			return false
		}
		n, ok := strLen(t.Value)
		if !ok {
			return e.decide(outUnsure, outTrue, con, t)
		}
		if con.kind == "minLength" {
			return n < con.n
		}
		return n > con.n
	case "pattern":
		if t.Kind == ntriples.Blank {
			return true
		}
		if !e.sameInStores(con, t) {
			return false
		}
		return e.decide(in.pattern.match(t.Value), outFalse, con, t)
	case "in":
		for _, it := range in.list {
			switch e.sameTerm(con, t, it) {
			case outTrue:
				return false
			case outUnsure:
				return false
			}
		}
		return true
	case "languageIn":
		if !isLit {
			return true
		}
		for _, it := range in.list {
			if langMatches(t.Lang, it.Value) {
				return false
			}
		}
		return true
	case "disjoint":
		for _, o := range e.objects(f, in.p2, true) {
			switch e.sameTerm(con, t, e.ix.terms[o]) {
			case outTrue:
				return true
			case outUnsure:
				return false
			}
		}
		return false
	case "lessThan", "lessThanOrEquals":
		for _, o := range e.objects(f, in.p2, true) {
			if e.decide(compareTerms(t, e.ix.terms[o], in.op), outFalse, con, t) {
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
func (e *evaluator) setViolates(in *conInfo, s *shape, x int32, vals []int32) bool {
	con := in.con
	switch con.kind {
	case "minCount", "maxCount", "uniqueLang", "qualifiedMinCount", "qualifiedMaxCount":
		if !e.countable(con, vals) {
			return false
		}
	}
	switch con.kind {
	case "minCount":
		return len(vals) < con.n
	case "maxCount":
		return len(vals) > con.n
	case "hasValue":
		if s.path == nil {
			vals = []int32{x}
		}
		for _, v := range vals {
			switch e.sameTerm(con, e.ix.terms[v], in.term) {
			case outTrue, outUnsure:
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
		other := e.objects(x, in.p2, true)
		if s.path == nil {
			vals = []int32{x}
		}
		// The sets differ when one has a value the other has not.
		has := func(set []int32, x int32) outcome {
			for _, y := range set {
				if o := e.sameTerm(con, e.ix.terms[x], e.ix.terms[y]); o != outFalse {
					return o
				}
			}
			return outFalse
		}
		for _, pair := range [2][2][]int32{{vals, other}, {other, vals}} {
			for _, v := range pair[0] {
				switch has(pair[1], v) {
				case outFalse:
					return true
				case outUnsure:
					return false
				}
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

// canonicalised are the datatypes a store may rewrite the lexical form of without
// changing the datatype or what sh:datatype's lexical check says.
var canonicalised = map[string]bool{
	xsdNS + "integer": true, xsdNS + "decimal": true, xsdNS + "double": true,
	xsdNS + "boolean": true, xsdNS + "dateTime": true, xsdNS + "date": true,
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

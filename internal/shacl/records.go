package shacl

import (
	"cmp"
	"fmt"
	"hash/maphash"
	"slices"
	"sort"
	"strconv"

	"github.com/knakk/rdf"

	"github.com/openemploi360/openemploi/internal/ntriples"
)

// Triple is one triple of a record, the unit the import's record-level consumers
// share (ntriples.Triple). Blank nodes may already be skolemised IRIs; a blank node
// label names the same node in every record, as in one load.
type Triple = ntriples.Triple

// Records validates the shapes record by record, in memory, while a source is mapped:
// every constraint is evaluated over the triples of one record, with the semantics of
// the compiled queries on a graph made of that record. The result equals Validate on
// the loaded graph as long as no node the shapes read is described by two records;
// Records detects when that assumption breaks, or when it meets a case it cannot
// decide in memory, and then says so through Fallback. sh:class values not typed in
// their record are checked after the load by CheckDeferred.
//
// Validate checks one graph: give a Records the records of the graphs it stands for,
// and a record whose triples go to several graphs once per graph (with the same
// where), so that it sees what Validate would see. The results of several graphs are
// the union of Validate's on each as long as no node is described in two of them
// (Records then falls back, as for two records). Sources with transform updates
// (catalog transform:) change the graph after the mapping: validate them with
// Validate.
//
// Memory: the violations kept (at most limit per constraint), one 64-bit hash per
// node of the validated data (to detect nodes shared by records, 10 to 20 bytes each),
// and the distinct values whose class is checked after the load. A Records is not
// safe for concurrent use.
type Records struct {
	limit int
	tops  []*recTop
	dict  map[string]int32 // IRIs the shapes use as predicates (paths, targets, lessThan…), global ids

	predIDs   struct{ typ, subClassOf int32 } // ids of rdf:type and rdfs:subClassOf
	objectsOf map[int32]bool                  // predicates of sh:targetObjectsOf
	inverse   map[int32]bool                  // predicates under an inverse path
	info      map[*constraint]*conInfo
	shapes    map[*shape]*recShape     // each shape, prepared
	classTops map[string][]int         // target class → indexes in tops
	subjTops  map[int32][]int          // sh:targetSubjectsOf predicate → indexes in tops
	foci      [][]int32                // focus nodes of each top in the current record
	terms     map[string]ntriples.Term // shape terms (hasValue, in, classes) as record terms, by N-Triples form

	fallback string
	violated bool // a result of severity Violation was found (kept or not)
	checked  int
	found    [][]Violation // per unit (over all tops, in order), at most limit each
	trunc    bool
	seen     nodeSet
	seed     maphash.Seed
	hash     maphash.Hash
	deferred map[string]*deferredClass
	classes  []string // classes of deferred, in first-use order

	ix  recIndex // scratch of the current record
	viz []pending
}

// conInfo is what a constraint needs in memory, prepared once: its terms as record
// terms, a comparison bound already read, its predicate's id, its compiled pattern.
type conInfo struct {
	con      *constraint
	term     ntriples.Term
	bound    ordered
	list     []ntriples.Term
	p2       int32
	op       string
	pattern  *recPattern
	lexical  bool           // sh:datatype of a type with a lexical check (compile.go)
	deferred *deferredClass // sh:class: its values left for CheckDeferred
}

// recShape is a shape prepared: its path with predicate ids, its constraints.
type recShape struct {
	path  *recPath
	infos []*conInfo
}

// recPath is a path with the global ids of its predicates.
type recPath struct {
	kind  string
	gp    int32 // predicate
	items []*recPath
}

type recTop struct {
	sh       *shape
	units    []unit
	infos    []*conInfo // of each unit's constraint
	paths    []*recPath // of each unit's shape
	first    int        // index of its first unit in Records.found
	messages []string
}

// deferredClass holds the values used with one sh:class and not typed in their record.
type deferredClass struct {
	class  string
	order  []string
	values map[string][]deferredUse
}

type deferredUse struct {
	unit   int // index in Records.found
	focus  string
	record string
	node   bool // a node-level sh:class: the value is the focus, reported without value
}

// pending is a violation found in the current record, kept once the record is known
// to be trustworthy.
type pending struct {
	unit         int
	focus, value int32
	count        int // >= 0: the value is this count (large min/maxCount)
	noValue      bool
}

// Records returns a validator of records for these shapes that keeps at most limit
// violations per constraint (limit <= 0 means DefaultLimit), as Validate does.
func (s *Shapes) Records(limit int) *Records {
	if limit <= 0 {
		limit = DefaultLimit
	}
	r := &Records{limit: limit, dict: map[string]int32{}, objectsOf: map[int32]bool{},
		inverse: map[int32]bool{}, info: map[*constraint]*conInfo{}, shapes: map[*shape]*recShape{},
		classTops: map[string][]int{}, subjTops: map[int32][]int{},
		terms: map[string]ntriples.Term{}, seed: maphash.MakeSeed(), deferred: map[string]*deferredClass{}}
	r.ix.ids = map[ntriples.Term]int32{}
	r.hash.SetSeed(r.seed)
	r.predIDs.typ = r.pred(rdfType)
	r.predIDs.subClassOf = r.pred(rdfsNS + "subClassOf")
	seen := map[*shape]bool{}
	for _, top := range s.top {
		t := &recTop{sh: top, first: len(r.found)}
		for _, tg := range top.targets {
			switch tg.kind {
			case "targetClass":
				r.classTops[tg.term.String()] = append(r.classTops[tg.term.String()], len(r.tops))
			case "targetSubjectsOf":
				gp := r.pred(tg.term.String())
				r.subjTops[gp] = append(r.subjTops[gp], len(r.tops))
			case "targetObjectsOf":
				r.objectsOf[r.pred(tg.term.String())] = true
			case "targetNode":
				// The focus exists in every graph, whatever the records hold.
				if r.fallback == "" {
					r.fallback = fmt.Sprintf("shape %s has sh:targetNode, whose focus is in any graph", top.name)
				}
			}
		}
		t.units = units(top)
		for _, u := range t.units {
			msg := u.owner.message
			if msg == "" {
				msg = defaultMessage(u)
			}
			t.messages = append(t.messages, msg)
			r.found = append(r.found, nil)
		}
		r.prepare(top, seen)
		for _, u := range t.units {
			t.paths = append(t.paths, r.shapes[u.owner].path)
			in := r.info[u.con]
			if in == nil { // sh:property of a property shape, made by units
				in = &conInfo{con: u.con, p2: -1}
			}
			t.infos = append(t.infos, in)
		}
		r.tops = append(r.tops, t)
	}
	r.foci = make([][]int32, len(r.tops))
	return r
}

// prepare walks a shape and its nested shapes once, giving ids to the predicates they
// use and compiling their patterns.
func (r *Records) prepare(s *shape, seen map[*shape]bool) {
	if seen[s] {
		return
	}
	seen[s] = true
	rs := &recShape{}
	r.shapes[s] = rs
	if s.path != nil {
		rs.path = r.preparePath(s.path, false)
	}
	for _, c := range s.constraints {
		in := &conInfo{con: c, p2: -1}
		r.info[c] = in
		rs.infos = append(rs.infos, in)
		switch c.kind {
		case "lessThan", "lessThanOrEquals", "equals", "disjoint":
			in.p2 = r.pred(c.term.String())
			in.op = "<"
			if c.kind == "lessThanOrEquals" {
				in.op = "<="
			}
		case "pattern":
			p := compilePattern(c.text, c.flags)
			in.pattern = &p
		case "datatype":
			in.term = r.term(c.term)
			_, in.lexical = lexical[c.term.String()]
		case "hasValue", "class":
			in.term = r.term(c.term)
		case "minInclusive", "maxInclusive", "minExclusive", "maxExclusive":
			in.term = r.term(c.term)
			in.bound = asOrdered(in.term)
			in.op = map[string]string{"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}[c.kind]
		case "in", "languageIn":
			for _, t := range c.list {
				in.list = append(in.list, r.term(t))
			}
		}
		for _, sub := range c.shapes {
			r.prepare(sub, seen)
		}
	}
	for _, ps := range s.properties {
		r.prepare(ps, seen)
	}
}

func (r *Records) preparePath(p *path, inv bool) *recPath {
	rp := &recPath{kind: p.kind, gp: -1}
	switch p.kind {
	case "predicate":
		rp.gp = r.pred(p.iri)
		if inv {
			r.inverse[rp.gp] = true
		}
	case "inverse":
		rp.items = []*recPath{r.preparePath(p.items[0], !inv)}
	default:
		for _, it := range p.items {
			rp.items = append(rp.items, r.preparePath(it, inv))
		}
	}
	return rp
}

func (r *Records) pred(iri string) int32 {
	if id, ok := r.dict[iri]; ok {
		return id
	}
	id := int32(len(r.dict))
	r.dict[iri] = id
	return id
}

// term converts a term of the shapes graph to the record terms' form.
func (r *Records) term(t rdf.Term) ntriples.Term {
	k := key(t)
	if nt, ok := r.terms[k]; ok {
		return nt
	}
	nt := normalize(ntriples.FromRDF(t))
	r.terms[k] = nt
	return nt
}

// normalize gives one form to equal terms: a plain literal has no datatype, a
// language-tagged one only its tag.
func normalize(t ntriples.Term) ntriples.Term {
	if t.Kind != ntriples.Literal {
		t.Datatype, t.Lang = "", ""
		return t
	}
	if t.Lang != "" || t.Datatype == ntriples.XSDString {
		t.Datatype = ""
	}
	return t
}

// Fallback says whether the record-by-record result cannot be trusted for this input,
// so that the caller must validate the loaded graph with Validate instead, and why, in
// one line for the log.
func (r *Records) Fallback() (bool, string) { return r.fallback != "", r.fallback }

// Violated reports, cheaply after each record, whether a record so far broke a shape
// with severity Violation: an import holds back what it has not sent yet. It means
// nothing once Fallback is true.
func (r *Records) Violated() bool { return r.violated }

// Report returns the violations found so far, each with Record set, sorted as Validate
// sorts them; sh:class values left to CheckDeferred are not in it yet. Conforms, Checked
// and Truncated mean what they mean for Validate; Queries is 0.
func (r *Records) Report() Report {
	rep := Report{Conforms: true, Checked: r.checked, Truncated: r.trunc}
	for _, vs := range r.found {
		rep.Violations = append(rep.Violations, vs...)
	}
	for _, v := range rep.Violations {
		if v.Severity == SeverityViolation {
			rep.Conforms = false
		}
	}
	sortViolations(rep.Violations)
	return rep
}

// sortViolations sorts results as both validators report them: by shape, path,
// constraint, focus, then value.
func sortViolations(vs []Violation) {
	sort.SliceStable(vs, func(i, j int) bool {
		a, b := vs[i], vs[j]
		if a.Shape != b.Shape {
			return a.Shape < b.Shape
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Constraint != b.Constraint {
			return a.Constraint < b.Constraint
		}
		if a.Focus != b.Focus {
			return a.Focus < b.Focus
		}
		return a.Value < b.Value
	})
}

// Record validates the triples of one record; where names it for the steward
// ("offres.json:/3", "lheo.xml:/lheo/offres/formation[2]"). The triples go to one
// graph (see Records for several). Record keeps none of them once it returns; once
// Fallback is true, it does nothing.
func (r *Records) Record(where string, triples []Triple) {
	if r.fallback != "" || len(triples) == 0 {
		return
	}
	ix := &r.ix
	defer func() { ix.preds = nil }() // the caller's slice is not kept
	ix.build(r, triples)
	for _, t := range ix.tris {
		if r.objectsOf[t.gp] {
			r.fallback = fmt.Sprintf("%s: %s is a focus of sh:targetObjectsOf (checked in the store only)", where, focusText(ix.terms[t.o]))
			return
		}
	}
	e := evaluator{r: r, ix: ix}
	r.viz = r.viz[:0]
	var defers []pendingDefer
	r.findFoci()
	for ti, top := range r.tops {
		foci := r.foci[ti]
		r.checked += len(foci)
		for _, f := range foci {
			ix.read[f] |= readOut
			for ui, u := range top.units {
				defers = e.unit(top.first+ui, u, top.infos[ui], top.paths[ui], f, defers)
				if e.fail != "" {
					r.fallback = where + ": " + e.fail
					return
				}
			}
		}
	}
	if reason := r.shared(where); reason != "" {
		r.fallback = reason
		return
	}
	for _, p := range r.viz {
		top, u, msg := r.unitOf(p.unit)
		r.violated = r.violated || u.owner.severity == SeverityViolation
		if len(r.found[p.unit]) >= r.limit {
			r.trunc = true
			continue
		}
		v := Violation{Shape: top.sh.name, Focus: focusText(ix.terms[p.focus]), Path: displayPath(u.owner.path),
			Constraint: "sh:" + u.con.kind, Message: msg, Severity: u.owner.severity, Record: where}
		switch {
		case p.count >= 0:
			v.Value = strconv.Quote(strconv.Itoa(p.count)) + "^^<" + xsdNS + "integer>"
		case !p.noValue:
			v.Value = valueText(ix.terms[p.value])
		}
		if ix.terms[p.focus].Kind == ntriples.Blank {
			v.Parent, v.ParentProperty = ix.parent(p.focus)
		}
		r.found[p.unit] = append(r.found[p.unit], v)
	}
	for _, d := range defers {
		r.deferClass(d, where)
	}
}

// findFoci sets r.foci to the focus nodes of each targeted shape in the record, each
// once, in one pass over the record.
func (r *Records) findFoci() {
	for i := range r.foci {
		r.foci[i] = r.foci[i][:0]
	}
	add := func(top int, x int32) {
		if !contains32(r.foci[top], x) {
			r.foci[top] = append(r.foci[top], x)
		}
	}
	ix := &r.ix
	for _, t := range ix.tris {
		if t.gp < 0 {
			continue
		}
		if t.gp == r.predIDs.typ && ix.terms[t.o].Kind == ntriples.IRI {
			for _, top := range r.classTops[ix.terms[t.o].Value] {
				add(top, t.s)
			}
		}
		for _, top := range r.subjTops[t.gp] {
			add(top, t.s)
		}
	}
}

func (r *Records) unitOf(i int) (*recTop, unit, string) {
	for _, t := range r.tops {
		if i < t.first+len(t.units) {
			return t, t.units[i-t.first], t.messages[i-t.first]
		}
	}
	panic("shacl: unit out of range")
}

// shared updates the set of nodes seen so far with the nodes of this record: its
// subjects and the nodes whose triples the validation read, and for predicates under
// an inverse path, the objects (their incoming triples were or may be read). It
// returns why the record cannot be trusted when an earlier record used one of these
// nodes and either record read it: the node's triples are split between records.
func (r *Records) shared(where string) string {
	ix := &r.ix
	for i, t := range ix.terms {
		if t.Kind == ntriples.Literal {
			continue
		}
		subj, inv := ix.role[i]&roleSubject != 0, ix.role[i]&roleInverseObject != 0
		read := ix.read[i]
		if subj || read&readOut != 0 {
			if r.seen.visit(r.nodeHash('s', t), read&readOut != 0) {
				return fmt.Sprintf("%s: %s is also described by an earlier record: its triples are split between records", where, focusText(t))
			}
		}
		if inv || read&readIn != 0 {
			if r.seen.visit(r.nodeHash('o', t), read&readIn != 0) {
				return fmt.Sprintf("%s: %s is also pointed to by an earlier record through a path the shapes follow backwards", where, focusText(t))
			}
		}
	}
	return ""
}

func (r *Records) nodeHash(role byte, t ntriples.Term) uint64 {
	r.hash.Reset()
	r.hash.WriteByte(role)
	r.hash.WriteByte(byte(t.Kind))
	r.hash.WriteString(t.Value)
	return r.hash.Sum64()
}

type pendingDefer struct {
	unit         int
	in           *conInfo
	focus, value int32
	node         bool
}

func (r *Records) deferClass(d pendingDefer, where string) {
	ix := &r.ix
	dc := d.in.deferred
	if dc == nil {
		class := d.in.term.Value
		if dc = r.deferred[class]; dc == nil {
			dc = &deferredClass{class: class, values: map[string][]deferredUse{}}
			r.deferred[class] = dc
			r.classes = append(r.classes, class)
		}
		d.in.deferred = dc
	}
	val := ix.terms[d.value].Value
	uses, ok := dc.values[val]
	if !ok {
		dc.order = append(dc.order, val)
	}
	for _, u := range uses {
		if u.unit == d.unit {
			return // the first record that used the value names it
		}
	}
	dc.values[val] = append(uses, deferredUse{unit: d.unit, focus: focusText(ix.terms[d.focus]), record: where, node: d.node})
}

// focusText writes a focus node as Validate does: an IRI bare, a blank node _:label.
func focusText(t ntriples.Term) string {
	if t.Kind == ntriples.Blank {
		return "_:" + t.Value
	}
	return t.Value
}

// valueText writes a value as Validate does (termText).
func valueText(t ntriples.Term) string {
	switch t.Kind {
	case ntriples.IRI:
		return "<" + t.Value + ">"
	case ntriples.Blank:
		return "_:" + t.Value
	}
	return termText("literal", t.Value, t.Lang, t.Datatype, true)
}

// recIndex is the current record, interned and sorted for lookups.
type recIndex struct {
	ids        map[ntriples.Term]int32
	terms      []ntriples.Term
	role       []uint8
	read       []uint8
	tris       []tri    // sorted by s, gp, o, distinct (for the predicates the shapes use)
	objs       []int32  // tris[i].o, so that the objects of (s, gp) are a slice of it
	preds      []Triple // the record as given, during Record: tri.p indexes it
	byObj      []tri    // sorted by o, gp, s: built on the first backward step of a record
	byObjBuilt bool
}

// tri is one triple of the record: term ids, gp, the predicate's global id (-1 for
// predicates the shapes do not use), and p, its index in the record as given.
type tri struct {
	s, o int32
	gp   int32
	p    int32
}

const (
	roleSubject       = 1
	roleInverseObject = 2
	readOut           = 1 // the validation read the node's outgoing triples
	readIn            = 2 // … its incoming triples
)

func (ix *recIndex) build(r *Records, triples []Triple) {
	clear(ix.ids)
	ix.terms, ix.role, ix.read = ix.terms[:0], ix.role[:0], ix.read[:0]
	ix.tris, ix.byObj, ix.objs, ix.byObjBuilt = ix.tris[:0], ix.byObj[:0], ix.objs[:0], false
	ix.preds = triples
	var last *ntriples.Term
	lastID := int32(-1)
	for i := range triples {
		t := &triples[i]
		gp, ok := r.dict[t.P.Value]
		if !ok {
			gp = -1
		}
		// Mappings emit a subject's triples one after the other.
		if last == nil || t.S != *last {
			last, lastID = &t.S, ix.id(t.S)
		}
		x := tri{s: lastID, p: int32(i), o: ix.id(t.O), gp: gp}
		ix.role[x.s] |= roleSubject
		if gp >= 0 && r.inverse[gp] {
			ix.role[x.o] |= roleInverseObject
		}
		ix.tris = append(ix.tris, x)
	}
	slices.SortFunc(ix.tris, func(a, b tri) int {
		switch {
		case a.s != b.s:
			return int(a.s - b.s)
		case a.gp != b.gp:
			return int(a.gp - b.gp)
		}
		return int(a.o - b.o)
	})
	// Distinct triples: a duplicate would count twice. Triples of predicates the
	// shapes do not use stay as they are (gp -1 stands for several predicates).
	ix.tris = slices.CompactFunc(ix.tris, func(a, b tri) bool { return a.gp >= 0 && a.s == b.s && a.gp == b.gp && a.o == b.o })
	for _, t := range ix.tris {
		ix.objs = append(ix.objs, t.o)
	}
}

// linearTerms is the number of terms up to which id searches the record's terms rather
// than hashing: records are small, and hashing a term hashes four strings.
const linearTerms = 48

func (ix *recIndex) id(t ntriples.Term) int32 {
	t = normalize(t)
	if len(ix.terms) <= linearTerms {
		for i := range ix.terms {
			if ix.terms[i] == t {
				return int32(i)
			}
		}
	} else {
		if len(ix.ids) == 0 {
			for i, u := range ix.terms {
				ix.ids[u] = int32(i)
			}
		}
		if id, ok := ix.ids[t]; ok {
			return id
		}
	}
	id := int32(len(ix.terms))
	if len(ix.terms) > linearTerms {
		ix.ids[t] = id
	}
	ix.terms = append(ix.terms, t)
	ix.role = append(ix.role, 0)
	ix.read = append(ix.read, 0)
	return id
}

// out returns the distinct objects of (x, gp) (gp >= 0: a predicate maps to one gp),
// as a slice of the index that an append cannot overwrite.
func (ix *recIndex) out(x, gp int32) []int32 {
	i, j := 0, len(ix.tris)
	for i < j { // first triple >= (x, gp)
		h := int(uint(i+j) >> 1)
		if t := ix.tris[h]; t.s < x || t.s == x && t.gp < gp {
			i = h + 1
		} else {
			j = h
		}
	}
	j = i
	for j < len(ix.tris) && ix.tris[j].s == x && ix.tris[j].gp == gp {
		j++
	}
	return ix.objs[i:j:j]
}

// in returns the triples (?s, gp, x).
func (ix *recIndex) in(x, gp int32) []tri {
	if !ix.byObjBuilt {
		ix.byObj = append(ix.byObj[:0], ix.tris...)
		slices.SortFunc(ix.byObj, func(a, b tri) int {
			return cmp.Or(cmp.Compare(a.o, b.o), cmp.Compare(a.gp, b.gp), cmp.Compare(a.s, b.s))
		})
		ix.byObjBuilt = true
	}
	i, _ := slices.BinarySearchFunc(ix.byObj, tri{o: x, gp: gp}, func(a, b tri) int {
		return cmp.Or(cmp.Compare(a.o, b.o), cmp.Compare(a.gp, b.gp))
	})
	j := i
	for j < len(ix.byObj) && ix.byObj[j].o == x && ix.byObj[j].gp == gp {
		j++
	}
	return ix.byObj[i:j]
}

// parent names an IRI of the record pointing to a blank node, as Validate does.
func (ix *recIndex) parent(x int32) (string, string) {
	for _, t := range ix.tris {
		if t.o == x && ix.terms[t.s].Kind == ntriples.IRI {
			return ix.terms[t.s].Value, compact(ix.preds[t.p].P.Value)
		}
	}
	return "", ""
}

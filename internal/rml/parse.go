package rml

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/knakk/rdf"
	"golang.org/x/text/language"

	"github.com/openemploi360/openemploi/internal/ntriples"
)

// Vocabulary IRIs.
const (
	nsRR   = "http://www.w3.org/ns/r2rml#"
	nsRML  = "http://semweb.mmlab.be/ns/rml#"
	nsQL   = "http://semweb.mmlab.be/ns/ql#"
	nsFNML = "http://semweb.mmlab.be/ns/fnml#"
	nsFNO  = "https://w3id.org/function/ontology#"
	nsFNO2 = "http://w3id.org/function/ontology#"
	nsCSVW = "http://www.w3.org/ns/csvw#"
	// NSRML is the namespace of our RML extensions (prefix oerml:): the
	// unpivot of wide CSV tables and mapping parameters (README.md).
	NSRML         = "https://data.dataregionsud.fr/openemploi/def/rml/"
	rdfType       = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
	rdfLangString = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
)

type formulation int

const (
	fCSV formulation = iota + 1
	fJSON
	fXML
)

func (f formulation) String() string {
	switch f {
	case fCSV:
		return "CSV"
	case fJSON:
		return "JSONPath"
	case fXML:
		return "XPath"
	}
	return "?"
}

// logicalSource is an rml:logicalSource with the CSVW dialect options.
type logicalSource struct {
	source   string
	form     formulation
	iterator string
	// CSV dialect (CSVW).
	delim    rune
	encoding string
	header   bool
	nulls    []string
	// unpivot turns the columns it names into rows (oerml:unpivot).
	unpivot *unpivotSpec
	// optional (oerml:optional true): the source may yield no record.
	optional bool
}

// unpivotSpec is an oerml:unpivot: each input row yields one record per
// selected column holding a value; nameRef and valueRef are the references
// that read the column's name and value, the row's other columns stay
// readable as usual.
type unpivotSpec struct {
	columns  []string       // oerml:columns: these columns
	pattern  *regexp.Regexp // oerml:columnPattern: the columns whose name matches
	ids      []string       // oerml:idColumns: every column but these
	nameRef  string
	valueRef string
}

func (u *unpivotSpec) String() string {
	if u == nil {
		return ""
	}
	p := ""
	if u.pattern != nil {
		p = u.pattern.String()
	}
	return fmt.Sprintf("unpivot%q%q%q%q%q", u.columns, p, u.ids, u.nameRef, u.valueRef)
}

// key identifies logical sources that yield the same records, so that their
// triples maps run in one pass.
func (ls *logicalSource) key() string {
	return fmt.Sprintf("%s|%d|%s|%c|%s|%v|%q|%s", ls.source, ls.form, ls.iterator, ls.delim, ls.encoding, ls.header, ls.nulls, ls.unpivot)
}

type triplesMap struct {
	name    string
	ls      *logicalSource
	subject *termMap
	classes []ntriples.Term
	graphs  []*termMap
	poms    []*pom
}

type pom struct {
	preds  []*termMap
	objs   []*termMap
	refs   []*refObjectMap
	graphs []*termMap
}

type joinCond struct{ child, parent string }

type refObjectMap struct {
	parent *triplesMap
	joins  []joinCond
	// Bound at execution time.
	childAcc  []int
	parentAcc []int
	index     map[string][]ntriples.Term
}

type tmKind int

const (
	tmConstant tmKind = iota + 1
	tmReference
	tmTemplate
	tmFunction
)

type termMap struct {
	kind           tmKind
	constant       ntriples.Term
	ref            string
	acc            int // accessor of ref in the current reader
	tmpl           []tmplPart
	fn             *fnCall
	termType       ntriples.Kind
	datatype       string
	lang           string
	isDefaultGraph bool
	// param is set when ref is a mapping parameter ("$source"): the
	// reference reads the parameter's value, bound at execution.
	param bool
	// optional (oerml:optional true): its references may match nothing in
	// a whole input (unmatched.go).
	optional bool
}

type tmplPart struct {
	lit   string
	ref   string
	isRef bool
	acc   int
	param bool // ref is a mapping parameter, replaced by its value when bound
}

// Turtle graph, indexed by subject then predicate.
type graph struct {
	out map[string]map[string][]rdf.Term
}

func nodeKey(t rdf.Term) string {
	switch v := t.(type) {
	case rdf.IRI:
		return "<" + v.String()
	case rdf.Blank:
		return "_:" + v.String()
	}
	return ""
}

func (g *graph) objs(n rdf.Term, pred string) []rdf.Term {
	return g.out[nodeKey(n)][pred]
}

func (g *graph) one(n rdf.Term, pred string) (rdf.Term, error) {
	os := g.objs(n, pred)
	switch len(os) {
	case 0:
		return nil, nil
	case 1:
		return os[0], nil
	}
	return nil, fmt.Errorf("%s has %d values for <%s>, want one", nodeName(n), len(os), pred)
}

func nodeName(n rdf.Term) string {
	if n == nil {
		return "?"
	}
	if b, ok := n.(rdf.Blank); ok {
		return "[] " + b.String()
	}
	return "<" + n.String() + ">"
}

var (
	baseRe = regexp.MustCompile(`(?mi)^\s*(?:@base\s+<([^>]*)>\s*\.|base\s+<([^>]*)>)`)
)

// Parse parses a Turtle RML mapping. base is used for relative IRIs
// generated from data when the mapping has no @base.
func Parse(r io.Reader, base string) (*Mapping, error) {
	src, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read mapping: %w", err)
	}
	src = fixTurtle(src)
	if m := baseRe.FindSubmatch(src); m != nil {
		base = string(m[1]) + string(m[2])
	}
	dec := rdf.NewTripleDecoder(bytes.NewReader(src), rdf.Turtle)
	triples, err := dec.DecodeAll()
	if err != nil {
		return nil, fmt.Errorf("turtle: %w", err)
	}
	g := &graph{out: map[string]map[string][]rdf.Term{}}
	for _, t := range triples {
		k := nodeKey(t.Subj)
		po := g.out[k]
		if po == nil {
			po = map[string][]rdf.Term{}
			g.out[k] = po
		}
		p := t.Pred.String()
		po[p] = append(po[p], t.Obj)
	}
	p := &parser{g: g, base: base, done: map[string]*triplesMap{}, inProgress: map[string]bool{}}
	params, err := p.parameters(triples)
	if err != nil {
		return nil, err
	}
	p.params = params
	// Triples maps: nodes with a logical source, or typed rr:TriplesMap.
	var names []string
	nodes := map[string]rdf.Term{}
	for _, t := range triples {
		pr := t.Pred.String()
		isTM := pr == nsRML+"logicalSource" || pr == rdfType && t.Obj.String() == nsRR+"TriplesMap"
		if !isTM {
			continue
		}
		k := nodeKey(t.Subj)
		if _, ok := nodes[k]; !ok {
			nodes[k] = t.Subj
			names = append(names, k)
		}
	}
	// Function executions (fnml:functionValue) are written as triples maps
	// too; they are not triples maps of the mapping.
	fnNodes := map[string]bool{}
	for _, t := range triples {
		if t.Pred.String() == nsFNML+"functionValue" {
			fnNodes[nodeKey(t.Obj)] = true
		}
	}
	m := &Mapping{base: base, params: params}
	seenSrc := map[string]bool{}
	for _, k := range names {
		if fnNodes[k] {
			continue
		}
		tm, err := p.triplesMap(nodes[k])
		if err != nil {
			return nil, err
		}
		m.maps = append(m.maps, tm)
		if !seenSrc[tm.ls.source] {
			seenSrc[tm.ls.source] = true
			m.sources = append(m.sources, tm.ls.source)
		}
	}
	if len(m.maps) == 0 {
		return nil, fmt.Errorf("no triples map (nothing has an rml:logicalSource)")
	}
	return m, nil
}

// fixTurtle removes the ';' that precede ']' or '.', which Turtle allows but
// knakk/rdf's decoder rejects (the RML test cases use them a lot). Strings,
// IRIs and comments are left untouched.
func fixTurtle(src []byte) []byte {
	out := make([]byte, 0, len(src))
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == '#':
			j := bytes.IndexByte(src[i:], '\n')
			if j < 0 {
				j = len(src) - i
			}
			out = append(out, src[i:i+j]...)
			i += j
		case c == '<':
			j := bytes.IndexByte(src[i+1:], '>')
			if j < 0 {
				return append(out, src[i:]...)
			}
			out = append(out, src[i:i+j+2]...)
			i += j + 2
		case c == '"' || c == '\'':
			end := stringEnd(src, i)
			out = append(out, src[i:end]...)
			i = end
		case c == ';':
			j := i + 1
			for j < len(src) {
				switch src[j] {
				case ' ', '\t', '\r', '\n', ';':
					j++
					continue
				case '#':
					k := bytes.IndexByte(src[j:], '\n')
					if k < 0 {
						j = len(src)
					} else {
						j += k
					}
					continue
				}
				break
			}
			if j < len(src) && (src[j] == ']' || src[j] == '.') {
				// drop the semicolons, keep the layout
				for k := i; k < j; k++ {
					if src[k] != ';' {
						out = append(out, src[k])
					}
				}
				i = j
				continue
			}
			out = append(out, ';')
			i++
			// collapse "; ;" runs to one
			for i < len(src) {
				k := i
				for k < len(src) && (src[k] == ' ' || src[k] == '\t' || src[k] == '\r' || src[k] == '\n') {
					k++
				}
				if k < len(src) && src[k] == ';' {
					out = append(out, src[i:k]...)
					i = k + 1
					continue
				}
				break
			}
		default:
			out = append(out, c)
			i++
		}
	}
	return out
}

// stringEnd returns the index after the Turtle string literal starting at i.
func stringEnd(src []byte, i int) int {
	q := src[i]
	long := i+2 < len(src) && src[i+1] == q && src[i+2] == q
	j := i + 1
	if long {
		j = i + 3
	}
	for j < len(src) {
		switch {
		case src[j] == '\\':
			j += 2
		case long && src[j] == q && j+2 < len(src) && src[j+1] == q && src[j+2] == q:
			return j + 3
		case !long && src[j] == q:
			return j + 1
		case !long && src[j] == '\n':
			return j
		default:
			j++
		}
	}
	return len(src)
}

type parser struct {
	g          *graph
	base       string
	done       map[string]*triplesMap
	inProgress map[string]bool
	params     map[string]mappingParam
}

// mappingParam is a declared mapping parameter (oerml:Parameter).
type mappingParam struct {
	def    string
	hasDef bool
}

// paramRef matches a reference to a mapping parameter: "$source". Neither
// a CSV header nor a JSONPath ("$.x") nor a relative XPath is written so.
var paramRef = regexp.MustCompile(`^\$([A-Za-z_][A-Za-z0-9_-]*)$`)

// parameters reads the oerml:Parameter declarations:
//
//	[] a oerml:Parameter ; oerml:name "source" ; oerml:default "ft" .
func (p *parser) parameters(triples []rdf.Triple) (map[string]mappingParam, error) {
	out := map[string]mappingParam{}
	for _, t := range triples {
		if t.Pred.String() != rdfType || t.Obj.String() != NSRML+"Parameter" {
			continue
		}
		n, _ := p.g.one(t.Subj, NSRML+"name")
		if n == nil {
			return nil, fmt.Errorf("parameter %s has no oerml:name", nodeName(t.Subj))
		}
		name := n.String()
		if !paramRef.MatchString("$" + name) {
			return nil, fmt.Errorf("parameter name %q: want letters, digits, '_' or '-'", name)
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("parameter %q declared twice", name)
		}
		var pr mappingParam
		if d, err := p.g.one(t.Subj, NSRML+"default"); err != nil {
			return nil, fmt.Errorf("parameter %q: %w", name, err)
		} else if d != nil {
			pr = mappingParam{def: d.String(), hasDef: true}
		}
		out[name] = pr
	}
	return out, nil
}

// isParam reports whether ref names a mapping parameter, and fails when it
// looks like one that is not declared.
func (p *parser) isParam(ref string) (bool, error) {
	m := paramRef.FindStringSubmatch(ref)
	if m == nil {
		return false, nil
	}
	if _, ok := p.params[m[1]]; !ok {
		return false, fmt.Errorf("reference %q: no mapping parameter %q is declared ([] a oerml:Parameter ; oerml:name %q)", ref, m[1], m[1])
	}
	return true, nil
}

func (p *parser) triplesMap(n rdf.Term) (*triplesMap, error) {
	k := nodeKey(n)
	if tm, ok := p.done[k]; ok {
		return tm, nil
	}
	name := nodeName(n)
	tm := &triplesMap{name: name}
	p.done[k] = tm // registered early: parent maps may refer back
	wrap := func(err error) error { return fmt.Errorf("triples map %s: %w", name, err) }

	lsNode, err := p.g.one(n, nsRML+"logicalSource")
	if err != nil {
		return nil, wrap(err)
	}
	if lsNode == nil {
		return nil, wrap(fmt.Errorf("no rml:logicalSource"))
	}
	if tm.ls, err = p.logicalSource(lsNode); err != nil {
		return nil, wrap(err)
	}

	sms := p.g.objs(n, nsRR+"subjectMap")
	ss := p.g.objs(n, nsRR+"subject")
	switch {
	case len(sms)+len(ss) == 0:
		return nil, wrap(fmt.Errorf("no rr:subjectMap"))
	case len(sms)+len(ss) > 1:
		return nil, wrap(fmt.Errorf("%d subject maps, want exactly one", len(sms)+len(ss)))
	case len(ss) == 1:
		if tm.subject, err = p.constantMap(ss[0], roleSubject); err != nil {
			return nil, wrap(err)
		}
	default:
		sm := sms[0]
		if tm.subject, err = p.termMap(sm, roleSubject); err != nil {
			return nil, wrap(fmt.Errorf("subject map: %w", err))
		}
		for _, c := range p.g.objs(sm, nsRR+"class") {
			iri, ok := c.(rdf.IRI)
			if !ok {
				return nil, wrap(fmt.Errorf("rr:class %s is not an IRI", c))
			}
			tm.classes = append(tm.classes, ntriples.NewIRI(iri.String()))
		}
		if tm.graphs, err = p.graphMaps(sm); err != nil {
			return nil, wrap(err)
		}
	}

	for _, pn := range p.g.objs(n, nsRR+"predicateObjectMap") {
		pm, err := p.pom(pn)
		if err != nil {
			return nil, wrap(err)
		}
		tm.poms = append(tm.poms, pm)
	}
	return tm, nil
}

func (p *parser) graphMaps(n rdf.Term) ([]*termMap, error) {
	var out []*termMap
	for _, gn := range p.g.objs(n, nsRR+"graphMap") {
		gm, err := p.termMap(gn, roleGraph)
		if err != nil {
			return nil, fmt.Errorf("graph map: %w", err)
		}
		out = append(out, gm)
	}
	for _, gn := range p.g.objs(n, nsRR+"graph") {
		gm, err := p.constantMap(gn, roleGraph)
		if err != nil {
			return nil, fmt.Errorf("rr:graph: %w", err)
		}
		out = append(out, gm)
	}
	return out, nil
}

func (p *parser) pom(n rdf.Term) (*pom, error) {
	pm := &pom{}
	for _, x := range p.g.objs(n, nsRR+"predicateMap") {
		tm, err := p.termMap(x, rolePredicate)
		if err != nil {
			return nil, fmt.Errorf("predicate map: %w", err)
		}
		pm.preds = append(pm.preds, tm)
	}
	for _, x := range p.g.objs(n, nsRR+"predicate") {
		tm, err := p.constantMap(x, rolePredicate)
		if err != nil {
			return nil, fmt.Errorf("rr:predicate: %w", err)
		}
		pm.preds = append(pm.preds, tm)
	}
	for _, x := range p.g.objs(n, nsRR+"objectMap") {
		if parent, _ := p.g.one(x, nsRR+"parentTriplesMap"); parent != nil {
			rom, err := p.refObjectMap(x, parent)
			if err != nil {
				return nil, err
			}
			pm.refs = append(pm.refs, rom)
			continue
		}
		tm, err := p.termMap(x, roleObject)
		if err != nil {
			return nil, fmt.Errorf("object map: %w", err)
		}
		pm.objs = append(pm.objs, tm)
	}
	for _, x := range p.g.objs(n, nsRR+"object") {
		tm, err := p.constantMap(x, roleObject)
		if err != nil {
			return nil, fmt.Errorf("rr:object: %w", err)
		}
		pm.objs = append(pm.objs, tm)
	}
	if len(pm.preds) == 0 {
		return nil, fmt.Errorf("predicate-object map %s has no predicate", nodeName(n))
	}
	if len(pm.objs)+len(pm.refs) == 0 {
		return nil, fmt.Errorf("predicate-object map %s has no object", nodeName(n))
	}
	var err error
	if pm.graphs, err = p.graphMaps(n); err != nil {
		return nil, err
	}
	return pm, nil
}

func (p *parser) refObjectMap(n, parent rdf.Term) (*refObjectMap, error) {
	ptm, err := p.triplesMap(parent)
	if err != nil {
		return nil, err
	}
	rom := &refObjectMap{parent: ptm}
	for _, jc := range p.g.objs(n, nsRR+"joinCondition") {
		c, _ := p.g.one(jc, nsRR+"child")
		pa, _ := p.g.one(jc, nsRR+"parent")
		if c == nil || pa == nil {
			return nil, fmt.Errorf("join condition %s needs rr:child and rr:parent", nodeName(jc))
		}
		rom.joins = append(rom.joins, joinCond{child: c.String(), parent: pa.String()})
	}
	return rom, nil
}

func (p *parser) logicalSource(n rdf.Term) (*logicalSource, error) {
	ls := &logicalSource{delim: ',', header: true}
	src, err := p.g.one(n, nsRML+"source")
	if err != nil {
		return nil, err
	}
	switch s := src.(type) {
	case nil:
		return nil, fmt.Errorf("logical source %s has no rml:source", nodeName(n))
	case rdf.Literal:
		ls.source = s.String()
	case rdf.IRI:
		ls.source = s.String()
	case rdf.Blank:
		// CSVW table: [ csvw:url "file.csv"; csvw:dialect [ ... ] ]
		u, _ := p.g.one(s, nsCSVW+"url")
		if u == nil {
			return nil, fmt.Errorf("rml:source %s: no csvw:url", nodeName(s))
		}
		ls.source = u.String()
		if err := p.csvw(s, ls); err != nil {
			return nil, err
		}
		if d, _ := p.g.one(s, nsCSVW+"dialect"); d != nil {
			if err := p.csvw(d, ls); err != nil {
				return nil, err
			}
		}
	}
	rf, _ := p.g.one(n, nsRML+"referenceFormulation")
	switch {
	case rf == nil:
		// Guess from the file name so data stewards can omit it for CSV.
		l := strings.ToLower(strings.TrimSuffix(ls.source, ".gz"))
		switch {
		case strings.HasSuffix(l, ".json"):
			ls.form = fJSON
		case strings.HasSuffix(l, ".xml"):
			ls.form = fXML
		default:
			ls.form = fCSV
		}
	case rf.String() == nsQL+"CSV":
		ls.form = fCSV
	case rf.String() == nsQL+"JSONPath":
		ls.form = fJSON
	case rf.String() == nsQL+"XPath":
		ls.form = fXML
	default:
		return nil, fmt.Errorf("unsupported reference formulation <%s>", rf)
	}
	if it, _ := p.g.one(n, nsRML+"iterator"); it != nil {
		ls.iterator = it.String()
	}
	if ls.optional, err = p.flag(n, NSRML+"optional"); err != nil {
		return nil, fmt.Errorf("logical source %s: %w", ls.source, err)
	}
	if u, err := p.g.one(n, NSRML+"unpivot"); err != nil {
		return nil, err
	} else if u != nil {
		if ls.form != fCSV {
			return nil, fmt.Errorf("logical source %s: oerml:unpivot applies to CSV sources only", ls.source)
		}
		if ls.unpivot, err = p.unpivot(u); err != nil {
			return nil, fmt.Errorf("logical source %s: %w", ls.source, err)
		}
	}
	if ls.form != fCSV && ls.iterator == "" {
		return nil, fmt.Errorf("logical source %s (%s) has no rml:iterator", ls.source, ls.form)
	}
	return ls, nil
}

// flag reads a boolean property (absent = false).
func (p *parser) flag(n rdf.Term, pred string) (bool, error) {
	v, err := p.g.one(n, pred)
	if err != nil || v == nil {
		return false, err
	}
	switch v.String() {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, fmt.Errorf("<%s> %q: want true or false", pred, v.String())
}

// unpivot reads an oerml:unpivot node.
func (p *parser) unpivot(n rdf.Term) (*unpivotSpec, error) {
	u := &unpivotSpec{}
	for _, c := range p.g.objs(n, NSRML+"columns") {
		u.columns = append(u.columns, c.String())
	}
	for _, c := range p.g.objs(n, NSRML+"idColumns") {
		u.ids = append(u.ids, c.String())
	}
	pat, err := p.g.one(n, NSRML+"columnPattern")
	if err != nil {
		return nil, fmt.Errorf("oerml:unpivot: %w", err)
	}
	set := 0
	if pat != nil {
		set++
		if u.pattern, err = regexp.Compile(pat.String()); err != nil {
			return nil, fmt.Errorf("oerml:unpivot: oerml:columnPattern: %w", err)
		}
	}
	if len(u.columns) > 0 {
		set++
	}
	if len(u.ids) > 0 {
		set++
	}
	if set != 1 {
		return nil, fmt.Errorf("oerml:unpivot %s: give exactly one of oerml:columns, oerml:columnPattern, oerml:idColumns", nodeName(n))
	}
	for _, x := range []struct {
		prop string
		dst  *string
	}{{"nameReference", &u.nameRef}, {"valueReference", &u.valueRef}} {
		v, err := p.g.one(n, NSRML+x.prop)
		if err != nil {
			return nil, fmt.Errorf("oerml:unpivot: %w", err)
		}
		if v == nil || v.String() == "" {
			return nil, fmt.Errorf("oerml:unpivot %s: no oerml:%s (the reference that reads the column's %s)", nodeName(n), x.prop, strings.TrimSuffix(x.prop, "Reference"))
		}
		*x.dst = v.String()
	}
	if u.nameRef == u.valueRef {
		return nil, fmt.Errorf("oerml:unpivot: oerml:nameReference and oerml:valueReference are both %q", u.nameRef)
	}
	return u, nil
}

// csvw reads the CSVW dialect options we support from node n.
func (p *parser) csvw(n rdf.Term, ls *logicalSource) error {
	if d, _ := p.g.one(n, nsCSVW+"delimiter"); d != nil {
		s := d.String()
		if s == `\t` {
			s = "\t"
		}
		r := []rune(s)
		if len(r) != 1 {
			return fmt.Errorf("csvw:delimiter %q must be one character", s)
		}
		ls.delim = r[0]
	}
	if e, _ := p.g.one(n, nsCSVW+"encoding"); e != nil {
		ls.encoding = e.String()
		if _, err := decoderFor(ls.encoding); err != nil {
			return err
		}
	}
	if h, _ := p.g.one(n, nsCSVW+"header"); h != nil {
		ls.header = h.String() == "true" || h.String() == "1"
	}
	for _, nv := range p.g.objs(n, nsCSVW+"null") {
		ls.nulls = append(ls.nulls, nv.String())
	}
	return nil
}

type role int

const (
	roleSubject role = iota + 1
	rolePredicate
	roleObject
	roleGraph
)

func (r role) String() string {
	return [...]string{"", "subject", "predicate", "object", "graph"}[r]
}

// constantMap handles the shortcuts rr:subject, rr:predicate, rr:object, rr:graph.
func (p *parser) constantMap(n rdf.Term, r role) (*termMap, error) {
	tm := &termMap{kind: tmConstant}
	if err := p.setConstant(tm, n, r); err != nil {
		return nil, err
	}
	return tm, nil
}

func (p *parser) setConstant(tm *termMap, n rdf.Term, r role) error {
	switch v := n.(type) {
	case rdf.IRI:
		tm.constant = ntriples.NewIRI(v.String())
		tm.termType = ntriples.IRI
		if r == roleGraph && v.String() == nsRR+"defaultGraph" {
			tm.isDefaultGraph = true
		}
	case rdf.Literal:
		if r != roleObject {
			return fmt.Errorf("constant literal %q cannot be a %s", v.String(), r)
		}
		tm.constant = ntriples.Term{Kind: ntriples.Literal, Value: v.String()}
		if v.Lang() != "" {
			tm.constant.Lang = v.Lang()
		} else if dt := v.DataType.String(); dt != ntriples.XSDString && dt != rdfLangString {
			tm.constant.Datatype = dt
		}
		tm.termType = ntriples.Literal
	default:
		return fmt.Errorf("constant %s must be an IRI or a literal", nodeName(n))
	}
	return nil
}

func (p *parser) termMap(n rdf.Term, r role) (*termMap, error) {
	if _, ok := n.(rdf.Literal); ok {
		return nil, fmt.Errorf("term map is a literal %q", n)
	}
	tm := &termMap{acc: -1}
	count := 0
	if c, err := p.g.one(n, nsRR+"constant"); err != nil {
		return nil, err
	} else if c != nil {
		count++
		tm.kind = tmConstant
		if err := p.setConstant(tm, c, r); err != nil {
			return nil, err
		}
	}
	if ref, err := p.g.one(n, nsRML+"reference"); err != nil {
		return nil, err
	} else if ref != nil {
		count++
		tm.kind = tmReference
		tm.ref = ref.String()
		if tm.param, err = p.isParam(tm.ref); err != nil {
			return nil, err
		}
	}
	if tmpl, err := p.g.one(n, nsRR+"template"); err != nil {
		return nil, err
	} else if tmpl != nil {
		count++
		tm.kind = tmTemplate
		parts, err := parseTemplate(tmpl.String())
		if err != nil {
			return nil, err
		}
		for i := range parts {
			if parts[i].isRef {
				if parts[i].param, err = p.isParam(parts[i].ref); err != nil {
					return nil, err
				}
			}
		}
		tm.tmpl = parts
	}
	if fv, err := p.g.one(n, nsFNML+"functionValue"); err != nil {
		return nil, err
	} else if fv != nil {
		count++
		tm.kind = tmFunction
		if tm.fn, err = p.function(fv); err != nil {
			return nil, err
		}
	}
	if count != 1 {
		if count == 0 {
			// rr:termType rr:BlankNode alone: a fresh blank node per record.
			if tt, _ := p.g.one(n, nsRR+"termType"); tt != nil && tt.String() == nsRR+"BlankNode" && r == roleSubject {
				tm.kind = tmTemplate
				tm.termType = ntriples.Blank
				return tm, nil
			}
			return nil, fmt.Errorf("term map %s needs one of rr:constant, rml:reference, rr:template, fnml:functionValue", nodeName(n))
		}
		return nil, fmt.Errorf("term map %s has %d of rr:constant, rml:reference, rr:template, fnml:functionValue; want one", nodeName(n), count)
	}

	if tm.kind != tmConstant {
		tt, err := p.g.one(n, nsRR+"termType")
		if err != nil {
			return nil, err
		}
		switch {
		case tt == nil:
			tm.termType = ntriples.IRI
			if r == roleObject && (tm.kind == tmReference || tm.kind == tmFunction) {
				tm.termType = ntriples.Literal
			}
		case tt.String() == nsRR+"IRI":
			tm.termType = ntriples.IRI
		case tt.String() == nsRR+"BlankNode":
			tm.termType = ntriples.Blank
		case tt.String() == nsRR+"Literal":
			tm.termType = ntriples.Literal
		default:
			return nil, fmt.Errorf("unknown rr:termType %s", tt)
		}
	} else if tt, _ := p.g.one(n, nsRR+"termType"); tt != nil {
		want := map[ntriples.Kind]string{ntriples.IRI: nsRR + "IRI", ntriples.Literal: nsRR + "Literal"}[tm.termType]
		if tt.String() != want {
			return nil, fmt.Errorf("rr:termType %s does not match constant %s", tt, tm.constant)
		}
	}

	var err error
	if tm.optional, err = p.flag(n, NSRML+"optional"); err != nil {
		return nil, fmt.Errorf("term map %s: %w", nodeName(n), err)
	}
	lang, _ := p.g.one(n, nsRR+"language")
	dt, _ := p.g.one(n, nsRR+"datatype")
	if (lang != nil || dt != nil) && tm.kind != tmConstant {
		if r == roleObject && (tm.kind == tmTemplate) {
			if tt, _ := p.g.one(n, nsRR+"termType"); tt == nil {
				tm.termType = ntriples.Literal
			}
		}
		if tm.termType != ntriples.Literal {
			return nil, fmt.Errorf("rr:language/rr:datatype on a non-literal term map %s", nodeName(n))
		}
	}
	if lang != nil && dt != nil {
		return nil, fmt.Errorf("term map %s has both rr:language and rr:datatype", nodeName(n))
	}
	if lang != nil {
		if _, err := language.Parse(lang.String()); err != nil {
			return nil, fmt.Errorf("rr:language %q is not a valid language tag", lang.String())
		}
		tm.lang = lang.String()
	}
	if dt != nil {
		if _, ok := dt.(rdf.IRI); !ok {
			return nil, fmt.Errorf("rr:datatype %s is not an IRI", dt)
		}
		tm.datatype = dt.String()
	}

	switch r {
	case roleSubject:
		if tm.termType == ntriples.Literal {
			return nil, fmt.Errorf("a subject map cannot produce literals")
		}
	case rolePredicate:
		if tm.termType != ntriples.IRI {
			return nil, fmt.Errorf("a predicate map must produce IRIs")
		}
	case roleGraph:
		if tm.termType != ntriples.IRI {
			return nil, fmt.Errorf("a graph map must produce IRIs")
		}
	}
	return tm, nil
}

// parseTemplate splits an rr:template into literal parts and {references};
// a backslash escapes the next character (\{ \} \\).
func parseTemplate(s string) ([]tmplPart, error) {
	var parts []tmplPart
	var cur strings.Builder
	inRef := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
		case c == '{' && !inRef:
			if cur.Len() > 0 {
				parts = append(parts, tmplPart{lit: cur.String()})
				cur.Reset()
			}
			inRef = true
		case c == '}' && inRef:
			if cur.Len() == 0 {
				return nil, fmt.Errorf("template %q has an empty {}", s)
			}
			parts = append(parts, tmplPart{ref: cur.String(), isRef: true, acc: -1})
			cur.Reset()
			inRef = false
		case c == '{' || c == '}':
			return nil, fmt.Errorf("template %q: unbalanced %q (escape it as \\%c)", s, c, c)
		default:
			cur.WriteByte(c)
		}
	}
	if inRef {
		return nil, fmt.Errorf("template %q: unclosed {", s)
	}
	if cur.Len() > 0 {
		parts = append(parts, tmplPart{lit: cur.String()})
	}
	return parts, nil
}

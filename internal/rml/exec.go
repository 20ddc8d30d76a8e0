package rml

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/openemploi360/openemploi/internal/ntriples"
)

// fieldErr is a data error in one record: the record is rejected.
type fieldErr struct {
	field  string // the references involved, to locate the value
	name   string // the field's name for the reject when it is not field (oefn:fieldName)
	reason string
}

func (f *fieldErr) Error() string { return "field " + f.displayName() + ": " + f.reason }

func (f *fieldErr) displayName() string {
	if f.name != "" {
		return f.name
	}
	return f.field
}

type quad struct{ s, p, o, g ntriples.Term }

type executor struct {
	m     *Mapping
	maps  []*triplesMap // this execution's copy: binding writes accessor ids into it
	opt   Options
	sink  Sink
	ctx   context.Context
	stats Stats
	bytes atomic.Int64
	last  time.Time
	quads []quad
	// stream is set when no term map of the triples maps being run can
	// reject a record (canReject): their quads then go to the sink as they
	// are made instead of through quads, which holds a record's quads
	// until it is known to be whole. Copying each 224-byte quad into that
	// buffer and out again was about 5 % of the engine's CPU time on
	// bench/ceiling.
	stream bool
	buf    []byte
	vbufs  [][]string // value scratch, one per nesting depth
	depth  int
	fresh  int64
	// freshPrefix keeps the fresh blank nodes of two executions in one
	// process apart ("f1-", "f2-", ...).
	freshPrefix string
	source      string // base name of the file being read, for rejects
	// rejectedAt holds the records already rejected ("file\x00where"): a
	// file read by several logical sources (two iterators, two CSV
	// dialects) is read once per source, and one bad record must count
	// once. Bounded by maxRejectedAt.
	rejectedAt map[string]struct{}
	params     map[string]string       // mapping parameter values
	lastCall   map[*function]*callMemo // last result of each pure function
	// payMemo is the last oefn:pay parse: the parts of one offer's pay read
	// the same inputs.
	payMemo struct {
		in    [3]string
		p     Pay
		ok    bool
		valid bool
	}
	// Unmatched references and empty logical sources (unmatched.go).
	binding     *triplesMap // the triples map being bound
	uses        map[useKey]*refUse
	useOrder    []*refUse
	recordsByLS map[string]*int64 // mapped records per logical source key
	optionalLS  map[string]bool
	lsByKey     map[string]*logicalSource
	lsOrder     []string
	missingIn   map[string][]string          // files whose iterated container is absent, per logical source key
	tables      map[string]map[string]string // oefn:lookup tables, by file|key|value

	subjBuf, predBuf, objBuf, graphBuf, sGraphBuf, parentBuf []ntriples.Term
}

// Execute runs the mapping over its sources and sends every generated quad
// to sink. Records are read in order, file by file; the quads of one record
// are sent together, or not at all when the record is rejected.
func (m *Mapping) Execute(ctx context.Context, opt Options, sink Sink) (Stats, error) {
	e := &executor{m: m, opt: opt, sink: sink, ctx: ctx, last: time.Now(),
		freshPrefix: "f" + strconv.FormatInt(executions.Add(1), 36) + "-"}
	err := e.run()
	e.stats.Bytes = e.bytes.Load()
	if opt.Progress != nil {
		opt.Progress(e.stats.Records, e.stats.Bytes)
	}
	return e.stats, err
}

func (e *executor) run() error {
	if err := e.checkInputs(); err != nil {
		return err
	}
	if err := e.resolveParams(); err != nil {
		return err
	}
	e.maps = cloneMaps(e.m.maps)
	// Join indexes first: one pass over each parent triples map's source.
	parents := map[*triplesMap][]*refObjectMap{}
	var order []*triplesMap
	for _, tm := range e.maps {
		for _, pm := range tm.poms {
			for _, r := range pm.refs {
				if len(r.joins) == 0 {
					if r.parent.ls.key() != tm.ls.key() {
						return fmt.Errorf("triples map %s: referencing object map to %s needs an rr:joinCondition (their logical sources differ)", tm.name, r.parent.name)
					}
					continue
				}
				if _, ok := parents[r.parent]; !ok {
					order = append(order, r.parent)
				}
				parents[r.parent] = append(parents[r.parent], r)
			}
		}
	}
	for _, p := range order {
		if err := e.buildIndex(p, parents[p]); err != nil {
			return err
		}
	}
	// Then the triples maps, one pass per distinct logical source.
	var keys []string
	groups := map[string][]*triplesMap{}
	for _, tm := range e.maps {
		k := tm.ls.key()
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], tm)
	}
	e.recordsByLS, e.optionalLS, e.lsByKey, e.missingIn = map[string]*int64{}, map[string]bool{}, map[string]*logicalSource{}, map[string][]string{}
	for _, k := range keys {
		e.lsOrder = append(e.lsOrder, k)
		for _, tm := range groups[k] {
			e.lsByKey[k] = tm.ls
			e.optionalLS[k] = e.optionalLS[k] || tm.ls.optional
		}
		if err := e.pass(groups[k]); err != nil {
			return err
		}
	}
	return e.checkMatched()
}

// resolveParams sets the value of every mapping parameter: Options.Params,
// else the declared default.
func (e *executor) resolveParams() error {
	e.params = map[string]string{}
	for name, v := range e.opt.Params {
		if _, ok := e.m.params[name]; !ok {
			return fmt.Errorf("parameter %q: the mapping declares no such parameter", name)
		}
		if v == "" {
			return fmt.Errorf("parameter %q: empty value", name)
		}
		e.params[name] = v
	}
	for name, p := range e.m.params {
		if _, set := e.params[name]; set {
			continue
		}
		if !p.hasDef {
			return fmt.Errorf("parameter %q has no default and no value was given", name)
		}
		e.params[name] = p.def
	}
	return nil
}

// resolve finds the files for an rml:source: the inputs with its base name,
// or every input when the mapping has a single source, else the path
// resolved against BaseDir.
func (e *executor) resolve(src string) []string {
	var files []string
	for _, in := range e.opt.Inputs {
		if inputMatches(in, src) {
			files = append(files, in)
		}
	}
	if len(files) == 0 && len(e.m.sources) == 1 && len(e.opt.Inputs) > 0 {
		files = e.opt.Inputs
	}
	if len(files) > 0 {
		return files
	}
	if filepath.IsAbs(src) {
		return []string{src}
	}
	dir := e.opt.BaseDir
	if dir == "" {
		dir = e.m.dir
	}
	return []string{filepath.Join(dir, src)}
}

// inputMatches reports whether a command-line input stands for an
// rml:source: same base name, a ".gz" on either side ignored.
func inputMatches(in, src string) bool {
	ib, sb := filepath.Base(in), filepath.Base(src)
	return strings.TrimSuffix(ib, ".gz") == strings.TrimSuffix(sb, ".gz")
}

// checkInputs fails when an input matches none of the mapping's sources,
// which is almost always a typo that would otherwise go unnoticed.
func (e *executor) checkInputs() error {
	if len(e.m.sources) == 1 {
		return nil
	}
	for _, in := range e.opt.Inputs {
		found := false
		for _, s := range e.m.sources {
			found = found || inputMatches(in, s)
		}
		if !found {
			return fmt.Errorf("input %s matches no rml:source of the mapping (sources: %s)", in, strings.Join(e.m.sources, ", "))
		}
	}
	return nil
}

// open opens a logical source's file and makes its reader.
func (e *executor) open(ls *logicalSource, path string, counter *atomic.Int64) (reader, io.Closer, string, error) {
	name := filepath.Base(path)
	in, closer, err := openInput(path, counter)
	if err != nil {
		return nil, nil, name, fmt.Errorf("logical source %q: %w", ls.source, err)
	}
	var rd reader
	switch ls.form {
	case fCSV:
		rd, err = newCSVReader(in, ls)
	case fJSON:
		rd, err = newJSONReader(in, ls.iterator)
	case fXML:
		rd, err = newXMLReader(in, ls.iterator)
	}
	if err != nil {
		closer.Close()
		return nil, nil, name, fmt.Errorf("%s: %w", name, err)
	}
	return &trackedReader{reader: rd}, closer, name, nil
}

// bind compiles the references of a term map against reader rd; mapping
// parameters become constants.
func (e *executor) bind(rd reader, tm *termMap) error { return e.bindOpt(rd, tm, false) }

// bindOpt binds tm; optional is set when an enclosing term map is marked
// oerml:optional (its references may match nothing in a whole input).
func (e *executor) bindOpt(rd reader, tm *termMap, optional bool) error {
	if tm == nil {
		return nil
	}
	optional = optional || tm.optional
	switch tm.kind {
	case tmReference:
		if tm.param {
			t, err := e.makeTerm(tm, e.params[tm.ref[1:]], false)
			if err != nil {
				return fmt.Errorf("reference %q: %w", tm.ref, err)
			}
			tm.kind, tm.constant = tmConstant, t
			return nil
		}
		id, err := rd.compile(tm.ref)
		if err != nil {
			return err
		}
		tm.acc = id
		e.track(rd, id, useKey{tm: tm}, tm.ref, optional)
	case tmTemplate:
		for i := range tm.tmpl {
			if p := &tm.tmpl[i]; p.isRef && p.param {
				v := e.params[p.ref[1:]]
				if tm.termType == ntriples.IRI {
					v = string(appendIRISafe(nil, v))
				}
				p.lit, p.isRef = v, false
				continue
			}
			if tm.tmpl[i].isRef {
				id, err := rd.compile(tm.tmpl[i].ref)
				if err != nil {
					return err
				}
				tm.tmpl[i].acc = id
				e.track(rd, id, useKey{tm: tm, part: i}, tm.tmpl[i].ref, optional)
			}
		}
		tm.checkedIRI = tm.termType == ntriples.IRI && plainIRITemplate(tm.tmpl)
		tm.interned = &interner{}
	case tmFunction:
		for _, p := range tm.fn.params {
			if err := e.bindOpt(rd, p, optional); err != nil {
				return err
			}
		}
		switch tm.fn.iri {
		case fnLookup:
			return e.bindLookup(tm.fn)
		case fnPay:
			// a wrong part would reject every offer: a mapping error instead
			if p := tm.fn.params[3]; p == nil || p.kind != tmConstant || !slices.Contains(payParts, p.constant.Value) {
				return errPayPart
			}
		}
	}
	return nil
}

func (e *executor) bindAllOpt(rd reader, optional bool, tms ...[]*termMap) error {
	for _, l := range tms {
		for _, tm := range l {
			if err := e.bindOpt(rd, tm, optional); err != nil {
				return err
			}
		}
	}
	return nil
}

func (e *executor) buildIndex(p *triplesMap, roms []*refObjectMap) error {
	for _, r := range roms {
		r.index = map[string][]ntriples.Term{}
	}
	for _, path := range e.resolve(p.ls.source) {
		if err := e.indexFile(p, roms, path); err != nil {
			return err
		}
	}
	return nil
}

func (e *executor) indexFile(p *triplesMap, roms []*refObjectMap, path string) error {
	var discard atomic.Int64
	rd, closer, name, err := e.open(p.ls, path, &discard)
	if err != nil {
		return err
	}
	defer closer.Close()
	e.binding = p
	if err := e.bind(rd, p.subject); err != nil {
		return fmt.Errorf("%s: triples map %s: %w", name, p.name, err)
	}
	for _, r := range roms {
		r.parentAcc = r.parentAcc[:0]
		for i, j := range r.joins {
			id, err := rd.compile(j.parent)
			if err != nil {
				return fmt.Errorf("%s: triples map %s: join parent: %w", name, p.name, err)
			}
			r.parentAcc = append(r.parentAcc, id)
			e.track(rd, id, useKey{join: r, part: i, parent: true}, j.parent, false)
		}
	}
	e.source = name
	n := 0
	return rd.each(func() error {
		if n++; n&1023 == 0 {
			if err := e.ctx.Err(); err != nil {
				return err
			}
		}
		cells, multi := cellsOf(rd)
		for k := range cells {
			if multi {
				rd.(multiCell).setCell(k)
			}
			e.indexRecord(rd, p, roms)
		}
		return nil
	}, func(string, error) error { return nil })
}

// indexRecord adds the current record's parent subjects to the join indexes.
func (e *executor) indexRecord(rd reader, p *triplesMap, roms []*refObjectMap) {
	{
		subs, err := e.termsInto(p.subject, rd, e.subjBuf[:0])
		e.subjBuf = subs
		if err != nil || len(subs) == 0 {
			return // the parent's own pass reports it
		}
		for _, r := range roms {
			e.forKeys(rd, r.parentAcc, func(k []byte) {
				l := r.index[string(k)]
				for _, s := range subs {
					if len(l) > 0 && l[len(l)-1] == s {
						continue
					}
					l = append(l, s)
				}
				r.index[string(k)] = l
			})
		}
	}
}

// multiCell is a reader whose records may hold several cells (oerml:unpivot).
type multiCell interface {
	cells() int // -1: the record is one record
	setCell(k int)
}

// cellsOf returns how many records the current one holds, and whether it
// is a row of cells.
func cellsOf(rd reader) (int, bool) {
	if mc, ok := rd.(multiCell); ok {
		if n := mc.cells(); n >= 0 {
			return n, true
		}
	}
	return 1, false
}

// forKeys calls fn with every join key of the current record (the product
// of the values of each accessor, joined by \x1f).
func (e *executor) forKeys(rd reader, accs []int, fn func(k []byte)) {
	if len(accs) == 1 {
		vals := e.vals(rd, accs[0])
		for _, v := range vals {
			e.buf = append(e.buf[:0], v...)
			fn(e.buf)
		}
		e.depth--
		return
	}
	lists := make([][]string, len(accs))
	for i, a := range accs {
		lists[i] = rd.values(a, nil)
		if len(lists[i]) == 0 {
			return
		}
	}
	idx := make([]int, len(lists))
	for {
		e.buf = e.buf[:0]
		for i, l := range lists {
			if i > 0 {
				e.buf = append(e.buf, 0x1f)
			}
			e.buf = append(e.buf, l[idx[i]]...)
		}
		fn(e.buf)
		i := len(idx) - 1
		for ; i >= 0; i-- {
			if idx[i]++; idx[i] < len(lists[i]) {
				break
			}
			idx[i] = 0
		}
		if i < 0 {
			return
		}
	}
}

// vals reads accessor a into the scratch buffer of the next depth; the
// caller must decrement e.depth when done with the slice.
func (e *executor) vals(rd reader, a int) []string {
	if e.depth >= len(e.vbufs) {
		e.vbufs = append(e.vbufs, make([]string, 0, 4))
	}
	v := rd.values(a, e.vbufs[e.depth][:0])
	e.vbufs[e.depth] = v
	e.depth++
	return v
}

// pass runs the triples maps sharing one logical source over its files.
func (e *executor) pass(tms []*triplesMap) error {
	for _, path := range e.resolve(tms[0].ls.source) {
		if err := e.passFile(tms, path); err != nil {
			return err
		}
	}
	return nil
}

func (e *executor) passFile(tms []*triplesMap, path string) error {
	rd, closer, name, err := e.open(tms[0].ls, path, &e.bytes)
	if err != nil {
		return err
	}
	defer closer.Close()
	for _, tm := range tms {
		e.binding = tm
		wrap := func(err error) error { return fmt.Errorf("%s: triples map %s: %w", name, tm.name, err) }
		if err := e.bind(rd, tm.subject); err != nil {
			return wrap(err)
		}
		// The other term maps of a triples map whose subject is optional are read only
		// for records that have a subject: an input where none has one (no offer names
		// its employer) leaves them all unmatched, and that is not an error.
		opt := tm.subject != nil && tm.subject.optional
		if err := e.bindAllOpt(rd, opt, tm.graphs); err != nil {
			return wrap(err)
		}
		for _, pm := range tm.poms {
			if err := e.bindAllOpt(rd, opt, pm.preds, pm.objs, pm.graphs); err != nil {
				return wrap(err)
			}
			for _, r := range pm.refs {
				if len(r.joins) == 0 {
					if err := e.bind(rd, r.parent.subject); err != nil {
						return wrap(err)
					}
					continue
				}
				r.childAcc = r.childAcc[:0]
				for i, j := range r.joins {
					id, err := rd.compile(j.child)
					if err != nil {
						return wrap(fmt.Errorf("join child: %w", err))
					}
					r.childAcc = append(r.childAcc, id)
					e.track(rd, id, useKey{join: r, part: i}, j.child, false)
				}
			}
		}
	}
	e.source = name
	e.stream = !slices.ContainsFunc(tms, (*triplesMap).canReject)
	lsKey := tms[0].ls.key()
	mapped := e.recordsByLS[lsKey]
	if mapped == nil {
		mapped = new(int64)
		e.recordsByLS[lsKey] = mapped
	}
	rec := func() error {
		e.stats.Records++
		if e.stats.Records&511 == 0 {
			if err := e.ctx.Err(); err != nil {
				return err
			}
			if e.opt.Progress != nil && time.Since(e.last) >= 200*time.Millisecond {
				e.last = time.Now()
				e.opt.Progress(e.stats.Records, e.bytes.Load())
			}
		}
		e.quads = e.quads[:0]
		e.depth = 0
		// An unpivoted row is several records, emitted or rejected together.
		cells, multi := cellsOf(rd)
		for k := range cells {
			if multi {
				rd.(multiCell).setCell(k)
			}
			for _, tm := range tms {
				if err := e.record(rd, tm); err != nil {
					var fe *fieldErr
					var se *sinkErr
					if errors.As(err, &se) {
						return fmt.Errorf("%s: %s: write: %w", name, rd.where(), se.err)
					}
					if errors.As(err, &fe) {
						if e.seenReject(path, rd.where()) {
							return nil
						}
						return e.reject(Reject{Source: name, Where: rd.whereField(fe.field), Field: fe.displayName(), Reason: fe.reason})
					}
					return err
				}
			}
		}
		for _, q := range e.quads {
			if err := e.sink.Quad(q.s, q.p, q.o, q.g); err != nil {
				return fmt.Errorf("%s: %s: write: %w", name, rd.where(), err)
			}
		}
		e.stats.Quads += int64(len(e.quads))
		*mapped++ // mapped records: a rejected one stops before its other references
		if rs, ok := e.sink.(RecordSink); ok {
			if err := rs.EndRecord(name, rd.where()); err != nil {
				return fmt.Errorf("%s: %s: %w", name, rd.where(), err)
			}
		}
		return nil
	}
	bad := func(where string, err error) error {
		e.stats.Records++
		if e.seenReject(path, where) {
			return nil
		}
		return e.reject(Reject{Source: name, Where: where, Reason: err.Error()})
	}
	defer func() {
		if cm, ok := rd.(*trackedReader).reader.(containerMissing); ok && cm.containerMissing() {
			e.missingIn[lsKey] = append(e.missingIn[lsKey], name)
		}
	}()
	if err := rd.each(rec, bad); err != nil {
		var fe *fieldErr
		if errors.As(err, &fe) {
			return err
		}
		if errors.Is(err, errTooManyRejects) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

var executions atomic.Int64

var errTooManyRejects = errors.New("too many rejected records")

// maxRejectedAt bounds the memory used to count a record rejected by
// several logical sources once; past it, such a record may count twice.
const maxRejectedAt = 100_000

// seenReject reports whether the record at where in file was already
// rejected by another logical source, and remembers it otherwise.
func (e *executor) seenReject(file, where string) bool {
	k := file + "\x00" + where
	if _, ok := e.rejectedAt[k]; ok {
		return true
	}
	if e.rejectedAt == nil {
		e.rejectedAt = map[string]struct{}{}
	}
	if len(e.rejectedAt) < maxRejectedAt {
		e.rejectedAt[k] = struct{}{}
	}
	return false
}

func (e *executor) reject(r Reject) error {
	e.stats.Rejected++
	if len(e.stats.Rejects) < maxKeptRejects {
		e.stats.Rejects = append(e.stats.Rejects, r)
	}
	if e.opt.MaxRejects >= 0 && e.stats.Rejected > int64(e.opt.MaxRejects) {
		return fmt.Errorf("%w (%d, allowed %d): %s", errTooManyRejects, e.stats.Rejected, e.opt.MaxRejects, r)
	}
	return nil
}

func appendUniq(l []ntriples.Term, t ntriples.Term) []ntriples.Term {
	for _, x := range l {
		if x == t {
			return l
		}
	}
	return append(l, t)
}

// graphs evaluates graph maps into dst (deduplicated).
func (e *executor) graphs(rd reader, gms []*termMap, dst []ntriples.Term) ([]ntriples.Term, error) {
	for _, gm := range gms {
		if gm.isDefaultGraph {
			dst = appendUniq(dst, ntriples.Term{})
			continue
		}
		n := len(dst)
		out, err := e.termsInto(gm, rd, dst)
		if err != nil {
			return dst, err
		}
		// dedupe the new ones
		dst = dst[:n]
		for _, g := range out[n:len(out)] {
			dst = appendUniq(dst, g)
		}
	}
	return dst, nil
}

// defaultGraphOnly is the graphs of a triple with no graph map (read only).
var defaultGraphOnly = []ntriples.Term{{}}

// record generates the quads of one triples map for the current record.
func (e *executor) record(rd reader, tm *triplesMap) error {
	subs, err := e.termsInto(tm.subject, rd, e.subjBuf[:0])
	e.subjBuf = subs
	if err != nil || len(subs) == 0 {
		return err
	}
	sg, err := e.graphs(rd, tm.graphs, e.sGraphBuf[:0])
	e.sGraphBuf = sg
	if err != nil {
		return err
	}
	if len(tm.graphs) > 0 && len(sg) == 0 {
		return nil // graph maps gave no graph: no triples
	}
	typ := ntriples.NewIRI(rdfType)
	for _, s := range subs {
		for _, c := range tm.classes {
			if len(sg) == 0 {
				if err := e.emit(s, typ, c, ntriples.Term{}); err != nil {
					return err
				}
			}
			for _, g := range sg {
				if err := e.emit(s, typ, c, g); err != nil {
					return err
				}
			}
		}
		for _, pm := range tm.poms {
			// Most predicate-object maps have no graph map of their own:
			// they use the subject's graphs as they are, not a copy.
			gs := sg
			if len(pm.graphs) > 0 {
				gs, err = e.graphs(rd, pm.graphs, append(e.graphBuf[:0], sg...))
				e.graphBuf = gs
				if err != nil {
					return err
				}
				if len(gs) == 0 {
					continue // graph maps gave no graph: no triples
				}
			}
			if len(gs) == 0 {
				gs = defaultGraphOnly
			}
			preds := e.predBuf[:0]
			for _, p := range pm.preds {
				if preds, err = e.termsInto(p, rd, preds); err != nil {
					return err
				}
			}
			e.predBuf = preds
			if len(preds) == 0 {
				continue
			}
			objs := e.objBuf[:0]
			for _, o := range pm.objs {
				if objs, err = e.termsInto(o, rd, objs); err != nil {
					return err
				}
			}
			for _, r := range pm.refs {
				if len(r.joins) == 0 {
					if objs, err = e.termsInto(r.parent.subject, rd, objs); err != nil {
						return err
					}
					continue
				}
				e.forKeys(rd, r.childAcc, func(k []byte) {
					objs = append(objs, r.index[string(k)]...)
				})
			}
			e.objBuf = objs
			for _, p := range preds {
				for _, o := range objs {
					for _, g := range gs {
						if err := e.emit(s, p, o, g); err != nil {
							return err
						}
					}
				}
			}
		}
	}
	return nil
}

// emit sends a quad of the current record to the sink, or keeps it until
// the record is known to be whole when a term map may still reject it.
func (e *executor) emit(s, p, o, g ntriples.Term) error {
	if !e.stream {
		e.quads = append(e.quads, quad{s, p, o, g})
		return nil
	}
	if err := e.sink.Quad(s, p, o, g); err != nil {
		return &sinkErr{err}
	}
	e.stats.Quads++
	return nil
}

// sinkErr is the sink's failure to take a streamed quad (not a reject).
type sinkErr struct{ err error }

func (s *sinkErr) Error() string { return s.err.Error() }

// canReject reports whether the triples map can reject a record: whether
// one of its term maps can fail on a value (canReject of termMap).
func (tm *triplesMap) canReject() bool {
	if tm.subject.canReject() || slices.ContainsFunc(tm.graphs, (*termMap).canReject) {
		return true
	}
	for _, pm := range tm.poms {
		for _, l := range [][]*termMap{pm.preds, pm.objs, pm.graphs} {
			if slices.ContainsFunc(l, (*termMap).canReject) {
				return true
			}
		}
		for _, r := range pm.refs {
			if len(r.joins) == 0 && r.parent.subject.canReject() {
				return true
			}
		}
	}
	return false
}

// canReject reports whether the bound term map can fail on a value:
// functions can, and IRIs made of values unless a checked template makes
// them (checkedIRI); constants, literals and blank nodes cannot (makeTerm
// fails on IRIs only).
func (tm *termMap) canReject() bool {
	if tm == nil {
		return false
	}
	switch tm.kind {
	case tmConstant:
		return false
	case tmReference:
		return tm.termType == ntriples.IRI
	case tmTemplate:
		return tm.termType == ntriples.IRI && !tm.checkedIRI
	}
	return true
}

// termsInto appends the terms a term map generates for the current record.
func (e *executor) termsInto(tm *termMap, rd reader, dst []ntriples.Term) ([]ntriples.Term, error) {
	switch tm.kind {
	case tmConstant:
		return append(dst, tm.constant), nil
	case tmReference:
		vals := e.vals(rd, tm.acc)
		defer func() { e.depth-- }()
		for _, v := range vals {
			t, err := e.makeTerm(tm, v, false)
			if err != nil {
				return dst, &fieldErr{field: tm.ref, reason: err.Error()}
			}
			dst = append(dst, t)
		}
		return dst, nil
	case tmTemplate:
		return e.template(tm, rd, dst)
	case tmFunction:
		return e.function(tm, rd, dst)
	}
	return dst, nil
}

func (e *executor) template(tm *termMap, rd reader, dst []ntriples.Term) ([]ntriples.Term, error) {
	if len(tm.tmpl) == 0 { // rr:BlankNode without template: a fresh node
		e.fresh++
		return append(dst, ntriples.NewBlank(e.freshPrefix+strconv.FormatInt(e.fresh, 36))), nil
	}
	// Fast path: at most one value per reference (the usual case).
	start := e.depth
	defer func() { e.depth = start }()
	lists := make([][]string, 0, 4)
	multi := false
	for _, p := range tm.tmpl {
		if !p.isRef {
			continue
		}
		vals := e.vals(rd, p.acc)
		if len(vals) == 0 {
			return dst, nil
		}
		multi = multi || len(vals) > 1
		lists = append(lists, vals)
	}
	idx := make([]int, len(lists))
	iri := tm.termType == ntriples.IRI
	for {
		b := e.buf[:0]
		li := 0
		for _, p := range tm.tmpl {
			if !p.isRef {
				b = append(b, p.lit...)
				continue
			}
			v := lists[li][idx[li]]
			li++
			if iri {
				b = appendIRISafe(b, v)
			} else {
				b = append(b, v...)
			}
		}
		e.buf = b
		if tm.checkedIRI {
			dst = append(dst, ntriples.Term{Kind: ntriples.IRI, Value: tm.interned.get(b)})
		} else {
			t, err := e.makeTerm(tm, tm.interned.get(b), true)
			if err != nil {
				return dst, &fieldErr{field: joinRefs(tm), reason: err.Error()}
			}
			dst = append(dst, t)
		}
		if !multi {
			return dst, nil
		}
		i := len(idx) - 1
		for ; i >= 0; i-- {
			if idx[i]++; idx[i] < len(lists[i]) {
				break
			}
			idx[i] = 0
		}
		if i < 0 {
			return dst, nil
		}
	}
}

func joinRefs(tm *termMap) string {
	s := ""
	for _, r := range tm.references() {
		if s != "" {
			s += ","
		}
		s += r
	}
	return s
}

func (e *executor) function(tm *termMap, rd reader, dst []ntriples.Term) ([]ntriples.Term, error) {
	call := tm.fn
	args := make([]arg, len(call.params))
	var tmp [1]ntriples.Term
	for i, p := range call.params {
		if p == nil {
			continue
		}
		out, err := e.termsInto(p, rd, tmp[:0])
		if err != nil {
			return dst, err
		}
		if len(out) > 0 {
			args[i] = arg{v: out[0].Value, ok: true}
		}
	}
	var v string
	var ok bool
	var err error
	if call.table != nil {
		v, ok = call.table[args[0].v]
		ok = ok && args[0].ok
	} else if call.iri == fnPay {
		// the six parts of one offer's pay read the same inputs: parse once
		m := &e.payMemo
		if !m.valid || m.in != [3]string{args[0].v, args[1].v, args[2].v} {
			m.in = [3]string{args[0].v, args[1].v, args[2].v}
			m.p, m.ok = ParsePay(args[0].v, args[1].v, args[2].v)
			m.valid = true
		}
		v, ok, err = payPart(m.p, m.ok, args[3].v)
	} else if m := e.lastCall[call.fn]; m != nil && slices.Equal(m.args, args) {
		// a named function node used by several term maps of a record
		// (the offer's fiche, its appellation's slug) is computed once
		v, ok, err = m.v, m.ok, m.err
	} else {
		v, ok, err = call.fn.impl(args)
		if e.lastCall == nil {
			e.lastCall = map[*function]*callMemo{}
		}
		if m == nil {
			m = &callMemo{}
			e.lastCall[call.fn] = m
		}
		m.args = append(m.args[:0], args...)
		m.v, m.ok, m.err = v, ok, err
	}
	if err != nil {
		fe := &fieldErr{field: call.refs, reason: err.Error()}
		if errors.Is(err, errRequired) && len(args) > 1 && args[1].ok {
			fe.name = args[1].v // oefn:fieldName
		}
		return dst, fe
	}
	if !ok || v == "" {
		return dst, nil
	}
	t, err := e.makeTerm(tm, v, false)
	if err != nil {
		return dst, &fieldErr{field: call.refs, reason: err.Error()}
	}
	return append(dst, t), nil
}

// callMemo is a function's last arguments and result: functions are pure,
// and named function nodes are evaluated by several term maps of a record.
type callMemo struct {
	args []arg
	v    string
	ok   bool
	err  error
}

// makeTerm turns a generated string into a term of the map's term type.
func (e *executor) makeTerm(tm *termMap, v string, fromTemplate bool) (ntriples.Term, error) {
	switch tm.termType {
	case ntriples.IRI:
		if !isAbsoluteIRI(v) {
			if e.m.base == "" {
				return ntriples.Term{}, fmt.Errorf("relative IRI %q and the mapping has no @base", v)
			}
			v = e.m.base + v
		}
		if err := checkIRI(v); err != nil {
			return ntriples.Term{}, err
		}
		return ntriples.Term{Kind: ntriples.IRI, Value: v}, nil
	case ntriples.Blank:
		return ntriples.Term{Kind: ntriples.Blank, Value: blankLabel(v)}, nil
	default:
		return ntriples.Term{Kind: ntriples.Literal, Value: v, Datatype: tm.datatype, Lang: tm.lang}, nil
	}
}

// cloneMaps deep-copies the triples maps so that concurrent executions of
// one Mapping do not share the accessor ids and join indexes they write.
func cloneMaps(maps []*triplesMap) []*triplesMap {
	memo := map[*triplesMap]*triplesMap{}
	var cloneTM func(tm *triplesMap) *triplesMap
	cloneTM = func(tm *triplesMap) *triplesMap {
		if c, ok := memo[tm]; ok {
			return c
		}
		c := &triplesMap{name: tm.name, ls: tm.ls, classes: tm.classes}
		memo[tm] = c
		c.subject = cloneTerm(tm.subject)
		c.graphs = cloneTerms(tm.graphs)
		for _, pm := range tm.poms {
			np := &pom{preds: cloneTerms(pm.preds), objs: cloneTerms(pm.objs), graphs: cloneTerms(pm.graphs)}
			for _, r := range pm.refs {
				np.refs = append(np.refs, &refObjectMap{parent: cloneTM(r.parent), joins: r.joins})
			}
			c.poms = append(c.poms, np)
		}
		return c
	}
	out := make([]*triplesMap, len(maps))
	for i, tm := range maps {
		out[i] = cloneTM(tm)
	}
	return out
}

func cloneTerms(tms []*termMap) []*termMap {
	if tms == nil {
		return nil
	}
	out := make([]*termMap, len(tms))
	for i, tm := range tms {
		out[i] = cloneTerm(tm)
	}
	return out
}

func cloneTerm(tm *termMap) *termMap {
	if tm == nil {
		return nil
	}
	c := *tm
	c.tmpl = append([]tmplPart(nil), tm.tmpl...)
	if tm.fn != nil {
		f := *tm.fn
		f.params = cloneTerms(tm.fn.params)
		c.fn = &f
	}
	return &c
}

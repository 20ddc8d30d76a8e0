package ingest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/openemploi360/openemploi/internal/aggregate"
	"github.com/openemploi360/openemploi/internal/apperr"
	"github.com/openemploi360/openemploi/internal/ntriples"
	"github.com/openemploi360/openemploi/internal/rml"
	"github.com/openemploi360/openemploi/internal/sparqlq"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/vocab"
	"github.com/openemploi360/openemploi/mappings"
)

// Validator checks one version graph before it goes live; *shacl.Shapes satisfies it
// through an adapter in the CLI so this package does not depend on how validation is
// done.
type Validator interface {
	ValidateGraph(ctx context.Context, c *store.Client, graph string) (violations []string, err error)
}

// RecordValidating is a Validator that can also validate a run's records while they
// are mapped, in the stream, before anything is sent (SHACL per record).
type RecordValidating interface {
	Validator
	// Records returns the record validator of one run.
	Records() RecordValidator
}

// RecordValidator validates the records of one run as they are mapped.
type RecordValidator interface {
	// Record validates the triples of one record (where: "file:position").
	Record(where string, triples []ntriples.Triple)
	// Violations are those found in the records so far, one line each.
	Violations() []string
	// Violated reports, cheaply, whether a record so far broke a shape.
	Violated() bool
	// Fallback reports that the record-by-record result cannot be trusted for this
	// input (a subject described by several records, a target the record cannot
	// decide): the loaded graphs are then validated with ValidateGraph.
	Fallback() (bool, string)
	// CheckDeferred runs, once the run's graphs are loaded, the checks that need other
	// graphs (a value's class typed in the referential), and returns their violations.
	CheckDeferred(ctx context.Context, c *store.Client) ([]string, error)
}

// Importer runs imports against one store.
type Importer struct {
	Store      *store.Client
	Catalog    *Catalog
	Validator  Validator // nil skips validation
	MaxRejects int
	// ChunkQuads is the number of quads per load request; 0 means the store's own
	// preference (store.Client.LoadChunk: one streamed request for Fuseki, bounded
	// transactions for Oxigraph).
	ChunkQuads int
	// TempDir holds the mapped quads of a run until they are loaded, one file named
	// for the run (TempFilePrefix…); GC removes those whose run no longer holds a lease.
	TempDir string
	// LeaseTTL is how long the run's lease holds without a heartbeat; 0 means
	// DefaultLeaseTTL.
	LeaseTTL time.Duration
	// MinRatio, if set, overrides the catalog's min_ratio for every source: an import
	// whose graph has fewer than MinRatio × the triples of its live version is refused.
	MinRatio *float64
	// OnPhase, if set, is called as the run enters each phase (Phases), with its run ID.
	OnPhase func(phase, runID string)
	// Progress, if set, is called with the stage name and counters: "map" (records,
	// bytes read) and "load" (quads sent, quads in all or 0 while still mapping). The
	// load runs while the mapping does: the two stages call it from two goroutines.
	Progress func(stage string, records, bytes int64)
	// Logf reports each step on one line.
	Logf func(format string, args ...any)
	Now  func() time.Time
}

// FileInfo describes an input file in the metadata.
type FileInfo struct {
	Path   string
	SHA256 string
	Size   int64
}

// Result is what an import did.
type Result struct {
	Source   string
	RunID    string
	Files    []FileInfo
	Records  int64
	Rejected int64
	Rejects  []string
	Graphs   map[string]int64 // target graph → triples
	Dropped  []string         // graphs of the source that the new data no longer has
	// Derived lists the graphs of aggregates the run wrote (oeg:derived/<source>/<month>).
	Derived []string
	Started time.Time
	Ended   time.Time
}

func (im *Importer) logf(format string, args ...any) {
	if im.Logf != nil {
		im.Logf(format, args...)
	}
}

func (im *Importer) now() time.Time {
	if im.Now != nil {
		return im.Now()
	}
	return time.Now().UTC()
}

// Import maps files with the source's mapping and makes the result live. On any error
// before going live the live graphs are untouched and this run's versions are dropped.
func (im *Importer) Import(ctx context.Context, src Source, files []string) (res Result, err error) {
	op := "import " + src.Name
	res = Result{Source: src.Name, RunID: newRunID(), Started: im.now(), Graphs: map[string]int64{}}
	if len(files) == 0 {
		return res, apperr.E(op, apperr.Invalid, "no input file")
	}
	for _, f := range files {
		fi, err := hashFile(f)
		if err != nil {
			return res, apperr.Wrap(op, apperr.Invalid, err, "input %s", f)
		}
		res.Files = append(res.Files, fi)
	}
	m, err := rml.LoadFile(im.Catalog.MappingPath(src))
	if err != nil {
		return res, apperr.Wrap(op, apperr.Invalid, err, "mapping %s", src.Mapping)
	}
	im.logf("%s: mapping %d file(s) with %s", op, len(files), src.Mapping)
	return im.run(ctx, src, res, true, func(sink rml.Sink) (rml.Stats, error) {
		opts := rml.Options{Inputs: files, MaxRejects: im.MaxRejects, Params: src.Params}
		if im.Progress != nil {
			opts.Progress = func(records, bytes int64) { im.Progress("map", records, bytes) }
		}
		return m.Execute(ctx, opts, sink)
	})
}

// ImportTurtle loads Turtle files (the ontology) through the same staged, validated
// live-making as a mapped source.
func (im *Importer) ImportTurtle(ctx context.Context, src Source, name string, files map[string][]byte) (Result, error) {
	res := Result{Source: src.Name, RunID: newRunID(), Started: im.now(), Graphs: map[string]int64{}}
	for _, fname := range sortedKeys(files) {
		sum := sha256.Sum256(files[fname])
		res.Files = append(res.Files, FileInfo{Path: fname, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(files[fname]))})
	}
	return im.run(ctx, src, res, false, func(sink rml.Sink) (rml.Stats, error) {
		var st rml.Stats
		for _, fname := range sortedKeys(files) {
			n, err := turtleToSink(files[fname], sink)
			st.Records += n
			st.Quads += n
			if err != nil {
				return st, fmt.Errorf("%s: %s: %w", name, fname, err)
			}
		}
		return st, nil
	})
}

// Phases of a run, in order, as OnPhase reports them. Before PhaseLive nothing the
// diagnostic reads has changed; from PhaseLive on, the run's data and its aggregates
// are live and only clean-up remains.
const (
	PhaseLease    = "lease"    // the source's lease is held
	PhaseMap      = "map"      // mapping (SHACL per record, aggregates) to the temporary file
	PhaseLoad     = "load"     // loading into this run's version graphs
	PhaseValidate = "validate" // transforms, the checks that need other graphs
	PhaseDescribe = "describe" // the new descriptions are in the pending graph
	PhaseLive     = "live"     // went live; dropping the replaced versions
)

// Phases lists the phases in order.
var Phases = []string{PhaseLease, PhaseMap, PhaseLoad, PhaseValidate, PhaseDescribe, PhaseLive}

// TempFilePrefix starts the name of a run's temporary file: TempFilePrefix, the source,
// "-", the run ID, ".nq".
const TempFilePrefix = "openemploi-"

// run is the part of an import after reading the inputs: take the source's lease, map
// to a temporary file, load into this run's version graphs, validate, check the store
// holds what was sent, go live with one small update of the metadata, drop the old
// versions, derive. Until going live nothing the diagnostic reads has changed; after
// it, only clean-up remains, which `store gc` redoes if it is interrupted.
//
// records says the producer reports where records end (rml.RecordSink): only then can
// SHACL run record by record while mapping; otherwise, or when the source has
// transforms (they change the graph after mapping), the loaded graphs are validated.
func (im *Importer) run(ctx context.Context, src Source, res Result, records bool, produce func(rml.Sink) (rml.Stats, error)) (_ Result, err error) {
	op := "import " + src.Name
	phase := func(p string) {
		if im.OnPhase != nil {
			im.OnPhase(p, res.RunID)
		}
	}
	if err := update(ctx, im.Store, "migrate-legacy", nil); err != nil {
		return res, fmt.Errorf("%s: %w", op, err)
	}
	l, err := im.acquireLease(ctx, src.Name, res.RunID)
	if err != nil {
		return res, err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	l.keepAlive(ctx, cancel)
	// From here on, this run's versions may exist in the store. Until they are live,
	// drop them on any failure, then give the lease back.
	pending := vocab.VersionGraph(MetaGraph, res.RunID)
	dir := im.TempDir
	if dir == "" {
		dir = os.TempDir()
	}
	sink := newStagingSink(nil, src, res.RunID, dir)
	defer sink.distinct.close()
	live := false
	defer func() {
		if cause := context.Cause(ctx); err != nil && errors.Is(cause, errLeaseLost) {
			err = apperr.Wrap(op, apperr.Conflict, cause, "%v", err)
		}
		cctx, ccancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer ccancel()
		if err != nil && !live {
			for _, g := range append(sortedValues(sink.staging), pending) {
				if derr := im.Store.DeleteGraph(cctx, g); derr != nil {
					im.logf("%s: could not drop %s: %v (run `openemploi store gc`)", op, g, derr)
				}
			}
		}
		if rerr := l.release(cctx); rerr != nil && !live {
			im.logf("%s: could not release the lease: %v (it expires by itself)", op, rerr)
		}
	}()
	phase(PhaseLease)

	var agg *aggregate.Offers
	if src.Aggregate == mappings.AggregateOffers {
		zones, err := im.communeZones(ctx)
		if err != nil {
			return res, fmt.Errorf("%s: %w", op, err)
		}
		agg = aggregate.NewOffers(src.Name, src.Synthetic, zones)
		sink.aggregate = agg.Record
	}
	var recs RecordValidator
	if rv, ok := im.Validator.(RecordValidating); ok && records && len(src.Transform) == 0 {
		recs = rv.Records()
		sink.validate, sink.violated = recs.Record, recs.Violated
	}
	tmp, err := os.Create(filepath.Join(dir, TempFilePrefix+src.Name+"-"+res.RunID+".nq"))
	if err != nil {
		return res, fmt.Errorf("%s: temporary file: %w", op, err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	sink.reset(tmp)
	phase(PhaseMap)
	step := time.Now()
	var streamed <-chan error // the load reading the temporary file while it is written
	if records {
		if streamed, err = im.startStreamedLoad(ctx, sink, tmp.Name()); err != nil {
			return res, fmt.Errorf("%s: %w", op, err)
		}
		im.logf("%s: loading into new version graphs while mapping", op)
		defer func() {
			if streamed != nil { // not waited for: stop it before the versions are dropped
				sink.tail.abort(errTailAborted)
				<-streamed
			}
		}()
		sink.startPipeline()
	}
	stats, err := produce(sink)
	if perr := sink.finishPipeline(); perr != nil && (err == nil || errors.Is(err, errPipelineStopped)) {
		err = perr
	}
	res.Records, res.Rejected = stats.Records, stats.Rejected
	for _, r := range stats.Rejects {
		res.Rejects = append(res.Rejects, r.String())
	}
	if err != nil {
		return res, apperr.Wrap(op, apperr.Invalid, err, "mapping failed, nothing loaded")
	}
	// Record by record, a violation stops the import before anything is sent, unless
	// the records could not decide (a subject described by several records: what one
	// record lacks another may give), in which case the loaded graph decides.
	if recs != nil {
		if fallback, _ := recs.Fallback(); !fallback && recs.Violated() {
			v := recs.Violations()
			return res, &apperr.Error{Op: op, Kind: apperr.Invalid,
				Message: fmt.Sprintf("%d SHACL violation(s) in the mapped records, nothing loaded:\n  %s", len(v), strings.Join(v, "\n  "))}
		}
	}
	var emptied []string // aggregate graphs of months whose new offers give none
	if agg != nil && len(sink.counts) > 0 {
		if res.Derived, emptied, err = writeAggregates(sink, src, agg); err != nil {
			return res, fmt.Errorf("%s: aggregates: %w", op, err)
		}
	}
	if err := sink.flush(); err != nil {
		return res, fmt.Errorf("%s: writing staged quads: %w", op, err)
	}
	if sink.err != nil {
		return res, apperr.Wrap(op, apperr.Invalid, sink.err, "mapping output refused, nothing loaded")
	}
	if len(sink.counts) == 0 {
		return res, apperr.E(op, apperr.Invalid, "the mapping produced no triple from %d record(s): nothing to load", stats.Records)
	}

	var aggQuads int64
	for _, g := range res.Derived {
		aggQuads += sink.counts[g]
	}
	aggs := ""
	if len(res.Derived) > 0 {
		aggs = fmt.Sprintf(" (%d of them the aggregates of %d month(s))", aggQuads, len(res.Derived))
	}
	im.logf("%s: mapped %d records to %d quads%s in %s",
		op, stats.Records, sink.total, aggs, time.Since(step).Round(time.Millisecond))
	phase(PhaseLoad)
	step = time.Now()
	loaded := false
	if streamed != nil {
		// Everything is validated record by record (or the loaded graph will decide):
		// the rest of the file, aggregates included, may go.
		sink.tail.finish(sink.out.n)
		lerr := <-streamed
		streamed = nil
		switch {
		case lerr == nil:
			loaded = true
			if im.Progress != nil {
				im.Progress("load", sink.total, sink.total)
			}
			im.logf("%s: loaded %d quads into %d new version graph(s) while mapping, done %s after it", op, sink.total, len(sink.staging), time.Since(step).Round(time.Millisecond))
		case ctx.Err() != nil:
			return res, fmt.Errorf("%s: loading: %w", op, lerr)
		default:
			// A load is a set of triples: sending the whole file again is harmless.
			im.logf("%s: the load streamed while mapping failed (%v); loading the file again", op, lerr)
		}
	}
	if !loaded {
		if _, err := tmp.Seek(0, io.SeekStart); err != nil {
			return res, fmt.Errorf("%s: rewinding staged quads: %w", op, err)
		}
		im.logf("%s: loading %d quads into %d new version graph(s)", op, sink.total, len(sink.staging))
		if err := im.load(ctx, tmp, sink.total); err != nil {
			return res, fmt.Errorf("%s: loading: %w", op, err)
		}
		im.logf("%s: loaded in %s", op, time.Since(step).Round(time.Millisecond))
	}
	// The store must hold exactly the distinct triples sent: a load answered 2xx but
	// partly lost (a proxy, a full disk, a bug) never goes live.
	step = time.Now()
	distinct, err := sink.distinctCounts()
	if err != nil {
		return res, fmt.Errorf("%s: %w", op, err)
	}
	for _, target := range sortedKeys(sink.staging) {
		n, err := countGraph(ctx, im.Store, sink.staging[target])
		if err != nil {
			return res, fmt.Errorf("%s: %w", op, err)
		}
		if want := distinct[target]; n != want {
			return res, apperr.E(op, apperr.Unavailable, "%s: the store holds %d triples after the load, %d distinct were sent: nothing changed", target, n, want)
		}
		res.Graphs[target] = n
	}
	im.logf("%s: counted in %s", op, time.Since(step).Round(time.Millisecond))
	if err := im.checkShrink(ctx, src, res.Graphs); err != nil {
		return res, err
	}

	phase(PhaseValidate)
	if err := im.transform(ctx, src, sink.staging); err != nil {
		return res, fmt.Errorf("%s: %w", op, err)
	}
	step = time.Now()
	if im.Validator != nil {
		if err := im.validate(ctx, op, recs, sink.staging); err != nil {
			return res, err
		}
		im.logf("%s: SHACL validation passed in %s", op, time.Since(step).Round(time.Millisecond))
	}
	if len(src.Transform) > 0 {
		// Transforms add and remove triples: the description gives what is live.
		for target, version := range sink.staging {
			if res.Graphs[target], err = countGraph(ctx, im.Store, version); err != nil {
				return res, fmt.Errorf("%s: %w", op, err)
			}
		}
	}
	if !src.Partitioned {
		if res.Dropped, err = im.previousGraphs(ctx, src.Name, sink.staging); err != nil {
			return res, fmt.Errorf("%s: %w", op, err)
		}
	}
	res.Dropped = append(res.Dropped, emptied...)
	replaced := append(sortedKeys(res.Graphs), res.Dropped...)
	old, err := im.currentVersions(ctx, replaced)
	if err != nil {
		return res, fmt.Errorf("%s: %w", op, err)
	}
	res.Ended = im.now()
	desc, err := description(src, res, sink.staging)
	if err != nil {
		return res, fmt.Errorf("%s: %w", op, err)
	}
	if err := im.Store.PutGraph(ctx, pending, bytes.NewReader(desc)); err != nil {
		return res, fmt.Errorf("%s: staging the metadata: %w", op, err)
	}
	phase(PhaseDescribe)
	step = time.Now()
	if err := update(ctx, im.Store, "go-live", sparqlq.Args{
		"run": l.run, "now": im.now(), "graphs": replaced, "pending": pending}); err != nil {
		return res, fmt.Errorf("%s: going live: %w", op, err)
	}
	// go-live changes nothing for a run whose lease expired: check it did go live.
	target := sortedKeys(sink.staging)[0]
	cur, err := im.currentVersions(ctx, []string{target})
	if err != nil {
		return res, fmt.Errorf("%s: checking it went live: %w", op, err)
	}
	if len(cur) != 1 || cur[0] != sink.staging[target] {
		return res, apperr.Wrap(op, apperr.Conflict, errLeaseLost, "not live, nothing changed")
	}
	live = true
	l.stopHeartbeat() // the lease went with going live
	phase(PhaseLive)
	im.logf("%s: live: %d graph(s), %d quads, in %s", op, len(res.Graphs), sink.total, time.Since(step).Round(time.Millisecond))

	// The old versions are no longer read; dropping them and the records of the runs
	// and files that made them is clean-up, and a failure here leaves garbage for
	// `store gc`, not wrong data.
	if perr := update(ctx, im.Store, "prune-meta", nil); perr != nil {
		im.logf("%s: could not prune the metadata: %v (run `openemploi store gc`)", op, perr)
	}
	for _, v := range old {
		if derr := im.Store.DeleteGraph(ctx, v); derr != nil {
			im.logf("%s: could not drop the old version %s: %v (run `openemploi store gc`)", op, v, derr)
		}
	}
	res.Ended = im.now()
	return res, nil
}

// DefaultMinRatio is the min_ratio of a source whose catalog entry gives none: a graph
// that loses more than half of its triples from one import to the next is far more
// often a truncated download than a real change.
const DefaultMinRatio = 0.5

// checkShrink refuses graphs far smaller than their live version.
func (im *Importer) checkShrink(ctx context.Context, src Source, sizes map[string]int64) error {
	ratio := DefaultMinRatio
	switch {
	case im.MinRatio != nil:
		ratio = *im.MinRatio
	case src.MinRatio != nil:
		ratio = *src.MinRatio
	}
	if ratio <= 0 {
		return nil
	}
	rows, err := selectRows(ctx, im.Store, "live-sizes", sparqlq.Args{"graphs": sortedKeys(sizes)})
	if err != nil {
		return fmt.Errorf("import %s: %w", src.Name, err)
	}
	var small []string
	for _, r := range rows {
		old, err := strconv.ParseInt(r["triples"], 10, 64)
		if err != nil {
			return fmt.Errorf("import %s: void:triples of %s: %w", src.Name, r["g"], err)
		}
		if n := sizes[r["g"]]; float64(n) < ratio*float64(old) {
			small = append(small, fmt.Sprintf("%s: %d triples, the live version has %d", r["g"], n, old))
		}
	}
	if len(small) == 0 {
		return nil
	}
	sort.Strings(small)
	return apperr.E("import "+src.Name, apperr.Invalid,
		"refused, nothing changed: below %g × the live version (a truncated or partial input?):\n  %s\nIf the data really shrank, run again with --min-ratio 0 (or lower min_ratio in the catalog).",
		ratio, strings.Join(small, "\n  "))
}

// currentVersions returns the graphs holding the live data of the given logical
// graphs (those that are live), sorted.
func (im *Importer) currentVersions(ctx context.Context, graphs []string) ([]string, error) {
	rows, err := selectRows(ctx, im.Store, "current-versions", sparqlq.Args{"graphs": graphs})
	if err != nil {
		return nil, fmt.Errorf("reading the current versions: %w", err)
	}
	var out []string
	for _, r := range rows {
		out = append(out, r["v"])
	}
	sort.Strings(out)
	return out, nil
}

// load streams the staged N-Quads to the store in chunks so that no request grows with
// the input (Oxigraph's transactional load holds a request in memory).
func (im *Importer) load(ctx context.Context, r io.Reader, total int64) error {
	chunk := im.ChunkQuads
	if chunk <= 0 {
		chunk = im.Store.LoadChunk()
	}
	if chunk <= 0 {
		// One request streamed from the file: the store reads it as it comes.
		if err := im.Store.LoadQuadsBulk(ctx, r); err != nil {
			return err
		}
		if im.Progress != nil {
			im.Progress("load", total, total)
		}
		return nil
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	var buf bytes.Buffer
	var n, sent int64
	flush := func() error {
		if buf.Len() == 0 {
			return nil
		}
		if err := im.Store.LoadQuadsBulk(ctx, bytes.NewReader(buf.Bytes())); err != nil {
			return err
		}
		sent += n
		if im.Progress != nil {
			im.Progress("load", sent, total)
		}
		buf.Reset()
		n = 0
		return nil
	}
	for sc.Scan() {
		buf.Write(sc.Bytes())
		buf.WriteByte('\n')
		n++
		if n >= int64(chunk) {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return flush()
}

// previousGraphs lists the live graphs the source produced before that this run does
// not produce: a non-partitioned re-import replaces the source as a whole.
func (im *Importer) previousGraphs(ctx context.Context, name string, now map[string]string) ([]string, error) {
	rows, err := selectRows(ctx, im.Store, "source-graphs", sparqlq.Args{"source": name})
	if err != nil {
		return nil, fmt.Errorf("listing previous graphs: %w", err)
	}
	var out []string
	for _, row := range rows {
		if _, ok := now[row["g"]]; !ok {
			out = append(out, row["g"])
		}
	}
	sort.Strings(out)
	return out, nil
}

func newRunID() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return time.Now().UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}

func hashFile(path string) (FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return FileInfo{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return FileInfo{}, err
	}
	return FileInfo{Path: path, SHA256: hex.EncodeToString(h.Sum(nil)), Size: n}, nil
}

func sortedValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, m[k])
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

var errDefaultGraph = errors.New("quad in a graph outside our namespace")

// transform runs the source's transform updates on this run's version graphs.
func (im *Importer) transform(ctx context.Context, src Source, staging map[string]string) error {
	if len(src.Transform) == 0 {
		return nil
	}
	graphs := make([]string, 0, len(staging))
	for _, target := range sortedKeys(staging) {
		graphs = append(graphs, staging[target])
	}
	for _, name := range src.Transform {
		path := filepath.Join(im.Catalog.Dir(), name)
		b, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("transform %s: %w", name, err)
		}
		q, err := sparqlq.Parse(name, string(b))
		if err != nil {
			return fmt.Errorf("transform %s: %w", path, err)
		}
		u, err := q.Bind(sparqlq.Args{"graphs": graphs})
		if err != nil {
			return fmt.Errorf("transform %s: %w", path, err)
		}
		start := time.Now()
		if err := im.Store.Update(ctx, u); err != nil {
			return fmt.Errorf("transform %s: %w", path, err)
		}
		im.logf("transform %s: done in %s", name, time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// validate runs the checks of the loaded versions: the record validator's deferred
// checks (the classes of values typed in other graphs), or, when it could not decide
// record by record (or there is none), the shapes on each loaded graph in SPARQL. The
// aggregates are ours, not a source's: they are not validated.
func (im *Importer) validate(ctx context.Context, op string, records RecordValidator, staging map[string]string) error {
	if records != nil {
		fallback, why := records.Fallback()
		if !fallback {
			v, err := records.CheckDeferred(ctx, im.Store)
			if err != nil {
				return fmt.Errorf("%s: validating: %w", op, err)
			}
			if len(v) > 0 {
				return &apperr.Error{Op: op, Kind: apperr.Invalid,
					Message: fmt.Sprintf("%d SHACL violation(s), nothing changed:\n  %s", len(v), strings.Join(v, "\n  "))}
			}
			return nil
		}
		im.logf("%s: validating the loaded graphs in SPARQL: %s", op, why)
	}
	for _, target := range sortedKeys(staging) {
		if vocab.IsDerived(target) {
			continue
		}
		v, err := im.Validator.ValidateGraph(ctx, im.Store, staging[target])
		if err != nil {
			return fmt.Errorf("%s: validating %s: %w", op, target, err)
		}
		if len(v) > 0 {
			return &apperr.Error{Op: op, Kind: apperr.Invalid,
				Message: fmt.Sprintf("%d SHACL violation(s) in %s, nothing changed:\n  %s", len(v), target, strings.Join(v, "\n  "))}
		}
	}
	return nil
}

// writeAggregates writes the aggregates of each month of offers the run maps into
// that month's aggregate graph (oeg:derived/<source>/<month>), a target of the run
// like its partitions, so that it goes live with them in the same update. It returns
// those graphs, and the aggregate graphs of the run's partitions that have no offers
// any more: going live withdraws them, so no month keeps aggregates of offers that
// were replaced.
func writeAggregates(sink *stagingSink, src Source, agg *aggregate.Offers) (written, emptied []string, err error) {
	partitions := sortedKeys(sink.staging)
	for _, month := range agg.Months() {
		target := vocab.DerivedMonthGraph(src.Name, month)
		if err := agg.Write(month, func(s, p, o ntriples.Term) error { return sink.addTo(target, s, p, o) }); err != nil {
			return nil, nil, fmt.Errorf("month %s: %w", month, err)
		}
		if _, ok := sink.staging[target]; ok {
			written = append(written, target)
		}
	}
	for _, g := range partitions {
		month := vocab.GraphPartition(g)
		if month == "" {
			continue
		}
		if d := vocab.DerivedMonthGraph(src.Name, month); sink.staging[d] == "" {
			emptied = append(emptied, d)
		}
	}
	return written, emptied, nil
}

// communeZones reads, once per import, the zone d'emploi of every commune from the
// live geo graph: the aggregates place each offer by its commune.
func (im *Importer) communeZones(ctx context.Context) (aggregate.Zones, error) {
	rows, err := selectRows(ctx, im.Store, "commune-zones", nil)
	if err != nil {
		return nil, fmt.Errorf("reading the communes' zones d'emploi: %w", err)
	}
	zones := make(aggregate.Zones, len(rows))
	for _, r := range rows {
		zones[r["commune"]] = r["zone"]
	}
	return zones, nil
}

// startStreamedLoad starts loading the temporary file while the mapping writes it:
// the load reads what the sink's tail releases (records that passed their checks)
// and ends when the tail is finished or aborted. The returned channel gives the
// load's result.
func (im *Importer) startStreamedLoad(ctx context.Context, sink *stagingSink, name string) (<-chan error, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("reading back the temporary file: %w", err)
	}
	sink.tail = newTail()
	done := make(chan error, 1)
	go func() {
		defer f.Close()
		// Progress is called from here for "load" while the mapping reports "map".
		done <- im.load(ctx, &follower{f: f, t: sink.tail}, 0)
	}()
	return done, nil
}

package ingest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/knakk/rdf"

	"github.com/openemploi360/openemploi/internal/apperr"
	"github.com/openemploi360/openemploi/internal/ntriples"
	"github.com/openemploi360/openemploi/internal/sparqlq"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/vocab"
)

// Predicates of oeg:meta that describe imports in progress, not the dataset: they
// are neither exported nor restored.
var transientMeta = map[string]bool{
	vocab.Property("leaseSource"):  true,
	vocab.Property("leaseExpires"): true,
	vocab.Property("goingLive"):    true,
}

// ExportResult says what Export wrote.
type ExportResult struct {
	Graphs map[string]int64 // graph as written → quads
	Quads  int64
}

// Export writes the live dataset to w as N-Quads: oeg:meta (without leases),
// oeg:derived and the current version of every live graph, under their names in the
// store. Blank node labels are made unique per graph, since each graph is read in its
// own request. It reads graph by graph and never holds a graph in memory.
func Export(ctx context.Context, c *store.Client, w io.Writer) (ExportResult, error) {
	res := ExportResult{Graphs: map[string]int64{}}
	rows, err := selectRows(ctx, c, "export-graphs", nil)
	if err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	nw := ntriples.NewWriter(w)
	for i, r := range rows {
		g := r["graph"]
		err := exportGraph(ctx, c, nw, g, "g"+strconv.Itoa(i)+"x", &res)
		if apperr.Is(err, apperr.NotFound) && r["logical"] == "" {
			continue // no aggregates computed yet: an empty oeg:derived does not exist
		}
		if err != nil {
			return res, fmt.Errorf("export: graph %s: %w", g, err)
		}
	}
	if err := nw.Flush(); err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	return res, nil
}

func exportGraph(ctx context.Context, c *store.Client, nw *ntriples.Writer, g, blankPrefix string, res *ExportResult) error {
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := c.GetGraph(ctx, g, pw)
		pw.CloseWithError(err)
		done <- err
	}()
	gt := ntriples.NewIRI(g)
	dec := rdf.NewTripleDecoder(bufio.NewReaderSize(pr, 1<<20), rdf.NTriples)
	for {
		tr, err := dec.Decode()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			pr.CloseWithError(err)
			<-done
			return err
		}
		if g == MetaGraph && transientMeta[tr.Pred.String()] {
			continue
		}
		s, p, o := exportTerm(tr.Subj, blankPrefix), exportTerm(tr.Pred, blankPrefix), exportTerm(tr.Obj, blankPrefix)
		if err := nw.WriteQuad(s, p, o, gt); err != nil {
			pr.CloseWithError(err)
			<-done
			return err
		}
		res.Graphs[g]++
		res.Quads++
	}
	return <-done
}

func exportTerm(t rdf.Term, blankPrefix string) ntriples.Term {
	if b, ok := t.(rdf.Blank); ok {
		return ntriples.NewBlank(blankPrefix + b.String())
	}
	return ntriples.FromRDF(t)
}

// RestoreResult says what Restore loaded.
type RestoreResult struct {
	RunID  string
	Graphs map[string]int64 // logical graph → triples
	Quads  int64
}

// Restore loads an export into an empty store with the guarantees of an import: it
// takes a lease, loads every graph's data into a version of its own run, checks the
// store holds the distinct triples sent, then makes the whole dataset live with one
// update of the metadata. Killed or failed before that, nothing is live and gc drops
// what it loaded. The store must hold none of our graphs: restore adds a dataset, it
// does not merge two.
func (im *Importer) Restore(ctx context.Context, r io.Reader) (res RestoreResult, err error) {
	const op = "restore"
	res = RestoreResult{RunID: newRunID(), Graphs: map[string]int64{}}
	graphs, err := im.Store.GraphNames(ctx)
	if err != nil {
		return res, fmt.Errorf("%s: %w", op, err)
	}
	for _, g := range graphs {
		if vocab.IsGraph(g) {
			return res, apperr.E(op, apperr.Conflict, "the store is not empty (it holds %s): restore loads into an empty store", g)
		}
	}
	l, err := im.acquireLease(ctx, "store-restore", res.RunID)
	if err != nil {
		return res, err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	l.keepAlive(ctx, cancel)
	pending := vocab.VersionGraph(MetaGraph, res.RunID)
	versions := map[string]string{} // graph in the export → graph it is loaded into
	live := false
	defer func() {
		cctx, ccancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer ccancel()
		if err != nil && !live {
			for _, g := range append(sortedValues(versions), pending) {
				_ = im.Store.DeleteGraph(cctx, g)
			}
		}
		_ = l.release(cctx)
	}()

	dir := im.TempDir
	if dir == "" {
		dir = os.TempDir()
	}
	tmp, err := os.Create(filepath.Join(dir, TempFilePrefix+"restore-"+res.RunID+".nq"))
	if err != nil {
		return res, fmt.Errorf("%s: temporary file: %w", op, err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()

	// Data goes to the temporary file with its graphs renamed to this run's versions;
	// the metadata is kept aside (it is small) and rewritten to name them.
	sink := newStagingSink(tmp, Source{}, res.RunID, dir)
	defer sink.distinct.close()
	legacy := 0
	var meta []rdf.Quad
	dec := rdf.NewQuadDecoder(bufio.NewReaderSize(r, 1<<20), rdf.NQuads)
	for n := 1; ; n++ {
		q, err := dec.Decode()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return res, apperr.Wrap(op, apperr.Invalid, err, "export file, quad %d", n)
		}
		g := q.Ctx.String()
		switch {
		case g == MetaGraph:
			if !transientMeta[q.Pred.String()] {
				meta = append(meta, q)
			}
			continue
		case g == DerivedGraph:
			// The single aggregates graph of exports made before the aggregates were
			// streamed per month: nothing reads it any more; re-importing the offers
			// rebuilds the aggregates.
			legacy++
			continue
		case !vocab.IsGraph(g) || vocab.IsReserved(g) && !vocab.IsDerived(g):
			return res, apperr.E(op, apperr.Invalid, "export file, quad %d: graph <%s> is not a graph of ours", n, g)
		}
		target := g
		if logical, _, ok := vocab.VersionOf(g); ok {
			target = logical
		}
		versions[g] = vocab.VersionGraph(target, res.RunID)
		res.Quads++
		if err := sink.addTo(target, ntriples.FromRDF(q.Subj), ntriples.FromRDF(q.Pred), ntriples.FromRDF(q.Obj)); err != nil {
			return res, fmt.Errorf("%s: %w", op, err)
		}
	}
	if err := sink.flush(); err != nil {
		return res, fmt.Errorf("%s: writing the temporary file: %w", op, err)
	}
	if legacy > 0 {
		im.logf("%s: skipped %d quads of the former aggregates graph %s (re-import the offers to rebuild them)", op, legacy, DerivedGraph)
	}
	if len(meta) == 0 {
		return res, apperr.E(op, apperr.Invalid, "export file: no metadata graph (%s): not an export of `openemploi store export`", MetaGraph)
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return res, fmt.Errorf("%s: %w", op, err)
	}
	im.logf("%s: loading %d quads into %d graph(s)", op, sink.total, len(sink.staging))
	if err := im.load(ctx, tmp, sink.total); err != nil {
		return res, fmt.Errorf("%s: loading: %w", op, err)
	}
	distinct, err := sink.distinctCounts()
	if err != nil {
		return res, fmt.Errorf("%s: %w", op, err)
	}
	for target, version := range sink.staging {
		n, err := countGraph(ctx, im.Store, version)
		if err != nil {
			return res, fmt.Errorf("%s: %w", op, err)
		}
		if want := distinct[target]; n != want {
			return res, apperr.E(op, apperr.Unavailable, "%s: the store holds %d triples after the load, %d distinct were sent", target, n, want)
		}
		res.Graphs[target] = n
	}

	// The metadata, its pointers renamed to this run's versions, goes live in one update.
	var buf bytes.Buffer
	nw := ntriples.NewWriter(&buf)
	var described []string
	seen := map[string]bool{}
	for _, q := range meta {
		o := ntriples.FromRDF(q.Obj)
		if q.Pred.String() == dcatNS+"hasCurrentVersion" {
			v, ok := versions[o.Value]
			if !ok {
				return res, apperr.E(op, apperr.Invalid, "export file: %s names %s as its current version, which the file does not hold", q.Subj, o.Value)
			}
			o = ntriples.NewIRI(v)
		}
		if s := q.Subj.String(); q.Pred.String() == rdfType && q.Obj.String() == dcatNS+"Dataset" && !seen[s] {
			seen[s] = true
			described = append(described, s)
		}
		if err := nw.WriteTriple(ntriples.FromRDF(q.Subj), ntriples.FromRDF(q.Pred), o); err != nil {
			return res, fmt.Errorf("%s: %w", op, err)
		}
	}
	if err := nw.Flush(); err != nil {
		return res, fmt.Errorf("%s: %w", op, err)
	}
	if err := im.Store.PutGraph(ctx, pending, &buf); err != nil {
		return res, fmt.Errorf("%s: staging the metadata: %w", op, err)
	}
	sort.Strings(described)
	if err := update(ctx, im.Store, "go-live", sparqlq.Args{"run": l.run, "now": im.now(), "graphs": described, "pending": pending}); err != nil {
		return res, fmt.Errorf("%s: going live: %w", op, err)
	}
	// go-live changes nothing for a run whose lease expired: check it did go live.
	cur, err := im.currentVersions(ctx, described)
	if err != nil {
		return res, fmt.Errorf("%s: checking it went live: %w", op, err)
	}
	if mine := sortedValues(versions); len(cur) == 0 || !slices.Contains(mine, cur[0]) {
		return res, apperr.Wrap(op, apperr.Conflict, errLeaseLost, "not live, nothing changed")
	}
	live = true
	return res, nil
}

package ingest

import (
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"sync/atomic"

	"github.com/openemploi360/openemploi/internal/ntriples"
	"github.com/openemploi360/openemploi/internal/vocab"
)

// genidNS is where blank nodes are skolemised. Loads go to the store in several
// requests and a blank node label is scoped to one request, so a blank node split
// across two chunks would become two nodes: Skolem IRIs (RDF 1.1 §3.5) keep it one.
const genidNS = "https://data.dataregionsud.fr/openemploi/.well-known/genid/"

// stagingSink writes the mapping output as N-Quads whose graphs are this run's versions
// of their targets (oeg:<target>/v/<run>), counts triples per target, and hands each
// record's triples, in the stream, before anything is sent to the store, to the
// record-level consumers: SHACL per record and the aggregates (it is an
// rml.RecordSink).
type stagingSink struct {
	w       *ntriples.Writer
	src     Source
	run     string
	staging map[string]string // target → its version graph of this run
	counts  map[string]int64
	total   int64
	err     error

	// distinct counts the distinct triples per target, what the store will hold once
	// they are loaded; ids numbers the targets for it.
	distinct *distinctCounter
	ids      map[string]int
	seed     maphash.Seed
	line     []byte

	// validate gets each record's triples, one call per target graph (SHACL
	// validates a graph: a node described in two graphs is two descriptions), where
	// naming the record ("file:position"); aggregate gets them all. The slice is
	// reused after the call. Either may be nil.
	validate  func(where string, triples []ntriples.Triple)
	aggregate func(triples []ntriples.Triple)
	rec       []ntriples.Triple // the current record's triples, when there are consumers
	recGraph  []int             // the target id of each
	byGraph   []ntriples.Triple // scratch for a record spread over several graphs

	// pipeline, when set (startPipeline), moves the writing, hashing and the
	// record-level consumers to a goroutine of their own, fed with batches of records
	// in order, while the mapping goes on: on two cores this hides most of what the
	// import adds to the bare mapping.
	pipeline *pipeline

	// out counts what reached the temporary file; tail, when set, is told after each
	// batch how much of it the load may read (startTail); violated says whether the
	// records so far broke a shape (the tail then stops releasing).
	out      *countingWriter
	tail     *tail
	violated func() bool
	held     bool
}

// pipeline is the producer's side of the sink's worker.
type pipeline struct {
	batch *batch
	work  chan *batch
	free  chan *batch
	done  chan error
	// failed is set by the worker when it stops on an error: the mapping stops at
	// the next batch, and finishPipeline returns that error.
	failed atomic.Bool
}

// batch is a run of whole records: their quads, and where each record ends.
type batch struct {
	quads []batchQuad
	ends  []batchEnd
}

type batchQuad struct {
	target  string
	s, p, o ntriples.Term
}

type batchEnd struct {
	n     int // quads of the batch up to the end of this record
	where string
}

// batchRecords is the number of records per batch handed to the worker.
const batchRecords = 256

// startPipeline starts the worker; finishPipeline must follow.
func (s *stagingSink) startPipeline() {
	pl := &pipeline{work: make(chan *batch, 4), free: make(chan *batch, 6), done: make(chan error, 1)}
	for range 5 {
		pl.free <- &batch{}
	}
	pl.batch = <-pl.free
	s.pipeline = pl
	go func() {
		var err error
		for b := range pl.work {
			if err == nil {
				if err = s.drain(b); err == nil {
					err = s.releaseTail()
				}
				if err != nil {
					pl.failed.Store(true)
				}
			}
			b.quads, b.ends = b.quads[:0], b.ends[:0]
			pl.free <- b
		}
		pl.done <- err
	}()
}

// drain writes a batch's records and hands each to the consumers, in order.
func (s *stagingSink) drain(b *batch) error {
	start := 0
	for _, e := range b.ends {
		for _, q := range b.quads[start:e.n] {
			if err := s.write(q.target, q.s, q.p, q.o); err != nil {
				return err
			}
		}
		start = e.n
		if err := s.endRecord(e.where); err != nil {
			return err
		}
	}
	return nil
}

// errPipelineStopped stops the mapping when the worker failed; finishPipeline says why.
var errPipelineStopped = errors.New("the writer of the mapped quads stopped")

// send hands the current batch to the worker.
func (pl *pipeline) send() error {
	if pl.failed.Load() {
		return errPipelineStopped
	}
	pl.work <- pl.batch
	pl.batch = <-pl.free
	return nil
}

// finishPipeline hands the last records to the worker and waits for it.
func (s *stagingSink) finishPipeline() error {
	pl := s.pipeline
	if pl == nil {
		return nil
	}
	s.pipeline = nil
	if len(pl.batch.quads) > 0 || len(pl.batch.ends) > 0 {
		// quads after the last record's end (a producer that reports none) count as one
		if n := len(pl.batch.quads); len(pl.batch.ends) == 0 || pl.batch.ends[len(pl.batch.ends)-1].n != n {
			pl.batch.ends = append(pl.batch.ends, batchEnd{n: n})
		}
		pl.work <- pl.batch
	}
	close(pl.work)
	return <-pl.done
}

func newStagingSink(w io.Writer, src Source, run, tmpDir string) *stagingSink {
	s := &stagingSink{src: src, run: run, staging: map[string]string{}, counts: map[string]int64{},
		distinct: newDistinctCounter(tmpDir, run), ids: map[string]int{}, seed: maphash.MakeSeed()}
	if w != nil {
		s.w = ntriples.NewWriter(w)
	}
	return s
}

// reset sets where the quads go.
func (s *stagingSink) reset(w io.Writer) {
	s.out = &countingWriter{w: w}
	s.w = ntriples.NewWriter(s.out)
}

func (s *stagingSink) Quad(subj, pred, obj, g ntriples.Term) error {
	target := s.src.Graph
	if !g.IsZero() {
		if _, _, version := vocab.VersionOf(g.Value); g.Kind != ntriples.IRI || !vocab.IsGraph(g.Value) ||
			vocab.IsReserved(g.Value) || version {
			s.err = fmt.Errorf("%w: graph %s (a mapping may only write source graphs under %s)", errDefaultGraph, g.String(), GraphNS)
			return s.err
		}
		target = g.Value
	}
	subj, obj = s.skolem(subj), s.skolem(obj)
	if pl := s.pipeline; pl != nil {
		pl.batch.quads = append(pl.batch.quads, batchQuad{target, subj, pred, obj})
		return nil
	}
	return s.write(target, subj, pred, obj)
}

// write writes one triple of the current record and keeps it for the consumers.
func (s *stagingSink) write(target string, subj, pred, obj ntriples.Term) error {
	if err := s.addTo(target, subj, pred, obj); err != nil {
		return err
	}
	if s.validate != nil || s.aggregate != nil {
		s.rec = append(s.rec, ntriples.Triple{S: subj, P: pred, O: obj})
		s.recGraph = append(s.recGraph, s.ids[target])
	}
	return nil
}

// EndRecord hands the record's triples to the record-level consumers (rml.RecordSink).
func (s *stagingSink) EndRecord(source, where string) error {
	at := source + ":" + where
	if pl := s.pipeline; pl != nil {
		pl.batch.ends = append(pl.batch.ends, batchEnd{n: len(pl.batch.quads), where: at})
		if len(pl.batch.ends) >= batchRecords {
			return pl.send()
		}
		return nil
	}
	return s.endRecord(at)
}

func (s *stagingSink) endRecord(at string) error {
	if len(s.rec) == 0 {
		return nil
	}
	if s.aggregate != nil {
		s.aggregate(s.rec)
	}
	if s.validate != nil {
		first, one := s.recGraph[0], true
		for _, g := range s.recGraph {
			one = one && g == first
		}
		if one {
			s.validate(at, s.rec)
		} else {
			seen := map[int]bool{}
			for _, g := range s.recGraph {
				if seen[g] {
					continue
				}
				seen[g] = true
				s.byGraph = s.byGraph[:0]
				for i, t := range s.rec {
					if s.recGraph[i] == g {
						s.byGraph = append(s.byGraph, t)
					}
				}
				s.validate(at, s.byGraph)
			}
		}
	}
	s.rec, s.recGraph = s.rec[:0], s.recGraph[:0]
	return nil
}

// addTo writes one triple into this run's version of target.
func (s *stagingSink) addTo(target string, subj, pred, obj ntriples.Term) error {
	st, ok := s.staging[target]
	if !ok {
		st = vocab.VersionGraph(target, s.run)
		s.staging[target] = st
		s.ids[target] = len(s.ids)
	}
	s.counts[target]++
	s.total++
	s.line = append(ntriples.AppendTerm(s.line[:0], ntriples.NewIRI(st)), ' ')
	s.line = append(ntriples.AppendTerm(s.line, subj), ' ')
	s.line = append(ntriples.AppendTerm(s.line, pred), ' ')
	s.line = ntriples.AppendTerm(s.line, obj)
	if err := s.distinct.add(s.ids[target], maphash.Bytes(s.seed, s.line)); err != nil {
		return err
	}
	return s.w.WriteQuad(subj, pred, obj, ntriples.NewIRI(st))
}

// distinctCounts returns the distinct triples per target (once, at the end).
func (s *stagingSink) distinctCounts() (map[string]int64, error) {
	byID, err := s.distinct.counts()
	if err != nil {
		return nil, err
	}
	out := make(map[string]int64, len(s.ids))
	for target, id := range s.ids {
		out[target] = byID[id]
	}
	return out, nil
}

func (s *stagingSink) skolem(t ntriples.Term) ntriples.Term {
	if t.Kind != ntriples.Blank {
		return t
	}
	return ntriples.NewIRI(genidNS + s.run + "/" + t.Value)
}

func (s *stagingSink) flush() error { return s.w.Flush() }

// releaseTail lets the load read what has been written, unless a record broke a shape.
func (s *stagingSink) releaseTail() error {
	if s.tail == nil || s.held {
		return nil
	}
	if s.violated != nil && s.violated() {
		s.held = true
		return nil
	}
	if err := s.w.Flush(); err != nil {
		return err
	}
	s.tail.release(s.out.n)
	return nil
}

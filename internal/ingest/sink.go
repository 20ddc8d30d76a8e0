package ingest

import (
	"fmt"
	"hash/maphash"
	"io"

	"github.com/openemploi360/openemploi/internal/ntriples"
	"github.com/openemploi360/openemploi/internal/vocab"
)

// genidNS is where blank nodes are skolemised. Loads go to the store in several
// requests and a blank node label is scoped to one request, so a blank node split
// across two chunks would become two nodes: Skolem IRIs (RDF 1.1 §3.5) keep it one.
const genidNS = "https://data.dataregionsud.fr/openemploi/.well-known/genid/"

// recordHook sees the triples of each mapped record (where: "file:position"), in the
// stream, before anything is sent to the store: SHACL per record, the aggregates. The
// slice is reused after the call.
type recordHook func(where string, triples []ntriples.Triple) error

// stagingSink writes the mapping output as N-Quads whose graphs are this run's versions
// of their targets (oeg:<target>/v/<run>), counts triples per target, and hands each
// record's triples to the hooks (it is an rml.RecordSink).
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

	hooks []recordHook
	rec   []ntriples.Triple // the current record's triples, when there are hooks
}

func newStagingSink(w io.Writer, src Source, run, tmpDir string) *stagingSink {
	s := &stagingSink{src: src, run: run, staging: map[string]string{}, counts: map[string]int64{},
		distinct: newDistinctCounter(tmpDir), ids: map[string]int{}, seed: maphash.MakeSeed()}
	if w != nil {
		s.w = ntriples.NewWriter(w)
	}
	return s
}

// reset sets where the quads go.
func (s *stagingSink) reset(w io.Writer) { s.w = ntriples.NewWriter(w) }

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
	if len(s.hooks) > 0 {
		s.rec = append(s.rec, ntriples.Triple{S: subj, P: pred, O: obj})
	}
	return s.addTo(target, subj, pred, obj)
}

// EndRecord hands the record's triples to the hooks (rml.RecordSink).
func (s *stagingSink) EndRecord(source, where string) error {
	if len(s.hooks) == 0 {
		return nil
	}
	at := source + ":" + where
	for _, h := range s.hooks {
		if err := h(at, s.rec); err != nil {
			return err
		}
	}
	s.rec = s.rec[:0]
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

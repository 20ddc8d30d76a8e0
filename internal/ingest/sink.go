package ingest

import (
	"fmt"
	"io"

	"github.com/openemploi360/openemploi/internal/ntriples"
	"github.com/openemploi360/openemploi/internal/vocab"
)

// genidNS is where blank nodes are skolemised. Loads go to the store in several
// requests and a blank node label is scoped to one request, so a blank node split
// across two chunks would become two nodes: Skolem IRIs (RDF 1.1 §3.5) keep it one.
const genidNS = "https://data.dataregionsud.fr/openemploi/.well-known/genid/"

// stagingSink writes the mapping output as N-Quads whose graphs are this run's versions
// of their targets (oeg:<target>/v/<run>), and counts triples per target.
type stagingSink struct {
	w       *ntriples.Writer
	src     Source
	run     string
	staging map[string]string // target → its version graph of this run
	counts  map[string]int64
	total   int64
	err     error
}

func newStagingSink(w io.Writer, src Source, run string) *stagingSink {
	return &stagingSink{w: ntriples.NewWriter(w), src: src, run: run,
		staging: map[string]string{}, counts: map[string]int64{}}
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
	st, ok := s.staging[target]
	if !ok {
		st = vocab.VersionGraph(target, s.run)
		s.staging[target] = st
	}
	s.counts[target]++
	s.total++
	return s.w.WriteQuad(s.skolem(subj), pred, s.skolem(obj), ntriples.NewIRI(st))
}

func (s *stagingSink) skolem(t ntriples.Term) ntriples.Term {
	if t.Kind != ntriples.Blank {
		return t
	}
	return ntriples.NewIRI(genidNS + s.run + "/" + t.Value)
}

func (s *stagingSink) flush() error { return s.w.Flush() }

package ingest

import (
	"fmt"
	"io"
	"strings"

	"github.com/openemploi360/openemploi/internal/ntriples"
)

// genidNS is where blank nodes are skolemised. Loads go to the store in several
// requests and a blank node label is scoped to one request, so a blank node split
// across two chunks would become two nodes: Skolem IRIs (RDF 1.1 §3.5) keep it one.
const genidNS = "https://data.dataregionsud.fr/openemploi/.well-known/genid/"

// stagingSink writes the mapping output as N-Quads whose graphs are the staging graphs
// of their targets, and counts triples per target.
type stagingSink struct {
	w       *ntriples.Writer
	src     Source
	run     string
	staging map[string]string // target → staging
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
		if g.Kind != ntriples.IRI || !strings.HasPrefix(g.Value, GraphNS) || strings.HasPrefix(g.Value, stagingPrefix) ||
			g.Value == MetaGraph || g.Value == DerivedGraph || g.Value == OntologyGraph {
			s.err = fmt.Errorf("%w: graph %s (a mapping may only write source graphs under %s)", errDefaultGraph, g.String(), GraphNS)
			return s.err
		}
		target = g.Value
	}
	st, ok := s.staging[target]
	if !ok {
		st = fmt.Sprintf("%s%s/%d", stagingPrefix, s.run, len(s.staging))
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

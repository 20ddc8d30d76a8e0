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

	// distinct counts the distinct triples per target, what the store will hold once
	// they are loaded (it keeps a triple once however often it is sent). seen holds a
	// 64-bit hash of each quad: 8 bytes a quad, and a collision (odds 1 in 10^7 at 10^6
	// quads) can only make the check fail, never pass wrongly on a short load.
	distinct map[string]int64
	seen     map[uint64]struct{}
	seed     maphash.Seed
	line     []byte
}

func newStagingSink(w io.Writer, src Source, run string) *stagingSink {
	s := &stagingSink{src: src, run: run, staging: map[string]string{}, counts: map[string]int64{},
		distinct: map[string]int64{}, seen: map[uint64]struct{}{}, seed: maphash.MakeSeed()}
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
	st, ok := s.staging[target]
	if !ok {
		st = vocab.VersionGraph(target, s.run)
		s.staging[target] = st
	}
	s.counts[target]++
	s.total++
	subj, obj = s.skolem(subj), s.skolem(obj)
	s.line = append(ntriples.AppendTerm(s.line[:0], ntriples.NewIRI(st)), ' ')
	s.line = append(ntriples.AppendTerm(s.line, subj), ' ')
	s.line = append(ntriples.AppendTerm(s.line, pred), ' ')
	s.line = ntriples.AppendTerm(s.line, obj)
	h := maphash.Bytes(s.seed, s.line)
	if _, dup := s.seen[h]; !dup {
		s.seen[h] = struct{}{}
		s.distinct[target]++
	}
	return s.w.WriteQuad(subj, pred, obj, ntriples.NewIRI(st))
}

func (s *stagingSink) skolem(t ntriples.Term) ntriples.Term {
	if t.Kind != ntriples.Blank {
		return t
	}
	return ntriples.NewIRI(genidNS + s.run + "/" + t.Value)
}

func (s *stagingSink) flush() error { return s.w.Flush() }

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
	if len(s.rec) == 0 {
		return nil
	}
	if s.aggregate != nil {
		s.aggregate(s.rec)
	}
	if s.validate != nil {
		at := source + ":" + where
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

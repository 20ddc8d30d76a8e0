package shacl_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/openemploi360/openemploi/internal/ingest"
	"github.com/openemploi360/openemploi/internal/ntriples"
	"github.com/openemploi360/openemploi/internal/rml"
	"github.com/openemploi360/openemploi/internal/shacl"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
)

// genid is where the test skolemises blank nodes, as the import does (ingest's sink):
// the store then holds the very terms Records saw.
const genid = "https://data.dataregionsud.fr/openemploi/.well-known/genid/test/"

// recordSink validates each mapped record with Records and keeps the N-Triples of all
// of them (graphs dropped: the test validates one graph) for a load. Without Records,
// it only counts, to time the bare mapping.
type recordSink struct {
	r       *shacl.Records
	cur     []shacl.Triple
	nt      []byte
	keep    bool
	types   bool // keep only the rdf:type triples (the ROME referential is large)
	quads   int
	mutate  bool // break records on purpose, see mutateRecord
	records int
}

func skolem(t ntriples.Term) ntriples.Term {
	if t.Kind == ntriples.Blank {
		return ntriples.NewIRI(genid + t.Value)
	}
	return t
}

func (s *recordSink) Quad(subj, p, o, _ ntriples.Term) error {
	s.quads++
	if s.r == nil {
		return nil
	}
	t := shacl.Triple{S: skolem(subj), P: p, O: skolem(o)}
	s.cur = append(s.cur, t)
	return nil
}

func (s *recordSink) EndRecord(source, where string) error {
	if s.r == nil {
		return nil
	}
	if s.mutate {
		s.cur = mutateRecord(s.records, s.cur)
	}
	s.records++
	switch {
	case s.types:
		for _, t := range s.cur {
			if t.P.Value == rdfType {
				s.nt = append(s.nt, nTriples([]shacl.Triple{t})...)
			}
		}
	case s.keep:
		s.nt = append(s.nt, nTriples(s.cur)...)
	}
	s.r.Record(source+":"+where, s.cur)
	s.cur = s.cur[:0]
	return nil
}

// mapSource runs a catalog source's mapping over files into sink.
func mapSource(tb testing.TB, m *rml.Mapping, src ingest.Source, files []string, sink rml.Sink) rml.Stats {
	tb.Helper()
	st, err := m.Execute(context.Background(), rml.Options{Inputs: files, MaxRejects: -1, Params: src.Params}, sink)
	if err != nil {
		tb.Fatalf("map %s: %v", src.Name, err)
	}
	return st
}

func catalog(tb testing.TB) *ingest.Catalog {
	tb.Helper()
	root, err := storetest.RepoRoot()
	if err != nil {
		tb.Fatal(err)
	}
	cat, err := ingest.LoadCatalog(filepath.Join(root, "mappings", "catalog.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	return cat
}

func sampleFiles(tb testing.TB, src ingest.Source) []string {
	root, err := storetest.RepoRoot()
	if err != nil {
		tb.Fatal(err)
	}
	var files []string
	for _, f := range src.Sample {
		files = append(files, filepath.Join(root, f))
	}
	return files
}

// TestRecordsOnSamples maps every bundled sample of the catalog with its mapping and
// validates it record by record with the default shapes. Where Records falls back, the
// reason must be one the test expects (a node described by two records); elsewhere the
// violations must equal Validate's on the same triples loaded into a store, with the
// ROME and geography types loaded in another graph for the sh:class checks.
func TestRecordsOnSamples(t *testing.T) {
	if testing.Short() {
		t.Skip("maps the whole bundled sample")
	}
	cat := catalog(t)
	shapes, err := shacl.Default()
	if err != nil {
		t.Fatal(err)
	}
	// Sources whose records share nodes the shapes read: the same fiche in several
	// ROME files, a bassin in every line of the lexicon, an offer's employer mapped
	// in a second pass, a training organisation in two elements. (ROME v3 and the
	// ROME-NAF table repeat subjects too, but no shape reads them.)
	wantFallback := map[string]string{
		"rome4":           "is also described by an earlier record",
		"tension":         "is also described by an earlier record",
		"formations-lheo": "is also described by an earlier record",
		"offres-apec":     "is also described by an earlier record",
	}
	type mapped struct {
		name string
		nt   []byte
		r    *shacl.Records
	}
	var todo []mapped
	var types []byte
	for _, src := range cat.Sources {
		if len(src.Sample) == 0 {
			continue
		}
		m, err := rml.LoadFile(cat.MappingPath(src))
		if err != nil {
			t.Fatal(err)
		}
		// The sh:class checks need the types of the referentials, in another graph.
		sink := &recordSink{r: shapes.Records(100000), keep: true, types: src.Name == "rome4"}
		mapSource(t, m, src, sampleFiles(t, src), sink)
		switch src.Name {
		case "rome4":
			types = append(types, sink.nt...)
		case "geo":
			types = append(types, typeTriples(sink.nt)...)
		}
		fb, reason := sink.r.Fallback()
		t.Logf("%s: %d quads, fallback %v %s", src.Name, sink.quads, fb, reason)
		if want := wantFallback[src.Name]; want != "" {
			if !fb || !strings.Contains(reason, want) {
				t.Errorf("%s: Fallback() = %v, %q; want true, %q", src.Name, fb, reason, want)
			}
			continue
		}
		if fb {
			t.Errorf("%s: unexpected fallback: %s", src.Name, reason)
			continue
		}
		todo = append(todo, mapped{src.Name, sink.nt, sink.r})
		if src.Name == "bpe" || src.Name == "rome-naf" {
			continue // large: validated once, not mutated
		}
		sink = &recordSink{r: shapes.Records(100000), keep: true, mutate: true}
		mapSource(t, m, src, sampleFiles(t, src), sink)
		if fb, reason := sink.r.Fallback(); fb {
			t.Logf("%s mutated: fallback %s", src.Name, reason)
			continue
		}
		todo = append(todo, mapped{src.Name + "-mutated", sink.nt, sink.r})
	}
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		ctx := context.Background()
		if err := c.PostGraph(ctx, graphNS+"test-types", bytes.NewReader(types)); err != nil {
			t.Fatal(err)
		}
		for _, m := range todo {
			t.Run(m.name, func(t *testing.T) {
				g := graphNS + "test-records/" + m.name
				if err := c.PostGraph(ctx, g, bytes.NewReader(m.nt)); err != nil {
					t.Fatal(err)
				}
				want, err := shapes.Validate(ctx, c, g, 100000)
				if err != nil {
					t.Fatal(err)
				}
				rep := m.r.Report()
				start := time.Now()
				deferred, err := m.r.CheckDeferred(ctx, c)
				if err != nil {
					t.Fatal(err)
				}
				took := time.Since(start)
				sameViolations(t, want.Violations, append(rep.Violations, deferred...))
				if rep.Checked != want.Checked {
					t.Errorf("Checked = %d, Validate checked %d", rep.Checked, want.Checked)
				}
				t.Logf("%d focus nodes, %d violations, %d deferred values checked in %s, %d missing",
					rep.Checked, len(rep.Violations), m.r.Deferred(), took.Round(time.Millisecond), len(deferred))
			})
		}
	})
}

// typeTriples keeps the rdf:type lines of N-Triples.
func typeTriples(nt []byte) []byte {
	var out []byte
	for _, line := range bytes.SplitAfter(nt, []byte("\n")) {
		if bytes.Contains(line, []byte("> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <")) {
			out = append(out, line...)
		}
	}
	return out
}

// mutateRecord breaks record number i of a sample in one of five ways, so that the
// comparison also covers violations on real mapped data: a triple dropped (minCount,
// sh:or), a literal replaced by a French string (datatype, pattern, in, comparisons),
// a second value (maxCount, uniqueLang, lessThan), an IRI object replaced by one no
// graph types (class, after the load), or a literal where an IRI is due (nodeKind).
func mutateRecord(i int, ts []shacl.Triple) []shacl.Triple {
	if len(ts) == 0 {
		return ts
	}
	ts = append([]shacl.Triple(nil), ts...)
	pick := func(ok func(shacl.Triple) bool) int {
		n := 0
		for j := range ts {
			if ok(ts[j]) {
				n++
			}
		}
		if n == 0 {
			return -1
		}
		k := (i / 5) % n
		for j := range ts {
			if ok(ts[j]) {
				if k == 0 {
					return j
				}
				k--
			}
		}
		return -1
	}
	notType := func(t shacl.Triple) bool { return t.P.Value != rdfType }
	lit := func(t shacl.Triple) bool { return t.O.Kind == ntriples.Literal }
	iri := func(t shacl.Triple) bool { return notType(t) && t.O.Kind == ntriples.IRI }
	switch i % 5 {
	case 0:
		if j := pick(notType); j >= 0 {
			ts = append(ts[:j], ts[j+1:]...)
		}
	case 1:
		if j := pick(lit); j >= 0 {
			ts[j].O = ntriples.NewLang("à vérifier", "fr")
		}
	case 2:
		if j := pick(lit); j >= 0 {
			t := ts[j]
			t.O = ntriples.NewTyped("-1", xsdNS+"integer")
			ts = append(ts, t)
		}
	case 3:
		if j := pick(iri); j >= 0 {
			ts[j].O = ntriples.NewIRI(ts[j].O.Value + "-inconnu")
		}
	case 4:
		if j := pick(iri); j >= 0 {
			ts[j].O = ntriples.NewLiteral(ts[j].O.Value)
		}
	}
	return ts
}

const (
	rdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
	xsdNS   = "http://www.w3.org/2001/XMLSchema#"
)

package shacl_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/openemploi360/openemploi/internal/ntriples"
	"github.com/openemploi360/openemploi/internal/rml"
	"github.com/openemploi360/openemploi/internal/shacl"
	"github.com/openemploi360/openemploi/internal/storetest"
	"github.com/openemploi360/openemploi/internal/synth"
)

var (
	synthOnce  sync.Once
	synthFiles []string
	synthErr   error
)

// synthMonth generates one month of SYNTHETIC offers (openemploi synth's default size,
// 50 000 offers) once per test binary.
func synthMonth(b *testing.B) []string {
	b.Helper()
	synthOnce.Do(func() {
		root, err := storetest.RepoRoot()
		if err != nil {
			synthErr = err
			return
		}
		refs, err := synth.LoadRefs(filepath.Join(root, "testdata", "sample"))
		if err != nil {
			synthErr = err
			return
		}
		dir := filepath.Join(b.TempDir(), "synth")
		res, err := synth.Generate(context.Background(), synth.Options{OutDir: dir, Seed: 1, Months: 1, Sessions: 1}, refs)
		synthErr = err
		synthFiles = res.OfferFiles
	})
	if synthErr != nil {
		b.Fatal(synthErr)
	}
	return synthFiles
}

// BenchmarkRecords maps one month of synthetic offers (catalog source offres-synth:
// offres-ft.rml.ttl with source=synth) and validates it record by record with the
// default shapes. "map" is the bare mapping (a sink that counts); "records" adds what
// an import would: collecting each record's triples with blank nodes skolemised, and
// Records (the mapping maps an offer and its employer in one record).
//
//	go test ./internal/shacl -run '^$' -bench Records -benchtime 2x
func BenchmarkRecords(b *testing.B) {
	files := synthMonth(b)
	cat := catalog(b)
	src, err := cat.Source("offres-synth")
	if err != nil {
		b.Fatal(err)
	}
	catalogMapping, err := rml.LoadFile(cat.MappingPath(src))
	if err != nil {
		b.Fatal(err)
	}
	shapes, err := shacl.Default()
	if err != nil {
		b.Fatal(err)
	}
	// Records alone, on records mapped beforehand (the first 10 000, to bound the
	// memory): the cost validation adds to a mapping, less noisy than the difference
	// of two timed mappings on a shared machine.
	b.Run("validate-only", func(b *testing.B) {
		col := &collector{max: 10000}
		mapSource(b, catalogMapping, src, files, col)
		b.ReportAllocs()
		b.ResetTimer()
		var r *shacl.Records
		for i := 0; i < b.N; i++ {
			r = shapes.Records(0)
			for j, rec := range col.records {
				r.Record(col.where[j], rec)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(col.records)), "ns/record")
		if fb, reason := r.Fallback(); fb {
			b.Fatalf("fallback: %s", reason)
		}
	})
	for _, bc := range []struct {
		name     string
		m        *rml.Mapping
		validate bool
	}{
		{"map", catalogMapping, false},
		{"records", catalogMapping, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var records int64
			var sink *recordSink
			for i := 0; i < b.N; i++ {
				sink = &recordSink{}
				if bc.validate {
					sink.r = shapes.Records(0)
				}
				st := mapSource(b, bc.m, src, files, sink)
				records += st.Records
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(records), "ns/record")
			if sink != nil && sink.r != nil {
				fb, reason := sink.r.Fallback()
				rep := sink.r.Report()
				nodes, bytes := shacl.NodeSetForTest(sink.r)
				b.Logf("%d records, %d focus nodes, %d violations, %d values for CheckDeferred, %d nodes in %d kB; fallback %v %s",
					records/int64(b.N), rep.Checked, len(rep.Violations), sink.r.Deferred(), nodes, bytes>>10, fb, reason)
			}
		})
	}
}

// collector keeps the first max records, blank nodes skolemised.
type collector struct {
	max     int
	cur     []shacl.Triple
	records [][]shacl.Triple
	where   []string
}

func (c *collector) Quad(subj, p, o, _ ntriples.Term) error {
	if len(c.records) < c.max {
		c.cur = append(c.cur, shacl.Triple{S: skolem(subj), P: p, O: skolem(o)})
	}
	return nil
}

func (c *collector) EndRecord(source, where string) error {
	if len(c.records) < c.max {
		c.records = append(c.records, c.cur)
		c.where = append(c.where, source+":"+where)
		c.cur = nil
	}
	return nil
}

package aggregate_test

import (
	"context"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/openemploi360/openemploi/internal/aggregate"
	"github.com/openemploi360/openemploi/internal/ingest"
	"github.com/openemploi360/openemploi/internal/ntriples"
	"github.com/openemploi360/openemploi/internal/rml"
	"github.com/openemploi360/openemploi/internal/storetest"
	"github.com/openemploi360/openemploi/internal/synth"
)

// benchWorld is what the benchmarks share: the zones of the geo sample, the offers
// mapping, and synthetic months of PACA volume (openemploi synth --scale 1), generated
// on first use.
type benchWorld struct {
	zones aggregate.Zones
	src   ingest.Source
	m     *rml.Mapping
	dir   string
	refs  synth.Refs
}

var (
	benchOnce sync.Once
	bench     benchWorld
	benchErr  error
)

func loadBenchWorld(b *testing.B) *benchWorld {
	b.Helper()
	benchOnce.Do(func() {
		root, err := storetest.RepoRoot()
		if err != nil {
			benchErr = err
			return
		}
		cat, err := ingest.LoadCatalog(filepath.Join(root, "mappings", "catalog.yaml"))
		if err != nil {
			benchErr = err
			return
		}
		geo, err := cat.Source("geo")
		if err != nil {
			benchErr = err
			return
		}
		in := input{src: geo}
		for _, p := range geo.Sample {
			in.files = append(in.files, filepath.Join(root, p))
		}
		bench.zones = zonesOf(b, cat, in)
		if bench.src, err = cat.Source("offres-synth"); err != nil {
			benchErr = err
			return
		}
		if bench.m, err = rml.LoadFile(cat.MappingPath(bench.src)); err != nil {
			benchErr = err
			return
		}
		bench.refs, benchErr = synth.LoadRefs(filepath.Join(root, "testdata", "sample"))
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return &bench
}

// months generates n months of synthetic offers at scale 1 (50 000 a month).
func (w *benchWorld) months(b *testing.B, n int) []string {
	b.Helper()
	res, err := synth.Generate(context.Background(), synth.Options{OutDir: b.TempDir(), Seed: 1, Months: n, Scale: 1, Sessions: 1}, w.refs)
	if err != nil {
		b.Fatal(err)
	}
	return res.OfferFiles
}

// collectSink keeps each record's triples.
type collectSink struct {
	records [][]ntriples.Triple
	cur     []ntriples.Triple
}

func (c *collectSink) Quad(s, p, o, g ntriples.Term) error {
	c.cur = append(c.cur, ntriples.Triple{S: s, P: p, O: o})
	return nil
}

func (c *collectSink) EndRecord(source, where string) error {
	c.records = append(c.records, c.cur)
	c.cur = nil
	return nil
}

// BenchmarkRecord measures Record alone (ns/op and allocs/op are per record) over one
// month of synthetic offers mapped beforehand; a fresh aggregator starts each pass
// over the month, so that no record is a repeat.
func BenchmarkRecord(b *testing.B) {
	w := loadBenchWorld(b)
	var sink collectSink
	if _, err := w.m.Execute(context.Background(), rml.Options{Inputs: w.months(b, 1), Params: w.src.Params}, &sink); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var agg *aggregate.Offers
	for i := 0; i < b.N; i++ {
		k := i % len(sink.records)
		if k == 0 {
			agg = aggregate.NewOffers(w.src.Name, true, w.zones)
		}
		agg.Record(sink.records[k])
	}
}

// BenchmarkMonthGraphs streams one and then six months of synthetic offers (scale 1)
// from the mapping into an aggregator and reports the aggregator's live heap, and, for
// the first month, the size of its month graph against the offers' quads.
func BenchmarkMonthGraphs(b *testing.B) {
	w := loadBenchWorld(b)
	for _, months := range []int{1, 6} {
		files := w.months(b, months)
		b.Run(map[int]string{1: "1month", 6: "6months"}[months], func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				agg := aggregate.NewOffers(w.src.Name, true, w.zones)
				sink := &recordSink{agg: agg}
				st, err := w.m.Execute(context.Background(), rml.Options{Inputs: files, Params: w.src.Params}, sink)
				if err != nil {
					b.Fatal(err)
				}
				sink.buf = nil
				runtime.GC()
				runtime.ReadMemStats(&after)
				b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "heap-MB")
				var obs, triples int64
				for _, m := range agg.Months() {
					if err := agg.Write(m, func(s, p, o ntriples.Term) error {
						triples++
						if p.Value == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" {
							obs++
						}
						return nil
					}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(obs)/float64(months), "obs/month")
				b.ReportMetric(float64(triples)/float64(months), "triples/month")
				b.ReportMetric(float64(st.Quads)/float64(months), "offer-quads/month")
				runtime.KeepAlive(agg)
			}
		})
	}
}

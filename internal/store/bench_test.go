package store_test

import (
	"context"
	"io"
	"strconv"
	"testing"

	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
)

// ntGen generates n N-Triples lines on the fly, so the benchmark measures the client and
// the store rather than building a body in memory.
type ntGen struct {
	n, i    int
	buf     []byte // pending bytes of the current line
	scratch []byte
}

func (g *ntGen) Read(p []byte) (int, error) {
	k := 0
	for k < len(p) {
		if len(g.buf) == 0 {
			if g.i == g.n {
				break
			}
			// strconv, not fmt: the generator must not dwarf the client in B/op.
			b := append(g.scratch[:0], "<https://data.dataregionsud.fr/openemploi/id/offre/synth/"...)
			b = strconv.AppendInt(b, int64(g.i), 10)
			b = append(b, "> <http://schema.org/title> \"Offre numéro "...)
			b = strconv.AppendInt(b, int64(g.i), 10)
			b = append(b, "\"@fr .\n"...)
			g.scratch, g.buf = b, b
			g.i++
		}
		c := copy(p[k:], g.buf)
		g.buf = g.buf[c:]
		k += c
	}
	if k == 0 {
		return 0, io.EOF
	}
	return k, nil
}

// BenchmarkPutGraph streams 100,000 triples (11.7 MB) into a graph with GSP PUT; B/op
// far below the body's size shows the body is streamed, not held.
func BenchmarkPutGraph(b *testing.B) {
	const triples = 100_000
	for _, kind := range storetest.Kinds() {
		b.Run(kind, func(b *testing.B) {
			c := storetest.New(b, kind)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if err := c.PutGraph(ctx, "urn:oe:bench", &ntGen{n: triples}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(triples*b.N)/b.Elapsed().Seconds(), "triples/s")
			var gs []store.GraphInfo
			gs, err := c.Graphs(ctx)
			if err != nil || len(gs) != 1 || gs[0].Triples != triples {
				b.Fatalf("after the load: %v, %v; want one graph of %d triples", gs, err, triples)
			}
		})
	}
}

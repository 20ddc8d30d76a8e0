package diagnostic_test

import (
	"context"
	"testing"

	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/diagnostic/diagtest"
)

// BenchmarkRun times the domain's part of a diagnostic (resolve, the units' fetches
// from memory, assembly, ranking, marking) on the fake, without the result cache: the
// store's round trips are measured by the API and bench/diagnostic benchmarks.
func BenchmarkRun(b *testing.B) {
	s, err := diagnostic.NewService(diagtest.New(), diagnostic.Options{Now: diagtest.Now, CacheSize: -1})
	if err != nil {
		b.Fatal(err)
	}
	req := diagnostic.Request{Metiers: []string{"M1811", "M1805"}, Zones: []string{"9312", "9301", "0053"},
		Profile: &diagnostic.Profile{Skills: []diagnostic.SkillInput{{Label: "sql", Level: 4}}, Income: &diagnostic.Income{WishedMin: diagnostic.Num(3500)}}}
	ctx := context.Background()
	if _, err := s.Run(ctx, req); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Run(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

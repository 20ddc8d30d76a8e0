package mappings_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/rml"
	"github.com/openemploi360/openemploi/internal/synth"
)

// lheoWithSessions writes a one-formation LHEO document with n sessions.
func lheoWithSessions(t testing.TB, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(`<lheo xmlns="http://www.lheo.org/2.2"><offres><formation numero="F1"><intitule-formation>x</intitule-formation><action numero="A1">`)
	for i := range n {
		fmt.Fprintf(&b, `<session numero="S%d"><periode><debut>20250101</debut><fin>20250201</fin></periode></session>`, i)
	}
	b.WriteString(`</action></formation></offres></lheo>`)
	p := filepath.Join(t.TempDir(), "lheo.xml")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLHEOSessionLimit: the mapping has one triples map per session rank; a
// formation with more sessions than that must be rejected, not cut.
func TestLHEOSessionLimit(t *testing.T) {
	m, err := rml.LoadFile("formations-lheo.rml.ttl")
	if err != nil {
		t.Fatal(err)
	}
	limit := len(regexp.MustCompile(`(?m)^:Session\d+ a rr:TriplesMap`).FindAllString(mustRead(t, "formations-lheo.rml.ttl"), -1))
	for _, c := range []struct {
		n        int
		rejected int64
	}{{limit, 0}, {limit + 1, 1}} {
		t.Run(fmt.Sprint(c.n), func(t *testing.T) {
			tl := newTally()
			st, err := m.Execute(context.Background(), rml.Options{Inputs: []string{lheoWithSessions(t, c.n)}, MaxRejects: -1}, tl)
			if err != nil {
				t.Fatal(err)
			}
			if st.Rejected != c.rejected {
				t.Fatalf("%d sessions: %d rejects, want %d (%v)", c.n, st.Rejected, c.rejected, st.Rejects)
			}
			if c.rejected == 0 && tl.count(oep+"TrainingSession") != c.n {
				t.Errorf("%d sessions mapped, want %d", tl.count(oep+"TrainingSession"), c.n)
			}
			if c.rejected == 1 && !strings.Contains(st.Rejects[0].String(), "maxSessions") {
				t.Errorf("reject does not say what to do: %s", st.Rejects[0])
			}
		})
	}
}

func mustRead(t testing.TB, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// BenchmarkLHEO maps a synthetic LHEO file of 5 000 sessions per iteration
// (the default size of the synthetic training offer).
func BenchmarkLHEO(b *testing.B) {
	refs, err := synth.LoadRefs(filepath.Join(repoRoot(b), "testdata/sample"))
	if err != nil {
		b.Fatal(err)
	}
	res, err := synth.Generate(context.Background(), synth.Options{OutDir: b.TempDir(), Seed: 1, Months: 1, OffersPerMonth: 1, Sessions: 5000}, refs)
	if err != nil {
		b.Fatal(err)
	}
	m, err := rml.LoadFile("formations-lheo.rml.ttl")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := m.Execute(context.Background(), rml.Options{Inputs: []string{res.TrainingFile}}, newTally()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*5000)/b.Elapsed().Seconds(), "sessions/s")
}

// BenchmarkOffers maps one month of 10 000 synthetic offers per iteration.
func BenchmarkOffers(b *testing.B) {
	refs, err := synth.LoadRefs(filepath.Join(repoRoot(b), "testdata/sample"))
	if err != nil {
		b.Fatal(err)
	}
	res, err := synth.Generate(context.Background(), synth.Options{OutDir: b.TempDir(), Seed: 1, Months: 1, OffersPerMonth: 10000, Sessions: 1}, refs)
	if err != nil {
		b.Fatal(err)
	}
	m, err := rml.LoadFile("offres-synth.rml.ttl")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := m.Execute(context.Background(), rml.Options{Inputs: res.OfferFiles}, newTally()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*10000)/b.Elapsed().Seconds(), "offers/s")
}

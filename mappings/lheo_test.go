package mappings_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/rml"
	"github.com/openemploi360/openemploi/internal/synth"
)

// lheoWithSessions writes a one-formation LHEO document with n sessions.
func lheoWithSessions(t testing.TB, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(`<lheo xmlns="http://www.lheo.org/2.2"><offres><formation numero="F1"><domaine-formation><code-FORMACODE>32054</code-FORMACODE></domaine-formation>` +
		`<intitule-formation>x</intitule-formation><organisme-formation-responsable><SIRET-organisme-formation><SIRET>12345678900011</SIRET></SIRET-organisme-formation>` +
		`<nom-organisme>O</nom-organisme><raison-sociale>O SA</raison-sociale></organisme-formation-responsable><action numero="A1">`)
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

// TestLHEOManySessions: the session iterator has no limit on the sessions
// of one formation (the former generated mapping had one triples map per
// rank, up to 40).
func TestLHEOManySessions(t *testing.T) {
	m, err := rml.LoadFile("formations-lheo.rml.ttl")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 41, 500} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			tl := newTally()
			st, err := m.Execute(context.Background(), rml.Options{Inputs: []string{lheoWithSessions(t, n)}}, tl)
			if err != nil {
				t.Fatal(err)
			}
			if st.Rejected != 0 {
				t.Fatalf("%d rejects: %v", st.Rejected, st.Rejects)
			}
			if got := tl.count(oep + "TrainingSession"); got != n {
				t.Errorf("%d sessions mapped, want %d", got, n)
			}
			if got := tl.byPred[oep+"training"]; got != n {
				t.Errorf("%d session -> formation links, want %d", got, n)
			}
		})
	}
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
	m, err := rml.LoadFile("offres-ft.rml.ttl")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := m.Execute(context.Background(), rml.Options{Inputs: res.OfferFiles, Params: map[string]string{"source": "synth"}}, newTally()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*10000)/b.Elapsed().Seconds(), "offers/s")
}

package diagnostic_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/diagnostic/diagtest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json")

// TestGolden renders whole diagnostics on the fake as JSON (the domain types, not the
// API's view) and compares them with testdata: a refactor of the service must leave
// them unchanged, and a change of a rule shows as a reviewed diff.
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		req  diagnostic.Request
	}{
		{"metier", diagnostic.Request{Metiers: []string{"M1811", "M1805"}}},
		{"zones", diagnostic.Request{Metiers: []string{"M1811", "M1805"}, Zones: []string{"9312", "Aix-en-Provence"}}},
		{"interregional", diagnostic.Request{Metiers: []string{"M1811"}, Zones: []string{"Avignon"}}},
		{"profile", diagnostic.Request{Metiers: []string{"M1811"}, Zones: []string{"Marseille", "13117"},
			Current: &diagnostic.Place{Metier: "M1805", Zone: "9301"},
			Profile: &diagnostic.Profile{
				Skills:       []diagnostic.SkillInput{{Label: "sql", Level: 5}, {Code: "100024", Level: 3}, {Label: "sens de l'organisation", Level: 4}},
				Income:       &diagnostic.Income{Current: diagnostic.Num(3500), WishedMin: diagnostic.Num(4000), WishedMax: diagnostic.Num(5000)},
				SpouseMetier: "M1805"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := diagnostic.NewService(diagtest.New(), diagnostic.Options{Now: diagtest.Now})
			if err != nil {
				t.Fatal(err)
			}
			d, err := s.Run(context.Background(), tc.req)
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(d, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", "diagnostic-"+tc.name+".golden.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update once and review the file)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the diagnostic; run go test -update and review the diff", path)
			}
		})
	}
}

package api

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/piprate/json-gold/ld"

	"github.com/openemploi360/openemploi/internal/diagnostic"
)

// expandSafe expands a response with the context the server serves, in json-gold's
// safe mode, which fails on any key the context does not define instead of silently
// dropping it.
func expandSafe(t *testing.T, base, docURL string, body []byte) []any {
	t.Helper()
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	opts := ldOptions(t, base, docURL)
	opts.SafeMode = true
	out, err := ld.NewJsonLdProcessor().Expand(doc, opts)
	if err != nil {
		t.Fatalf("expansion of %s: %v", docURL, err)
	}
	return out
}

type ldCase struct {
	name, method, path, body string
	want                     []string // triples (N-Quads lines) that must be present
}

// The triples a few responses must state, as N-Quads lines.
const (
	ldM1811Code   = `<https://data.dataregionsud.fr/openemploi/id/rome/M1811> <http://www.w3.org/2004/02/skos/core#notation> "M1811" .`
	ldM1811Label  = `<https://data.dataregionsud.fr/openemploi/id/rome/M1811> <http://www.w3.org/2004/02/skos/core#prefLabel> "Data engineer"@fr .`
	ld9312Code    = `<https://data.dataregionsud.fr/openemploi/id/ze2020/9312> <http://www.w3.org/2004/02/skos/core#notation> "9312" .`
	ld9312Pop     = `<https://data.dataregionsud.fr/openemploi/id/ze2020/9312> <https://data.dataregionsud.fr/openemploi/def/population> "917000"^^<http://www.w3.org/2001/XMLSchema#integer> .`
	ldROMEPub     = `<https://data.dataregionsud.fr/openemploi/graph/rome4> <http://purl.org/dc/terms/publisher> "France Travail" .`
	ldSQLCode     = `<https://data.dataregionsud.fr/openemploi/id/rome-item/100025> <http://www.w3.org/2004/02/skos/core#notation> "100025" .`
	ldROMETitleFr = `<https://data.dataregionsud.fr/openemploi/graph/rome4> <http://purl.org/dc/terms/title> "ROME 4.0"@fr .`
)

// TestJSONLDResponsesFake expands one response of each kind, on the fake, with the
// context the server serves: every key must be a term of it (safe mode) and the
// triples must say what the JSON says.
func TestJSONLDResponsesFake(t *testing.T) {
	a := newFakeAPI(t)
	req, _ := os.ReadFile("testdata/fake/diagnostic-request.json")
	sug, _ := os.ReadFile("testdata/suggest-request.json")
	checkJSONLD(t, a.testAPI, []ldCase{
		{"search", http.MethodGet, "/api/metiers?q=data", "", []string{ldM1811Code}},
		{"metier", http.MethodGet, "/api/metiers/M1811", "", []string{ldM1811Code,
			`<https://data.dataregionsud.fr/openemploi/id/rome/M1811> <https://data.dataregionsud.fr/openemploi/def/skill> <https://data.dataregionsud.fr/openemploi/id/rome-item/100025> .`,
			`<https://data.dataregionsud.fr/openemploi/id/rome/M1805> <https://data.dataregionsud.fr/openemploi/def/mobilityRank> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .`}},
		{"zones", http.MethodGet, "/api/zones", "", []string{ld9312Pop,
			`<https://data.dataregionsud.fr/openemploi/id/ze2020/0053> <https://data.dataregionsud.fr/openemploi/def/interregional> "true"^^<http://www.w3.org/2001/XMLSchema#boolean> .`}},
		{"zone", http.MethodGet, "/api/zones/9312", "", []string{ld9312Code}},
		{"sources", http.MethodGet, "/api/sources", "", []string{ldROMEPub,
			`<https://data.dataregionsud.fr/openemploi/graph/rome4> <http://purl.org/dc/terms/issued> "2025-09-18"^^<http://www.w3.org/2001/XMLSchema#date> .`,
			`<https://data.dataregionsud.fr/openemploi/graph/offres-ft/2025-01> <https://data.dataregionsud.fr/openemploi/def/lastChecked> "2026-12-05T06:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .`,
			`<https://data.dataregionsud.fr/openemploi/graph/offres-ft/2025-01> <https://data.dataregionsud.fr/openemploi/def/lastChanged> "2026-12-05T06:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .`}},
		{"diagnostic", http.MethodGet, "/api/diagnostic?metier=M1811&zone=9312", "", []string{ldM1811Code}},
		{"diagnostic-profile", http.MethodPost, "/api/diagnostic", string(req), []string{ldM1811Code, ld9312Code}},
		{"suggest", http.MethodPost, "/api/skills/suggest", string(sug), []string{ldSQLCode}},
		{"deref-metier", http.MethodGet, "/id/rome/M1811", "", []string{ldM1811Label}},
		{"deref-graph", http.MethodGet, "/graph/rome4", "", []string{ldROMETitleFr}},
	})
}

// testJSONLDResponses is the same on the store fixture (TestStore runs it on each store).
func testJSONLDResponses(t *testing.T, a *testAPI) {
	req, _ := os.ReadFile("testdata/diagnostic-request.json")
	sug, _ := os.ReadFile("testdata/suggest-request.json")
	checkJSONLD(t, a, []ldCase{
		{"search", http.MethodGet, "/api/metiers?q=data", "", []string{ldM1811Code}},
		{"zones", http.MethodGet, "/api/zones", "", []string{ld9312Pop}},
		{"zone", http.MethodGet, "/api/zones/9312", "", []string{ld9312Code}},
		{"sources", http.MethodGet, "/api/sources", "", []string{ldROMEPub}},
		{"diagnostic", http.MethodGet, "/api/diagnostic?metier=M1811&zone=9312", "", []string{ldM1811Code}},
		{"diagnostic-profile", http.MethodPost, "/api/diagnostic", string(req), nil},
		{"suggest", http.MethodPost, "/api/skills/suggest", string(sug), []string{ldSQLCode}},
		{"deref-metier", http.MethodGet, "/id/rome/M1811", "", []string{ldM1811Label}},
		{"deref-graph", http.MethodGet, "/graph/rome4", "", []string{
			`<https://data.dataregionsud.fr/openemploi/graph/rome4> <https://data.dataregionsud.fr/openemploi/def/synthetic> "false"^^<http://www.w3.org/2001/XMLSchema#boolean> .`}},
	})
}

func checkJSONLD(t *testing.T, a *testAPI, cases []ldCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var body any
			if tc.body != "" {
				body = tc.body
			}
			resp, b := a.do(t, tc.method, tc.path, "", body)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%d: %s", resp.StatusCode, b)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/ld+json" {
				t.Errorf("content type %q", ct)
			}
			expanded := expandSafe(t, a.URL, a.URL+tc.path, b)
			if len(expanded) == 0 {
				t.Fatal("expands to nothing")
			}
			got := expand(t, a.URL, a.URL+tc.path, b)
			if miss := missingTriples(got, tc.want); len(miss) > 0 {
				t.Errorf("missing:\n%s\namong %d triples, e.g.\n%s", strings.Join(miss, "\n"), len(got), strings.Join(got[:min(5, len(got))], "\n"))
			}
		})
	}
}

// TestJSONLDExtraFigures: the figures of a section added without a member of its own
// (Cell.Extra) go out under "extra" and come into RDF as one JSON literal, section
// names and all, rather than being dropped.
func TestJSONLDExtraFigures(t *testing.T) {
	a := newFakeAPI(t)
	v := newDiagnosticView(&diagnostic.Diagnostic{Cells: []diagnostic.Cell{{
		Metier: diagnostic.MetierRef{IRI: "https://data.dataregionsud.fr/openemploi/id/rome/M1811"},
		Extra:  map[string]diagnostic.Figure{"commute": {Value: diagnostic.Num(42), Unit: "min", Source: "https://data.dataregionsud.fr/openemploi/graph/gares"}},
	}}})
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"extra":{"commute":{"value":42,"unit":"min"`) {
		t.Fatalf("extra not on the wire: %s", b)
	}
	expandSafe(t, a.URL, a.URL+"/api/diagnostic", b)
	got := strings.Join(expand(t, a.URL, a.URL+"/api/diagnostic", b), "\n")
	if !strings.Contains(got, `<https://data.dataregionsud.fr/openemploi/def/extraFigures> "{\"commute\":{\"source\":\"https://data.dataregionsud.fr/openemploi/graph/gares\",\"unit\":\"min\",\"value\":42}}"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON>`) {
		t.Errorf("extra figures not stated as a JSON literal:\n%s", got)
	}
}

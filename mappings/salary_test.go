package mappings_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/ntriples"
	"github.com/openemploi360/openemploi/internal/rml"
	"github.com/openemploi360/openemploi/internal/sparqlq"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
	"github.com/openemploi360/openemploi/mappings"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// expectedMonthly parses the France Travail pay text the way offers-salary.ru
// must, independently (Go regexp): the middle of the range, per month.
var payText = regexp.MustCompile(`^(Annuel|Mensuel|Horaire) de ([0-9]+(?:[.,][0-9]+)?) Euros(?: à ([0-9]+(?:[.,][0-9]+)?) Euros)?`)

func expectedMonthly(t string) (float64, bool) {
	m := payText.FindStringSubmatch(t)
	if m == nil {
		return 0, false
	}
	num := func(s string) float64 {
		f, _ := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
		return f
	}
	lo, hi := num(m[2]), num(m[2])
	if m[3] != "" {
		hi = num(m[3])
	}
	mid := (lo + hi) / 2
	switch m[1] {
	case "Annuel":
		mid /= 12
	case "Horaire":
		mid *= 151.67
	}
	return math.Round(mid*100) / 100, mid > 0
}

// TestOffersSalary maps the real France Travail sample, loads it, runs
// offers-salary.ru twice (it must be idempotent) and compares every computed
// monthly salary with the Go parse of the same text.
func TestOffersSalary(t *testing.T) {
	const sample = "testdata/sample/offres_france_travail/offres_paca_2024-06_2025-01.json"
	b, err := os.ReadFile(filepath.Join(repoRoot(t), sample))
	if err != nil {
		t.Fatal(err)
	}
	var offers []struct {
		ID      string            `json:"id"`
		Salaire map[string]string `json:"salaire"`
	}
	if err := json.Unmarshal(b, &offers); err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{}
	for _, o := range offers {
		if v, ok := expectedMonthly(o.Salaire["libelle"]); ok {
			want["https://data.dataregionsud.fr/openemploi/id/offre/ft/"+o.ID] = v
		}
	}
	if len(want) == 0 {
		t.Fatal("no offer with a parsable pay in the sample")
	}
	m, err := rml.LoadFile("offres-ft.rml.ttl")
	if err != nil {
		t.Fatal(err)
	}
	var nq bytes.Buffer
	w := ntriples.NewWriter(&nq)
	if _, err := m.Execute(context.Background(), rml.Options{Inputs: []string{filepath.Join(repoRoot(t), sample)}}, w); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	text, err := mappings.FS.ReadFile("offers-salary.ru")
	if err != nil {
		t.Fatal(err)
	}
	q, err := sparqlq.Parse("offers-salary.ru", string(text))
	if err != nil {
		t.Fatal(err)
	}
	graphs := map[string]bool{}
	for _, line := range strings.Split(nq.String(), "\n") {
		if i := strings.LastIndex(line, " <"); i > 0 && strings.HasSuffix(line, "> .") {
			graphs[line[i+2:len(line)-3]] = true
		}
	}
	var list []string
	for g := range graphs {
		list = append(list, g)
	}
	update, err := q.Bind(sparqlq.Args{"graphs": list})
	if err != nil {
		t.Fatal(err)
	}
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		ctx := context.Background()
		if err := c.LoadQuads(ctx, bytes.NewReader(nq.Bytes())); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if err := c.Update(ctx, string(update)); err != nil {
				t.Fatal(err)
			}
		}
		res, err := c.Select(ctx, `PREFIX oep: <https://data.dataregionsud.fr/openemploi/def/>
PREFIX schema: <http://schema.org/>
SELECT ?offer ?m (COUNT(?b) AS ?nb) WHERE { GRAPH ?g { ?offer oep:monthlyGrossSalary ?m ; schema:baseSalary ?b .
  ?b schema:currency "EUR" ; schema:unitText ?u ; schema:minValue ?min ; schema:maxValue ?max . FILTER(?min <= ?max) } }
GROUP BY ?offer ?m`)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]float64{}
		for _, row := range res.Solutions() {
			v, err := strconv.ParseFloat(row["m"].String(), 64)
			if err != nil {
				t.Fatalf("%s: monthly %q: %v", row["offer"], row["m"], err)
			}
			if n := row["nb"].String(); n != "1" {
				t.Errorf("%s: %s baseSalary nodes after two runs, want 1", row["offer"], n)
			}
			got[row["offer"].String()] = v
		}
		if len(got) != len(want) {
			t.Errorf("%d offers with a monthly salary, want %d", len(got), len(want))
		}
		for o, v := range want {
			if g, ok := got[o]; !ok || math.Abs(g-v) > 0.011 {
				t.Errorf("%s: monthly %v, want %v", o, g, v)
			}
		}
	})
}

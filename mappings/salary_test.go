package mappings_test

import (
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
	"github.com/openemploi360/openemploi/mappings"
)

// offerPay collects what the mapping writes about the pay of each offer.
type offerPay struct {
	monthly             float64
	hasMonthly          bool
	exclusion, adjust   string
	node                string // schema:baseSalary
	unit                string
	min, max            float64
	currency, nodeTyped bool
}

type paySink map[string]*offerPay

func (ps paySink) get(s string) *offerPay {
	p := ps[s]
	if p == nil {
		p = &offerPay{}
		ps[s] = p
	}
	return p
}

func (ps paySink) Quad(s, p, o, _ ntriples.Term) error {
	num := func() float64 { f, _ := strconv.ParseFloat(o.Value, 64); return f }
	switch p.Value {
	case oep + "monthlyGrossSalary":
		x := ps.get(s.Value)
		x.monthly, x.hasMonthly = num(), true
	case oep + "salaryExclusion":
		ps.get(s.Value).exclusion = o.Value
	case oep + "salaryAdjustment":
		ps.get(s.Value).adjust = o.Value
	case schemaOrg + "baseSalary":
		ps.get(s.Value).node = o.Value
	case schemaOrg + "unitText":
		ps.get(s.Value).unit = o.Value
	case schemaOrg + "minValue":
		ps.get(s.Value).min = num()
	case schemaOrg + "maxValue":
		ps.get(s.Value).max = num()
	case schemaOrg + "currency":
		ps.get(s.Value).currency = o.Value == "EUR"
	case rdfType:
		if o.Value == schemaOrg+"MonetaryAmount" {
			ps.get(s.Value).nodeTyped = true
		}
	}
	return nil
}

// The pay text as the former SPARQL transform read it (Go regexp, no
// correction): the middle of the range per month.
var payText = regexp.MustCompile(`^(Annuel|Mensuel|Horaire) de ([0-9]+(?:[.,][0-9]+)?) Euros(?: à ([0-9]+(?:[.,][0-9]+)?) Euros)?`)

func plainMonthly(t string) (float64, bool) {
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

// TestOffersPay maps the real France Travail offers and checks the pay the
// mapping computes (oefn:pay): every normalised monthly figure is between
// 400 and 15 000 euros; an offer whose pay text the former transform read
// and that needed no correction keeps the same figure; the corrections are
// noted; what is excluded says why; every pay node is complete.
func TestOffersPay(t *testing.T) {
	const sample = sd + "offres_france_travail/offres_paca_2024-06_2025-01.json"
	b, err := os.ReadFile(filepath.Join(repoRoot(t), sample))
	if err != nil {
		t.Fatal(err)
	}
	var offers []struct {
		ID      string            `json:"id"`
		Rome    string            `json:"romeCode"`
		Lieu    map[string]any    `json:"lieuTravail"`
		Salaire map[string]string `json:"salaire"`
		Duree   string            `json:"dureeTravailLibelle"`
	}
	if err := json.Unmarshal(b, &offers); err != nil {
		t.Fatal(err)
	}
	src, err := mappings.Lookup("offres-ft")
	if err != nil {
		t.Fatal(err)
	}
	m, err := rml.LoadFile(src.Mapping)
	if err != nil {
		t.Fatal(err)
	}
	pays := paySink{}
	if _, err := m.Execute(context.Background(), rml.Options{Inputs: []string{filepath.Join(repoRoot(t), sample)}}, pays); err != nil {
		t.Fatal(err)
	}
	stated, withMonthly, excluded, corrected, same := 0, 0, map[string]int{}, 0, 0
	for _, o := range offers {
		iri := "https://data.dataregionsud.fr/openemploi/id/offre/ft/" + o.ID
		p := pays[iri]
		if p == nil || p.node == "" {
			if _, ok := plainMonthly(o.Salaire["libelle"]); ok {
				t.Errorf("%s: pay %q not read", o.ID, o.Salaire["libelle"])
			}
			continue
		}
		stated++
		node := pays[p.node]
		if node == nil || !node.nodeTyped || !node.currency || node.unit == "" || node.min <= 0 || node.min > node.max {
			t.Errorf("%s: pay node %s incomplete: %+v", o.ID, p.node, node)
		}
		switch {
		case p.hasMonthly && p.exclusion != "":
			t.Errorf("%s: monthly %v and excluded (%s)", o.ID, p.monthly, p.exclusion)
		case p.hasMonthly:
			withMonthly++
			if p.monthly < 400 || p.monthly > 15000 {
				t.Errorf("%s: normalised monthly %v outside 400..15 000 (%q, %q)", o.ID, p.monthly, o.Salaire["libelle"], o.Duree)
			}
		case p.exclusion != "":
			excluded[p.exclusion]++
		default:
			t.Errorf("%s: pay node without monthly figure nor exclusion", o.ID)
		}
		old, ok := plainMonthly(o.Salaire["libelle"])
		switch {
		case !ok:
		case p.adjust == "" && p.hasMonthly:
			if math.Abs(old-p.monthly) > 0.011 {
				t.Errorf("%s: %q gives %v, the former transform %v, and nothing was corrected", o.ID, o.Salaire["libelle"], p.monthly, old)
			}
			same++
		case p.adjust != "":
			corrected++
		}
	}
	// K2307 in Digne (the 15 000 € quartile of issue 11): an annual amount in a
	// monthly field, for 35 h and for 18 h a week.
	for _, o := range offers {
		if o.Salaire["libelle"] != "Mensuel de 21450,00 Euros à 21450,00 Euros" {
			continue
		}
		p := pays["https://data.dataregionsud.fr/openemploi/id/offre/ft/"+o.ID]
		want := map[bool]float64{false: 1787.5, true: 3475.69}[strings.HasPrefix(o.Duree, "18")]
		if p.monthly != want || !strings.Contains(p.adjust, "annual amount in a monthly field") {
			t.Errorf("%s (%s, %q): monthly %v (%s), want %v", o.ID, o.Rome, o.Duree, p.monthly, p.adjust, want)
		}
	}
	if withMonthly == 0 || same == 0 || corrected == 0 || excluded["net"] == 0 {
		t.Errorf("the sample should exercise every case: %d with a monthly figure, %d unchanged, %d corrected, excluded %v", withMonthly, same, corrected, excluded)
	}
	t.Logf("real offers: %d of %d state a pay; %d normalised (%d as the former transform, %d corrected); excluded: %v", stated, len(offers), withMonthly, same, corrected, excluded)
}

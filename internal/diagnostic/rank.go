package diagnostic

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/openemploi360/openemploi/internal/vocab"
)

// rankCells scores every cell from its lights and orders the pairs.
func rankCells(th *Thresholds, d *Diagnostic) {
	for i := range d.Cells {
		if sc, ok := th.score(d.Cells[i].Lights); ok {
			d.Cells[i].Score = &sc
		}
	}
	d.Ranking = rank(d.Cells)
}

// score combines lights into 0–100; ok is false when every light is unknown.
func (t *Thresholds) score(lights []Light) (float64, bool) {
	var sum, w float64
	for _, l := range lights {
		wt := t.Ranking.Weights[l.Axis]
		var v float64
		switch l.Color {
		case Green:
			v = 1
		case Amber:
			v = 0.5
		case Red:
			v = 0
		default:
			continue
		}
		sum += v * wt
		w += wt
	}
	if w == 0 {
		return 0, false
	}
	return math.Round(sum/w*1000) / 10, true
}

// rank orders the cells by score and says why in French.
func rank(cells []Cell) []Rank {
	var out []Rank
	for _, c := range cells {
		if c.Score == nil {
			continue
		}
		var good, bad []string
		for _, l := range c.Lights {
			switch l.Color {
			case Green:
				good = append(good, axisFR[l.Axis])
			case Red:
				bad = append(bad, axisFR[l.Axis])
			}
		}
		reason := fmt.Sprintf("%s à %s : score %s/100", c.Metier.Label, c.Zone.Label, fmtNum(*c.Score))
		if len(good) > 0 {
			reason += ", points forts : " + strings.Join(good, ", ")
		}
		if len(bad) > 0 {
			reason += ", points faibles : " + strings.Join(bad, ", ")
		}
		out = append(out, Rank{Metier: c.Metier, Zone: c.Zone, Score: *c.Score, Reason: reason + "."})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	return out
}

var axisFR = map[string]string{AxisMarket: "marché", AxisPay: "salaire", AxisSkills: "compétences", AxisTraining: "formation", AxisLife: "cadre de vie"}

// usedSources keeps the sources a diagnostic cites.
func usedSources(all []SourceInfo, d *Diagnostic) []SourceInfo {
	used := map[string]bool{vocab.DerivedGraph: true}
	add := func(f Figure) {
		if f.Source != "" {
			used[f.Source] = true
		}
	}
	for _, m := range d.Metiers {
		used[m.Graph] = true
	}
	for _, z := range d.Zones {
		used[z.Graph] = true
		l := z.Life
		for _, f := range []Figure{l.PricePerSqm, l.RentPerSqm, l.UnemploymentRate, l.Population, l.Stations} {
			add(f)
		}
		for _, a := range l.Amenities {
			add(a.Count)
		}
	}
	for _, c := range d.Cells {
		if c.Tension != nil {
			add(c.Tension.Indicator)
		}
		for _, t := range c.Trainings {
			used[t.Source] = true
		}
		for _, co := range c.Companies {
			used[co.Source] = true
		}
	}
	var out []SourceInfo
	for _, s := range all {
		// the offers behind the derived aggregates are cited through their monthly graphs
		if used[s.IRI] || vocab.InFamily(s.IRI, vocab.FamilyOffers) {
			out = append(out, s)
		}
	}
	return out
}

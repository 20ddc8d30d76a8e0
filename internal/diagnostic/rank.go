package diagnostic

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/openemploi360/openemploi/internal/vocab"
)

// rankingRule says how the pairs are ordered.
const rankingRule = "Les couples métier–zone sont classés d'abord par nombre d'axes connus (sur 5 : marché, salaire, compétences, formation, cadre de vie), puis par score : un score calculé sur peu d'axes connus passe après un score mieux étayé."

// rankCells scores every cell from its lights, with the coverage of the score, and
// orders the pairs.
func rankCells(th *Thresholds, d *Diagnostic) {
	for i := range d.Cells {
		c := &d.Cells[i]
		c.Coverage = coverage(c.Lights)
		if sc, ok := th.score(c.Lights); ok {
			c.Score = &sc
		}
	}
	d.Ranking = rank(d.Cells)
	d.RankingRule = rankingRule
}

// coverage counts the lights that are not unknown.
func coverage(lights []Light) Coverage {
	c := Coverage{Of: len(lights)}
	for _, l := range lights {
		if l.Color != Unknown {
			c.Known++
		}
	}
	return c
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

// rank orders the cells by coverage, then score, and says why in French.
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
		axes := "axes connus"
		if c.Coverage.Known < 2 {
			axes = "axe connu"
		}
		reason := fmt.Sprintf("%s à %s : score %s/100 sur %d %s sur %d", c.Metier.Label, c.Zone.Label, fmtNum(*c.Score), c.Coverage.Known, axes, c.Coverage.Of)
		if len(good) > 0 {
			reason += ", points forts : " + strings.Join(good, ", ")
		}
		if len(bad) > 0 {
			reason += ", points faibles : " + strings.Join(bad, ", ")
		}
		out = append(out, Rank{Metier: c.Metier, Zone: c.Zone, Score: *c.Score, Coverage: c.Coverage, Reason: reason + "."})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Coverage.Known != out[j].Coverage.Known {
			return out[i].Coverage.Known > out[j].Coverage.Known
		}
		return out[i].Score > out[j].Score
	})
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

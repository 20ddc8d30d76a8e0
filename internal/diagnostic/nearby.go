package diagnostic

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/openemploi360/openemploi/internal/vocab"
)

// The nearby-métiers section reads the fiches of the ROME mobilités of the requested
// métiers (Referential.Metier, once per data version) and their market in the cells'
// zones (the market aggregates, read with the requested métiers' in one query): it
// has no role interface of its own.
type nearbyUnit struct{}

// nearbyPerMetier is how many of a fiche's mobilités are proposed.
const nearbyPerMetier = 3

func (nearbyUnit) Name() string { return "nearby" }

func (nearbyUnit) Fetch(ctx context.Context, q *Query) (Assemble, error) {
	codes := nearbyCodes(q.Fiches)
	near := make([]*Metier, len(codes))
	fns := []func() error{func() error { _, err := q.marketStats(ctx); return err }}
	for i, c := range codes {
		fns = append(fns, func() (err error) { near[i], err = q.ix.metier(ctx, q.src, c); return })
	}
	if err := parallel(fns...); err != nil {
		return nil, err
	}
	byCell, _ := q.marketStats(ctx)
	return func(d *Diagnostic) {
		for i, f := range q.Fiches {
			mr := &d.Metiers[i]
			for _, nf := range near {
				if hasMobility(f, nf.Code) {
					mr.Nearby = append(mr.Nearby, assembleNearby(f, nf, q.Skills, byCell, q.ZoneIRIs(), q.Latest))
				}
			}
			sort.SliceStable(mr.Nearby, func(a, b int) bool { return mr.Nearby[a].Score > mr.Nearby[b].Score })
		}
	}, nil
}

// nearbyCodes lists the first mobilités of each fiche that are not requested fiches
// themselves, without duplicates.
func nearbyCodes(fiches []*Metier) []string {
	codes := []string{}
	seen := map[string]bool{}
	for _, f := range fiches {
		seen[f.Code] = true
	}
	for _, f := range fiches {
		for k, mo := range f.Mobilities {
			if k == nearbyPerMetier {
				break
			}
			if !seen[mo.Code] {
				seen[mo.Code] = true
				codes = append(codes, mo.Code)
			}
		}
	}
	return codes
}

func hasMobility(f *Metier, code string) bool {
	for _, m := range f.Mobilities {
		if m.Code == code {
			return true
		}
	}
	return false
}

// assembleNearby rates a nearby fiche nf of f: the share of its skills f shares, its
// offers in the areas, the profile's fit; and says why in French.
func assembleNearby(f, nf *Metier, skills map[string]int, byCell map[[2]string]*MarketStats, areas []string, latest string) Nearby {
	nb := Nearby{Metier: MetierRef{IRI: nf.IRI, Code: nf.Code, Label: nf.Label, Executive: nf.Executive}}
	for _, mo := range f.Mobilities {
		if mo.Code == nf.Code {
			nb.Rank = mo.Rank
		}
	}
	own := map[string]bool{}
	for _, sk := range f.Skills {
		own[sk.Code] = true
	}
	shared := 0
	for _, sk := range nf.Skills {
		if own[sk.Code] {
			shared++
		}
	}
	if len(nf.Skills) > 0 {
		nb.Overlap = Figure{Value: Num(math.Round(float64(shared)/float64(len(nf.Skills))*1000) / 10), Unit: "%", N: Count(len(nf.Skills)), Source: nf.Graph}
	} else {
		nb.Overlap = Missing("%", nf.Graph, "la fiche ne liste aucune compétence")
	}
	total, sum := 0.0, 0
	for _, a := range areas {
		f := perMonth(byCell[[2]string{nf.IRI, a}], latest)
		if f.Known() {
			total += *f.Value
			sum += *f.N
		}
	}
	if latest != "" {
		nb.Offers = Figure{Value: Num(math.Round(total*100) / 100), Unit: "offers/month", Period: monthsBack(latest, 2) + "/" + latest, N: Count(sum), Source: vocab.DerivedGraph}
	} else {
		nb.Offers = Missing("offers/month", "", "aucune offre d'emploi chargée")
	}
	if len(skills) > 0 {
		_, _, nb.Owned = matchSkills(nf, skills)
	}
	// Score: skill overlap first, then the market of the requested zones, then the
	// profile's fit; the ROME rank breaks ties.
	ov := 0.0
	if nb.Overlap.Known() {
		ov = *nb.Overlap.Value / 100
	}
	score := 50*ov + 30*math.Min(total/5, 1)
	if nb.Owned.Known() {
		score += 20 * *nb.Owned.Value / 100
	}
	nb.Score = math.Round(score*10) / 10
	via := "mobilité proposée par le ROME"
	if nb.Rank > 0 {
		via += fmt.Sprintf(" (rang %d)", nb.Rank)
	}
	if nb.Overlap.Known() {
		via += fmt.Sprintf(", %s %% de compétences communes", fmtNum(*nb.Overlap.Value))
	}
	if latest != "" {
		via += fmt.Sprintf(", %s offre(s) par mois dans les zones choisies", fmtNum(math.Round(total*10)/10))
	}
	nb.Via = via
	return nb
}

package diagnostic

import (
	"context"
	"sort"

	"github.com/openemploi360/openemploi/internal/vocab"
)

// TensionSource reads the BMO recruitment tension (queries/tension.rq).
type TensionSource interface {
	// Tension returns one observation per métier, zone d'emploi and BMO bassin
	// overlapping the zone, for métiers × zones (IRIs).
	Tension(ctx context.Context, metiers, zones []string) ([]TensionObs, error)
}

// TensionObs is what BMO publishes for a métier in one bassin overlapping a zone.
type TensionObs struct {
	Metier, Zone, Bassin string // IRIs
	// Communes is how many of the zone's communes lie in the bassin: the weight of
	// the bassin in the zone.
	Communes                                           int
	Indicator, Hiring, Demand, OffersMean, SeekersMean *float64
	Period, Graph                                      string
	// Via is the ROME v3 fiche the figures were published for when it is not the
	// métier itself (a ROME 4 fiche without a v3 twin reads its parent's), else "".
	Via string
}

// Tension is the BMO recruitment tension of a métier in a zone.
type Tension struct {
	Indicator  Figure
	Components map[string]Figure // hiringIntensity, demandRatio, offersRegisteredMean, jobSeekersMean
	Bassins    []string
}

type tensionUnit struct{ src TensionSource }

func (tensionUnit) Name() string { return "tension" }

func (u tensionUnit) Fetch(ctx context.Context, q *Query) (Assemble, error) {
	zones := q.RealZones()
	if len(zones) == 0 {
		return nil, nil // BMO is published by bassin: nothing for the region as a whole
	}
	obs, err := u.src.Tension(ctx, q.MetierIRIs(), zones)
	if err != nil {
		return nil, err
	}
	byCell := assembleTension(obs)
	return func(d *Diagnostic) {
		for i := range d.Cells {
			c := &d.Cells[i]
			if !isRegion(c.Zone) {
				c.Tension = byCell[[2]string{c.Metier.IRI, c.Zone.IRI}]
			}
		}
	}, nil
}

// assembleTension averages, for each métier × zone, the bassins overlapping the zone,
// each weighted by how many of the zone's communes it holds.
func assembleTension(obs []TensionObs) map[[2]string]*Tension {
	type acc struct {
		sum, w, hsum, hw, dsum, dw, osum, ow, jsum, jw float64
		period, g, via                                 string
		bassins                                        []string
	}
	accs := map[[2]string]*acc{}
	var order [][2]string
	for _, o := range obs {
		key := [2]string{o.Metier, o.Zone}
		a := accs[key]
		if a == nil {
			a = &acc{}
			accs[key] = a
			order = append(order, key)
		}
		w := float64(o.Communes)
		add := func(v *float64, sum, wt *float64) {
			if v != nil {
				*sum += *v * w
				*wt += w
			}
		}
		add(o.Indicator, &a.sum, &a.w)
		add(o.Hiring, &a.hsum, &a.hw)
		add(o.Demand, &a.dsum, &a.dw)
		add(o.OffersMean, &a.osum, &a.ow)
		add(o.SeekersMean, &a.jsum, &a.jw)
		a.period, a.g, a.via = o.Period, o.Graph, o.Via
		a.bassins = append(a.bassins, o.Bassin)
	}
	out := map[[2]string]*Tension{}
	for _, key := range order {
		a := accs[key]
		t := &Tension{Components: map[string]Figure{}, Bassins: a.bassins}
		sort.Strings(t.Bassins)
		n := len(a.bassins)
		t.Indicator = Figure{Unit: "class 1-5", Period: a.period, N: &n, Source: a.g, Note: "indicateur de tension non publié"}
		if a.w > 0 {
			t.Indicator.Value, t.Indicator.Note = roundTo(a.sum/a.w, 2), ""
		}
		if a.via != "" {
			// Said on the figure: the number is the parent ROME v3 fiche's, not this one's.
			code, _ := vocab.MetierCode(a.via)
			t.Indicator.Note = "publié pour la fiche ROME v3 " + code + ", dont est issue cette fiche ROME 4"
		}
		if a.hw > 0 {
			t.Components["hiringIntensity"] = Figure{Value: roundTo(a.hsum/a.hw, 2), Unit: "class 1-5", Period: a.period, Source: a.g}
		}
		if a.ow > 0 {
			t.Components["offersRegisteredMean"] = Figure{Value: roundTo(a.osum/a.ow, 1), Unit: "offers (yearly mean)", Period: a.period, Source: a.g}
		}
		if a.jw > 0 {
			t.Components["jobSeekersMean"] = Figure{Value: roundTo(a.jsum/a.jw, 1), Unit: "job seekers (yearly mean)", Period: a.period, Source: a.g}
		}
		if a.dw > 0 {
			t.Components["demandRatio"] = Figure{Value: roundTo(a.dsum/a.dw, 2), Unit: "ratio", Period: a.period, Source: a.g}
		}
		out[key] = t
	}
	return out
}

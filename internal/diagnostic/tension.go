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
	// Communes and Population are how many of the zone's communes and inhabitants
	// lie in the bassin: the weight of the bassin in the zone.
	Communes                                           int
	Population                                         float64
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
	// WeightedBy says in French how the bassins overlapping the zone are averaged.
	WeightedBy string
	// Via is the ROME v3 code BMO published the figures for when it is not the
	// métier's own (a ROME 4 fiche read through its parent), else "".
	Via string
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

// Units of the tension figures, in French as they are shown.
const (
	unitTensionClass = "classe de 1 (peu de difficulté) à 5 (très forte difficulté)"
	unitRatio        = "ratio"
	unitOffersYear   = "offres enregistrées par an (moyenne du bassin)"
	unitSeekersYear  = "demandeurs d'emploi par an (moyenne du bassin)"
)

// assembleTension averages, for each métier × zone, the bassins overlapping the zone,
// each weighted by the zone's inhabitants living in it (the people the figure speaks
// for), or by its communes when a population is missing: a bassin holding one small
// commune of the zone must not count as much as the one holding its city.
func assembleTension(obs []TensionObs) map[[2]string]*Tension {
	byCell := map[[2]string][]TensionObs{}
	var order [][2]string
	for _, o := range obs {
		key := [2]string{o.Metier, o.Zone}
		if _, ok := byCell[key]; !ok {
			order = append(order, key)
		}
		byCell[key] = append(byCell[key], o)
	}
	out := map[[2]string]*Tension{}
	for _, key := range order {
		l := byCell[key]
		byPopulation := true
		for _, o := range l {
			if o.Population <= 0 {
				byPopulation = false
			}
		}
		weight := func(o TensionObs) float64 {
			if byPopulation {
				return o.Population
			}
			return float64(o.Communes)
		}
		mean := func(v func(TensionObs) *float64, digits int) *float64 {
			var sum, w float64
			for _, o := range l {
				if x := v(o); x != nil {
					sum += *x * weight(o)
					w += weight(o)
				}
			}
			if w == 0 {
				return nil
			}
			return roundTo(sum/w, digits)
		}
		last := l[len(l)-1]
		t := &Tension{Components: map[string]Figure{}}
		for _, o := range l {
			t.Bassins = append(t.Bassins, o.Bassin)
		}
		sort.Strings(t.Bassins)
		t.WeightedBy = "bassin unique"
		if len(l) > 1 {
			t.WeightedBy = "moyenne des bassins pondérée par le nombre de communes de la zone dans chacun"
			if byPopulation {
				t.WeightedBy = "moyenne des bassins pondérée par la population de la zone dans chacun"
			}
		}
		note := ""
		if last.Via != "" {
			// Said beside each figure: the numbers are the parent ROME v3 fiche's.
			t.Via, _ = vocab.MetierCode(last.Via)
			note = "publié pour la fiche ROME v3 " + t.Via + ", dont est issue cette fiche ROME 4"
		}
		fig := func(v *float64, unit string) Figure {
			return Figure{Value: v, Unit: unit, Period: last.Period, Source: last.Graph, Note: note}
		}
		n := len(l)
		t.Indicator = fig(mean(func(o TensionObs) *float64 { return o.Indicator }, 2), unitTensionClass)
		t.Indicator.N = &n
		if !t.Indicator.Known() {
			t.Indicator.Note = "indicateur de tension non publié"
		}
		for _, c := range []struct {
			name   string
			v      func(TensionObs) *float64
			digits int
			unit   string
		}{
			{"hiringIntensity", func(o TensionObs) *float64 { return o.Hiring }, 2, unitTensionClass},
			{"offersRegisteredMean", func(o TensionObs) *float64 { return o.OffersMean }, 1, unitOffersYear},
			{"jobSeekersMean", func(o TensionObs) *float64 { return o.SeekersMean }, 1, unitSeekersYear},
			{"demandRatio", func(o TensionObs) *float64 { return o.Demand }, 2, unitRatio},
		} {
			if v := mean(c.v, c.digits); v != nil {
				t.Components[c.name] = fig(v, c.unit)
			}
		}
		out[key] = t
	}
	return out
}

package diagnostic

import (
	"context"
	"fmt"
	"sort"
)

// LifeSource reads the life-context indicators of zones (queries/life.rq).
type LifeSource interface {
	// Life returns the observations of each zone d'emploi asked (IRIs); a zone
	// without any indicator may be absent or empty.
	Life(ctx context.Context, zones []string) (map[string]*LifeObs, error)
}

// LifeObs is what the territorial sources say about one zone d'emploi.
type LifeObs struct {
	Unemployment *Measure // localised unemployment rate (%), latest quarter
	Price        *Measure // mean price per m² of sales, weighted by sales; N sales
	Rent         *Measure // mean rent per m² and month over communes; N communes
	Population   *Measure // inhabitants, sum of the communes
	Stations     *StationsObs
	Amenities    []AmenityObs
}

// Measure is one observed value with its sample size, period and graph.
type Measure struct {
	Value  *float64
	N      int
	Period string
	Graph  string
}

// StationsObs is the railway stations of a zone.
type StationsObs struct {
	Count int
	Names []string
	Graph string
}

// AmenityObs is the number of amenities of one family in a zone.
type AmenityObs struct {
	Family string
	Count  float64
	Period string
	Graph  string
}

// Amenity is the number of amenities of one family per 10 000 inhabitants.
type Amenity struct {
	Family string
	Per10k Figure
	Count  Figure
}

// Life is the life context of a zone.
type Life struct {
	PricePerSqm      Figure
	RentPerSqm       Figure
	UnemploymentRate Figure
	Population       Figure
	Amenities        []Amenity
	Stations         Figure
	StationNames     []string
}

// The life section reads its observations through the per-version index cache
// (index.lifeOf): a zone's life context changes only with an import.
type lifeUnit struct{}

func (lifeUnit) Name() string { return "life" }

func (lifeUnit) Fetch(ctx context.Context, q *Query) (Assemble, error) {
	life, err := q.ix.lifeOf(ctx, q.src, q.RealZones())
	if err != nil {
		return nil, err
	}
	return func(d *Diagnostic) {
		for i := range d.Zones {
			if l := life[d.Zones[i].IRI]; l != nil {
				d.Zones[i].Life = *l
				// the cached life context is shared between diagnostics: copy what
				// the answer may mark
				d.Zones[i].Life.Amenities = append([]Amenity(nil), l.Amenities...)
			}
		}
		for i := range d.Cells {
			c := &d.Cells[i]
			unemployment := Missing("%", "", "aucune zone choisie : le cadre de vie se lit par zone d'emploi")
			if l := life[c.Zone.IRI]; l != nil {
				unemployment = l.UnemploymentRate
			}
			c.Lights = append(c.Lights, q.th.lifeLight(unemployment))
		}
	}, nil
}

// assembleLife turns the observations of a batch of zones into their life context:
// every zone asked gets an entry, each missing indicator a note, each amenity family
// its count per 10 000 inhabitants. vintage gives, by graph, the date its data
// describes: population and stations take it as their period, and each ratio says
// which population it divides by.
func assembleLife(zones []string, obs map[string]*LifeObs, vintage map[string]string) map[string]*Life {
	out := make(map[string]*Life, len(zones))
	for _, z := range zones {
		out[z] = lifeOf(obs[z], vintage)
	}
	// A station count of 0 is a fact once the station graph is loaded; the query only
	// returns zones with stations, so say 0 for the others when any zone has one.
	for _, l := range out {
		if !l.Stations.Known() {
			for _, z := range zones {
				if o := out[z]; o.Stations.Known() {
					l.Stations = Figure{Value: Num(0), Unit: "stations", Period: o.Stations.Period, Source: o.Stations.Source}
					break
				}
			}
		}
	}
	return out
}

func lifeOf(o *LifeObs, vintage map[string]string) *Life {
	l := &Life{
		PricePerSqm:      Missing("EUR/m2", "", "aucune vente immobilière enregistrée dans cette zone"),
		RentPerSqm:       Missing("EUR/m2/month", "", "aucun indicateur de loyer pour cette zone"),
		UnemploymentRate: Missing("%", "", "aucun taux de chômage pour cette zone"),
		Population:       Missing("inhabitants", "", "population des communes inconnue pour cette zone"),
		Stations:         Missing("stations", "", "aucune donnée de gares chargée"),
	}
	if o == nil {
		return l
	}
	if m := o.Unemployment; m != nil {
		l.UnemploymentRate = Figure{Value: roundp(m.Value, 1), Unit: "%", Period: m.Period, Source: m.Graph}
	}
	if m := o.Price; m != nil {
		l.PricePerSqm = Figure{Value: roundp(m.Value, 0), Unit: "EUR/m2", Period: m.Period, N: Count(m.N), Source: m.Graph}
	}
	if m := o.Rent; m != nil {
		l.RentPerSqm = Figure{Value: roundp(m.Value, 2), Unit: "EUR/m2/month", Period: m.Period, N: Count(m.N), Source: m.Graph}
	}
	if m := o.Population; m != nil {
		l.Population = Figure{Value: m.Value, Unit: "inhabitants", Period: vintage[m.Graph], Source: m.Graph}
	}
	if s := o.Stations; s != nil {
		l.Stations = Figure{Value: Num(float64(s.Count)), Unit: "stations", Period: vintage[s.Graph], Source: s.Graph}
		if len(s.Names) > 0 {
			l.StationNames = append([]string(nil), s.Names...)
			sort.Strings(l.StationNames)
		}
	}
	fams := append([]AmenityObs(nil), o.Amenities...)
	sort.SliceStable(fams, func(i, j int) bool { return fams[i].Family < fams[j].Family })
	for _, a := range fams {
		c := Figure{Value: Num(a.Count), Unit: "amenities", Period: a.Period, Source: a.Graph}
		per := Figure{Unit: "per 10000 inhabitants", Period: a.Period, Source: a.Graph}
		if l.Population.Known() && *l.Population.Value > 0 {
			per.Value = roundTo(a.Count*10000 / *l.Population.Value, 1)
			per.N = Count(int(a.Count))
			per.Note = "équipements de " + a.Period + " rapportés à la population des communes"
			if p := l.Population.Period; p != "" {
				per.Note += " " + atDate(p)
			} else {
				per.Note += " (millésime non indiqué)"
			}
		} else {
			per.Note = "population inconnue"
		}
		l.Amenities = append(l.Amenities, Amenity{Family: a.Family, Per10k: per, Count: c})
	}
	return l
}

// lifeLight rates the zone's unemployment rate.
func (t *Thresholds) lifeLight(unemployment Figure) Light {
	l := Light{Axis: AxisLife, Rule: "taux de chômage localisé de la zone d'emploi (dernier trimestre)",
		Inputs:     map[string]any{"unemploymentPct": unemployment.Value, "period": unemployment.Period},
		Thresholds: map[string]any{"greenMaxPct": t.Life.GreenMaxUnemploymentPct, "amberMaxPct": t.Life.AmberMaxUnemploymentPct}}
	switch {
	case !unemployment.Known():
		l.Color, l.Explanation = Unknown, "Taux de chômage de la zone inconnu."
	case *unemployment.Value <= t.Life.GreenMaxUnemploymentPct:
		l.Color, l.Explanation = Green, fmt.Sprintf("Chômage de la zone à %s %% : plus bas que la moyenne régionale.", fmtNum(*unemployment.Value))
	case *unemployment.Value <= t.Life.AmberMaxUnemploymentPct:
		l.Color, l.Explanation = Amber, fmt.Sprintf("Chômage de la zone à %s %%, proche de la moyenne régionale.", fmtNum(*unemployment.Value))
	default:
		l.Color, l.Explanation = Red, fmt.Sprintf("Chômage de la zone élevé : %s %%.", fmtNum(*unemployment.Value))
	}
	return l
}

// atDate writes when a figure stands in French: "au 1er janvier 2026" for a day,
// "de 2023" for a period.
func atDate(p string) string {
	if d := frDate(p); d != p {
		return "au " + d
	}
	return "de " + p
}

package diagnostic

import (
	"strings"
	"testing"
)

func TestInterregionalZone(t *testing.T) {
	for _, tc := range []struct {
		name string
		obs  ZoneObs
		note string
	}{
		{"ByCode", ZoneObs{Code: "0053", Label: "Avignon", Communes: 22, Population: Num(250000)},
			"zone d'emploi interrégionale : seules ses communes de Provence-Alpes-Côte d'Azur sont comptées (22)"},
		{"ByCommuneCount", ZoneObs{Code: "0064", Label: "Valréas", Communes: 30, TotalCommunes: 114, Population: Num(40000)},
			"zone d'emploi interrégionale : seules ses communes de Provence-Alpes-Côte d'Azur sont comptées (30 sur 114)"},
		{"RegionalZone", ZoneObs{Code: "9312", Label: "Marseille", Communes: 32, TotalCommunes: 32, Population: Num(1e6)}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			z := zoneOf(tc.obs, "2026-01-01")
			if z.Interregional != (tc.note != "") || z.Note != tc.note || z.Population.Note != tc.note {
				t.Fatalf("zone %+v", z)
			}
			l := lifeOf(&LifeObs{
				Unemployment: &Measure{Value: Num(9), Period: "2023-T3"},
				Price:        &Measure{Value: Num(3000), N: 10},
				Amenities:    []AmenityObs{{Family: "Santé", Count: 100, Period: "2023"}},
			}, nil)
			c := &Cell{Zone: z, Market: assembleMarket(nil, "2025-01", 5), Salary: assembleSalary(SalaryStats{}, nil),
				Tension: &Tension{Indicator: Figure{Value: Num(3)}, Components: map[string]Figure{"demandRatio": {Value: Num(1)}}}}
			partialZone(z, l, c)
			for name, f := range map[string]Figure{
				"price": l.PricePerSqm, "amenity": l.Amenities[0].Count, "perMonth": c.Market.PerMonth,
				"month": c.Market.OffersByMonth[0], "median": c.Salary.Median, "tension": c.Tension.Indicator,
				"component": c.Tension.Components["demandRatio"], "stations": l.Stations,
			} {
				if strings.Contains(f.Note, "interrégionale") != (tc.note != "") {
					t.Errorf("%s: note %q", name, f.Note)
				}
			}
			// INSEE publishes the unemployment rate for the whole zone: no caveat
			if strings.Contains(l.UnemploymentRate.Note, "interrégionale") {
				t.Errorf("unemployment note %q", l.UnemploymentRate.Note)
			}
			// a note already there is kept
			if tc.note != "" && !strings.HasPrefix(c.Salary.Median.Note, "aucune offre n'indique de salaire") {
				t.Errorf("median note %q", c.Salary.Median.Note)
			}
		})
	}
}

package diagnostic

import (
	"testing"

	"github.com/openemploi360/openemploi/internal/vocab"
)

func TestAssembleTension(t *testing.T) {
	m, z := vocab.Metier("M1811"), vocab.Zone("9312")
	obs := func(bassin string, communes int, population, indicator, hiring float64, via string) TensionObs {
		return TensionObs{Metier: m, Zone: z, Bassin: vocab.IRI(vocab.KindBassin, bassin), Communes: communes, Population: population,
			Indicator: Num(indicator), Hiring: Num(hiring), Period: "2024", Graph: vocab.Graph("tension"), Via: via}
	}
	const v3note = "publié pour la fiche ROME v3 M1805, dont est issue cette fiche ROME 4"
	for _, tc := range []struct {
		name              string
		obs               []TensionObs
		indicator, hiring float64
		bassins           string
		weightedBy, note  string
	}{
		{"OneBassin", []TensionObs{obs("9313", 2, 917000, 3.4, 3, "")}, 3.4, 3, "9313", "bassin unique", ""},
		// the city's bassin (870 000 inhabitants at 4) outweighs the one of a small
		// commune (47 000 at 2): (4×870000 + 2×47000) / 917000 = 3.90; by communes it
		// would have been 3
		{"WeightedByPopulation", []TensionObs{obs("9313", 1, 870000, 4, 5, ""), obs("9314", 1, 47000, 2, 1, "")}, 3.9, 4.79, "9313,9314",
			"moyenne des bassins pondérée par la population de la zone dans chacun", ""},
		// a population missing: by communes, (4×3 + 2×1) / 4 = 3.5
		{"ByCommunesWithoutPopulation", []TensionObs{obs("9313", 3, 0, 4, 5, ""), obs("9314", 1, 47000, 2, 1, "")}, 3.5, 4, "9313,9314",
			"moyenne des bassins pondérée par le nombre de communes de la zone dans chacun", ""},
		{"ViaROMEv3", []TensionObs{obs("9313", 2, 917000, 3.4, 3, vocab.MetierV3("M1805"))}, 3.4, 3, "9313", "bassin unique", v3note},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := assembleTension(tc.obs)[[2]string{m, z}]
			if got == nil {
				t.Fatal("no tension")
			}
			if v := got.Indicator.Value; v == nil || *v != tc.indicator || got.Indicator.Note != tc.note {
				t.Errorf("indicator = %+v, want %v note %q", got.Indicator, tc.indicator, tc.note)
			}
			if got.Indicator.Unit != "classe de 1 (peu de difficulté) à 5 (très forte difficulté)" {
				t.Errorf("unit %q is not in French", got.Indicator.Unit)
			}
			h := got.Components["hiringIntensity"]
			if h.Value == nil || *h.Value != tc.hiring || h.Note != tc.note {
				t.Errorf("hiring = %+v, want %v with the indicator's note", h, tc.hiring)
			}
			if _, ok := got.Components["demandRatio"]; ok {
				t.Error("a component nobody published was invented")
			}
			if got.WeightedBy != tc.weightedBy || (tc.note != "") != (got.Via == "M1805") {
				t.Errorf("weighted by %q, via %q", got.WeightedBy, got.Via)
			}
			var codes string
			for i, b := range got.Bassins {
				c, _ := vocab.Code(vocab.KindBassin, b)
				if i > 0 {
					codes += ","
				}
				codes += c
			}
			if codes != tc.bassins || *got.Indicator.N != len(tc.obs) {
				t.Errorf("bassins = %v (n %d)", got.Bassins, *got.Indicator.N)
			}
		})
	}
	if got := assembleTension(nil); len(got) != 0 {
		t.Errorf("tension from no observation: %+v", got)
	}
}

package diagnostic

import (
	"testing"

	"github.com/openemploi360/openemploi/internal/vocab"
)

func TestAssembleTension(t *testing.T) {
	m, z := vocab.Metier("M1811"), vocab.Zone("9312")
	obs := func(bassin string, communes int, indicator, hiring float64, via string) TensionObs {
		return TensionObs{Metier: m, Zone: z, Bassin: vocab.IRI(vocab.KindBassin, bassin), Communes: communes,
			Indicator: Num(indicator), Hiring: Num(hiring), Period: "2024", Graph: vocab.Graph("tension"), Via: via}
	}
	for _, tc := range []struct {
		name          string
		obs           []TensionObs
		indicator     float64
		hiring        float64
		bassins, note string
	}{
		{"OneBassin", []TensionObs{obs("9313", 2, 3.4, 3, "")}, 3.4, 3, "9313", ""},
		// 3 communes in a bassin at 4 and 1 in one at 2: (4×3 + 2×1) / 4 = 3.5
		{"WeightedByCommunes", []TensionObs{obs("9313", 3, 4, 5, ""), obs("9314", 1, 2, 1, "")}, 3.5, 4, "9313,9314", ""},
		// (1×1 + 2×2) / 3 = 1.666… → 1.67
		{"Rounded", []TensionObs{obs("9313", 1, 1, 1, ""), obs("9314", 2, 2, 2, "")}, 1.67, 1.67, "9313,9314", ""},
		{"ViaROMEv3", []TensionObs{obs("9313", 2, 3.4, 3, vocab.MetierV3("M1805"))}, 3.4, 3, "9313",
			"publié pour la fiche ROME v3 M1805, dont est issue cette fiche ROME 4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := assembleTension(tc.obs)[[2]string{m, z}]
			if got == nil {
				t.Fatal("no tension")
			}
			if v := got.Indicator.Value; v == nil || *v != tc.indicator || got.Indicator.Unit != "class 1-5" || got.Indicator.Note != tc.note {
				t.Errorf("indicator = %+v, want %v note %q", got.Indicator, tc.indicator, tc.note)
			}
			if v := got.Components["hiringIntensity"].Value; v == nil || *v != tc.hiring {
				t.Errorf("hiring = %+v, want %v", got.Components["hiringIntensity"], tc.hiring)
			}
			if _, ok := got.Components["demandRatio"]; ok {
				t.Error("a component nobody published was invented")
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

package diagnostic

import (
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/vocab"
)

func TestAssembleLife(t *testing.T) {
	mars, nice, gap := vocab.Zone("9312"), vocab.Zone("9315"), vocab.Zone("9399")
	gares := vocab.Graph("gares")
	obs := map[string]*LifeObs{
		mars: {
			Price:        &Measure{Value: Num(3578.35), N: 9700, Period: "2023", Graph: vocab.Graph("dvf")},
			Rent:         &Measure{Value: Num(14.1334), N: 2, Period: "2023", Graph: vocab.Graph("loyers")},
			Unemployment: &Measure{Value: Num(10.14), Period: "2023-T3", Graph: vocab.Graph("chomage")},
			Population:   &Measure{Value: Num(917000), Graph: vocab.Graph("geo")},
			Stations:     &StationsObs{Count: 2, Names: []string{"Marseille-Saint-Charles", "Marseille-Blancarde"}, Graph: gares},
			Amenities: []AmenityObs{
				{Family: "Santé", Count: 1800, Period: "2023", Graph: vocab.Graph("bpe")},
				{Family: "Commerce", Count: 917, Period: "2023", Graph: vocab.Graph("bpe")},
			},
		},
		// amenities but no population: no ratio, a note
		nice: {Amenities: []AmenityObs{{Family: "Santé", Count: 10, Period: "2023", Graph: vocab.Graph("bpe")}}},
	}
	got := assembleLife([]string{mars, nice, gap}, obs, map[string]string{vocab.Graph("geo"): "2026-01-01", gares: "2026-03-23"})
	m := got[mars]
	for _, tc := range []struct {
		name string
		f    Figure
		want float64
	}{
		{"PriceRoundedToTheEuro", m.PricePerSqm, 3578},
		{"RentToTheCent", m.RentPerSqm, 14.13},
		{"UnemploymentToOneDecimal", m.UnemploymentRate, 10.1},
		{"Population", m.Population, 917000},
		{"Stations", m.Stations, 2},
		// 1 800 × 10 000 / 917 000 = 19.63
		{"SantéPer10k", m.Amenities[1].Per10k, 19.6},
		{"CommercePer10k", m.Amenities[0].Per10k, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.f.Value == nil || *tc.f.Value != tc.want {
				t.Errorf("%+v, want %v", tc.f, tc.want)
			}
		})
	}
	// the population and stations are dated; each ratio says which population it uses
	if m.Population.Period != "2026-01-01" || m.Stations.Period != "2026-03-23" || got[nice].Stations.Period != "2026-03-23" {
		t.Errorf("periods: population %q, stations %q / %q", m.Population.Period, m.Stations.Period, got[nice].Stations.Period)
	}
	if n := m.Amenities[1].Per10k.Note; n != "équipements de 2023 rapportés à la population des communes au 1er janvier 2026" {
		t.Errorf("ratio note %q", n)
	}
	if m.Amenities[0].Family != "Commerce" || m.StationNames[0] != "Marseille-Blancarde" {
		t.Errorf("families %+v or station names %v not in order", m.Amenities, m.StationNames)
	}
	n := got[nice]
	if n.Amenities[0].Per10k.Value != nil || n.Amenities[0].Per10k.Note != "population inconnue" {
		t.Errorf("ratio without population: %+v", n.Amenities[0].Per10k)
	}
	// Stations are loaded (Marseille has some): a zone without any has 0, not unknown.
	for _, z := range []string{nice, gap} {
		if s := got[z].Stations; s.Value == nil || *s.Value != 0 || s.Source != gares {
			t.Errorf("stations of %s = %+v, want 0 from %s", z, s, gares)
		}
	}
	g := got[gap]
	for name, f := range map[string]Figure{"price": g.PricePerSqm, "rent": g.RentPerSqm, "unemployment": g.UnemploymentRate, "population": g.Population} {
		if f.Known() || !strings.Contains(f.Note, "aucun") && !strings.Contains(f.Note, "inconnue") {
			t.Errorf("%s of a zone without data = %+v, want null with a note", name, f)
		}
	}
	// Without any station in the batch, nothing says the station graph is loaded.
	if s := assembleLife([]string{gap}, nil, nil)[gap].Stations; s.Known() {
		t.Errorf("stations without data = %+v", s)
	}
}

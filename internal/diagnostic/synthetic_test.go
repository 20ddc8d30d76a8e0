package diagnostic

import (
	"testing"

	"github.com/openemploi360/openemploi/internal/vocab"
)

func TestMarkSynthetic(t *testing.T) {
	synth, real := vocab.Graph("formations-synth"), vocab.Graph("bpe")
	g := syntheticGraphs([]SourceInfo{
		{IRI: synth, Synthetic: true},
		{IRI: real},
		{IRI: vocab.Graph("offres-synth", "2025-01"), Synthetic: true},
		{IRI: vocab.Graph("offres-ft", "2025-01")},
	})
	if !g[vocab.DerivedGraph] || g[real] || !g[synth] {
		t.Fatalf("synthetic graphs %v: the aggregates of partly synthetic offers are synthetic, BPE is not", g)
	}
	f := func(src string) Figure { return Figure{Value: Num(1), Source: src} }
	spouse := f(vocab.DerivedGraph)
	d := &Diagnostic{
		Zones: []ZoneReport{{Zone: Zone{Population: f(real)}, Life: Life{Amenities: []Amenity{{Count: f(real), Per10k: f(real)}}}}},
		Cells: []Cell{{
			Market:    Market{PerMonth: f(vocab.DerivedGraph), OffersByMonth: []Figure{f(vocab.DerivedGraph)}},
			Tension:   &Tension{Indicator: f(real), Components: map[string]Figure{"demandRatio": f(vocab.DerivedGraph)}},
			Trainings: []Training{{Source: synth}, {Source: real}},
			Companies: []Company{{Source: vocab.DerivedGraph}},
			Spouse:    &spouse,
			Extra:     map[string]Figure{"commute": f(synth)},
		}},
	}
	markSynthetic(d, g)
	c := d.Cells[0]
	for _, tc := range []struct {
		name      string
		got, want bool
	}{
		{"PerMonth", c.Market.PerMonth.Synthetic, true},
		{"OffersByMonth", c.Market.OffersByMonth[0].Synthetic, true},
		{"TensionIndicator", c.Tension.Indicator.Synthetic, false},
		{"TensionComponentInAMap", c.Tension.Components["demandRatio"].Synthetic, true},
		{"SyntheticTraining", c.Trainings[0].Synthetic, true},
		{"RealTraining", c.Trainings[1].Synthetic, false},
		{"EmployerOfSyntheticOffers", c.Companies[0].Synthetic, true},
		{"SpousePointer", c.Spouse.Synthetic, true},
		{"ExtraSection", c.Extra["commute"].Synthetic, true},
		{"Population", d.Zones[0].Population.Synthetic, false},
		{"Amenity", d.Zones[0].Life.Amenities[0].Per10k.Synthetic, false},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: synthetic %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}

// A company whose origin the aggregates state keeps it: a real employer read from the
// aggregates (which mix real and generated offers) is not marked synthetic, a
// generated one is, and one read before the origin was written takes the graph's flag.
func TestMarkSyntheticKeepsAStatedOrigin(t *testing.T) {
	g := syntheticGraphs([]SourceInfo{{IRI: vocab.Graph("offres-synth", "2025-01"), Synthetic: true}})
	d := &Diagnostic{Cells: []Cell{{Companies: []Company{
		{Name: "ARKOPHARMA", Source: vocab.DerivedGraph, OriginKnown: true},
		{Name: "Entreprise synthétique n°1", Source: vocab.DerivedGraph, OriginKnown: true, Synthetic: true},
		{Name: "unstated", Source: vocab.DerivedGraph},
	}}}}
	markSynthetic(d, g)
	for i, want := range []bool{false, true, true} {
		if got := d.Cells[0].Companies[i].Synthetic; got != want {
			t.Errorf("%s: synthetic = %v, want %v", d.Cells[0].Companies[i].Name, got, want)
		}
	}
}

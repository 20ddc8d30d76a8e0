package diagnostic

import (
	"testing"

	"github.com/openemploi360/openemploi/internal/vocab"
)

func TestSourceDates(t *testing.T) {
	offers, geo, chomage, bare := vocab.Graph("offres-ft", "2024-06"), vocab.Graph("geo"), vocab.Graph("chomage"), vocab.Graph("sirene")
	in := []SourceInfo{
		{IRI: offers, Issued: "2025-01-12"},
		{IRI: geo, Issued: "2026-01-01"},
		{IRI: chomage, Issued: "2023-12-30", Temporal: Span{From: "2003-T1", To: "2023-T3"}},
		{IRI: bare},
	}
	got := completeSources(in)
	if got[0].Temporal != (Span{From: "2024-06", To: "2024-06"}) || got[1].Temporal != (Span{}) || in[0].Temporal != (Span{}) {
		t.Errorf("coverage %+v (the input must stay as it was: %+v)", got, in[0])
	}
	v := vintages(got)
	for g, want := range map[string]string{offers: "2024-06", geo: "2026-01-01", chomage: "2023-T3", bare: ""} {
		if v[g] != want {
			t.Errorf("vintage of %s = %q, want %q", g, v[g], want)
		}
	}
}

func TestDerivedCoversTheOffers(t *testing.T) {
	in := []SourceInfo{
		{IRI: vocab.Graph("offres-ft", "2024-08")},
		{IRI: vocab.Graph("offres-synth", "2025-01")},
		{IRI: vocab.VersionGraph(vocab.Graph("offres-ft", "2024-11"), "r1")},
		{IRI: vocab.Graph("chomage"), Temporal: Span{From: "2003-T1", To: "2023-T3"}}, // not offers
		{IRI: vocab.DerivedGraph},
	}
	got := completeSources(in)
	if d := got[len(got)-1].Temporal; d != (Span{From: "2024-08", To: "2025-01"}) {
		t.Errorf("derived coverage = %+v, want 2024-08/2025-01 (the span of the offers graphs)", d)
	}
	if got := completeSources([]SourceInfo{{IRI: vocab.DerivedGraph}}); got[0].Temporal != (Span{}) {
		t.Errorf("derived with no offers graph = %+v, want unknown", got[0].Temporal)
	}
}

// TestAggregatesDescribedFromTheirMonths: the market figures cite oeg:derived; with the
// aggregates streamed into one graph per source and month, its description is made
// from theirs: the months covered, the latest import, synthetic when one is.
func TestAggregatesDescribedFromTheirMonths(t *testing.T) {
	in := []SourceInfo{
		{IRI: vocab.Graph("offres-ft", "2024-08")},
		{IRI: vocab.DerivedMonthGraph("offres-ft", "2024-08"), Modified: "2026-12-01T10:00:00Z", License: "L1"},
		{IRI: vocab.DerivedMonthGraph("offres-synth", "2025-01"), Modified: "2026-12-05T09:00:00Z", License: "L2", Synthetic: true},
		{IRI: vocab.DerivedMonthGraph("offres-ft", "2024-06"), Modified: "2026-11-30T10:00:00Z", License: "L1"},
	}
	got := completeSources(in)
	if len(got) != len(in)+1 {
		t.Fatalf("sources %+v, want the aggregates' description added", got)
	}
	d := got[len(got)-1]
	if d.IRI != vocab.DerivedGraph || d.Temporal != (Span{From: "2024-06", To: "2025-01"}) ||
		d.Modified != "2026-12-05T09:00:00Z" || !d.Synthetic || d.Title == "" || d.Publisher == "" {
		t.Errorf("aggregates described as %+v", d)
	}
	if v := vintages(got)[vocab.DerivedGraph]; v != "2025-01" {
		t.Errorf("vintage of the aggregates = %q, want 2025-01", v)
	}
	real := completeSources(in[:2])
	if d := real[len(real)-1]; d.Synthetic || d.License != "L1" || d.Temporal != (Span{From: "2024-08", To: "2024-08"}) {
		t.Errorf("real aggregates described as %+v", d)
	}
	if got := completeSources(in[:1]); len(got) != 1 {
		t.Errorf("no month graph, no aggregates' description: %+v", got)
	}
}

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

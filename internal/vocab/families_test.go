package vocab

import "testing"

func TestInFamily(t *testing.T) {
	for _, tc := range []struct {
		iri, family string
		want        bool
	}{
		{Graph("offres-ft", "2024-06"), FamilyOffers, true},
		{Graph("offres-synth", "2024-06"), FamilyOffers, true},
		{Graph("formations-lheo"), FamilyTrainings, true},
		{Graph("formations-lheo"), FamilyOffers, false},
		{Graph("offres"), FamilyOffers, false}, // the family alone is no source
		{DerivedGraph, FamilyOffers, false},
		{"http://example.org/graph/offres-ft", FamilyOffers, false},
	} {
		if got := InFamily(tc.iri, tc.family); got != tc.want {
			t.Errorf("InFamily(%q, %q) = %v, want %v", tc.iri, tc.family, got, tc.want)
		}
	}
	if a := Appellation("38971"); a != ID+"rome-appellation/38971" {
		t.Errorf("Appellation = %q", a)
	}
}

package vocab

import (
	"encoding/csv"
	"os"
	"strings"
	"testing"
)

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

func TestGraphPartition(t *testing.T) {
	for iri, want := range map[string]string{
		Graph("offres-ft", "2024-06"):                     "2024-06",
		VersionGraph(Graph("offres-ft", "2024-06"), "r1"): "2024-06",
		Graph("rome4"):                 "",
		"http://example.org/graph/x/y": "",
	} {
		if got := GraphPartition(iri); got != want {
			t.Errorf("GraphPartition(%q) = %q, want %q", iri, got, want)
		}
	}
}

func TestInterregionalZone(t *testing.T) {
	for code, want := range map[string]bool{"0053": true, "0064": true, "9312": false, "00": false, "": false} {
		if got := InterregionalZone(code); got != want {
			t.Errorf("InterregionalZone(%q) = %v, want %v", code, got, want)
		}
	}
}

// TestInterregionalZonesOfTheSample: in INSEE's list of the zones d'emploi touching
// the region (the bundled sample), exactly the four zones the geometry file marks as
// trans-regional (0052, 0053, 0055, 0064) are interregional.
func TestInterregionalZonesOfTheSample(t *testing.T) {
	f, err := os.Open("../../testdata/sample/communes_paca/insee_ze2020_liste_paca_2023.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows[1:] {
		if InterregionalZone(r[0]) {
			got = append(got, r[0]+" "+r[1])
		}
	}
	if want := "0052 Arles,0053 Avignon,0055 Bollène-Pierrelatte,0064 Valréas"; strings.Join(got, ",") != want || len(rows) != 23 {
		t.Errorf("interregional zones %v of %d rows, want %s", got, len(rows)-1, want)
	}
}

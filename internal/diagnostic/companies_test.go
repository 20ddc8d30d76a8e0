package diagnostic

import (
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/vocab"
)

func TestAssembleEstablishments(t *testing.T) {
	m, z := vocab.Metier("M1811"), vocab.Zone("9312")
	w := func(v float64) *float64 { return &v }
	obs := []EstablishmentObs{
		{Metier: m, Zone: z, IRI: "e:1", Name: "BETA", NAF: "62.01Z", NAFLabel: "Programmation informatique", Weight: nil, Band: "10 à 19 salariés"},
		// the same establishment through a weighted link: the stronger link wins
		{Metier: m, Zone: z, IRI: "e:1", Name: "BETA", NAF: "62.01Z", NAFLabel: "Programmation informatique", Weight: w(0.6)},
		{Metier: m, Zone: z, IRI: "e:2", Name: "ALPHA", NAF: "62.02A", NAFLabel: "Conseil", Weight: w(0.6)},
		{Metier: m, Zone: z, IRI: "e:3", Name: "GAMMA", NAF: "63.11Z", NAFLabel: "Traitement de données", Weight: nil},
	}
	got := assembleEstablishments(obs)[[2]string{m, z}]
	var names []string
	for _, c := range got {
		names = append(names, c.Name)
	}
	// affinity first, then name
	if strings.Join(names, ",") != "ALPHA,BETA,GAMMA" {
		t.Fatalf("order %v", names)
	}
	for _, tc := range []struct {
		i   int
		why string
	}{
		{0, "secteur 62.02A (Conseil) : affinité métier–secteur 0.60 d'après les embauches"},
		{1, "secteur 62.01Z (Programmation informatique) : affinité métier–secteur 0.60 d'après les embauches"},
		{2, "secteur 63.11Z (Traitement de données) associé au métier dans le ROME"},
	} {
		if got[tc.i].Why != tc.why {
			t.Errorf("why of %s = %q, want %q", got[tc.i].Name, got[tc.i].Why, tc.why)
		}
	}
	banded := assembleEstablishments(obs[:1])[[2]string{m, z}]
	if !strings.HasSuffix(banded[0].Why, ", effectif 10 à 19 salariés") {
		t.Errorf("why without the headcount band: %q", banded[0].Why)
	}
}

func TestMergeCompanies(t *testing.T) {
	etabs := []Company{{Name: "Capgemini"}, {Name: "NextData"}}
	hiring := []Company{{Name: "CAPGEMINI", Offers: 4}, {Name: "Onepoint", Offers: 1}}
	var names []string
	for _, c := range mergeCompanies(etabs, hiring, 10) {
		names = append(names, c.Name)
	}
	// employers hiring now first; an establishment of the same name is not repeated
	if strings.Join(names, ",") != "CAPGEMINI,Onepoint,NextData" {
		t.Errorf("merged %v", names)
	}
	if got := mergeCompanies(etabs, hiring, 2); len(got) != 2 {
		t.Errorf("cap ignored: %d companies", len(got))
	}
}

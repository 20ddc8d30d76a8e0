package diagnostic

import (
	"fmt"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/vocab"
)

func TestAssembleCompanies(t *testing.T) {
	m, z := vocab.Metier("M1811"), vocab.Zone("9312")
	w := func(v float64) *float64 { return &v }
	aff := map[string]AffinityObs{
		"62.02A": {NAF: "62.02A", NAFLabel: "Conseil en systèmes", Weight: 0.6},
		"62.01Z": {NAF: "62.01Z", NAFLabel: "Programmation informatique", Weight: 0.45},
	}
	etabs := []EstablishmentObs{
		{Metier: m, Zone: z, IRI: "e:1", Name: "Beta Conseil", NAF: "62.01Z", NAFLabel: "Programmation informatique", Band: "22"},
		// the same establishment through a weighted link: the stronger link wins
		{Metier: m, Zone: z, IRI: "e:1", Name: "Beta Conseil", NAF: "62.01Z", NAFLabel: "Programmation informatique", Weight: w(0.45), Band: "22"},
		{Metier: m, Zone: z, IRI: "e:2", Name: "ALPHA", NAF: "62.02A", NAFLabel: "Conseil en systèmes", Weight: w(0.6), Band: "NN"},
		{Metier: m, Zone: z, IRI: "e:3", Name: "GAMMA", NAF: "63.11Z", NAFLabel: "Traitement de données", Band: "20-49"},
	}
	employers := []Company{
		{Name: "ONE SHOT", NAF: "47.11A", Offers: 1},
		{Name: "BETA CONSEIL", Offers: 1}, // no NAF in its offers: Sirene's, and its size
		{Name: "ZETA", NAF: "62.02A", Offers: 1},
		{Name: "BIG", NAF: "62.01Z", Offers: 3},
	}
	got, note := assembleCompanies(employers, etabs, aff, "dans la zone")
	var rows []string
	for _, c := range got {
		a := "-"
		if c.Affinity != nil {
			a = fmt.Sprint(*c.Affinity)
		}
		rows = append(rows, fmt.Sprintf("%s/%d/%s/%s", c.Name, c.Offers, a, c.Size))
	}
	want := []string{
		"BIG/3/0.45/", // most offers first
		"ZETA/1/0.6/", // then the sector's affinity…
		"BETA CONSEIL/1/0.45/100 à 199 salariés", // …merged with its Sirene establishment
		"ONE SHOT/1/-/",              // a sector that does not hire for it
		"ALPHA/0/0.6/",               // then establishments without offers
		"GAMMA/0/-/20 à 49 salariés", // linked through the ROME division
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("companies:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	for _, tc := range []struct {
		i   int
		why string
	}{
		{0, "3 offre(s) publiée(s) pour ce métier dans la zone ; secteur 62.01Z (Programmation informatique) : affinité métier–secteur 0.45 d'après les embauches"},
		{2, "1 offre(s) publiée(s) pour ce métier dans la zone ; secteur 62.01Z (Programmation informatique) : affinité métier–secteur 0.45 d'après les embauches ; effectif 100 à 199 salariés"},
		{3, "1 offre(s) publiée(s) pour ce métier dans la zone ; secteur 47.11A"},
		{5, "établissement d'un secteur qui recrute pour ce métier ; secteur 63.11Z (Traitement de données) associé au métier dans le ROME ; effectif 20 à 49 salariés"},
	} {
		if got[tc.i].Why != tc.why {
			t.Errorf("why of %s = %q, want %q", got[tc.i].Name, got[tc.i].Why, tc.why)
		}
	}
	if got[2].IRI != "e:1" {
		t.Errorf("employer not linked to its establishment: %+v", got[2])
	}
	if note != "4 employeur(s) ayant publié des offres pour ce métier dans la zone et 2 établissement(s) d'un secteur qui recrute pour ce métier, classés par nombre d'offres, puis affinité de leur secteur avec le métier, puis effectif." {
		t.Errorf("note %q", note)
	}

	t.Run("ManyOneOfferEmployers", func(t *testing.T) {
		// 130 one-offer employers (M1811 in Marseille): all ranked, ten shown, none hidden
		var many []Company
		for i := range 130 {
			many = append(many, Company{Name: fmt.Sprintf("E%03d", i), Offers: 1})
		}
		got, note := assembleCompanies(many, nil, nil, "dans la zone")
		if len(got) != maxCompanies || !strings.Contains(note, "130 employeur(s)") || !strings.Contains(note, "les 10 premiers") {
			t.Errorf("%d companies, note %q", len(got), note)
		}
	})
	t.Run("None", func(t *testing.T) {
		got, note := assembleCompanies(nil, nil, aff, "dans la zone")
		if len(got) != 0 || !strings.HasPrefix(note, "Aucun employeur nommé") {
			t.Errorf("%+v, note %q", got, note)
		}
	})
}

func TestHeadcount(t *testing.T) {
	for _, tc := range []struct {
		in    string
		min   int
		label string
	}{
		{"12", 20, "20 à 49 salariés"}, {"53", 10000, "10 000 salariés et plus"}, {"20-49", 20, "20 à 49 salariés"},
		{"NN", -1, ""}, {"", -1, ""}, {"beaucoup", -1, "beaucoup"},
	} {
		if min, label := headcount(tc.in); min != tc.min || label != tc.label {
			t.Errorf("headcount(%q) = %d %q, want %d %q", tc.in, min, label, tc.min, tc.label)
		}
	}
}

func TestAssembleCompaniesRealBeforeGeneratedAtATie(t *testing.T) {
	got, _ := assembleCompanies([]Company{
		{Name: "Entreprise synthétique n°1", Offers: 1, Synthetic: true, OriginKnown: true},
		{Name: "ZETA CONSEIL", Offers: 1, OriginKnown: true},
		{Name: "Entreprise synthétique n°2", Offers: 2, Synthetic: true, OriginKnown: true},
	}, nil, nil, "dans la zone")
	var names []string
	for _, c := range got {
		names = append(names, c.Name)
	}
	want := []string{"Entreprise synthétique n°2", "ZETA CONSEIL", "Entreprise synthétique n°1"}
	if len(names) != len(want) {
		t.Fatalf("companies %v, want %v", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("companies %v, want %v (offers first, then a real employer before a generated one)", names, want)
		}
	}
}

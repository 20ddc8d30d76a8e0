package skills

import (
	"context"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/vocab"
)

// tinyReferential has three fiches: an item of one fiche has specificity 1, an item
// of two ln(3/2)/ln(3) = 0.369, so weights can be checked by hand.
func tinyReferential() *Referential {
	it := func(code, label string, kind Kind, cat, group string, fiches ...string) Item {
		return Item{IRI: vocab.Item(code), Code: code, Label: label, Kind: kind, Category: cat, Group: group, Fiches: fiches}
	}
	return &Referential{
		Version: "tiny",
		Fiches:  map[string]string{"A0001": "Conducteur de travaux", "B0001": "Infirmier", "C0001": "Savoir-être seul"},
		Items: []Item{
			it("1", "Planifier des opérations de chantier", SavoirFaire, "Technique", "G1", "A0001"),
			it("2", "Organiser des réunions de chantier", SavoirFaire, "Technique expert", "G1", "A0001"),
			it("3", "Techniques de métré", Savoir, "Techniques professionnelles", "", "A0001", "B0001"),
			it("4", "Rendre compte de son activité", SavoirFaire, "Transverse", "G3", "A0001", "B0001"),
			it("5", "Faire preuve de rigueur", SavoirEtre, "Transverse", "5", "A0001", "C0001"),
			it("6", "BTS bâtiment", Diplome, "Certifications et habilitations", "", "A0001"),
			it("7", "Réaliser des soins infirmiers", SavoirFaire, "Technique", "G2", "B0001"),
		},
	}
}

func TestMatch(t *testing.T) {
	ix, err := Build(context.Background(), tinyReferential(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// Fiche A weighs 3 + 3 + 2×0.369 + 1×0.369 + 0 + 0 = 7.107; owning item 1 at
	// level 3 credits 3, and 1.5 for item 2 of the same macro-compétence: 63.3 %.
	// Fiche B weighs 3 + 0.738 + 0.369 = 4.107; owning item 7 credits 3: 73.0 %.
	for _, tc := range []struct {
		name    string
		fiche   string
		profile map[string]int
		pct     float64 // -1: nil
		light   string
		status  map[string]string
	}{
		{"OwnedAndPartial", "A0001", map[string]int{"1": 3}, 63.3, Green,
			map[string]string{"1": Owned, "2": Partial, "3": Missing, "5": Missing}},
		{"LevelCountsUpToAutonomy", "A0001", map[string]int{"1": 5}, 63.3, Green, nil},
		{"LowLevel", "A0001", map[string]int{"1": 1}, 21.1, Amber, nil},
		{"DefaultLevel", "A0001", map[string]int{"1": 0}, 63.3, Green, nil},
		{"SavoirEtreAndDiplomaShownNotWeighted", "A0001", map[string]int{"5": 5, "6": 5}, 0, Red,
			map[string]string{"5": Owned, "6": Owned, "1": Missing}},
		{"OtherMetier", "A0001", map[string]int{"7": 3}, 0, Red, nil},
		{"OwnMetier", "B0001", map[string]int{"7": 3}, 73, Green, nil},
		{"NoWeightedItem", "C0001", map[string]int{"5": 3}, -1, Unknown, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := ix.Match(tc.fiche, tc.profile)
			if (tc.pct < 0) != (m.Pct == nil) || (m.Pct != nil && *m.Pct != tc.pct) || m.Light != tc.light {
				t.Errorf("pct %v light %s, want %v %s", deref(m.Pct), m.Light, tc.pct, tc.light)
			}
			got := map[string]string{}
			for _, im := range m.Items {
				got[im.Item.Code] = im.Status
				if (im.Class == ClassSavoirEtre || im.Class == ClassDiplome) && im.Weight != 0 {
					t.Errorf("%s (%s) weighs %v, want 0", im.Item.Code, im.Class, im.Weight)
				}
			}
			for code, st := range tc.status {
				if got[code] != st {
					t.Errorf("item %s: %s, want %s", code, got[code], st)
				}
			}
			if !strings.Contains(m.Explanation, "Vert à partir de 40 %") || strings.Contains(m.Explanation, "%!") {
				t.Errorf("explanation: %q", m.Explanation)
			}
		})
	}
	if r := ix.Rank(map[string]int{"1": 3}, []string{"B0001", "A0001"}); r[0].Fiche != "A0001" {
		t.Errorf("rank: %s first, want A0001", r[0].Fiche)
	}
}

func TestParseRules(t *testing.T) {
	if _, err := DefaultRules(); err != nil {
		t.Fatalf("embedded rules.yaml: %v", err)
	}
	for _, tc := range []struct{ name, from, to, want string }{
		{"NoVersion", `version: "2026-12-05.1"`, `version: ""`, "version"},
		{"ScoreOver1", "min_score_any: 0.55", "min_score_any: 1.5", "between 0 and 1"},
		{"LightsOutOfOrder", "green_min_match_pct: 40", "green_min_match_pct: 10", "must exceed"},
		{"MissingWeight", "    diplome: 0\n", "", "weights.diplome"},
		{"ExplanationPlaceholders", "Rouge sinon.", "Rouge sinon (%s).", "explanation"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := strings.Replace(string(RulesYAML()), tc.from, tc.to, 1)
			if b == string(RulesYAML()) {
				t.Fatalf("%q not in rules.yaml", tc.from)
			}
			if _, err := ParseRules([]byte(b)); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

package diagnostic_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/diagnostic/diagtest"
	"github.com/openemploi360/openemploi/internal/skills"
	"github.com/openemploi360/openemploi/internal/vocab"
)

// romeSource is the fake with the real ROME 4 referential the project ships
// (testdata/sample/rome_v4) in place of its five skills: the skills section then runs
// on what a store loaded from the same files would answer.
type romeSource struct {
	*diagtest.Fake
	ref *skills.Referential
}

func (r romeSource) SkillIndex(context.Context) ([]diagnostic.Skill, error) {
	out := make([]diagnostic.Skill, 0, len(r.ref.Items))
	for _, it := range r.ref.Items {
		out = append(out, romeSkill(it))
	}
	return out, nil
}

func (r romeSource) Labels(ctx context.Context) ([]diagnostic.Label, error) {
	var out []diagnostic.Label
	for code, label := range r.ref.Fiches {
		out = append(out, diagnostic.Label{Text: label, Metier: diagnostic.MetierRef{IRI: vocab.Metier(code), Code: code, Label: label}})
	}
	return out, nil
}

func (r romeSource) Metier(ctx context.Context, code string) (*diagnostic.Metier, error) {
	m, err := r.Fake.Metier(ctx, code)
	if err != nil {
		return nil, err
	}
	m.Skills = nil
	for _, it := range r.ref.Items {
		if slices.Contains(it.Fiches, code) {
			m.Skills = append(m.Skills, romeSkill(it))
		}
	}
	return m, nil
}

func romeSkill(it skills.Item) diagnostic.Skill {
	kind, cat := string(it.Kind), it.Category
	if it.Kind == skills.Diplome {
		kind, cat = diagnostic.Savoir, "Certifications et habilitations"
	}
	return diagnostic.Skill{IRI: it.IRI, Code: it.Code, Label: it.Label, Kind: kind, Category: cat, Fiches: it.Fiches}
}

// TestDataEngineerFiveSkills is issue 10's case end to end through the service: five
// skills typed the way a practising data engineer types them, for M1811. Every one
// comes back resolved to an item of the fiche, and the skills light is not red.
func TestDataEngineerFiveSkills(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the index of the whole referential")
	}
	ref, err := skills.LoadROME4(filepath.Join("..", "..", "testdata", "sample", "rome_v4"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := diagnostic.NewService(romeSource{Fake: diagtest.New(), ref: ref}, diagnostic.Options{Now: diagtest.Now})
	if err != nil {
		t.Fatal(err)
	}
	typed := []string{"python", "SQL", "gestion de bases de données", "apache spark", "modélisation de données"}
	p := &diagnostic.Profile{}
	for _, l := range typed {
		p.Skills = append(p.Skills, diagnostic.SkillInput{Label: l, Level: 4})
	}
	d, err := s.Run(context.Background(), diagnostic.Request{Metiers: []string{"M1811"}, Profile: p})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.ProfileSkills) != len(typed) {
		t.Fatalf("%d resolutions for %d typed skills", len(d.ProfileSkills), len(typed))
	}
	for i, r := range d.ProfileSkills {
		if r.Input != typed[i] || !r.Recognised || r.Skill == nil || r.Tier != "fiche" || r.Matched == "" || r.Why == "" {
			t.Errorf("%q → %+v, want resolved on the fiche with the label matched and why", typed[i], r)
		}
	}
	var light diagnostic.Light
	for _, l := range d.Cells[0].Lights {
		if l.Axis == diagnostic.AxisSkills {
			light = l
		}
	}
	if light.Color == diagnostic.Red || light.Color == diagnostic.Unknown || !d.Cells[0].Match.Known() {
		t.Errorf("skills light %s (%s), match %+v: want neither red nor unknown", light.Color, light.Explanation, d.Cells[0].Match)
	}
	if len(d.Metiers[0].Owned) < 4 {
		t.Errorf("owned %d items of the fiche, want the 4 distinct items typed", len(d.Metiers[0].Owned))
	}
	t.Logf("match %v %%, light %s: %s", *d.Cells[0].Match.Value, light.Color, light.Explanation)
}

package diagnostic_test

import (
	"context"
	"testing"

	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/diagnostic/diagtest"
	"github.com/openemploi360/openemploi/internal/skills"
	"github.com/openemploi360/openemploi/internal/vocab"
)

// TestSynonymsFromSource checks the skills engine reads the vocabulary the source
// holds (graph oeg:skills-synonyms): a made-up acronym resolves to the item it names
// once the source has it, and a steward's re-import (a new data version) changes what
// it resolves to on the same service, without a restart.
func TestSynonymsFromSource(t *testing.T) {
	const (
		skos = "http://www.w3.org/2004/02/skos/core#"
		term = vocab.Base + "id/skill-term/xqzw"
	)
	alt := func(item, text string) skills.Statement {
		return skills.Statement{Subject: vocab.Item(item), Predicate: skos + "altLabel", Object: text, Literal: true}
	}
	f := diagtest.New()
	s := mustService(t, f)
	ctx := context.Background()
	resolve := func(t *testing.T, label string) diagnostic.SkillResolution {
		t.Helper()
		d, err := s.Run(ctx, diagnostic.Request{Metiers: []string{diagtest.DataEngineer},
			Profile: &diagnostic.Profile{Skills: []diagnostic.SkillInput{{Label: label, Level: 4}}}})
		if err != nil {
			t.Fatal(err)
		}
		if len(d.ProfileSkills) != 1 {
			t.Fatalf("%d resolutions", len(d.ProfileSkills))
		}
		return d.ProfileSkills[0]
	}
	code := func(r diagnostic.SkillResolution) string {
		if !r.Recognised || r.Skill == nil {
			return ""
		}
		return r.Skill.Code
	}

	// No graph: the embedded vocabulary, which knows no XQZW.
	if r := resolve(t, "XQZW"); code(r) != "" {
		t.Fatalf("XQZW without the graph resolved to %+v", r)
	}

	for _, tc := range []struct {
		name     string
		synonyms []skills.Statement
		want     string // item code XQZW resolves to
		matched  string
	}{
		{"AltLabelOnItem", []skills.Statement{alt("100023", "XQZW")}, "100023", "XQZW"},
		{"ConceptExactMatch", []skills.Statement{
			{Subject: term, Predicate: skos + "prefLabel", Object: "Xylo Quartz Zeta Web", Literal: true},
			{Subject: term, Predicate: skos + "hiddenLabel", Object: "XQZW", Literal: true},
			{Subject: term, Predicate: skos + "exactMatch", Object: vocab.Item("100027")},
		}, "100027", "Développer une application"}, // a hiddenLabel matches, the item's label shows
		{"Removed", []skills.Statement{alt("100023", "ABCD")}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.Synonyms = tc.synonyms
			f.Version += "+" + tc.name // what an import of the graph does to the data version
			r := resolve(t, "XQZW")
			if code(r) != tc.want {
				t.Fatalf("XQZW resolved to %q (%+v), want %q", code(r), r, tc.want)
			}
			if tc.want != "" && r.Matched != tc.matched {
				t.Errorf("matched %q, want %q", r.Matched, tc.matched)
			}
		})
	}
}

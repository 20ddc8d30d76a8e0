package shacl_test

import (
	"context"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/shacl"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
)

const (
	idNS    = "https://data.dataregionsud.fr/openemploi/id/"
	graphNS = "https://data.dataregionsud.fr/openemploi/graph/"
)

func loadFile(t *testing.T, c *store.Client, graph, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	load(t, c, graph, string(b))
}

// TestDefaultShapes validates our own shapes on a valid sample of every class and on
// records that each break one rule, and checks the exact set of violations.
func TestDefaultShapes(t *testing.T) {
	s, err := shacl.Default()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"oesh:Appellation skos:broader sh:class rome-appellation/1",
		"oesh:Commune igeo:codeINSEE sh:pattern commune/6002",
		"oesh:Commune oep:zoneEmploi sh:minCount commune/06001",
		"oesh:GraphDescription dct:license sh:minCount " + graphNS + "offres-synth",
		"oesh:GraphDescription oep:synthetic sh:minCount " + graphNS + "offres-synth",
		"oesh:GraphDescription prov:wasGeneratedBy sh:minCount " + graphNS + "offres-synth",
		"oesh:JobOffer oep:commune sh:class offre/synth/6",
		"oesh:JobOffer schema:datePosted sh:datatype offre/synth/2",
		"oesh:JobOffer schema:occupationalCategory sh:minCount offre/synth/5 (Warning)",
		"oesh:JobOffer schema:title sh:maxCount offre/synth/1",
		"oesh:MonetaryAmount schema:currency sh:in _: in offre/synth/4",
		"oesh:MonetaryAmount schema:minValue sh:lessThanOrEquals _: in offre/synth/3",
		"oesh:Observation  sh:or obs/1",
		"oesh:Observation oep:refArea sh:maxCount obs/4",
		"oesh:Observation oep:refPeriod sh:pattern obs/2",
		"oesh:Observation oep:unemploymentRate sh:datatype obs/3",
		"oesh:Observation oep:unemploymentRate sh:maxInclusive obs/3",
		"oesh:Observation oep:unemploymentRate sh:minInclusive obs/3",
		"oesh:Occupation skos:inScheme sh:hasValue rome/BAD4",
		"oesh:Occupation skos:notation sh:pattern rome/BAD1",
		"oesh:Occupation skos:prefLabel sh:qualifiedMaxCount rome/BAD3",
		"oesh:Occupation skos:prefLabel sh:qualifiedMinCount rome/BAD2",
		"oesh:Occupation skos:prefLabel sh:uniqueLang rome/BAD3",
		"oesh:Organization oep:siret sh:pattern organisme/1",
		"oesh:Skill oep:skillKind sh:in rome-item/1",
		"oesh:Training  sh:or formation/1",
		"oesh:TrainingSession schema:startDate sh:lessThanOrEquals session/1",
		"oesh:ZoneDEmploi2020 igeo:codeINSEE sh:pattern ze2020/93120",
	}
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		ctx := context.Background()
		valid, invalid := graphNS+"staging/valid", graphNS+"staging/invalid"
		loadFile(t, c, valid, "testdata/valid.ttl")
		loadFile(t, c, invalid, "testdata/invalid.ttl")

		rep, err := s.Validate(ctx, c, valid, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Conforms || len(rep.Violations) > 0 {
			for _, v := range rep.Violations {
				t.Errorf("valid sample: %s", v)
			}
		}
		// Every targeted shape has at least one focus node in the valid sample.
		if rep.Checked < len(s.Targeted()) {
			t.Errorf("valid sample: %d focus nodes checked for %d targeted shapes", rep.Checked, len(s.Targeted()))
		}

		rep, err = s.Validate(ctx, c, invalid, 0)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Conforms {
			t.Errorf("invalid sample conforms")
		}
		var got []string
		for _, v := range rep.Violations {
			focus := strings.TrimPrefix(v.Focus, idNS)
			if strings.HasPrefix(focus, "_:") {
				focus = "_: in " + strings.TrimPrefix(v.Parent, idNS)
			}
			line := v.Shape + " " + v.Path + " " + v.Constraint + " " + focus
			if v.Severity != shacl.SeverityViolation {
				line += " (" + v.Severity + ")"
			}
			got = append(got, line)
			if v.Message == "" || !strings.HasPrefix(v.Message, strings.TrimPrefix(v.Shape, "oesh:")+":") {
				t.Errorf("violation %s: message %q does not name the shape", line, v.Message)
			}
		}
		sort.Strings(got)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("violations of the invalid sample:\n got:\n  %s\n want:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
		}
	})
}

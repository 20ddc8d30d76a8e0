package skills

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// Targets of issue 10, on the labelled set of testdata/eval.yaml.
const (
	targetTypedAccuracy = 0.90 // typed skills resolved to an acceptable item of the fiche
	targetCVRecall      = 0.75 // skills a CV plainly states, found
	maxProposalsRatio   = 3.0  // proposals per expected skill, at most
)

type evalSet struct {
	Typed []struct {
		Fiche  string `yaml:"fiche"`
		Skills []struct {
			Text   string   `yaml:"text"`
			Accept []string `yaml:"accept"`
		} `yaml:"skills"`
	} `yaml:"typed"`
	CVs []struct {
		Name   string     `yaml:"name"`
		Fiche  string     `yaml:"fiche"`
		Rivals []string   `yaml:"rivals"`
		Text   string     `yaml:"text"`
		Expect [][]string `yaml:"expect"`
	} `yaml:"cvs"`
}

func loadEval(t *testing.T, ix *Index) *evalSet {
	t.Helper()
	var set evalSet
	if err := yaml.Unmarshal(mustRead(t, filepath.Join("testdata", "eval.yaml")), &set); err != nil {
		t.Fatalf("testdata/eval.yaml: %v", err)
	}
	// The set must be made of the real referential: every accepted item exists, and
	// a typed skill's accepted items include one its fiche lists.
	for _, f := range set.Typed {
		if _, ok := ix.fiches[f.Fiche]; !ok {
			t.Fatalf("eval.yaml: fiche %s is not in the referential", f.Fiche)
		}
		for _, s := range f.Skills {
			onFiche := false
			for _, c := range s.Accept {
				it, ok := ix.Item(c)
				if !ok {
					t.Fatalf("eval.yaml: %s %q: item %s is not in the referential", f.Fiche, s.Text, c)
				}
				onFiche = onFiche || slices.Contains(it.Fiches, f.Fiche)
			}
			if !onFiche {
				t.Fatalf("eval.yaml: %s %q: no accepted item is listed by the fiche", f.Fiche, s.Text)
			}
		}
	}
	for _, cv := range set.CVs {
		for _, g := range cv.Expect {
			for _, c := range g {
				if _, ok := ix.Item(c); !ok {
					t.Fatalf("eval.yaml: CV %s: item %s is not in the referential", cv.Name, c)
				}
			}
		}
	}
	return &set
}

// TestEvalTyped resolves the typed skills towards their fiche and fails below the
// target share of acceptable items.
func TestEvalTyped(t *testing.T) {
	ix, _ := mustIndex(t)
	set := loadEval(t, ix)
	var total, recognised, right, onFiche int
	for _, f := range set.Typed {
		texts := make([]string, len(f.Skills))
		for i, s := range f.Skills {
			texts[i] = s.Text
		}
		res, err := ix.Resolve(context.Background(), texts, []string{f.Fiche})
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != len(texts) {
			t.Fatalf("%s: %d resolutions for %d skills: a skill was dropped", f.Fiche, len(res), len(texts))
		}
		for i, r := range res {
			total++
			ok := r.Recognised && slices.Contains(f.Skills[i].Accept, r.Item.Code)
			if r.Recognised {
				recognised++
				if r.Tier == TierFiche {
					onFiche++
				}
			}
			if ok {
				right++
				continue
			}
			if r.Recognised {
				t.Logf("MISS %s %-32q → %s %q (%.2f, %s), want one of %v", f.Fiche, r.Input, r.Item.Code, r.Item.Label, r.Score, r.Tier, f.Skills[i].Accept)
			} else {
				t.Logf("MISS %s %-32q → not recognised (%s), want one of %v", f.Fiche, r.Input, r.Note, f.Skills[i].Accept)
			}
		}
	}
	acc := float64(right) / float64(total)
	prec := float64(right) / float64(max(recognised, 1))
	t.Logf("typed skills: %d over %d fiches; recognised %d; acceptable item %d → accuracy (recall) %.1f %%, precision %.1f %%; resolved on the fiche %d",
		total, len(set.Typed), recognised, right, 100*acc, 100*prec, onFiche)
	if total < 40 {
		t.Errorf("the set holds %d typed skills, want at least 40", total)
	}
	if acc < targetTypedAccuracy {
		t.Errorf("typed skills: %.1f %% resolve to an acceptable item, target %.0f %%", 100*acc, 100*targetTypedAccuracy)
	}
}

// TestEvalCV proposes skills from each CV and fails below the recall target, above
// the proposal budget, or when the profile built from the CV does not rank the CV's
// own métier first among four.
func TestEvalCV(t *testing.T) {
	ix, _ := mustIndex(t)
	set := loadEval(t, ix)
	if len(set.CVs) < 3 {
		t.Fatalf("the set holds %d CVs, want at least 3", len(set.CVs))
	}
	var expected, found, proposed, relevant int
	for _, cv := range set.CVs {
		t.Run(cv.Name, func(t *testing.T) {
			props, err := ix.Suggest(context.Background(), cv.Text, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, p := range props {
				got[p.Item.Code] = true
				if p.Excerpt != cv.Text[p.Start:p.End] || p.Excerpt == "" {
					t.Errorf("proposal %s: excerpt %q is not text[%d:%d]", p.Item.Code, p.Excerpt, p.Start, p.End)
				}
			}
			hit := 0
			wanted := map[string]bool{}
			for _, g := range cv.Expect {
				ok := false
				for _, c := range g {
					wanted[c] = true
					ok = ok || got[c]
				}
				if ok {
					hit++
				} else {
					t.Logf("NOT FOUND %v", g)
				}
			}
			rel := 0
			for _, p := range props {
				if wanted[p.Item.Code] {
					rel++
				} else {
					t.Logf("EXTRA %s %q from %q (%.2f)", p.Item.Code, p.Item.Label, p.Excerpt, p.Score)
				}
			}
			recall := float64(hit) / float64(len(cv.Expect))
			t.Logf("%s: %d expected, %d found (recall %.0f %%), %d proposals (%d relevant, precision %.0f %%)",
				cv.Name, len(cv.Expect), hit, 100*recall, len(props), rel, 100*float64(rel)/float64(max(len(props), 1)))
			if float64(len(props)) > maxProposalsRatio*float64(len(cv.Expect)) {
				t.Errorf("%d proposals for %d expected skills: over %.0f×", len(props), len(cv.Expect), maxProposalsRatio)
			}
			expected, found, proposed, relevant = expected+len(cv.Expect), found+hit, proposed+len(props), relevant+rel

			// The profile the CV makes ranks the CV's own métier first among four.
			profile := map[string]int{}
			for _, p := range props {
				profile[p.Item.Code] = 0
			}
			ranked := ix.Rank(profile, append([]string{cv.Fiche}, cv.Rivals...))
			var line []string
			for _, m := range ranked {
				line = append(line, fmt.Sprintf("%s %.1f %%", m.Fiche, deref(m.Pct)))
			}
			t.Logf("ranking: %s", strings.Join(line, ", "))
			if ranked[0].Fiche != cv.Fiche {
				t.Errorf("the CV's profile ranks %s first, want %s", ranked[0].Fiche, cv.Fiche)
			}
		})
	}
	recall := float64(found) / float64(expected)
	t.Logf("CVs: %d, expected skills %d, found %d → recall %.1f %%; proposals %d (%.2f× expected), precision %.1f %%",
		len(set.CVs), expected, found, 100*recall, proposed, float64(proposed)/float64(expected), 100*float64(relevant)/float64(max(proposed, 1)))
	if recall < targetCVRecall {
		t.Errorf("CV recall %.1f %%, target %.0f %%", 100*recall, 100*targetCVRecall)
	}
}

func deref(p *float64) float64 {
	if p == nil {
		return -1
	}
	return *p
}

package diagnostic

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"

	"github.com/openemploi360/openemploi/internal/skills"
	"github.com/openemploi360/openemploi/internal/vocab"
	"github.com/openemploi360/openemploi/mappings"
)

// The skills engine (internal/skills) is built once per data version from what the
// index reads anyway — the skill items with the fiches that list them, and the
// appellations — and the steward-edited synonyms vocabulary: the graph
// oeg:skills-synonyms when the store has it, so that a vocabulary a steward re-imports
// takes effect with the data version it changes, else the one embedded in the binary.
// It resolves typed skills, proposes skills from a CV and weighs a profile against a
// fiche; the skills unit, the nearby métiers and SuggestSkills all go through it.

var (
	vocabOnce sync.Once
	vocabData *skills.Vocabulary
	vocabErr  error
)

// embeddedVocabulary parses mappings/skills-synonyms.ttl once per process.
func embeddedVocabulary() (*skills.Vocabulary, error) {
	vocabOnce.Do(func() {
		vocabData, vocabErr = skills.ParseVocabulary("mappings/skills-synonyms.ttl", mappings.SkillsSynonyms)
	})
	return vocabData, vocabErr
}

// skillsVocabulary is the store's vocabulary when it has one, else the embedded one.
func skillsVocabulary(ctx context.Context, version string, synonyms []skills.Statement) (*skills.Vocabulary, error) {
	if len(synonyms) == 0 {
		slog.InfoContext(ctx, "skills vocabulary: graph not loaded, using the one embedded in the binary",
			"graph", vocab.SynonymsGraph, "file", "mappings/skills-synonyms.ttl", "data_version", version)
		return embeddedVocabulary()
	}
	voc, err := skills.VocabularyFromStatements(vocab.SynonymsGraph, synonyms)
	if err != nil {
		return nil, fmt.Errorf("diagnostic: skills index of data version %s: %w", version, err)
	}
	slog.InfoContext(ctx, "skills vocabulary: read from the store", "graph", vocab.SynonymsGraph,
		"triples", len(synonyms), "synonyms", len(voc.Synonyms), "data_version", version)
	return voc, nil
}

// buildSkillEngine turns the index's skills and labels into the engine's referential.
func buildSkillEngine(ctx context.Context, version string, items []Skill, labels []Label, synonyms []skills.Statement) (*skills.Index, error) {
	ref := &skills.Referential{Version: version, Fiches: map[string]string{}}
	for _, l := range labels {
		if l.Appellation == "" {
			ref.Fiches[l.Metier.Code] = l.Metier.Label
		} else {
			ref.Appellations = append(ref.Appellations, skills.Appellation{Code: l.Appellation, Label: l.Text, Fiche: l.Metier.Code})
		}
	}
	macro := map[string]bool{}
	for _, s := range items {
		macro[s.Group] = true
	}
	for _, s := range items {
		it := engineItem(s)
		if macro[s.Code] {
			it.Group, it.Macro = s.Code, true // a macro-compétence heads its own group
		}
		ref.Items = append(ref.Items, it)
	}
	voc, err := skillsVocabulary(ctx, version, synonyms)
	if err != nil {
		return nil, err
	}
	ix, err := skills.Build(ctx, ref, voc)
	if err != nil {
		return nil, fmt.Errorf("diagnostic: skills index of data version %s: %w", version, err)
	}
	if unknown := ix.UnknownVocabularyItems(); len(unknown) > 0 {
		// A steward's typo in an item code: its labels are skipped, and said so here.
		slog.WarnContext(ctx, "skills vocabulary: items not in the referential, their labels skipped",
			"count", len(unknown), "items", unknown[:min(len(unknown), 10)], "data_version", version)
	}
	return ix, nil
}

// engineItem maps a referential skill to the engine's item: a savoir of the category
// "Certifications et habilitations" is a diploma, weighted apart.
func engineItem(s Skill) skills.Item {
	it := skills.Item{IRI: s.IRI, Code: s.Code, Label: s.Label, Category: s.Category, Fiches: s.Fiches, Group: s.Group, Kind: skills.SavoirFaire}
	switch s.Kind {
	case SavoirEtre:
		it.Kind = skills.SavoirEtre
	case Savoir:
		it.Kind = skills.Savoir
		if s.Category == "Certifications et habilitations" {
			it.Kind = skills.Diplome
		}
	}
	return it
}

// SkillResolution is what one typed skill of the profile became. It is returned with
// the diagnostic that used it and never cached: Input is the person's own text.
type SkillResolution struct {
	Input      string // as typed (or the code given)
	Recognised bool
	Skill      *Skill  // the referential item, when recognised
	Matched    string  // the label that matched: the item's own or a synonym
	Score      float64 // similarity in [0, 1]
	Tier       string  // "fiche", "voisine" (same macro-compétence or domain), "referentiel"
	Fiche      string  // the requested fiche listing the item (tier "fiche")
	Why        string  // French
	Note       string  // French, when not recognised
	Suggestion string  // a label to try instead, when not recognised
}

// resolveProfileSkills places the profile's typed skills, preferring items of the
// requested fiches. A skill given by code must exist (the caller's error); one given
// by label always comes back, recognised or not.
func (ix *index) resolveProfileSkills(ctx context.Context, in []SkillInput, fiches []string) (map[string]int, []SkillResolution, error) {
	levels := map[string]int{}
	out := make([]SkillResolution, len(in))
	var texts []string
	var at []int
	for i, sk := range in {
		if sk.Code != "" {
			s, ok := ix.skillsBy[sk.Code]
			if !ok {
				return nil, nil, fmt.Errorf("profile/skills/%d/code", i) // mapped to NotFound by the caller
			}
			s2 := s
			s2.Fiches, s2.Group = nil, ""
			r := SkillResolution{Input: sk.Code, Recognised: true, Skill: &s2, Matched: s.Label, Score: 1, Tier: skills.TierReferentiel, Why: "code de l'item saisi"}
			for _, f := range fiches {
				if slices.Contains(s.Fiches, f) {
					r.Tier, r.Fiche, r.Why = skills.TierFiche, f, "code de l'item saisi, compétence de la fiche "+f
					break
				}
			}
			out[i] = r
			if levels[s.Code] < sk.Level {
				levels[s.Code] = sk.Level
			}
			continue
		}
		texts = append(texts, sk.Label)
		at = append(at, i)
	}
	if len(texts) == 0 {
		return levels, out, nil
	}
	res, err := ix.engine.Resolve(ctx, texts, fiches)
	if err != nil {
		return nil, nil, err
	}
	for k, r := range res {
		i := at[k]
		sr := SkillResolution{Input: r.Input, Recognised: r.Recognised, Matched: r.Matched, Score: r.Score, Tier: r.Tier,
			Fiche: r.Fiche, Why: r.Why, Note: r.Note, Suggestion: r.Suggestion}
		if r.Recognised {
			s, ok := ix.skillsBy[r.Item.Code]
			if !ok {
				s = Skill{IRI: r.Item.IRI, Code: r.Item.Code, Label: r.Item.Label}
			}
			s.Fiches, s.Group = nil, ""
			sr.Skill = &s
			if levels[s.Code] < in[i].Level {
				levels[s.Code] = in[i].Level
			}
		}
		out[i] = sr
	}
	return levels, out, nil
}

// skillMatch weighs the profile against a fiche with the engine's rule and returns the
// owned, partially owned and missing items (referential order within each, heavier
// first) and the match figure.
func (ix *index) skillMatch(f *Metier, levels map[string]int) (skills.Match, []SkillLevel, []SkillLevel, []SkillLevel, Figure) {
	m := ix.engine.Match(f.Code, levels)
	var owned, partial, missing []SkillLevel
	for _, im := range m.Items {
		s, ok := ix.skillsBy[im.Item.Code]
		if !ok {
			s = Skill{IRI: im.Item.IRI, Code: im.Item.Code, Label: im.Item.Label}
		}
		s.Fiches, s.Group = nil, "" // the index's, not the answer's
		sl := SkillLevel{Skill: s, Level: im.Level, Weight: round2(im.Weight), Via: im.Via}
		switch im.Status {
		case skills.Owned:
			owned = append(owned, sl)
		case skills.Partial:
			partial = append(partial, sl)
		default:
			missing = append(missing, sl)
		}
	}
	if m.Pct == nil {
		return m, owned, partial, missing, Missing("%", f.Graph, "la fiche ne liste aucune compétence pondérée")
	}
	return m, owned, partial, missing, Figure{Value: Num(*m.Pct), Unit: "%", N: Count(len(m.Items)), Source: f.Graph}
}

func round2(x float64) float64 { return float64(int(x*100+0.5)) / 100 }

// SkillProposal is a referential skill found in a CV text or an aptitude list, with
// the span of the text that states it (byte offsets; for an aptitude, its position in
// the list and the whole label).
type SkillProposal struct {
	Skill
	Matched    string  // the label found: the item's own or a synonym
	Score      float64 // in [0, 1]
	Start, End int     // byte offsets in the text; -1 for an aptitude
	Excerpt    string  // the text's own words (returned to their author only)
	Aptitude   int     // index in the aptitude list, -1 for the text
}

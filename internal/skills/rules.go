package skills

import (
	_ "embed"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed rules.yaml
var rulesYAML []byte

// RulesYAML is the embedded rules.yaml, for a caller that shows or hashes it.
func RulesYAML() []byte { return rulesYAML }

// Rules is rules.yaml: the thresholds of resolution and suggestion and the match rule.
type Rules struct {
	Version string `yaml:"version"`
	Resolve struct {
		MinScoreFiche      float64 `yaml:"min_score_fiche"`
		MinScoreGroup      float64 `yaml:"min_score_group"`
		MinScoreAny        float64 `yaml:"min_score_any"`
		FicheMargin        float64 `yaml:"fiche_margin"`
		GroupMargin        float64 `yaml:"group_margin"`
		BroadMatchFactor   float64 `yaml:"broad_match_factor"`
		DiplomaFactor      float64 `yaml:"diploma_factor"`
		MinScoreSuggestion float64 `yaml:"min_score_suggestion"`
	} `yaml:"resolve"`
	Suggest struct {
		MinLabelCoverage    float64 `yaml:"min_label_coverage"`
		WindowSlack         int     `yaml:"window_slack"`
		MinSingleTermRarity float64 `yaml:"min_single_term_rarity"`
		MaxPerSpan          int     `yaml:"max_per_span"`
	} `yaml:"suggest"`
	Match struct {
		Weights          map[string]float64 `yaml:"weights"`
		MinSpecificity   float64            `yaml:"min_specificity"`
		FullLevel        int                `yaml:"full_level"`
		DefaultLevel     int                `yaml:"default_level"`
		PartialFactor    float64            `yaml:"partial_factor"`
		GreenMinMatchPct float64            `yaml:"green_min_match_pct"`
		AmberMinMatchPct float64            `yaml:"amber_min_match_pct"`
		AmberMinFitPct   float64            `yaml:"amber_min_fit_pct"`
		MinCoreOwned     int                `yaml:"min_core_owned"`
		Explanation      string             `yaml:"explanation"`
	} `yaml:"match"`
}

// DefaultRules parses the embedded rules.yaml.
func DefaultRules() (*Rules, error) { return ParseRules(rulesYAML) }

// ParseRules parses and checks a rules file.
func ParseRules(b []byte) (*Rules, error) {
	var r Rules
	if err := yaml.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("skills: rules.yaml: %w", err)
	}
	in01 := func(xs ...float64) bool {
		for _, x := range xs {
			if x < 0 || x > 1 {
				return false
			}
		}
		return true
	}
	rs, sg, m := r.Resolve, r.Suggest, r.Match
	switch {
	case r.Version == "":
		return nil, fmt.Errorf("skills: rules.yaml: version is required")
	case !in01(rs.MinScoreFiche, rs.MinScoreGroup, rs.MinScoreAny, rs.FicheMargin, rs.GroupMargin, rs.BroadMatchFactor, rs.DiplomaFactor, rs.MinScoreSuggestion):
		return nil, fmt.Errorf("skills: rules.yaml: resolve: scores, margins and factors are between 0 and 1")
	case rs.MinScoreSuggestion >= rs.MinScoreFiche:
		return nil, fmt.Errorf("skills: rules.yaml: resolve.min_score_suggestion must be below min_score_fiche")
	case !in01(sg.MinLabelCoverage, sg.MinSingleTermRarity) || sg.MinLabelCoverage == 0 || sg.WindowSlack < 0 || sg.MaxPerSpan < 1:
		return nil, fmt.Errorf("skills: rules.yaml: suggest: coverage in (0, 1], rarity in [0, 1], window_slack >= 0, max_per_span >= 1")
	case !in01(m.PartialFactor, m.MinSpecificity) || m.DefaultLevel < 1 || m.DefaultLevel > 5 || m.FullLevel < 1 || m.FullLevel > 5:
		return nil, fmt.Errorf("skills: rules.yaml: match: partial_factor and min_specificity in [0, 1], default_level and full_level in 1..5")
	case m.AmberMinFitPct <= 0 || m.AmberMinFitPct > 100 || m.MinCoreOwned < 1:
		return nil, fmt.Errorf("skills: rules.yaml: match: amber_min_fit_pct in (0, 100], min_core_owned >= 1")
	case strings.Count(m.Explanation, "%s") != 4:
		return nil, fmt.Errorf("skills: rules.yaml: match.explanation: want 4 %%s (green, amber, fit thresholds, core count)")
	case m.GreenMinMatchPct <= m.AmberMinMatchPct:
		return nil, fmt.Errorf("skills: rules.yaml: match.green_min_match_pct must exceed amber_min_match_pct")
	}
	for _, c := range weightClasses {
		if w, ok := m.Weights[c]; !ok || w < 0 {
			return nil, fmt.Errorf("skills: rules.yaml: match.weights.%s: missing or negative", c)
		}
	}
	return &r, nil
}

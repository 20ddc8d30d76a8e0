package diagnostic

import (
	"context"
	"fmt"
	"math"
)

// The skills section reads the requested fiches, which the service resolves first
// (Referential.Metier, once per data version): it has no role interface of its own.
// It compares them with the profile's skills in memory; nothing of the profile reaches
// a query.
type skillsUnit struct{}

func (skillsUnit) Name() string { return "skills" }

func (skillsUnit) Fetch(_ context.Context, q *Query) (Assemble, error) {
	return func(d *Diagnostic) {
		for i, f := range q.Fiches {
			mr := &d.Metiers[i]
			mr.Match = Missing("%", f.Graph, "aucune compétence dans le profil")
			if len(q.Skills) > 0 {
				mr.Owned, mr.Missing, mr.Match = matchSkills(f, q.Skills)
			}
			for j := range q.Zones {
				c := &d.Cells[q.cellIndex(i, j)]
				if len(q.Skills) > 0 {
					c.Owned, c.Missing = mr.Owned, mr.Missing
				}
				c.Match = mr.Match
				c.Lights = append(c.Lights, q.th.skillsLight(c.Match))
			}
		}
	}, nil
}

// matchSkills splits a fiche's skills into owned and missing and computes the match:
// each owned skill counts level/5, over all of the fiche's skills.
func matchSkills(f *Metier, levels map[string]int) (owned, missing []SkillLevel, match Figure) {
	var sum float64
	for _, sk := range f.Skills {
		if lv, ok := levels[sk.Code]; ok {
			owned = append(owned, SkillLevel{Skill: sk, Level: lv})
			sum += float64(lv) / 5
		} else {
			missing = append(missing, SkillLevel{Skill: sk})
		}
	}
	if len(f.Skills) == 0 {
		return owned, missing, Missing("%", f.Graph, "la fiche ne liste aucune compétence")
	}
	return owned, missing, Figure{Value: Num(math.Round(sum/float64(len(f.Skills))*1000) / 10), Unit: "%", N: Count(len(f.Skills)), Source: f.Graph}
}

// skillsLight rates the profile's match with the fiche's skills.
func (t *Thresholds) skillsLight(match Figure) Light {
	l := Light{Axis: AxisSkills, Rule: "part des compétences de la fiche que vous possédez, pondérée par votre niveau sur 5",
		Inputs:     map[string]any{"matchPct": match.Value},
		Thresholds: map[string]any{"greenMinPct": t.Skills.GreenMinMatchPct, "amberMinPct": t.Skills.AmberMinMatchPct}}
	switch {
	case !match.Known():
		l.Color, l.Explanation = Unknown, "Renseignez vos compétences pour mesurer l'écart avec le métier."
	case *match.Value >= t.Skills.GreenMinMatchPct:
		l.Color, l.Explanation = Green, fmt.Sprintf("Vous couvrez %s %% des compétences du métier.", fmtNum(*match.Value))
	case *match.Value >= t.Skills.AmberMinMatchPct:
		l.Color, l.Explanation = Amber, fmt.Sprintf("Vous couvrez %s %% des compétences du métier : une partie reste à acquérir.", fmtNum(*match.Value))
	default:
		l.Color, l.Explanation = Red, fmt.Sprintf("Vous ne couvrez que %s %% des compétences du métier.", fmtNum(*match.Value))
	}
	return l
}

package diagnostic

import (
	"context"
	"fmt"

	"github.com/openemploi360/openemploi/internal/skills"
)

// The skills section reads the requested fiches, which the service resolves first
// (Referential.Metier, once per data version): it has no role interface of its own.
// It weighs them against the profile's skills in memory with the skills engine
// (internal/skills: rule and thresholds in its rules.yaml, see doc/skills.md);
// nothing of the profile reaches a query.
type skillsUnit struct{}

func (skillsUnit) Name() string { return "skills" }

func (skillsUnit) Fetch(_ context.Context, q *Query) (Assemble, error) {
	return func(d *Diagnostic) {
		for i, f := range q.Fiches {
			mr := &d.Metiers[i]
			mr.Match = Missing("%", f.Graph, "aucune compétence dans le profil")
			light := skillsLight(nil, mr.Match)
			if len(q.Skills) > 0 {
				var m skills.Match
				m, mr.Owned, mr.Partial, mr.Missing, mr.Match = q.ix.skillMatch(f, q.Skills)
				light = skillsLight(&m, mr.Match)
			}
			for j := range q.Zones {
				c := &d.Cells[q.cellIndex(i, j)]
				if len(q.Skills) > 0 {
					c.Owned, c.Partial, c.Missing = mr.Owned, mr.Partial, mr.Missing
				}
				c.Match = mr.Match
				c.Lights = append(c.Lights, light)
			}
		}
	}, nil
}

// skillsLight is the engine's light for a profile against a fiche (m nil: no
// profile). Rule is the engine's rule in French with its thresholds (rules.yaml).
func skillsLight(m *skills.Match, match Figure) Light {
	r, err := skills.DefaultRules()
	if err != nil {
		panic(err) // the embedded rules.yaml is checked by internal/skills' tests
	}
	mr := r.Match
	l := Light{Axis: AxisSkills, Color: Unknown, Rule: r.MatchRule(),
		Inputs: map[string]any{"matchPct": match.Value},
		Thresholds: map[string]any{"greenMinPct": mr.GreenMinMatchPct, "amberMinPct": mr.AmberMinMatchPct,
			"amberMinFitPct": mr.AmberMinFitPct, "minCoreOwned": mr.MinCoreOwned, "rulesVersion": r.Version}}
	if m == nil {
		l.Explanation = "Renseignez vos compétences pour mesurer l'écart avec le métier."
		return l
	}
	l.Inputs["fitPct"], l.Inputs["coreOwned"] = m.FitPct, m.CoreOwned
	l.Color = m.Light
	switch {
	case !match.Known():
		l.Explanation = "La fiche ne liste aucune compétence pondérée : l'écart ne se mesure pas."
	case m.Light == Green:
		l.Explanation = fmt.Sprintf("Vous couvrez %s %% des compétences pondérées du métier.", fmtNum(*match.Value))
	case m.Light == Amber && *match.Value < mr.AmberMinMatchPct && m.FitPct != nil:
		l.Explanation = fmt.Sprintf("Vous couvrez %s %% des compétences pondérées du métier, mais %s %% de celles que vous avez indiquées en relèvent, dont %d compétences techniques ou savoirs : le métier est à votre portée, complétez votre profil.",
			fmtNum(*match.Value), fmtNum(*m.FitPct), m.CoreOwned)
	case m.Light == Amber:
		l.Explanation = fmt.Sprintf("Vous couvrez %s %% des compétences pondérées du métier : une partie reste à acquérir.", fmtNum(*match.Value))
	default:
		l.Explanation = fmt.Sprintf("Vous ne couvrez que %s %% des compétences pondérées du métier.", fmtNum(*match.Value))
	}
	return l
}

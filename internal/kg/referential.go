package kg

// The reads of diagnostic.Referential: the labels, skills, zones and communes the diagnostic indexes once per data
// version (queries/labels.rq, skills-index.rq, zones.rq, communes.rq).

import (
	"context"

	"github.com/openemploi360/openemploi/internal/diagnostic"
)

// Labels reads the fiche and appellation labels for the free-text index.
func (k *KG) Labels(ctx context.Context) ([]diagnostic.Label, error) {
	rows, err := k.selectRows(ctx, "labels", nil)
	if err != nil {
		return nil, err
	}
	var out []diagnostic.Label
	seenFiche := map[string]bool{}
	seenApp := map[string]bool{}
	for _, r := range rows {
		ref := diagnostic.MetierRef{IRI: r.str("fiche"), Code: r.str("code"), Label: r.str("label"), Executive: r.boolp("executive")}
		if !seenFiche[ref.IRI] {
			seenFiche[ref.IRI] = true
			out = append(out, diagnostic.Label{Text: ref.Label, Metier: ref})
		}
		if !r.has("app") {
			continue
		}
		for _, text := range []string{r.str("appLabel"), r.str("appAlt")} {
			key := r.str("app") + "\x00" + text
			if text == "" || seenApp[key] {
				continue
			}
			seenApp[key] = true
			out = append(out, diagnostic.Label{Text: text, Appellation: r.str("appCode"), Metier: ref})
		}
	}
	return out, nil
}

// SkillIndex reads every skill item.
func (k *KG) SkillIndex(ctx context.Context) ([]diagnostic.Skill, error) {
	rows, err := k.selectRows(ctx, "skills-index", nil)
	if err != nil {
		return nil, err
	}
	out := make([]diagnostic.Skill, 0, len(rows))
	seen := map[string]bool{}
	for _, r := range rows {
		if seen[r.str("item")] {
			continue
		}
		seen[r.str("item")] = true
		out = append(out, diagnostic.Skill{IRI: r.str("item"), Code: r.str("code"), Label: r.str("label"), Kind: r.str("kind"), Category: r.str("category")})
	}
	return out, nil
}

// Zones reads the zones d'emploi with their population and commune count.
func (k *KG) Zones(ctx context.Context) ([]diagnostic.ZoneObs, error) {
	rows, err := k.selectRows(ctx, "zones", nil)
	if err != nil {
		return nil, err
	}
	out := make([]diagnostic.ZoneObs, 0, len(rows))
	for _, r := range rows {
		out = append(out, diagnostic.ZoneObs{IRI: r.str("zone"), Code: r.str("code"), Label: r.str("label"),
			Population: r.float("population"), Communes: r.int("communes"), TotalCommunes: r.int("total"), Graph: r.str("g")})
	}
	return out, nil
}

// Communes reads the communes with their zone code.
func (k *KG) Communes(ctx context.Context) ([]diagnostic.Commune, error) {
	rows, err := k.selectRows(ctx, "communes", nil)
	if err != nil {
		return nil, err
	}
	out := make([]diagnostic.Commune, 0, len(rows))
	for _, r := range rows {
		out = append(out, diagnostic.Commune{IRI: r.str("commune"), Code: r.str("code"), Name: r.str("name"), Zone: r.str("zoneCode")})
	}
	return out, nil
}

package kg

// The read of the skills vocabulary (queries/skills-synonyms.rq): the triples of graph
// oeg:skills-synonyms the diagnostic builds its skills engine from, once per data
// version.

import (
	"context"

	"github.com/knakk/rdf"

	"github.com/openemploi360/openemploi/internal/skills"
)

// SkillSynonyms reads the triples of the live skills vocabulary; none when the graph
// is not loaded.
func (k *KG) SkillSynonyms(ctx context.Context) ([]skills.Statement, error) {
	rows, err := k.selectRows(ctx, "skills-synonyms", nil)
	if err != nil {
		return nil, err
	}
	out := make([]skills.Statement, 0, len(rows))
	for _, r := range rows {
		_, lit := r["o"].(rdf.Literal)
		out = append(out, skills.Statement{Subject: r.str("s"), Predicate: r.str("p"), Object: r.str("o"), Literal: lit})
	}
	return out, nil
}

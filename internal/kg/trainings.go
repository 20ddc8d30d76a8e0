package kg

// The reads of diagnostic.TrainingSource (queries/trainings.rq, session-count.rq,
// training-span.rq).

import (
	"context"
	"time"

	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/sparqlq"
)

// Trainings reads sessions starting from a day in the zones for the métiers.
func (k *KG) Trainings(ctx context.Context, metiers, zones []string, from time.Time) (map[[2]string][]diagnostic.Training, error) {
	out := map[[2]string][]diagnostic.Training{}
	if len(metiers) == 0 || len(zones) == 0 {
		return out, nil
	}
	rows, err := k.selectRows(ctx, "trainings", sparqlq.Args{"metiers": metiers, "zones": zones, "from": from})
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		key := [2]string{r.str("fiche"), r.str("zone")}
		out[key] = append(out[key], diagnostic.Training{
			IRI: r.str("session"), Name: r.str("name"), Start: r.str("start"), Commune: r.str("commune"),
			Provider: r.str("provider"), Formacode: r.str("formacode"), Covers: []string{r.str("fiche")}, Source: r.str("g"),
		})
	}
	return out, nil
}

// SessionCount counts the training sessions of the region starting in [from, until]:
// the coverage behind the training light.
func (k *KG) SessionCount(ctx context.Context, from, until time.Time) (int, error) {
	rows, err := k.selectRows(ctx, "session-count", sparqlq.Args{"from": from, "until": until})
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	return rows[0].int("n"), nil
}

// TrainingSpan reads the first and last session start and the number of sessions of
// the live training graphs.
func (k *KG) TrainingSpan(ctx context.Context) (diagnostic.TrainingSpan, error) {
	rows, err := k.selectRows(ctx, "training-span", nil)
	if err != nil || len(rows) == 0 {
		return diagnostic.TrainingSpan{}, err
	}
	return diagnostic.TrainingSpan{First: rows[0].str("first"), Last: rows[0].str("last"), Sessions: rows[0].int("n")}, nil
}

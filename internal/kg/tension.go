package kg

// The reads of diagnostic.TensionSource (queries/tension.rq).

import (
	"context"

	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/sparqlq"
)

// Tension reads the BMO tension observations: one per métier, zone and bassin
// overlapping the zone, with the bassin's weight in the zone.
func (k *KG) Tension(ctx context.Context, metiers, zones []string) ([]diagnostic.TensionObs, error) {
	if len(metiers) == 0 || len(zones) == 0 {
		return nil, nil
	}
	rows, err := k.selectRows(ctx, "tension", sparqlq.Args{"metiers": metiers, "zones": zones})
	if err != nil {
		return nil, err
	}
	out := make([]diagnostic.TensionObs, 0, len(rows))
	for _, r := range rows {
		out = append(out, diagnostic.TensionObs{
			Metier: r.str("fiche"), Zone: r.str("zone"), Bassin: r.str("bassin"), Communes: r.int("communes"), Population: population(r),
			Indicator: r.float("indicator"), Hiring: r.float("hiring"), Demand: r.float("demand"),
			OffersMean: r.float("offersMean"), SeekersMean: r.float("seekersMean"),
			Period: r.str("period"), Graph: r.str("g"), Via: r.str("via"),
		})
	}
	return out, nil
}

func population(r row) float64 {
	if p := r.float("population"); p != nil {
		return *p
	}
	return 0
}

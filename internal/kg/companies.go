package kg

// The reads of diagnostic.CompanySource (queries/companies.rq).

import (
	"context"

	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/sparqlq"
)

// Companies reads establishments of the zones in sectors linked to the métiers: one
// observation per establishment and link.
func (k *KG) Companies(ctx context.Context, metiers, zones []string) ([]diagnostic.EstablishmentObs, error) {
	if len(metiers) == 0 || len(zones) == 0 {
		return nil, nil
	}
	rows, err := k.selectRows(ctx, "companies", sparqlq.Args{"metiers": metiers, "zones": zones})
	if err != nil {
		return nil, err
	}
	out := make([]diagnostic.EstablishmentObs, 0, len(rows))
	for _, r := range rows {
		out = append(out, diagnostic.EstablishmentObs{
			Metier: r.str("fiche"), Zone: r.str("zone"), IRI: r.str("etab"), Name: r.str("name"),
			NAF: r.str("naf"), NAFLabel: r.str("nafLabel"), Weight: r.float("weight"), Band: r.str("band"), Graph: r.str("g"),
		})
	}
	return out, nil
}

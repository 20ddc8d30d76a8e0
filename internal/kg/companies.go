package kg

// The reads of diagnostic.CompanySource (queries/companies.rq, company-affinity.rq).

import (
	"context"

	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/sparqlq"
	"github.com/openemploi360/openemploi/internal/vocab"
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

// Affinities reads the NAF sub-classes the métiers hire in, with their affinity.
func (k *KG) Affinities(ctx context.Context, metiers []string) ([]diagnostic.AffinityObs, error) {
	if len(metiers) == 0 {
		return nil, nil
	}
	rows, err := k.selectRows(ctx, "company-affinity", sparqlq.Args{"metiers": metiers})
	if err != nil {
		return nil, err
	}
	out := make([]diagnostic.AffinityObs, 0, len(rows))
	for _, r := range rows {
		naf := r.str("code")
		if naf == "" {
			naf, _ = vocab.Code(vocab.KindNAF, r.str("sector"))
		}
		w := r.float("weight")
		if naf == "" || w == nil {
			continue
		}
		out = append(out, diagnostic.AffinityObs{Metier: r.str("fiche"), NAF: naf, NAFLabel: r.str("nafLabel"), Weight: *w, Graph: r.str("g")})
	}
	return out, nil
}

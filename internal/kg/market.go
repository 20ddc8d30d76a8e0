package kg

// The reads of diagnostic.MarketSource (queries/market.rq, top-metiers.rq, latest-month.rq).

import (
	"context"
	"fmt"
	"sort"

	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/sparqlq"
	"github.com/openemploi360/openemploi/internal/vocab"
)

// Market reads the derived offer aggregates for métiers × areas (IRIs): one
// MarketStats per pair asked, in the order asked, its months in order.
func (k *KG) Market(ctx context.Context, metiers, areas []string) ([]diagnostic.MarketStats, error) {
	if len(metiers) == 0 || len(areas) == 0 {
		return nil, nil
	}
	rows, err := k.selectRows(ctx, "market", sparqlq.Args{"metiers": metiers, "areas": areas})
	if err != nil {
		return nil, err
	}
	byKey := map[[2]string]*diagnostic.MarketStats{}
	var order [][2]string
	for _, m := range metiers {
		for _, a := range areas {
			key := [2]string{m, a}
			byKey[key] = &diagnostic.MarketStats{Metier: m, Area: a, Source: vocab.DerivedGraph}
			order = append(order, key)
		}
	}
	for _, r := range rows {
		ms := byKey[[2]string{r.str("fiche"), r.str("area")}]
		if ms == nil {
			continue
		}
		n := r.int("n")
		switch r.str("part") {
		case "month":
			ms.Months = append(ms.Months, diagnostic.MonthCount{Month: r.str("key"), Count: n})
		case "contract":
			ms.Contracts = append(ms.Contracts, diagnostic.Share{Code: r.str("key"), Count: n})
		case "experience":
			ms.Experience = append(ms.Experience, diagnostic.Share{Code: r.str("key"), Count: n})
		case "employer":
			c := diagnostic.Company{Name: r.str("key"), NAF: r.str("naf"), Offers: n, Source: vocab.DerivedGraph}
			if syn := r.boolp("synthetic"); syn != nil {
				c.Synthetic, c.OriginKnown = *syn, true
			}
			ms.Employers = append(ms.Employers, c)
		case "salary":
			ms.Salary = diagnostic.SalaryStats{Q1: r.float("q1"), Median: r.float("median"), Q3: r.float("q3"), N: n, Period: r.str("period")}
		}
	}
	out := make([]diagnostic.MarketStats, 0, len(order))
	for _, key := range order {
		ms := byKey[key]
		sort.Slice(ms.Months, func(i, j int) bool { return ms.Months[i].Month < ms.Months[j].Month })
		out = append(out, *ms)
	}
	return out, nil
}

// TopMetiers reads the métiers with most offers in each area since a month; only IRI
// and code are set, the caller knows the labels.
func (k *KG) TopMetiers(ctx context.Context, areas []string, since string, limit int) (map[string][]diagnostic.ZoneMetier, error) {
	out := map[string][]diagnostic.ZoneMetier{}
	if len(areas) == 0 {
		return out, nil
	}
	rows, err := k.selectRows(ctx, "top-metiers", sparqlq.Args{"areas": areas, "since": since})
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		a := r.str("area")
		if len(out[a]) >= limit {
			continue
		}
		iri := r.str("fiche")
		code, ok := vocab.MetierCode(iri)
		if !ok {
			return nil, fmt.Errorf("kg top-metiers: %s is not a ROME fiche", iri)
		}
		out[a] = append(out[a], diagnostic.ZoneMetier{Metier: diagnostic.MetierRef{IRI: iri, Code: code}, Offers: r.int("n")})
	}
	return out, nil
}

// LatestMonth reads the latest month of the offer aggregates.
func (k *KG) LatestMonth(ctx context.Context) (string, error) {
	rows, err := k.selectRows(ctx, "latest-month", nil)
	if err != nil || len(rows) == 0 {
		return "", err
	}
	return rows[0].str("month"), nil
}

package kg

// The reads of diagnostic.MarketSource (queries/market.rq, top-metiers.rq,
// latest-month.rq) over the live month graphs of the offers aggregates
// (oeg:derived/<source>/<YYYY-MM>, internal/aggregate).

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/openemploi360/openemploi/internal/aggregate"
	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/sparqlq"
	"github.com/openemploi360/openemploi/internal/vocab"
)

// Market reads the month cells of métiers × areas (IRIs) from the live month graphs
// and folds them (aggregate.Fold) into what the reference aggregates say over every
// month: one MarketStats per pair asked, in the order asked, its months in order. The
// figures name oeg:derived, the aggregates as one dataset, as their source.
func (k *KG) Market(ctx context.Context, metiers, areas []string) ([]diagnostic.MarketStats, error) {
	if len(metiers) == 0 || len(areas) == 0 {
		return nil, nil
	}
	rows, err := k.selectRows(ctx, "market", sparqlq.Args{"metiers": metiers, "areas": areas})
	if err != nil {
		return nil, err
	}
	cells := make([]aggregate.CellMonth, 0, len(rows))
	for _, r := range rows {
		c, err := cellMonth(r)
		if err != nil {
			return nil, fmt.Errorf("kg market: %w", err)
		}
		cells = append(cells, c)
	}
	obs := aggregate.Fold(cells)

	byKey := map[[2]string]*diagnostic.MarketStats{}
	var order [][2]string
	for _, m := range metiers {
		for _, a := range areas {
			key := [2]string{m, a}
			if byKey[key] == nil {
				byKey[key] = &diagnostic.MarketStats{Metier: m, Area: a, Source: vocab.DerivedGraph}
			}
			order = append(order, key)
		}
	}
	// Fold sorts each list by area, fiche then month or key: appending keeps that order.
	for _, o := range obs.Months {
		if ms := byKey[[2]string{o.Fiche, o.Area}]; ms != nil {
			ms.Months = append(ms.Months, diagnostic.MonthCount{Month: o.Month, Count: int(o.Offers)})
		}
	}
	for _, o := range obs.Contracts {
		if ms := byKey[[2]string{o.Fiche, o.Area}]; ms != nil {
			ms.Contracts = append(ms.Contracts, diagnostic.Share{Code: o.Key, Count: int(o.Offers)})
		}
	}
	for _, o := range obs.Experience {
		if ms := byKey[[2]string{o.Fiche, o.Area}]; ms != nil {
			ms.Experience = append(ms.Experience, diagnostic.Share{Code: o.Key, Count: int(o.Offers)})
		}
	}
	for _, o := range obs.Employers {
		if ms := byKey[[2]string{o.Fiche, o.Area}]; ms != nil {
			// whether any of the employer's offers is synthetic is known per employer:
			// OriginKnown keeps the aggregates' flag, which mixes sources, from overriding it
			ms.Employers = append(ms.Employers, diagnostic.Company{Name: o.Name, NAF: o.NAF, Offers: int(o.Offers),
				Source: vocab.DerivedGraph, Synthetic: o.Synthetic, OriginKnown: true})
		}
	}
	for _, o := range obs.Salaries {
		if ms := byKey[[2]string{o.Fiche, o.Area}]; ms != nil && o.N > 0 {
			q1, median, q3 := o.Q1, o.Median, o.Q3
			ms.Salary = diagnostic.SalaryStats{Q1: &q1, Median: &median, Q3: &q3, N: int(o.N), Period: o.Period}
		}
	}
	out := make([]diagnostic.MarketStats, 0, len(order))
	for _, key := range order {
		out = append(out, *byKey[key])
	}
	return out, nil
}

// cellMonth decodes one row of market.rq.
func cellMonth(r row) (aggregate.CellMonth, error) {
	lg := r.str("lg")
	source, _, ok := vocab.DerivedOf(lg)
	if !ok {
		return aggregate.CellMonth{}, fmt.Errorf("%s is not a month graph of the aggregates", lg)
	}
	c := aggregate.CellMonth{Source: source, Area: r.str("area"), Fiche: r.str("fiche"), Month: r.str("month"),
		Offers: int64(r.int("n"))}
	if err := json.Unmarshal([]byte(r.str("mix")), &c.Mix); err != nil {
		return aggregate.CellMonth{}, fmt.Errorf("%s, cell %s × %s × %s: oep:offerMix: %w", lg, c.Area, c.Fiche, c.Month, err)
	}
	if syn := r.boolp("synthetic"); syn != nil {
		c.Synthetic = *syn
	}
	return c, nil
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

// LatestMonth reads the latest month of the live month graphs that hold observations,
// "" when there is none.
func (k *KG) LatestMonth(ctx context.Context) (string, error) {
	rows, err := k.selectRows(ctx, "latest-month", nil)
	if err != nil {
		return "", err
	}
	latest := ""
	for _, r := range rows {
		_, month, ok := vocab.DerivedOf(r.str("lg"))
		if !ok {
			return "", fmt.Errorf("kg latest-month: %s is not a month graph of the aggregates", r.str("lg"))
		}
		latest = max(latest, month)
	}
	return latest, nil
}

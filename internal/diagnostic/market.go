package diagnostic

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/openemploi360/openemploi/internal/vocab"
)

// MarketSource reads the offer aggregates (queries/market.rq, top-metiers.rq,
// latest-month.rq over the live month graphs oeg:derived/<source>/<month>, never the
// raw offers).
type MarketSource interface {
	// LatestMonth is the latest month ("2025-01") with offers in the aggregates, ""
	// when there are none: market windows end there, not at today.
	LatestMonth(ctx context.Context) (string, error)
	// Market returns the aggregates of métiers × areas (IRIs; an area is a zone or the
	// region), one MarketStats per pair asked, empty when the pair has no offer.
	Market(ctx context.Context, metiers, areas []string) ([]MarketStats, error)
	// TopMetiers returns, per area, the métiers with most offers since a month, most
	// first, at most limit; only the métier's IRI and code are set.
	TopMetiers(ctx context.Context, areas []string, since string, limit int) (map[string][]ZoneMetier, error)
}

// MarketStats are what the derived aggregates say about one métier in one area.
type MarketStats struct {
	Area, Metier string // IRIs
	Months       []MonthCount
	Contracts    []Share // Code and Count only
	Experience   []Share // Code and Count only
	Employers    []Company
	Salary       SalaryStats
	Source       string // graph of the aggregates (oeg:derived)
}

// MonthCount is the number of offers posted in one month ("2025-01").
type MonthCount struct {
	Month string
	Count int
}

// SalaryStats are quartiles of monthly gross salary offered.
type SalaryStats struct {
	Q1, Median, Q3 *float64
	N              int
	Period         string
}

// Sizes of the market's lists.
const (
	topCompanies = 10 // the original showed "top 10" but at most 9
	topMetiers   = 10
)

type marketUnit struct{ src MarketSource }

func (marketUnit) Name() string { return "market" }

func (u marketUnit) Fetch(ctx context.Context, q *Query) (Assemble, error) {
	var (
		byCell map[[2]string]*MarketStats
		top    map[string][]ZoneMetier
	)
	err := parallel(
		func() (err error) { byCell, err = q.marketStats(ctx); return },
		func() (err error) { top, err = q.ix.topOf(ctx, u.src, q.ZoneIRIs()); return },
	)
	if err != nil {
		return nil, err
	}
	return func(d *Diagnostic) {
		for i := range d.Cells {
			c := &d.Cells[i]
			c.Market = assembleMarket(byCell[[2]string{c.Metier.IRI, c.Zone.IRI}], q.Latest, q.th.Market.MinTrendOffers)
			c.Market.TopMetiers = top[c.Zone.IRI]
			if q.Spouse != nil {
				f := perMonth(byCell[[2]string{q.Spouse.IRI, c.Zone.IRI}], q.Latest)
				c.Spouse = &f
			}
			c.Lights = append(c.Lights, q.th.marketLight(c.Market.PerMonth, c.Market.Trend))
		}
		if c := d.Current; c != nil {
			c.Market = assembleMarket(byCell[[2]string{c.Metier.IRI, c.Zone.IRI}], q.Latest, q.th.Market.MinTrendOffers)
		}
	}, nil
}

// monthsBack returns the month n months before "YYYY-MM".
func monthsBack(month string, n int) string {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return month
	}
	return t.AddDate(0, -n, 0).Format("2006-01")
}

// assembleMarket turns the aggregates of one cell (nil: no offer) into its market
// section: six months of offers ending at the latest month of the data, the average
// of the latest three, the trend against the three before (only when each window
// holds at least minTrend offers), the breakdowns and the employers.
func assembleMarket(ms *MarketStats, latest string, minTrend int) Market {
	var mk Market
	if latest == "" {
		mk.PerMonth = Missing("offers/month", "", "aucune offre d'emploi chargée")
		mk.Trend = Missing("%", "", "aucune offre d'emploi chargée")
	} else {
		counts := map[string]int{}
		if ms != nil {
			for _, mc := range ms.Months {
				counts[mc.Month] = mc.Count
			}
		}
		var last3, prev3 int
		for i := 5; i >= 0; i-- {
			month := monthsBack(latest, i)
			k := counts[month] // no aggregate for a month means no offer posted: a real 0
			mk.OffersByMonth = append(mk.OffersByMonth, Figure{Value: Num(float64(k)), Unit: "offers", Period: month, Source: vocab.DerivedGraph})
			if i < 3 {
				last3 += k
			} else {
				prev3 += k
			}
		}
		mk.PerMonth = perMonth(ms, latest)
		period := monthsBack(latest, 5) + "/" + latest
		switch {
		case prev3 == 0:
			mk.Trend = Figure{Unit: "%", Period: period, N: Count(last3), Source: vocab.DerivedGraph, Note: "aucune offre les 3 mois précédents pour comparer"}
		case prev3 < minTrend || last3 < minTrend:
			mk.Trend = Figure{Unit: "%", Period: period, N: Count(last3 + prev3), Source: vocab.DerivedGraph,
				Note: fmt.Sprintf("trop peu d'offres pour une tendance : %d les 3 derniers mois, %d les 3 précédents (il en faut au moins %d de chaque côté)", last3, prev3, minTrend)}
		default:
			mk.Trend = Figure{Value: Num(math.Round(float64(last3-prev3)/float64(prev3)*1000) / 10), Unit: "%", Period: period, N: Count(last3 + prev3), Source: vocab.DerivedGraph}
		}
	}
	if ms != nil {
		mk.Contracts = shares(ms.Contracts, contractLabels)
		mk.Experience = shares(ms.Experience, experienceLabels)
		mk.TopCompanies = employers(ms)
	}
	return mk
}

// perMonth is the average number of offers per month over the latest 3 months.
func perMonth(ms *MarketStats, latest string) Figure {
	if latest == "" {
		return Missing("offers/month", "", "aucune offre d'emploi chargée")
	}
	from := monthsBack(latest, 2)
	sum := 0
	if ms != nil {
		for _, mc := range ms.Months {
			if mc.Month >= from && mc.Month <= latest {
				sum += mc.Count
			}
		}
	}
	return Figure{Value: Num(math.Round(float64(sum)/3*100) / 100), Unit: "offers/month", Period: from + "/" + latest, N: Count(sum), Source: vocab.DerivedGraph}
}

// employers lists the employers of a cell's offers, most offers first, with why.
func employers(ms *MarketStats) []Company {
	l := append([]Company(nil), ms.Employers...)
	sort.SliceStable(l, func(i, j int) bool {
		if l[i].Offers != l[j].Offers {
			return l[i].Offers > l[j].Offers
		}
		return l[i].Name < l[j].Name
	})
	l = capList(l, topCompanies)
	for i := range l {
		l[i].Why = fmt.Sprintf("%d offre(s) publiée(s) pour ce métier dans la zone", l[i].Offers)
	}
	return l
}

var contractLabels = map[string]string{
	"CDI": "Contrat à durée indéterminée", "CDD": "Contrat à durée déterminée", "MIS": "Mission intérimaire",
	"SAI": "Contrat travail saisonnier", "LIB": "Profession libérale", "FRA": "Franchise", "CCE": "Profession commerciale",
	"REP": "Reprise d'entreprise", "DDI": "CDD insertion", "DIN": "CDI intérimaire", "TTI": "Contrat travail temporaire insertion",
}

var experienceLabels = map[string]string{"D": "Débutant accepté", "E": "Expérience exigée", "S": "Expérience souhaitée"}

// shares labels a breakdown and gives each category its share of the offers, the
// largest first.
func shares(l []Share, labels map[string]string) []Share {
	total := 0
	for _, s := range l {
		total += s.Count
	}
	out := make([]Share, len(l))
	for i, s := range l {
		s.Label = labels[s.Code]
		if total > 0 {
			s.Share = Figure{Value: Num(math.Round(float64(s.Count)/float64(total)*1000) / 1000), Unit: "fraction", N: Count(total), Source: vocab.DerivedGraph}
		}
		out[i] = s
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Code < out[j].Code
	})
	return out
}

// marketLight rates the average monthly offers of the latest 3 months and the trend.
func (t *Thresholds) marketLight(perMonth, trend Figure) Light {
	l := Light{Axis: AxisMarket, Rule: "moyenne mensuelle des offres sur les 3 derniers mois ; une baisse forte abaisse d'un cran",
		Inputs:     map[string]any{"offersPerMonth": perMonth.Value, "trendPct": trend.Value},
		Thresholds: map[string]any{"greenMin": t.Market.GreenMinOffersPerMonth, "amberMin": t.Market.AmberMinOffersPerMonth, "fallingTrendPct": t.Market.FallingTrendPct}}
	if !perMonth.Known() {
		l.Color, l.Explanation = Unknown, "Pas de données d'offres pour ce métier et cette zone."
		return l
	}
	v := *perMonth.Value
	switch {
	case v >= t.Market.GreenMinOffersPerMonth:
		l.Color = Green
		l.Explanation = fmt.Sprintf("Marché actif : %s offres par mois en moyenne sur les 3 derniers mois.", fmtNum(v))
	case v >= t.Market.AmberMinOffersPerMonth:
		l.Color = Amber
		l.Explanation = fmt.Sprintf("Marché modeste : %s offres par mois en moyenne sur les 3 derniers mois.", fmtNum(v))
	default:
		l.Color = Red
		l.Explanation = fmt.Sprintf("Marché étroit : %s offre par mois en moyenne sur les 3 derniers mois.", fmtNum(v))
	}
	if trend.Known() && *trend.Value <= t.Market.FallingTrendPct {
		l.Color = lower(l.Color)
		l.Explanation += fmt.Sprintf(" Les offres ont baissé de %s %% par rapport aux 3 mois précédents.", fmtNum(-*trend.Value))
	}
	return l
}

// labelled fills the labels of top métiers from the index.
func (ix *index) labelled(l []ZoneMetier) []ZoneMetier {
	out := make([]ZoneMetier, len(l))
	for i, zm := range l {
		if ref, ok := ix.fiches[zm.Metier.Code]; ok {
			zm.Metier = ref
		}
		out[i] = zm
	}
	return out
}

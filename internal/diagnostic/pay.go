package diagnostic

import (
	"context"
	"fmt"

	"github.com/openemploi360/openemploi/internal/vocab"
)

// The pay section reads the salary quartiles of the market aggregates
// (queries/market.rq, part "salary"): it has no role interface of its own and shares
// the market's round trip.
type payUnit struct{}

func (payUnit) Name() string { return "pay" }

func (payUnit) Fetch(ctx context.Context, q *Query) (Assemble, error) {
	byCell, err := q.marketStats(ctx)
	if err != nil {
		return nil, err
	}
	return func(d *Diagnostic) {
		for i := range d.Cells {
			c := &d.Cells[i]
			st := salaryStats(byCell[[2]string{c.Metier.IRI, c.Zone.IRI}])
			c.Salary = assembleSalary(st, q.Income)
			c.Lights = append(c.Lights, q.th.payLight(st, q.Income))
		}
		if c := d.Current; c != nil {
			c.Salary = assembleSalary(salaryStats(byCell[[2]string{c.Metier.IRI, c.Zone.IRI}]), q.Income)
		}
	}, nil
}

func salaryStats(ms *MarketStats) SalaryStats {
	if ms == nil {
		return SalaryStats{}
	}
	return ms.Salary
}

// assembleSalary turns a cell's quartiles into figures, null with a note when no offer
// states a salary (never 0: the original application averaged missing salaries as 0),
// and places the median against the wished range when one is given.
func assembleSalary(st SalaryStats, inc *Income) Salary {
	note := "aucune offre n'indique de salaire pour ce métier ici"
	fig := func(v *float64) Figure {
		if v == nil || st.N == 0 {
			return Figure{Unit: "EUR/month", Period: st.Period, N: Count(st.N), Source: vocab.DerivedGraph, Note: note}
		}
		return Figure{Value: v, Unit: "EUR/month", Period: st.Period, N: Count(st.N), Source: vocab.DerivedGraph}
	}
	s := Salary{Median: fig(st.Median), Q1: fig(st.Q1), Q3: fig(st.Q3)}
	if inc != nil && st.Median != nil && (inc.WishedMin != nil || inc.WishedMax != nil) {
		switch {
		case inc.WishedMin != nil && *st.Median < *inc.WishedMin:
			s.VsWished = "below"
		case inc.WishedMax != nil && *st.Median > *inc.WishedMax:
			s.VsWished = "above"
		default:
			s.VsWished = "within"
		}
	}
	return s
}

// payLight compares the offered salaries with the wished range, or else the current income.
func (t *Thresholds) payLight(s SalaryStats, inc *Income) Light {
	l := Light{Axis: AxisPay, Rule: "salaire médian et 3e quartile proposés comparés au minimum souhaité, sinon au revenu actuel",
		Inputs:     map[string]any{"median": s.Median, "q3": s.Q3, "n": s.N},
		Thresholds: map[string]any{"minSalaryN": t.Pay.MinSalaryN, "amberMinRatioToCurrent": t.Pay.AmberMinRatioToCurrent}}
	if s.Median == nil || s.N < t.Pay.MinSalaryN {
		l.Color = Unknown
		l.Explanation = fmt.Sprintf("Trop peu d'offres indiquant un salaire (%d) pour conclure.", s.N)
		return l
	}
	med := *s.Median
	switch {
	case inc != nil && inc.WishedMin != nil:
		l.Inputs["wishedMin"] = *inc.WishedMin
		switch {
		case med >= *inc.WishedMin:
			l.Color, l.Explanation = Green, fmt.Sprintf("Le salaire médian proposé (%s € brut/mois) atteint votre minimum souhaité.", fmtNum(med))
		case s.Q3 != nil && *s.Q3 >= *inc.WishedMin:
			l.Color, l.Explanation = Amber, fmt.Sprintf("Le salaire médian proposé (%s € brut/mois) est sous votre minimum souhaité, mais un quart des offres l'atteignent.", fmtNum(med))
		default:
			l.Color, l.Explanation = Red, fmt.Sprintf("Même le quart le mieux payé des offres (%s € brut/mois) reste sous votre minimum souhaité.", fmtNum(*s.Q3))
		}
	case inc != nil && inc.Current != nil:
		l.Inputs["current"] = *inc.Current
		switch {
		case med >= *inc.Current:
			l.Color, l.Explanation = Green, fmt.Sprintf("Le salaire médian proposé (%s € brut/mois) atteint votre revenu actuel.", fmtNum(med))
		case med >= *inc.Current*t.Pay.AmberMinRatioToCurrent:
			l.Color, l.Explanation = Amber, fmt.Sprintf("Le salaire médian proposé (%s € brut/mois) est un peu sous votre revenu actuel.", fmtNum(med))
		default:
			l.Color, l.Explanation = Red, fmt.Sprintf("Le salaire médian proposé (%s € brut/mois) est nettement sous votre revenu actuel.", fmtNum(med))
		}
	default:
		l.Color = Unknown
		l.Explanation = fmt.Sprintf("Salaire médian proposé : %s € brut/mois ; indiquez vos revenus pour le comparer.", fmtNum(med))
	}
	return l
}

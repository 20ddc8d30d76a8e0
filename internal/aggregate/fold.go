package aggregate

import (
	"cmp"
	"math"
	"slices"
	"strconv"

	"github.com/openemploi360/openemploi/internal/vocab"
)

// The region-level filter of offers-mix.ru: at vocab.RegionIRI an employer is kept
// only with at least minRegionOffers offers, or when its fiche has at most
// maxRegionEmployers employers there.
const (
	minRegionOffers    = 2
	maxRegionEmployers = 10
)

// Fold combines the observations of any number of month graphs (any sources, any
// months) into what the reference definitions compute over the same offers:
// offers per area × fiche × month summed over sources; contracts, experience,
// employers and salaries per area × fiche over every month, with the span of months
// posted. It assumes what the reference definitions count once is recorded once:
// an offer appears in one source and one month (true of every source: its IRI
// names its source, its month is its date's).
func Fold(cells []CellMonth) Observations {
	type af struct{ area, fiche string }
	type afk struct{ area, fiche, key string }
	type keyAcc struct {
		n           int64
		first, last string
	}
	type empAcc struct {
		keyAcc
		naf         string
		someWithout bool // an offer without NAF: offers-mix.ru writes none
		synthetic   bool
	}
	type salAcc struct {
		hist        map[int64]int64
		first, last string
	}
	span := func(k *keyAcc, month string) {
		if k.first == "" || month < k.first {
			k.first = month
		}
		if month > k.last {
			k.last = month
		}
	}
	months := map[afk]int64{}
	contracts, experience := map[afk]*keyAcc{}, map[afk]*keyAcc{}
	employers := map[afk]*empAcc{}
	employersOf := map[af]int{} // distinct employers per area × fiche
	salaries := map[af]*salAcc{}
	addKeys := func(to map[afk]*keyAcc, c *CellMonth, counts map[string]int64) {
		for key, n := range counts {
			k := afk{c.Area, c.Fiche, key}
			acc := to[k]
			if acc == nil {
				acc = &keyAcc{}
				to[k] = acc
			}
			acc.n += n
			span(acc, c.Month)
		}
	}
	for i := range cells {
		c := &cells[i]
		months[afk{c.Area, c.Fiche, c.Month}] += c.Offers
		addKeys(contracts, c, c.Mix.Contracts)
		addKeys(experience, c, c.Mix.Experience)
		for _, e := range c.Mix.Employers {
			k := afk{c.Area, c.Fiche, e.Name}
			acc := employers[k]
			if acc == nil {
				acc = &empAcc{}
				employers[k] = acc
				employersOf[af{c.Area, c.Fiche}]++
			}
			acc.n += e.Offers
			acc.naf = max(acc.naf, e.NAF)
			acc.someWithout = acc.someWithout || e.NAF == ""
			acc.synthetic = acc.synthetic || c.Synthetic
			span(&acc.keyAcc, c.Month)
		}
		if len(c.Mix.Salaries) > 0 {
			k := af{c.Area, c.Fiche}
			acc := salaries[k]
			if acc == nil {
				acc = &salAcc{hist: map[int64]int64{}}
				salaries[k] = acc
			}
			for s, n := range c.Mix.Salaries {
				v, err := strconv.ParseInt(s, 10, 64)
				if err != nil {
					continue // not written by Write
				}
				acc.hist[v] += n
			}
			if acc.first == "" || c.Month < acc.first {
				acc.first = c.Month
			}
			acc.last = max(acc.last, c.Month)
		}
	}

	var out Observations
	for k, n := range months {
		if n > 0 {
			out.Months = append(out.Months, MonthObs{Area: k.area, Fiche: k.fiche, Month: k.key, Offers: n})
		}
	}
	slices.SortFunc(out.Months, func(x, y MonthObs) int {
		return cmp.Or(cmp.Compare(x.Area, y.Area), cmp.Compare(x.Fiche, y.Fiche), cmp.Compare(x.Month, y.Month))
	})
	keyObs := func(from map[afk]*keyAcc) []KeyObs {
		var l []KeyObs
		for k, acc := range from {
			l = append(l, KeyObs{Area: k.area, Fiche: k.fiche, Key: k.key, Period: acc.first + "/" + acc.last, Offers: acc.n})
		}
		slices.SortFunc(l, func(x, y KeyObs) int {
			return cmp.Or(cmp.Compare(x.Area, y.Area), cmp.Compare(x.Fiche, y.Fiche), cmp.Compare(x.Key, y.Key))
		})
		return l
	}
	out.Contracts, out.Experience = keyObs(contracts), keyObs(experience)
	for k, acc := range employers {
		if k.area == vocab.RegionIRI && acc.n < minRegionOffers && employersOf[af{k.area, k.fiche}] > maxRegionEmployers {
			continue
		}
		naf := acc.naf
		if acc.someWithout {
			naf = ""
		}
		out.Employers = append(out.Employers, EmployerObs{Area: k.area, Fiche: k.fiche, Name: k.key,
			Period: acc.first + "/" + acc.last, NAF: naf, Offers: acc.n, Synthetic: acc.synthetic})
	}
	slices.SortFunc(out.Employers, func(x, y EmployerObs) int {
		return cmp.Or(cmp.Compare(x.Area, y.Area), cmp.Compare(x.Fiche, y.Fiche), cmp.Compare(x.Name, y.Name))
	})
	for k, acc := range salaries {
		o := SalaryObs{Area: k.area, Fiche: k.fiche, Period: acc.first + "/" + acc.last}
		values := make([]int64, 0, len(acc.hist))
		for s, n := range acc.hist {
			values = append(values, s)
			o.N += n
		}
		if o.N == 0 {
			continue
		}
		slices.Sort(values)
		o.Q1, o.Median, o.Q3 = math.NaN(), math.NaN(), math.NaN()
		var le int64
		// nearest rank, as salaries-by-zone.ru: the p-quantile is the smallest value s
		// whose offers at or below it (le) reach p·n
		for _, s := range values {
			le += acc.hist[s]
			if math.IsNaN(o.Q1) && 4*le >= o.N {
				o.Q1 = float64(s)
			}
			if math.IsNaN(o.Median) && 2*le >= o.N {
				o.Median = float64(s)
			}
			if math.IsNaN(o.Q3) && 4*le >= 3*o.N {
				o.Q3 = float64(s)
			}
		}
		out.Salaries = append(out.Salaries, o)
	}
	slices.SortFunc(out.Salaries, func(x, y SalaryObs) int {
		return cmp.Or(cmp.Compare(x.Area, y.Area), cmp.Compare(x.Fiche, y.Fiche))
	})
	return out
}

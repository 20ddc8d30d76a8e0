package diagnostic

import (
	"strings"
	"testing"
)

func TestAssembleMarket(t *testing.T) {
	ms := &MarketStats{
		Months:     []MonthCount{{"2024-07", 50}, {"2024-08", 2}, {"2024-10", 4}, {"2024-11", 5}, {"2025-01", 7}},
		Contracts:  []Share{{Code: "CDD", Count: 1}, {Code: "CDI", Count: 3}},
		Experience: []Share{{Code: "S", Count: 2}, {Code: "E", Count: 2}},
		Employers:  []Company{{Name: "B", Offers: 1}, {Name: "A", Offers: 1}, {Name: "C", Offers: 3}},
	}
	mk := assembleMarket(ms, "2025-01", 5)
	var months []string
	for _, f := range mk.OffersByMonth {
		months = append(months, f.Period+"="+fmtNum(*f.Value))
	}
	// six months ending at the data's latest; a month without aggregate is a real 0;
	// July is outside the window
	if got := strings.Join(months, ","); got != "2024-08=2,2024-09=0,2024-10=4,2024-11=5,2024-12=0,2025-01=7" {
		t.Errorf("months %s", got)
	}
	// (5+0+7)/3 = 4; trend (12-6)/6 = +100 %
	if *mk.PerMonth.Value != 4 || *mk.PerMonth.N != 12 || mk.PerMonth.Period != "2024-11/2025-01" || *mk.Trend.Value != 100 {
		t.Errorf("per month %+v, trend %+v", mk.PerMonth, mk.Trend)
	}
	if mk.Contracts[0].Code != "CDI" || mk.Contracts[0].Label != "Contrat à durée indéterminée" || *mk.Contracts[0].Share.Value != 0.75 {
		t.Errorf("contracts %+v", mk.Contracts)
	}
	if mk.Experience[0].Code != "E" { // equal counts: by code
		t.Errorf("experience %+v", mk.Experience)
	}
	if mk.TopCompanies[0].Name != "C" || mk.TopCompanies[1].Name != "A" || mk.TopCompanies[0].Why != "3 offre(s) publiée(s) pour ce métier dans la zone" {
		t.Errorf("employers %+v", mk.TopCompanies)
	}

	t.Run("NoPreviousOffers", func(t *testing.T) {
		mk := assembleMarket(&MarketStats{Months: []MonthCount{{"2025-01", 1}}}, "2025-01", 5)
		if mk.Trend.Known() || mk.Trend.Note == "" || *mk.PerMonth.Value != 0.33 {
			t.Errorf("trend %+v, per month %+v", mk.Trend, mk.PerMonth)
		}
	})
	t.Run("TooFewForATrend", func(t *testing.T) {
		for _, tc := range []struct {
			name        string
			prev, last  int
			trend, note string
		}{
			// the case: 2 vs 31 offers made "+1 450 %"
			{"FewBefore", 2, 31, "", "trop peu d'offres pour une tendance : 31 les 3 derniers mois, 2 les 3 précédents (il en faut au moins 5 de chaque côté)"},
			{"FewAfter", 31, 4, "", "trop peu d'offres pour une tendance : 4 les 3 derniers mois, 31 les 3 précédents (il en faut au moins 5 de chaque côté)"},
			{"EnoughOnBothSides", 5, 10, "100", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				mk := assembleMarket(&MarketStats{Months: []MonthCount{{"2024-09", tc.prev}, {"2025-01", tc.last}}}, "2025-01", 5)
				got := ""
				if mk.Trend.Known() {
					got = fmtNum(*mk.Trend.Value)
				}
				if got != tc.trend || mk.Trend.Note != tc.note || *mk.Trend.N != tc.prev+tc.last {
					t.Errorf("trend %+v (value %q), want %q note %q", mk.Trend, got, tc.trend, tc.note)
				}
			})
		}
	})
	t.Run("NoOffersLoaded", func(t *testing.T) {
		mk := assembleMarket(nil, "", 5)
		if mk.PerMonth.Known() || mk.Trend.Known() || mk.PerMonth.Note != "aucune offre d'emploi chargée" || len(mk.OffersByMonth) != 0 {
			t.Errorf("market without offers %+v", mk)
		}
	})
	t.Run("NoOfferForThePair", func(t *testing.T) {
		mk := assembleMarket(nil, "2025-01", 5)
		if *mk.PerMonth.Value != 0 || len(mk.OffersByMonth) != 6 || mk.Contracts != nil {
			t.Errorf("market of a pair without offers %+v", mk)
		}
	})
}

func TestAssembleSalary(t *testing.T) {
	st := SalaryStats{Q1: Num(3000), Median: Num(3500), Q3: Num(4000), N: 9, Period: "2024-08/2025-01"}
	for _, tc := range []struct {
		name     string
		min, max *float64
		want     string
	}{
		{"Below", Num(3600), nil, "below"},
		{"Above", nil, Num(3400), "above"},
		{"Within", Num(3000), Num(4000), "within"},
		{"NoWish", nil, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := assembleSalary(st, &Income{WishedMin: tc.min, WishedMax: tc.max})
			if s.VsWished != tc.want || *s.Median.Value != 3500 || *s.Q1.N != 9 {
				t.Errorf("salary %+v, want %q", s, tc.want)
			}
		})
	}
	s := assembleSalary(SalaryStats{}, nil)
	if s.Median.Known() || s.Median.Note == "" || *s.Median.N != 0 {
		t.Errorf("no salary stated: %+v (null with a note, never 0)", s.Median)
	}
}

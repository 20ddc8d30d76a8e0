package kg

import (
	"context"
	"testing"

	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/kg/kgtest"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
)

// TestSyntheticFlaggedOnFigures: the fixture's offers and trainings are synthetic
// (oeg:meta says so), its territorial data is not; a diagnostic flags each figure by
// what it is computed from.
func TestSyntheticFlaggedOnFigures(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		kgtest.Load(t, c)
		s, err := diagnostic.NewService(mustKG(t, c), diagnostic.Options{})
		if err != nil {
			t.Fatal(err)
		}
		d, err := s.Run(context.Background(), diagnostic.Request{Metiers: []string{"M1811"}, Zones: []string{"9312"}})
		if err != nil {
			t.Fatal(err)
		}
		cell, life := d.Cells[0], d.Zones[0].Life
		if len(cell.Trainings) == 0 || len(cell.Companies) == 0 || len(life.Amenities) == 0 {
			t.Fatalf("fixture diagnostic without trainings, companies or amenities: %+v", cell)
		}
		for _, tc := range []struct {
			name      string
			got, want bool
		}{
			{"OffersPerMonth", cell.Market.PerMonth.Synthetic, true},
			{"SalaryMedian", cell.Salary.Median.Synthetic, true},
			{"Training", cell.Trainings[0].Synthetic, true},
			{"EmployerOfTheOffers", cell.Companies[0].Synthetic, cell.Companies[0].Offers > 0},
			{"Unemployment", life.UnemploymentRate.Synthetic, false},
			{"Amenities", life.Amenities[0].Per10k.Synthetic, false},
			{"SkillsMatch", cell.Match.Synthetic, false},
		} {
			if tc.got != tc.want {
				t.Errorf("%s: synthetic %v, want %v", tc.name, tc.got, tc.want)
			}
		}
	})
}

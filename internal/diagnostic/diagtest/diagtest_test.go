package diagtest_test

import (
	"context"
	"testing"

	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/diagnostic/diagtest"
)

// TestEverySectionHasData: the fake is meant for handler tests and golden files, so a
// diagnostic of M1811 in Marseille fills every section.
func TestEverySectionHasData(t *testing.T) {
	s, err := diagnostic.NewService(diagtest.New(), diagnostic.Options{Now: diagtest.Now})
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.Run(context.Background(), diagnostic.Request{Metiers: []string{diagtest.DataEngineer}, Zones: []string{diagtest.Marseille, diagtest.Aix}})
	if err != nil {
		t.Fatal(err)
	}
	c := d.Cells[0]
	z := d.Zones[0].Life
	synthetic := false
	for _, s := range d.Sources {
		synthetic = synthetic || s.Synthetic
	}
	for name, ok := range map[string]bool{
		"market":     len(c.Market.OffersByMonth) == 6 && c.Market.Trend.Known() && len(c.Market.Contracts) > 0 && len(c.Market.Experience) > 0 && len(c.Market.TopMetiers) > 0,
		"pay":        c.Salary.Median.Known(),
		"tension":    c.Tension != nil && c.Tension.Indicator.Known() && c.Tension.Indicator.Note != "",
		"trainings":  len(c.Trainings) == 2,
		"companies":  len(c.Companies) > 4,
		"nearby":     len(d.Metiers[0].Nearby) == 1 && len(d.Metiers[0].Appellations) == 2 && len(d.Metiers[0].Skills) == 4,
		"life":       z.PricePerSqm.Known() && z.RentPerSqm.Known() && z.UnemploymentRate.Known() && len(z.Amenities) == 3 && z.Stations.Known(),
		"population": d.Zones[0].Population.Known(),
		"sources":    synthetic,
		"sparse":     !d.Cells[1].Salary.Median.Known() && !d.Cells[1].Market.Trend.Known(),
	} {
		if !ok {
			t.Errorf("section %s empty or wrong in the fake's diagnostic", name)
		}
	}
}

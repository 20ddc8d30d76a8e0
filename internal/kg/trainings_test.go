package kg

import (
	"context"
	"testing"
	"time"

	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/kg/kgtest"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
)

// TestTrainingsAnchoredOnTheData: on the fixture (offers up to January 2025, sessions
// on 2025-03-03 in Marseille and 2025-09-15 in Nice), a diagnostic run long after the
// data still lists the sessions as upcoming from the day after the latest offers, and
// says up to which day the training data runs. Against the wall clock it found none.
func TestTrainingsAnchoredOnTheData(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		kgtest.Load(t, c)
		k := mustKG(t, c)
		ctx := context.Background()
		span, err := k.TrainingSpan(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if span != (diagnostic.TrainingSpan{First: "2025-02-10", Last: "2025-09-15", Sessions: 3}) {
			t.Errorf("span = %+v", span)
		}
		s, err := diagnostic.NewService(k, diagnostic.Options{Now: func() time.Time { return time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC) }})
		if err != nil {
			t.Fatal(err)
		}
		d, err := s.Run(ctx, diagnostic.Request{Metiers: []string{"M1811"}, Zones: []string{"9312", "9315"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ zone, start string }{{"9312", "2025-03-03"}, {"9315", "2025-09-15"}} {
			var cell *diagnostic.Cell
			for i := range d.Cells {
				if d.Cells[i].Zone.Code == tc.zone {
					cell = &d.Cells[i]
				}
			}
			if cell == nil || len(cell.Trainings) != 1 || cell.Trainings[0].Start != tc.start || cell.Trainings[0].Past {
				t.Fatalf("zone %s: trainings %+v", tc.zone, cell)
			}
			w := cell.TrainingWindow
			if w == nil || w.From != "2025-02-01" || w.DataUntil != "2025-09-15" || w.Recent {
				t.Errorf("zone %s: window %+v", tc.zone, w)
			}
			for _, l := range cell.Lights {
				if l.Axis == diagnostic.AxisTraining && l.Inputs["sessions"] != 1 {
					t.Errorf("zone %s: training light counts %v sessions, want 1", tc.zone, l.Inputs["sessions"])
				}
			}
		}
	})
}

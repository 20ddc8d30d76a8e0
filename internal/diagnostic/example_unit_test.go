package diagnostic_test

import (
	"context"
	"fmt"

	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/diagnostic/diagtest"
)

// CommuteSource is the role interface of a toy section: what it reads from the
// knowledge graph (in the walkthrough of doc/architecture.md, internal/kg reads it with
// queries/commute.rq).
type CommuteSource interface {
	// CommuteMinutes returns the median commute of each zone (IRIs) in minutes.
	CommuteMinutes(ctx context.Context, zones []string) (map[string]float64, error)
}

// commuteUnit is the toy section: a role interface, a fetch, a pure assembly.
type commuteUnit struct{ src CommuteSource }

func (commuteUnit) Name() string { return "commute" }

func (u commuteUnit) Fetch(ctx context.Context, q *diagnostic.Query) (diagnostic.Assemble, error) {
	zones := q.RealZones()
	if len(zones) == 0 {
		return nil, nil // a zone-level figure: nothing for the region as a whole
	}
	minutes, err := u.src.CommuteMinutes(ctx, zones)
	if err != nil {
		return nil, err
	}
	return func(d *diagnostic.Diagnostic) {
		for i := range d.Cells {
			c := &d.Cells[i]
			f := diagnostic.Missing("min", "", "temps de trajet inconnu pour cette zone")
			if m, ok := minutes[c.Zone.IRI]; ok {
				f = diagnostic.Figure{Value: diagnostic.Num(m), Unit: "min", Note: "valeur factice (exemple)"}
			}
			if c.Extra == nil {
				c.Extra = map[string]diagnostic.Figure{}
			}
			c.Extra["commute"] = f
		}
	}, nil
}

// placeholderCommute answers a fixed time for every zone.
type placeholderCommute struct{}

func (placeholderCommute) CommuteMinutes(_ context.Context, zones []string) (map[string]float64, error) {
	out := map[string]float64{}
	for _, z := range zones {
		out[z] = 25
	}
	return out, nil
}

// A section is added by implementing Unit alone and passing it in Options.Units: the
// service fetches it with the others and runs its assembly after theirs.
func Example_addASection() {
	s, err := diagnostic.NewService(diagtest.New(), diagnostic.Options{
		Now:   diagtest.Now,
		Units: []diagnostic.Unit{commuteUnit{placeholderCommute{}}},
	})
	if err != nil {
		panic(err)
	}
	d, err := s.Run(context.Background(), diagnostic.Request{Metiers: []string{"M1811"}, Zones: []string{"9312"}})
	if err != nil {
		panic(err)
	}
	c := d.Cells[0]
	f := c.Extra["commute"]
	fmt.Printf("%s: %.0f %s (%s); %d lights, score %.1f\n", c.Zone.Label, *f.Value, f.Unit, f.Note, len(c.Lights), *c.Score)
	// Output: Marseille: 25 min (valeur factice (exemple)); 5 lights, score 90.0
}

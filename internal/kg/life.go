package kg

// The reads of diagnostic.LifeSource (queries/life.rq).

import (
	"context"
	"strings"

	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/sparqlq"
)

// Life reads the life-context observations of zones (IRIs): one entry per zone asked.
func (k *KG) Life(ctx context.Context, zones []string) (map[string]*diagnostic.LifeObs, error) {
	out := map[string]*diagnostic.LifeObs{}
	if len(zones) == 0 {
		return out, nil
	}
	rows, err := k.selectRows(ctx, "life", sparqlq.Args{"zones": zones})
	if err != nil {
		return nil, err
	}
	for _, z := range zones {
		out[z] = &diagnostic.LifeObs{}
	}
	for _, r := range rows {
		l := out[r.str("zone")]
		if l == nil {
			continue
		}
		m := &diagnostic.Measure{Value: r.float("value"), N: r.int("n"), Period: r.str("period"), Graph: r.str("g")}
		switch r.str("part") {
		case "unemployment":
			l.Unemployment = m
		case "price":
			l.Price = m
		case "rent":
			l.Rent = m
		case "population":
			m.Value = r.float("n")
			l.Population = m
		case "stations":
			l.Stations = &diagnostic.StationsObs{Count: r.int("n"), Graph: m.Graph}
			if names := r.str("names"); names != "" {
				l.Stations.Names = strings.Split(names, " | ")
			}
		case "amenity":
			if n := r.float("n"); n != nil {
				l.Amenities = append(l.Amenities, diagnostic.AmenityObs{Family: r.str("family"), Count: *n, Period: m.Period, Graph: m.Graph})
			}
		}
	}
	return out, nil
}

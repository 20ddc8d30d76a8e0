package ingest

import (
	"context"
	"fmt"
	"strings"

	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/vocab"
)

// GC drops the graphs of ours that nothing reads: versions neither live nor being
// loaded (an import killed before going live, old versions whose drop was
// interrupted), staging graphs of the layout before versioned graphs. It returns the
// graphs dropped.
func GC(ctx context.Context, c *store.Client) ([]string, error) {
	if err := update(ctx, c, "migrate-legacy", nil); err != nil {
		return nil, fmt.Errorf("gc: %w", err)
	}
	// Graphs first, then what keeps them: a graph listed here that becomes live after
	// the metadata was read cannot exist (an import loads before going live).
	graphs, err := c.GraphNames(ctx)
	if err != nil {
		return nil, fmt.Errorf("gc: listing graphs: %w", err)
	}
	rows, err := selectRows(ctx, c, "live-graphs", nil)
	if err != nil {
		return nil, fmt.Errorf("gc: %w", err)
	}
	current, described := map[string]bool{MetaGraph: true, DerivedGraph: true}, map[string]bool{}
	for _, r := range rows {
		if g, ok := r["current"]; ok {
			current[g] = true
		}
		if g, ok := r["described"]; ok {
			described[g] = true
		}
	}
	var dropped []string
	for _, g := range graphs {
		if !vocab.IsGraph(g) || current[g] {
			continue
		}
		_, _, version := vocab.VersionOf(g)
		if !version && !described[g] && !strings.HasPrefix(g, vocab.StagingPrefix) {
			// A graph of ours that no description names: written by hand or by a tool
			// we do not know. Not ours to judge.
			continue
		}
		if err := c.DeleteGraph(ctx, g); err != nil {
			return dropped, fmt.Errorf("gc: dropping %s: %w", g, err)
		}
		dropped = append(dropped, g)
	}
	return dropped, nil
}

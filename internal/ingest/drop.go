package ingest

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/openemploi360/openemploi/internal/sparqlq"
	"github.com/openemploi360/openemploi/internal/vocab"
)

// DropResult says what Drop removed.
type DropResult struct {
	Graphs  []string
	Derived []string
}

// Drop withdraws live graphs (old months of offers, a source withdrawn by its
// publisher) by removing their descriptions in one small update, drops the versions
// that held their data, then recomputes the derived aggregates
// of the sources they came from, so the diagnostic never counts a dropped month.
func (im *Importer) Drop(ctx context.Context, graphs []string) (DropResult, error) {
	var res DropResult
	if len(graphs) == 0 {
		return res, fmt.Errorf("drop: no graph given")
	}
	sources := map[string]bool{}
	for _, g := range graphs {
		if !strings.HasPrefix(g, GraphNS) || vocab.IsReserved(g) {
			return res, fmt.Errorf("drop %s: only source graphs under %s can be dropped", g, GraphNS)
		}
		name, err := im.sourceOf(ctx, g)
		if err != nil {
			return res, err
		}
		if name == "" {
			return res, fmt.Errorf("drop %s: not a live graph (no description in %s)", g, MetaGraph)
		}
		sources[name] = true
	}
	versions, err := im.currentVersions(ctx, graphs)
	if err != nil {
		return res, fmt.Errorf("drop: %w", err)
	}
	if err := update(ctx, im.Store, "drop-meta", sparqlq.Args{"graphs": graphs}); err != nil {
		return res, fmt.Errorf("drop: %w", err)
	}
	// No longer described, so no longer read: dropping the data is clean-up.
	for _, v := range versions {
		if err := im.Store.DeleteGraph(ctx, v); err != nil {
			return res, fmt.Errorf("drop: graphs withdrawn, but dropping %s failed (run `openemploi store gc`): %w", v, err)
		}
	}
	res.Graphs = append(res.Graphs, graphs...)
	done := map[string]bool{}
	names := make([]string, 0, len(sources))
	for n := range sources {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if im.Catalog == nil {
			break
		}
		src, err := im.Catalog.Source(n)
		if err != nil {
			continue // a source no longer in the catalog has no aggregates to refresh
		}
		for _, d := range src.Derived {
			if done[d] {
				continue
			}
			if err := im.RunDerived(ctx, d); err != nil {
				return res, fmt.Errorf("graphs dropped, but derived aggregate %q failed: %w", d, err)
			}
			done[d] = true
			res.Derived = append(res.Derived, d)
		}
	}
	return res, nil
}

func (im *Importer) sourceOf(ctx context.Context, graph string) (string, error) {
	rows, err := selectRows(ctx, im.Store, "graph-source", sparqlq.Args{"graph": graph})
	if err != nil {
		return "", fmt.Errorf("drop %s: reading its description: %w", graph, err)
	}
	if len(rows) == 0 {
		return "", nil
	}
	return rows[0]["name"], nil
}

package ingest

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/openemploi360/openemploi/internal/store"
)

// DropResult says what Drop removed.
type DropResult struct {
	Graphs  []string
	Derived []string
}

// Drop removes live graphs and their descriptions in one update (old months of
// offers, a source withdrawn by its publisher), then recomputes the derived aggregates
// of the sources they came from, so the diagnostic never counts a dropped month.
func (im *Importer) Drop(ctx context.Context, graphs []string) (DropResult, error) {
	var res DropResult
	if len(graphs) == 0 {
		return res, fmt.Errorf("drop: no graph given")
	}
	var b strings.Builder
	b.WriteString(metaPrefixes)
	meta, _ := store.IRIRef(MetaGraph)
	sources := map[string]bool{}
	for _, g := range graphs {
		if !strings.HasPrefix(g, GraphNS) || g == MetaGraph || g == DerivedGraph || g == OntologyGraph {
			return res, fmt.Errorf("drop %s: only source graphs under %s can be dropped", g, GraphNS)
		}
		ref, err := store.IRIRef(g)
		if err != nil {
			return res, fmt.Errorf("drop %q: %w", g, err)
		}
		name, err := im.sourceOf(ctx, g)
		if err != nil {
			return res, err
		}
		if name == "" {
			return res, fmt.Errorf("drop %s: not a live graph (no description in %s)", g, MetaGraph)
		}
		sources[name] = true
		fmt.Fprintf(&b, "DELETE WHERE { GRAPH %s { %s ?p ?o } } ;\nDROP SILENT GRAPH %s ;\n", meta, ref, ref)
	}
	if err := im.Store.Update(ctx, b.String()); err != nil {
		return res, fmt.Errorf("drop: %w", err)
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
	ref, err := store.IRIRef(graph)
	if err != nil {
		return "", err
	}
	q := fmt.Sprintf(`SELECT ?name WHERE { GRAPH <%s> { %s <https://data.dataregionsud.fr/openemploi/def/sourceName> ?name } }`, MetaGraph, ref)
	res, err := im.Store.Select(ctx, q)
	if err != nil {
		return "", fmt.Errorf("drop %s: reading its description: %w", graph, err)
	}
	rows := res.Solutions()
	if len(rows) == 0 {
		return "", nil
	}
	return rows[0]["name"].String(), nil
}

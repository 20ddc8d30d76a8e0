package ingest

import (
	"context"
	"fmt"
	"strings"

	"github.com/openemploi360/openemploi/internal/sparqlq"
	"github.com/openemploi360/openemploi/internal/vocab"
)

// DropResult says what Drop removed.
type DropResult struct {
	Graphs []string
	// Derived lists the aggregate graphs withdrawn with the months of offers dropped.
	Derived []string
}

// Drop withdraws live graphs (old months of offers, a source withdrawn by its
// publisher) by removing their descriptions in one small update, with the aggregate
// graph of each month of offers dropped (oeg:derived/<source>/<month>) so the
// diagnostic never counts a dropped month, then drops the versions that held their data.
func (im *Importer) Drop(ctx context.Context, graphs []string) (DropResult, error) {
	var res DropResult
	if len(graphs) == 0 {
		return res, fmt.Errorf("drop: no graph given")
	}
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
		if month := vocab.GraphPartition(g); month != "" {
			d := vocab.DerivedMonthGraph(name, month)
			if src, err := im.sourceOf(ctx, d); err != nil {
				return res, err
			} else if src != "" {
				res.Derived = append(res.Derived, d)
			}
		}
	}
	withdrawn := append(append([]string(nil), graphs...), res.Derived...)
	versions, err := im.currentVersions(ctx, withdrawn)
	if err != nil {
		return res, fmt.Errorf("drop: %w", err)
	}
	if err := update(ctx, im.Store, "drop-meta", sparqlq.Args{"graphs": withdrawn}); err != nil {
		return res, fmt.Errorf("drop: %w", err)
	}
	// No longer described, so no longer read: dropping the data and the records of
	// the runs and files that made it is clean-up.
	if err := update(ctx, im.Store, "prune-meta", nil); err != nil {
		return res, fmt.Errorf("drop: graphs withdrawn, but pruning the metadata failed (run `openemploi store gc`): %w", err)
	}
	for _, v := range versions {
		if err := im.Store.DeleteGraph(ctx, v); err != nil {
			return res, fmt.Errorf("drop: graphs withdrawn, but dropping %s failed (run `openemploi store gc`): %w", v, err)
		}
	}
	res.Graphs = append(res.Graphs, graphs...)
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

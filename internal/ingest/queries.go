package ingest

import (
	"context"
	"fmt"
	"strconv"

	"github.com/openemploi360/openemploi/internal/sparqlq"
	"github.com/openemploi360/openemploi/internal/store"
	ingestq "github.com/openemploi360/openemploi/queries/ingest"
)

// bank holds queries/ingest: every query and update an import sends, bound by sparqlq.
var bank = func() *sparqlq.Bank {
	b, err := sparqlq.Load(ingestq.FS, "*.rq", "*.ru")
	if err != nil {
		panic(err) // embedded files: a broken one fails every test of the package
	}
	return b
}()

// update binds the named update and runs it.
func update(ctx context.Context, c *store.Client, name string, args sparqlq.Args) error {
	u, err := bank.Bind(name, args)
	if err != nil {
		return err
	}
	if err := c.Update(ctx, u); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// selectRows binds the named query, runs it and returns its rows as strings (an
// unbound variable is absent from its row).
func selectRows(ctx context.Context, c *store.Client, name string, args sparqlq.Args) ([]map[string]string, error) {
	q, err := bank.Bind(name, args)
	if err != nil {
		return nil, err
	}
	res, err := c.Select(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var out []map[string]string
	for _, row := range res.Solutions() {
		m := make(map[string]string, len(row))
		for k, v := range row {
			m[k] = v.String()
		}
		out = append(out, m)
	}
	return out, nil
}

// countGraph returns the number of distinct triples of a graph: the mapping may emit
// the same triple twice (a label repeated on every row) and the store keeps one.
func countGraph(ctx context.Context, c *store.Client, graph string) (int64, error) {
	rows, err := selectRows(ctx, c, "count-graph", sparqlq.Args{"graph": graph})
	if err != nil {
		return 0, err
	}
	if len(rows) != 1 {
		return 0, fmt.Errorf("counting %s: %d result rows", graph, len(rows))
	}
	n, err := strconv.ParseInt(rows[0]["n"], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("counting %s: %w", graph, err)
	}
	return n, nil
}

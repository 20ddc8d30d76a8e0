// Package kgtest loads the labelled test fixture (fixture.nq: a few métiers, two zones
// d'emploi, six months of synthetic offers and the territorial indicators, written for
// these tests per doc/vocabulary.md) into a store and computes the derived aggregates
// with queries/derived/*.ru, as an import would.
package kgtest

import (
	"bytes"
	"context"
	_ "embed"
	"io/fs"
	"testing"
	"time"

	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/queries"
)

// Fixture is the N-Quads test dataset.
//
//go:embed fixture.nq
var Fixture []byte

// Load loads Fixture into c and runs every derived aggregate.
func Load(tb testing.TB, c *store.Client) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := c.LoadQuads(ctx, bytes.NewReader(Fixture)); err != nil {
		tb.Fatalf("kgtest: load fixture: %v", err)
	}
	if err := RunDerived(ctx, c); err != nil {
		tb.Fatalf("kgtest: %v", err)
	}
}

// RunDerived runs queries/derived/*.ru in name order.
func RunDerived(ctx context.Context, c *store.Client) error {
	files, err := fs.Glob(queries.FS, "derived/*.ru")
	if err != nil {
		return err
	}
	for _, f := range files {
		b, err := fs.ReadFile(queries.FS, f)
		if err != nil {
			return err
		}
		if err := c.Update(ctx, string(b)); err != nil {
			return &derivedErr{f, err}
		}
	}
	return nil
}

type derivedErr struct {
	file string
	err  error
}

func (e *derivedErr) Error() string { return "derived " + e.file + ": " + e.err.Error() }
func (e *derivedErr) Unwrap() error { return e.err }

package ingest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/openemploi360/openemploi/internal/sparqlq"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/vocab"
)

// GCResult says what GC removed.
type GCResult struct {
	Graphs []string // graphs dropped
	Files  []string // temporary files removed
	Leases int      // expired leases removed
}

// tempRun finds the run ID in a temporary file's name (see TempFilePrefix): the
// mapped quads (.nq) and the spilled hashes of the distinct count (.bin).
var tempRun = regexp.MustCompile(`-([0-9]{8}T[0-9]{6}Z-[0-9a-f]{12})\.(nq|bin)$`)

// GC drops the graphs of ours that nothing reads and no running import holds: versions
// neither current nor of a run holding a lease (an import killed before going live,
// old versions whose drop was interrupted), staging graphs of the layout before
// versioned graphs. It then removes the expired leases and, in tempDir (if not
// empty), the temporary files of runs that hold no lease. It is safe to run at any
// time, imports included.
func GC(ctx context.Context, c *store.Client, tempDir string) (GCResult, error) {
	var res GCResult
	if err := update(ctx, c, "migrate-legacy", nil); err != nil {
		return res, fmt.Errorf("gc: %w", err)
	}
	// Graphs first, then what keeps them. An import takes its lease before it loads,
	// so a graph listed here belongs to a run that held a lease before the listing:
	// read below, that lease is still valid (keep), or has expired (the run can no
	// longer go live: go-live requires it), or went with going live (the graph is
	// current). Going the other way round would miss a run that went live in between.
	graphs, err := c.GraphNames(ctx)
	if err != nil {
		return res, fmt.Errorf("gc: listing graphs: %w", err)
	}
	now := time.Now().UTC()
	leased, err := leasedRuns(ctx, c, now)
	if err != nil {
		return res, fmt.Errorf("gc: %w", err)
	}
	rows, err := selectRows(ctx, c, "live-graphs", nil)
	if err != nil {
		return res, fmt.Errorf("gc: %w", err)
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
	for _, g := range graphs {
		if !vocab.IsGraph(g) || current[g] {
			continue
		}
		_, run, version := vocab.VersionOf(g)
		switch {
		case version && leased[run]:
			continue // an import is loading it
		case !version && !described[g] && !strings.HasPrefix(g, vocab.StagingPrefix):
			// A graph of ours that no description names: written by hand or by a
			// tool we do not know. Not ours to judge.
			continue
		}
		if err := c.DeleteGraph(ctx, g); err != nil {
			return res, fmt.Errorf("gc: dropping %s: %w", g, err)
		}
		res.Graphs = append(res.Graphs, g)
	}
	all, err := selectRows(ctx, c, "leases", sparqlq.Args{"now": now})
	if err != nil {
		return res, fmt.Errorf("gc: %w", err)
	}
	for _, r := range all {
		if r["valid"] != "true" {
			res.Leases++
		}
	}
	if err := update(ctx, c, "expire-leases", sparqlq.Args{"now": now}); err != nil {
		return res, fmt.Errorf("gc: %w", err)
	}
	if err := update(ctx, c, "prune-meta", nil); err != nil {
		return res, fmt.Errorf("gc: %w", err)
	}
	if tempDir != "" {
		// Read again: a run that took its lease since would lose its file otherwise.
		if leased, err = leasedRuns(ctx, c, time.Now().UTC()); err != nil {
			return res, fmt.Errorf("gc: %w", err)
		}
		if res.Files, err = removeStaleTemp(tempDir, leased); err != nil {
			return res, fmt.Errorf("gc: %w", err)
		}
	}
	return res, nil
}

// leasedRuns returns the IDs of the runs holding a valid lease at now.
func leasedRuns(ctx context.Context, c *store.Client, now time.Time) (map[string]bool, error) {
	rows, err := selectRows(ctx, c, "leases", sparqlq.Args{"now": now})
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, r := range rows {
		if id, ok := vocab.Code(vocab.KindRun, r["run"]); ok && r["valid"] == "true" {
			out[id] = true
		}
	}
	return out, nil
}

// removeStaleTemp removes the temporary files of runs that hold no lease. A run
// creates its file after taking its lease, so a file without one is a dead run's.
func removeStaleTemp(dir string, leased map[string]bool) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("temporary files: %w", err)
	}
	var out []string
	for _, e := range entries {
		m := tempRun.FindStringSubmatch(e.Name())
		if e.IsDir() || !strings.HasPrefix(e.Name(), TempFilePrefix) || m == nil || leased[m[1]] {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return out, fmt.Errorf("temporary files: %w", err)
		}
		out = append(out, p)
	}
	return out, nil
}

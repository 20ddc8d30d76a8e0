package cli

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/cobra"

	"github.com/openemploi360/openemploi/internal/fetch"
	"github.com/openemploi360/openemploi/internal/fetch/francetravail"
	"github.com/openemploi360/openemploi/internal/metrics"
)

func init() { extraCommands = append(extraCommands, newRefreshCmd) }

func newRefreshCmd() *cobra.Command {
	var sources []string
	var force bool
	var dir, statePath, catalog, metricsFile string
	var maxRejects int
	var every time.Duration
	ft := &ftFlags{}
	cmd := &cobra.Command{
		Use:   "refresh",
		Short: "Fetch the sources that are due per the catalog's schedule and import what changed",
		Long: `refresh goes through the sources of mappings/catalog.yaml that have fetch settings, in
catalog order. A source is due when it was never checked or when its schedule (daily,
weekly, monthly) has passed since its last check. For each source due it fetches the
files (France Travail's API incrementally; portal files with conditional requests),
imports them only if a file differs from the copy last imported, records the download
(URL, time, checksum) in the graph's PROV metadata and the check in the store, and
prints one line per source. It exits non-zero when a source failed; the others are
still refreshed. Run it from a timer (scripts/systemd/) or the compose "refresh"
service; see doc/connectors.md.`,
		Example: `  openemploi refresh
  openemploi refresh --sources offres-ft --force
  OPENEMPLOI_FETCH_DIR=/var/lib/openemploi/fetch openemploi refresh --metrics-file /var/lib/node_exporter/openemploi.prom`,
		Args: cobra.NoArgs,
	}
	client := withStoreTimeout(cmd, 10*time.Minute)
	ft.register(cmd)
	fl := cmd.Flags()
	fl.StringSliceVar(&sources, "sources", nil, "only these sources (default: every source with fetch settings)")
	fl.BoolVar(&force, "force", false, "check the selected sources even if not due")
	fl.StringVar(&dir, "dir", "", "download directory (default $OPENEMPLOI_FETCH_DIR, else var/fetch)")
	fl.StringVar(&statePath, "state", "", "state file (default DIR/state.json)")
	fl.StringVar(&catalog, "catalog", envOr("OPENEMPLOI_CATALOG", "mappings/catalog.yaml"), "source catalog (env OPENEMPLOI_CATALOG)")
	fl.StringVar(&metricsFile, "metrics-file", os.Getenv("OPENEMPLOI_METRICS_FILE"), "write the run's metrics there in Prometheus text format (node_exporter textfile collector; env OPENEMPLOI_METRICS_FILE)")
	fl.IntVar(&maxRejects, "max-rejects", 0, "records allowed to fail in each import")
	fl.DurationVar(&every, "every", envDuration("OPENEMPLOI_REFRESH_EVERY", 0),
		"stay up and refresh again at this interval (for a container without cron; 0: once; env OPENEMPLOI_REFRESH_EVERY)")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		stderr := cmd.ErrOrStderr()
		logf := func(format string, a ...any) { fmt.Fprintf(stderr, format+"\n", a...) }
		if dir == "" {
			dir = fetchDir()
		}
		if statePath == "" {
			statePath = filepath.Join(dir, "state.json")
		}
		sc, err := client()
		if err != nil {
			return err
		}
		if err := sc.Ping(cmd.Context()); err != nil {
			return err
		}
		im, cat, err := importFor(cmd, sc, catalog, maxRejects)
		if err != nil {
			return err
		}
		meta, err := fetch.NewMeta(sc)
		if err != nil {
			return err
		}
		state, err := fetch.LoadState(statePath)
		if err != nil {
			return err
		}
		r := &fetch.Refresher{
			Sources: cat.Sources, State: state, Dir: dir, Importer: im, Meta: meta,
			HTTP:  &http.Client{Timeout: 30 * time.Minute},
			NewFT: func() (*francetravail.Client, error) { return ft.client(logf) },
			Force: force, Logf: logf,
		}
		for {
			err := refreshOnce(cmd, r, sources, metricsFile)
			if every <= 0 {
				return err
			}
			// A source that failed is tried again at its next turn; the loop goes on.
			if err != nil {
				logf("%v", err)
			}
			r.Force = false
			select {
			case <-cmd.Context().Done():
				return nil
			case <-time.After(every):
			}
		}
	}
	return cmd
}

// refreshOnce runs one refresh and prints one line per source.
func refreshOnce(cmd *cobra.Command, r *fetch.Refresher, sources []string, metricsFile string) error {
	outs, err := r.Run(cmd.Context(), sources)
	w := cmd.OutOrStdout()
	for _, o := range outs {
		line := fmt.Sprintf("%-16s %-10s %s", o.Source, o.Outcome, o.Detail)
		if o.Err != nil {
			line += ": " + o.Err.Error()
		}
		if o.Duration > 0 {
			line += fmt.Sprintf(" (%s)", o.Duration.Round(time.Millisecond))
		}
		fmt.Fprintln(w, line)
	}
	if metricsFile != "" {
		if werr := prometheus.WriteToTextfile(metricsFile, metrics.Default.Registry); werr != nil && err == nil {
			err = fmt.Errorf("refresh: writing %s: %w", metricsFile, werr)
		}
	}
	return err
}

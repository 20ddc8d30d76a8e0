package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/spf13/cobra"

	"github.com/openemploi360/openemploi/internal/api"
	"github.com/openemploi360/openemploi/internal/dashboard"
	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/fetch"
	"github.com/openemploi360/openemploi/internal/kg"
	"github.com/openemploi360/openemploi/internal/metrics"
)

func init() { extraCommands = append(extraCommands, newServeCmd) }

func newServeCmd() *cobra.Command {
	var addr string
	var requestTimeout time.Duration
	var noUI bool
	var logFormat string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the JSON-LD API and the dashboard",
		Long: `serve answers the diagnostic API (/api/...), the JSON-LD context, the OpenAPI
description, dereferenceable IRIs, /healthz, /readyz (which checks the store), /metrics
(Prometheus) and the French dashboard at /. It starts even when the store is away: /readyz answers 503 until
the store is back, with no restart.`,
		Example: `  openemploi serve
  OPENEMPLOI_STORE=http://127.0.0.1:7878 OPENEMPLOI_STORE_PRESET=oxigraph openemploi serve --addr 127.0.0.1:9000`,
		Args: cobra.NoArgs,
	}
	client := withStore(cmd)
	cmd.Flags().StringVar(&addr, "addr", envOr("OPENEMPLOI_ADDR", "127.0.0.1:8080"), "listen address (env OPENEMPLOI_ADDR)")
	cmd.Flags().DurationVar(&requestTimeout, "request-timeout", envDuration("OPENEMPLOI_REQUEST_TIMEOUT", 10*time.Second), "time budget of one API request to the store (env OPENEMPLOI_REQUEST_TIMEOUT)")
	cmd.Flags().BoolVar(&noUI, "no-ui", false, "serve the API only")
	cmd.Flags().StringVar(&logFormat, "log-format", envOr("OPENEMPLOI_LOG_FORMAT", "text"), "log format: text or json (env OPENEMPLOI_LOG_FORMAT)")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		c, err := client()
		if err != nil {
			return err
		}
		var h slog.Handler = slog.NewTextHandler(cmd.ErrOrStderr(), nil)
		if logFormat == "json" {
			h = slog.NewJSONHandler(cmd.ErrOrStderr(), nil)
		}
		logger := slog.New(h)
		// The API takes the domain: the diagnostic service over the knowledge graph, the
		// graph itself for sources and dereferenceable IRIs, the store for readiness.
		k, err := kg.New(c)
		if err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		// One registry for the process: request latency (by route pattern), store query
		// time (by query file name), warm-up time and diagnostic cache lookups, served at
		// /metrics.
		m := metrics.Default
		// The hook sees only SELECTs that answered (a failed one is an error the request
		// reports); the label is the query's file name, never its bound text, which may
		// hold a request's values.
		k.OnQuery = func(name, _ string, took time.Duration, _ int) { m.ObserveQuery(name, nil, took) }
		svc, err := diagnostic.NewService(k, diagnostic.Options{OnCache: m.CacheLookup})
		if err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		// The per-data-version caches warm in the background from the start (and again after
		// each import), so no user pays for it; /readyz says "warming" until then.
		// /api/sources shows what the scheduled refresh last did, read from the state the
		// connectors keep in oeg:meta (doc/connectors.md).
		meta, err := fetch.NewMeta(c)
		if err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		cfg := api.Config{
			Metiers: svc, Zones: svc, Diagnoser: svc, Skills: svc, Warmer: svc,
			Sources: k, Resources: k, Ready: c, Refresh: refreshStates{meta},
			Metrics: m, Logger: logger, StoreTimeout: requestTimeout, Version: Version, WarmContext: cmd.Context(),
		}
		if !noUI {
			cfg.UI = dashboard.Handler()
		}
		handler, err := api.New(cfg)
		if err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		// Diagnostics are tens of kilobytes of JSON and the page a hundred of script:
		// compressed, they cross a slow mobile link several times faster.
		handler = middleware.Compress(5, "application/json", "application/ld+json", "application/problem+json",
			"text/html", "text/css", "text/javascript", "application/javascript", "application/geo+json", "text/turtle")(handler)
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("serve: listen %s: %w", addr, err)
		}
		srv := &http.Server{
			Handler:           handler,
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       30 * time.Second,
			WriteTimeout:      2 * requestTimeout,
			IdleTimeout:       2 * time.Minute,
		}
		url := "http://" + ln.Addr().String() + "/"
		fmt.Fprintf(cmd.OutOrStdout(), "Open Emploi 360 %s: %s (store %s)\n", Version, url, c.Endpoints().Query)
		if f := os.Getenv("OPENEMPLOI_ADDR_FILE"); f != "" {
			// Lets scripts and tests that asked for port 0 learn the real address.
			_ = os.WriteFile(f, []byte(ln.Addr().String()), 0o644)
		}
		errc := make(chan error, 1)
		go func() { errc <- srv.Serve(ln) }()
		select {
		case err := <-errc:
			return fmt.Errorf("serve: %w", err)
		case <-cmd.Context().Done():
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve: shutdown: %w", err)
		}
		logger.Info("stopped")
		return nil
	}
	return cmd
}

// refreshStates plays api.RefreshReader over the connectors' reader of oeg:meta.
type refreshStates struct{ m *fetch.Meta }

func (r refreshStates) SourceRefreshes(ctx context.Context) ([]api.SourceRefresh, error) {
	l, err := r.m.RefreshStates(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]api.SourceRefresh, 0, len(l))
	for _, st := range l {
		out = append(out, api.SourceRefresh{Source: st.Source, Checked: st.Checked, Changed: st.Changed})
	}
	return out, nil
}

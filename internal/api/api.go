// Package api is the HTTP API of Open Emploi 360: JSON-LD resources for métiers, zones
// d'emploi and sources, the 360° diagnostic, dereferenceable IRIs with content
// negotiation (JSON-LD or Turtle), RFC 9457 problem details, health checks and an
// OpenAPI 3.1 description kept true by a test that walks the router, and Prometheus
// metrics at /metrics.
//
// Routes are declared in one place (routes); each middleware sits in its own
// mw_*.go file with its test.
package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/openemploi360/openemploi/internal/metrics"
)

// Config wires the API. The roles (see roles.go) are required except Warmer, which
// only WarmContext needs, and Refresh; *diagnostic.Service plays MetierReader, ZoneReader,
// Diagnoser, SkillSuggester and Warmer.
type Config struct {
	Metiers   MetierReader
	Zones     ZoneReader
	Diagnoser Diagnoser
	Skills    SkillSuggester
	Sources   SourceLister
	Resources Describer // dereferenceable IRIs: /id/..., /graph/...
	Ready     Pinger    // /readyz
	Warmer    Warmer
	// Refresh, optional, adds to /api/sources when each graph's source was last
	// checked and last changed by a refresh; nil leaves the two members out.
	Refresh RefreshReader

	// Metrics receives request latency by route pattern and warm-up time, and is served
	// at /metrics; nil gives the server a registry of its own (tests).
	Metrics *metrics.Metrics

	Logger       *slog.Logger
	StoreTimeout time.Duration // per request, store queries included; 0 means 10s
	UI           http.Handler  // mounted at "/" if non-nil
	Version      string

	// WarmContext, when set, starts the background warm-up of the diagnostic: the
	// per-data-version indexes (labels, skills, zones, communes, life context, top
	// métiers, training coverage) are loaded at start and again within WarmInterval of
	// each data-version change, until the context ends, so no user request pays them
	// (17–20 s on the real sample before). Until the first warm-up is done /readyz
	// answers 503 "warming". Nil (tests) loads them on first use, as before.
	WarmContext  context.Context
	WarmInterval time.Duration // 0 means 10s
}

type server struct {
	cfg Config
	log *slog.Logger
	ld  *jsonld

	warming atomic.Bool // a warm loop runs: /readyz waits for its first warm-up
}

// New builds the API handler. It does not contact the store: /readyz says when the
// store is there.
func New(cfg Config) (http.Handler, error) {
	s, err := newServer(cfg)
	if err != nil {
		return nil, err
	}
	if cfg.WarmContext != nil {
		s.startWarm(cfg.WarmContext)
	}
	return s.routes(), nil
}

// startWarm runs the diagnostic's warm loop in the background; /readyz reads its state.
func (s *server) startWarm(ctx context.Context) {
	s.warming.Store(true)
	every := s.cfg.WarmInterval
	if every <= 0 {
		every = 10 * time.Second
	}
	go s.cfg.Warmer.WarmLoop(ctx, every,
		func(version string, took time.Duration) {
			s.cfg.Metrics.ObserveWarmup(took)
			s.log.InfoContext(ctx, "diagnostic warmed", "dataVersion", version, "ms", took.Milliseconds())
		},
		func(err error) { s.log.WarnContext(ctx, "diagnostic warm-up failed; retrying", "err", err) })
}

// newServer checks the wiring and applies the defaults.
func newServer(cfg Config) (*server, error) {
	for _, r := range []struct {
		name string
		set  bool
	}{
		{"Metiers", cfg.Metiers != nil}, {"Zones", cfg.Zones != nil}, {"Diagnoser", cfg.Diagnoser != nil},
		{"Skills", cfg.Skills != nil}, {"Sources", cfg.Sources != nil}, {"Resources", cfg.Resources != nil},
		{"Ready", cfg.Ready != nil}, {"Warmer", cfg.Warmer != nil || cfg.WarmContext == nil},
	} {
		if !r.set {
			return nil, errors.New("api.New: Config." + r.name + " is nil")
		}
	}
	if cfg.Logger == nil {
		cfg.Logger = discardLogger
	}
	if cfg.Metrics == nil {
		cfg.Metrics = metrics.New()
	}
	if cfg.StoreTimeout <= 0 {
		cfg.StoreTimeout = 10 * time.Second
	}
	ld, err := newJSONLD()
	if err != nil {
		return nil, err
	}
	return &server{cfg: cfg, log: cfg.Logger, ld: ld}, nil
}

// routes is the one place where the API's routes are declared.
func (s *server) routes() chi.Router {
	r := chi.NewRouter()
	// Metrics first, so a recovered panic is timed too; the middleware labels by the
	// route pattern chi matched, never by the raw path or the query.
	r.Use(s.cfg.Metrics.Middleware, recoverer(s.log), requestLog(s.log), bodyLimit(maxBody))
	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Method(http.MethodGet, "/metrics", s.cfg.Metrics.Handler())
	r.Get("/openapi.json", s.openapi)
	r.Get("/context.jsonld", s.context)
	r.Group(func(r chi.Router) {
		r.Use(storeTimeout(s.cfg.StoreTimeout))
		r.Route("/api", func(r chi.Router) {
			r.Get("/metiers", s.searchMetiers)
			r.Get("/metiers/{code}", s.getMetier)
			r.Get("/zones", s.listZones)
			r.Get("/zones/{code}", s.getZone)
			r.Get("/sources", s.listSources)
			r.Get("/diagnostic", s.getDiagnostic)
			r.Post("/diagnostic", s.postDiagnostic)
			r.Post("/skills/suggest", s.suggestSkills)
		})
		r.Get("/id/rome/{code}", s.derefMetier)
		r.Get("/id/ze2020/{code}", s.derefZone)
		r.Get("/graph/*", s.derefGraph)
	})
	if s.cfg.UI != nil {
		r.Handle("/*", s.cfg.UI)
	}
	return r
}

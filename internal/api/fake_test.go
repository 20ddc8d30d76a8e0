package api

import (
	"context"
	"testing"
	"time"

	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/diagnostic/diagtest"
	"github.com/openemploi360/openemploi/internal/metrics"
)

// The handler tests run on the in-memory diagtest source, through the real diagnostic
// service: no store, no environment. The store-backed tests (store_test.go and the
// tests that call newTestAPI) are the integration layer above them.

// pinger is the readiness of the fake: err nil is a store that answers.
type pinger struct{ err error }

func (p *pinger) Ping(context.Context) error { return p.err }

// fakeAPI is an API over the fake, with handles on what a test may change.
type fakeAPI struct {
	*testAPI
	src   *diagtest.Fake
	svc   *diagnostic.Service
	ready *pinger
}

// fakeConfig wires the API as serve does, with diagtest in place of the knowledge
// graph and the test clock.
func fakeConfig(tb testing.TB) (Config, *diagtest.Fake, *diagnostic.Service, *pinger) {
	tb.Helper()
	src := diagtest.New()
	m := metrics.New()
	svc, err := diagnostic.NewService(src, diagnostic.Options{Now: diagtest.Now, OnCache: m.CacheLookup})
	if err != nil {
		tb.Fatal(err)
	}
	p := &pinger{}
	return Config{Metiers: svc, Zones: svc, Diagnoser: svc, Skills: svc, Warmer: svc, Sources: src, Resources: src, Ready: p,
		Refresh: fakeRefreshes, Metrics: m}, src, svc, p
}

// refreshes is a fixed refresh state, as the connectors keep it in oeg:meta: the
// offers checked and changed (every month graph of offres-ft shows it), the stations
// checked but never changed, and a source with no graph, which shows nowhere.
type refreshes []SourceRefresh

func (r refreshes) SourceRefreshes(context.Context) ([]SourceRefresh, error) { return r, nil }

var fakeRefreshes = refreshes{
	{Source: "offres-ft", Checked: time.Date(2026, 12, 5, 6, 0, 0, 0, time.UTC), Changed: time.Date(2026, 12, 5, 6, 0, 0, 0, time.UTC)},
	{Source: "gares", Checked: time.Date(2026, 12, 1, 6, 0, 0, 0, time.FixedZone("CET", 3600))},
	{Source: "pas-de-graphe", Checked: time.Date(2026, 12, 5, 6, 0, 0, 0, time.UTC)},
}

// newFakeAPI serves the API over a fresh fake.
func newFakeAPI(t testing.TB) *fakeAPI {
	t.Helper()
	cfg, src, svc, p := fakeConfig(t)
	return &fakeAPI{testAPI: serveTest(t, cfg), src: src, svc: svc, ready: p}
}

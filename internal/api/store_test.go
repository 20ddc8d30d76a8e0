package api

import (
	"testing"

	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/kg"
	"github.com/openemploi360/openemploi/internal/kg/kgtest"
	"github.com/openemploi360/openemploi/internal/store"
)

// The integration tests wire the API as internal/cli/serve.go does, over a real store:
// the diagnostic service over the knowledge graph, the graph for sources and
// dereferenceable IRIs, the store client for readiness.

// storeConfig is that wiring; the service is returned for tests that drive its warm-up.
func storeConfig(tb testing.TB, c *store.Client, opts diagnostic.Options) (Config, *diagnostic.Service) {
	tb.Helper()
	k, err := kg.New(c)
	if err != nil {
		tb.Fatal(err)
	}
	svc, err := diagnostic.NewService(k, opts)
	if err != nil {
		tb.Fatal(err)
	}
	return Config{Metiers: svc, Zones: svc, Diagnoser: svc, Skills: svc, Warmer: svc, Sources: k, Resources: k, Ready: c}, svc
}

// newTestAPI serves the API over a store loaded with the fixture.
func newTestAPI(t *testing.T, c *store.Client) *testAPI {
	t.Helper()
	kgtest.Load(t, c)
	return newTestAPIEmpty(t, c)
}

// newTestAPIEmpty serves the API over c as it is.
func newTestAPIEmpty(t *testing.T, c *store.Client) *testAPI {
	t.Helper()
	cfg, _ := storeConfig(t, c, diagnostic.Options{Now: fixedNow})
	return serveTest(t, cfg)
}

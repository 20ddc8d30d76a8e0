package api

import (
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/kg"
	"github.com/openemploi360/openemploi/internal/kg/kgtest"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
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

// TestStore runs the integration tests on each store loaded once with the fixture
// (internal/kg/kgtest): the API only reads, so they share it, and the shared Fuseki
// loads the fixture and its derived aggregates once per run instead of once per test.
//
//	go test ./internal/api -run TestStore -update       # rewrite testdata/*.golden.json
//	go test ./internal/api -run TestStore -update-doc   # rewrite doc/api.md's examples
func TestStore(t *testing.T) {
	first := ""
	if kinds := storetest.Kinds(); len(kinds) > 0 {
		first = kinds[0]
	}
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		kgtest.Load(t, c)
		a := newTestAPIEmpty(t, c)
		t.Run("Golden", func(t *testing.T) { testGolden(t, a) })
		t.Run("GetMetier", func(t *testing.T) { testGetMetier(t, a) })
		t.Run("JSONLDResponses", func(t *testing.T) { testJSONLDResponses(t, a) })
		t.Run("OpenAPIResponses", func(t *testing.T) { testOpenAPIResponses(t, a) })
		t.Run("ReadyzWaitsForWarmUp", func(t *testing.T) { testReadyzWaitsForWarmUp(t, c) })
		// The doc shows one store's responses; both give the same bytes (Golden).
		if strings.HasSuffix(t.Name(), "/"+first) {
			t.Run("DocExamples", func(t *testing.T) { testDocExamples(t, a) })
		}
		// Last: it reads the logs of every request above too.
		t.Run("ProfileNeverStored", func(t *testing.T) { testProfileNeverStored(t, a, c) })
	})
}

// newTestAPIEmpty serves the API over c as it is.
func newTestAPIEmpty(t *testing.T, c *store.Client) *testAPI {
	t.Helper()
	cfg, _ := storeConfig(t, c, diagnostic.Options{Now: fixedNow})
	return serveTest(t, cfg)
}

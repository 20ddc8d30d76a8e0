package api

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/store"
)

// testReadyzWaitsForWarmUp: with the warm loop on, /readyz says "warming" (503) until
// the diagnostic's indexes are loaded from the store, then ready (TestStore runs it on
// each store loaded with the fixture).
func testReadyzWaitsForWarmUp(t *testing.T, c *store.Client) {
	cfg, svc := storeConfig(t, c, diagnostic.Options{Now: fixedNow})
	cfg.Logger = slog.New(slog.DiscardHandler)
	s, err := newServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s.warming.Store(true) // as startWarm does, before its first warm-up has run
	srv := httptest.NewServer(s.routes())
	defer srv.Close()
	status := func() (int, string) {
		resp, err := http.Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&body)
		d, _ := body["detail"].(string)
		return resp.StatusCode, d
	}
	if code, detail := status(); code != http.StatusServiceUnavailable || !strings.HasPrefix(detail, "warming") {
		t.Fatalf("before the warm-up: %d %q, want 503 warming", code, detail)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go svc.WarmLoop(ctx, time.Hour, nil, func(err error) { t.Error(err) })
	deadline := time.Now().Add(20 * time.Second)
	for !svc.Warmed() && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if code, detail := status(); code != http.StatusOK {
		t.Fatalf("after the warm-up: %d %q, want 200", code, detail)
	}
}

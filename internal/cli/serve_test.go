package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/openemploi360/openemploi/internal/fetch"
	"github.com/openemploi360/openemploi/internal/kg/kgtest"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
	"github.com/openemploi360/openemploi/internal/vocab"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// TestServe runs the serve command end to end on each store loaded with the fixture:
// it warms up (/readyz turns 200), shows a recorded refresh on /api/sources, answers a
// diagnostic from the knowledge graph (the wiring of the diagnostic service, the graph
// and the store), and /metrics shows the
// warm-up time, the request under its route pattern, the store queries under their
// file names and the diagnostic cache; the
// command stops cleanly when its context ends.
func TestServe(t *testing.T) {
	for _, kind := range storetest.Kinds() {
		t.Run(kind, func(t *testing.T) { testServe(t, kind) })
	}
}

func testServe(t *testing.T, kind string) {
	sc := storetest.NewConfig(t, kind)
	c, err := store.New(sc)
	if err != nil {
		t.Fatal(err)
	}
	kgtest.Load(t, c)
	// A refresh ran for the offers: /api/sources shows it on each of their graphs.
	meta, err := fetch.NewMeta(c)
	if err != nil {
		t.Fatal(err)
	}
	checked, changed := time.Date(2026, 12, 5, 6, 0, 0, 0, time.UTC), time.Date(2026, 12, 4, 6, 0, 0, 0, time.UTC)
	if err := meta.RecordRefresh(context.Background(), "offres-synth", &fetch.SourceState{LastChecked: checked, LastChanged: changed, LastOutcome: "unchanged"}); err != nil {
		t.Fatal(err)
	}
	addrFile := filepath.Join(t.TempDir(), "addr")
	t.Setenv("OPENEMPLOI_ADDR_FILE", addrFile)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb bytes.Buffer
	root := NewRoot(&out, &errb)
	root.SetArgs([]string{"serve", "--addr", "127.0.0.1:0", "--no-ui", "--store", sc.BaseURL, "--store-preset", string(sc.Preset)})
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()

	base := waitAddr(t, addrFile, done)
	deadline := time.Now().Add(60 * time.Second)
	for {
		if code, _ := get(t, base+"/readyz"); code == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz never answered 200; log:\n%s", errb.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	for i := 0; i < 2; i++ { // the second is served from the diagnostic cache
		if code, body := get(t, base+"/api/diagnostic?metier=M1811&zone=9312"); code != http.StatusOK || !strings.Contains(body, `"code":"M1811"`) {
			t.Fatalf("diagnostic: %d %.300s", code, body)
		}
	}
	code, body := get(t, base+"/api/sources")
	if code != http.StatusOK {
		t.Fatalf("/api/sources: %d %.300s", code, body)
	}
	var sources struct {
		Items []struct {
			ID          string `json:"@id"`
			LastChecked string `json:"lastChecked"`
			LastChanged string `json:"lastChanged"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(body), &sources); err != nil {
		t.Fatalf("/api/sources: %v", err)
	}
	refreshed := 0
	for _, it := range sources.Items {
		want := [2]string{}
		if strings.HasPrefix(it.ID, vocab.Graph("offres-synth")+"/") {
			want = [2]string{"2026-12-05T06:00:00Z", "2026-12-04T06:00:00Z"}
			refreshed++
		}
		if got := [2]string{it.LastChecked, it.LastChanged}; got != want {
			t.Errorf("/api/sources: %s last checked, changed = %q, want %q", it.ID, got, want)
		}
	}
	if refreshed == 0 {
		t.Errorf("/api/sources lists no graph of offres-synth:\n%.500s", body)
	}
	code, text := get(t, base+"/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics: %d", code)
	}
	m := parseMetrics(text)
	for series, check := range map[string]func(float64) bool{
		"openemploi_diagnostic_warmup_duration_seconds":                                                           func(v float64) bool { return v > 0 },
		`openemploi_http_request_duration_seconds_count{method="GET",route="/api/diagnostic",status_class="2xx"}`: func(v float64) bool { return v >= 2 },
		`openemploi_diagnostic_cache_requests_total{cache="diagnostic",result="hit"}`:                             func(v float64) bool { return v >= 1 },
		// The diagnostic read the market through queries/market.rq: timed under its name.
		`openemploi_store_query_duration_seconds_count{outcome="ok",query="market"}`: func(v float64) bool { return v >= 1 },
	} {
		if v, ok := m[series]; !ok || !check(v) {
			t.Errorf("/metrics: %s = %v (present %v)", series, v, ok)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop when its context ended")
	}
}

func waitAddr(t *testing.T, file string, done <-chan error) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(file); err == nil && len(b) > 0 {
			return "http://" + string(b)
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped before listening: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatal("serve did not write its address")
	return ""
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// parseMetrics reads the Prometheus text format into "name{labels}" → value.
func parseMetrics(text string) map[string]float64 {
	out := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if v, err := strconv.ParseFloat(line[i+1:], 64); err == nil {
			out[line[:i]] = v
		}
	}
	return out
}

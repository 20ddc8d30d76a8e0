package api

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// scrape reads /metrics into "name{labels}" → value.
func scrape(t *testing.T, a *testAPI) (map[string]float64, string) {
	t.Helper()
	resp, body := a.get(t, "/metrics")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("/metrics: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("/metrics line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out, string(body)
}

// TestMetrics: requests are timed under their route pattern and status class, never
// under a raw path or a query value; the diagnostic cache counts its hits and misses.
func TestMetrics(t *testing.T) {
	a := newFakeAPI(t)
	for _, p := range []string{
		"/api/metiers/M1811?secret=canari-query",
		"/api/metiers/N9999",
		"/api/diagnostic?metier=M1811&zone=9312",
		"/api/diagnostic?metier=M1811&zone=9312", // same request: served from the cache
		"/id/ze2020/9312",
		"/nowhere/canari-path",
	} {
		a.get(t, p)
	}
	got, text := scrape(t, a.testAPI)
	const h = "openemploi_http_request_duration_seconds_count"
	for series, want := range map[string]float64{
		h + `{method="GET",route="/api/metiers/{code}",status_class="2xx"}`:            1,
		h + `{method="GET",route="/api/metiers/{code}",status_class="4xx"}`:            1,
		h + `{method="GET",route="/api/diagnostic",status_class="2xx"}`:                2,
		h + `{method="GET",route="/id/ze2020/{code}",status_class="2xx"}`:              1,
		`openemploi_diagnostic_cache_requests_total{cache="diagnostic",result="miss"}`: 1,
		`openemploi_diagnostic_cache_requests_total{cache="diagnostic",result="hit"}`:  1,
	} {
		if got[series] != want {
			t.Errorf("%s = %v, want %v", series, got[series], want)
		}
	}
	if !strings.Contains(text, h+`{method="GET",route="unmatched",status_class="4xx"} 1`) {
		t.Errorf("the unrouted request is not timed as unmatched:\n%s", grepLines(text, h))
	}
	// Labels only: a value (a byte count) may hold any digits.
	for series := range got {
		labels := series[strings.IndexByte(series+"{", '{'):]
		for _, leak := range []string{"M1811", "N9999", "9312", "canari", "nowhere", "secret"} {
			if strings.Contains(labels, leak) {
				t.Errorf("%s: a raw path or query value became a label", series)
			}
		}
	}
}

// TestReadyzWaitsForWarmUpFake: with the warm loop on, /readyz says "warming" (503)
// until the diagnostic's indexes are loaded, then ready; the warm-up time is a metric.
func TestReadyzWaitsForWarmUpFake(t *testing.T) {
	cfg, _, svc, _ := fakeConfig(t)
	s, err := newServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s.warming.Store(true) // as startWarm does, before its first warm-up has run
	srv := httptest.NewServer(s.routes())
	defer srv.Close()
	a := &testAPI{Server: srv}
	resp, body := a.get(t, "/readyz")
	if p := checkProblem(t, resp, body, http.StatusServiceUnavailable, ""); !strings.HasPrefix(p.Detail, "warming") {
		t.Fatalf("before the warm-up: %q, want warming", p.Detail)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.startWarm(ctx)
	deadline := time.Now().Add(10 * time.Second)
	for !svc.Warmed() && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if resp, body := a.get(t, "/readyz"); resp.StatusCode != http.StatusOK {
		t.Fatalf("after the warm-up: %d %s", resp.StatusCode, body)
	}
	// onDone runs just after Warmed turns true: give it the moment it needs.
	for time.Now().Before(deadline) {
		if got, _ := scrape(t, a); got["openemploi_diagnostic_warmup_duration_seconds"] > 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Error("openemploi_diagnostic_warmup_duration_seconds stayed 0 after the warm-up")
}

// grepLines returns the lines of text that contain s.
func grepLines(text, s string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

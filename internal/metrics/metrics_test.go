package metrics

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestStatusClass(t *testing.T) {
	for _, tc := range []struct {
		in   int
		want string
	}{{200, "2xx"}, {206, "2xx"}, {304, "3xx"}, {404, "4xx"}, {503, "5xx"}, {0, "other"}, {700, "other"}} {
		if got := StatusClass(tc.in); got != tc.want {
			t.Errorf("StatusClass(%d) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMiddlewareLabelsByRoutePattern(t *testing.T) {
	m := New()
	r := chi.NewRouter()
	r.Use(m.Middleware)
	r.Get("/api/diagnostic/{commune}", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNotFound)
	})
	srv := httptest.NewServer(r)
	defer srv.Close()
	for _, p := range []string{"/api/diagnostic/13055?skills=soudure", "/api/diagnostic/06088", "/nowhere"} {
		res, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	if n := testutil.CollectAndCount(m.HTTPRequestDuration); n != 2 {
		t.Errorf("series = %d, want 2 (one route pattern, one unmatched)", n)
	}
	body := scrape(t, m)
	if !strings.Contains(body, `openemploi_http_request_duration_seconds_count{method="GET",route="/api/diagnostic/{commune}",status_class="4xx"} 2`) {
		t.Errorf("route series missing:\n%s", grep(body, "http_request"))
	}
	for _, leak := range []string{"13055", "soudure", "/nowhere"} {
		if strings.Contains(body, leak) {
			t.Errorf("scrape contains request value %q", leak)
		}
	}
}

func TestCountersAndGauges(t *testing.T) {
	m := New()
	m.Import("offres-ft", OutcomeOK)
	m.Import("offres-ft", OutcomeOK)
	m.Fetch("bpe", OutcomeUnchanged)
	m.CacheLookup("life", true)
	m.CacheLookup("life", false)
	m.ObserveQuery("market", errors.New("boom"), 10*time.Millisecond)
	m.ObserveWarmup(1500 * time.Millisecond)
	m.RefreshSucceeded("bpe", time.Unix(1700000000, 0))
	if v := testutil.ToFloat64(m.Imports.WithLabelValues("offres-ft", OutcomeOK)); v != 2 {
		t.Errorf("imports ok = %v, want 2", v)
	}
	if v := testutil.ToFloat64(m.LastRefreshSuccess.WithLabelValues("bpe")); v != 1700000000 {
		t.Errorf("last refresh = %v", v)
	}
	body := scrape(t, m)
	for _, want := range []string{
		`openemploi_fetches_total{outcome="unchanged",source="bpe"} 1`,
		`openemploi_diagnostic_cache_requests_total{cache="life",result="hit"} 1`,
		`openemploi_diagnostic_cache_requests_total{cache="life",result="miss"} 1`,
		`openemploi_store_query_duration_seconds_count{outcome="error",query="market"} 1`,
		`openemploi_diagnostic_warmup_duration_seconds 1.5`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("scrape lacks %q", want)
		}
	}
}

func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	b, _ := io.ReadAll(rec.Body)
	return string(b)
}

func grep(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// Package metrics declares, in one place, every Prometheus collector the process exposes,
// with the label sets each one accepts, and the handler that serves them at /metrics.
//
// One registry per process: Default is the one the commands wire; tests build their own
// with New so that counts from one test never leak into another.
//
// Labels carry only values from small closed sets the code chooses: a route pattern as
// declared in the router (never the raw path), a status class, a query file name, a cache
// name, a source name from mappings/catalog.yaml, an outcome constant below. A profile
// (skills, CV text, income, anything a user typed) is personal data and never becomes a
// label value: it would be stored by every scraper, and each distinct value would create
// a new time series. The helpers below take the label values as arguments precisely so a
// reviewer can see, at each call, where the value comes from.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Outcomes of an import or a fetch (label "outcome").
const (
	// OutcomeOK: new data was loaded (import) or downloaded (fetch).
	OutcomeOK = "ok"
	// OutcomeUnchanged: the source answered that nothing changed (304, same checksum, no
	// new offer); nothing was imported.
	OutcomeUnchanged = "unchanged"
	// OutcomeError: the operation stopped; the live graphs were left as they were.
	OutcomeError = "error"
)

// Cache results (label "result").
const (
	CacheHit  = "hit"
	CacheMiss = "miss"
)

// Metrics is the set of collectors of one registry.
type Metrics struct {
	// Registry holds every collector below plus the Go runtime and process collectors.
	Registry *prometheus.Registry

	// HTTPRequestDuration: seconds to answer an HTTP request.
	// Labels: route (the router's pattern, e.g. "/api/diagnostic/{commune}", or
	// "unmatched"), method, status_class ("2xx", "4xx", …).
	HTTPRequestDuration *prometheus.HistogramVec
	// StoreQueryDuration: seconds a SPARQL query took at the store.
	// Labels: query (the queries/*.rq file name without extension), outcome.
	StoreQueryDuration *prometheus.HistogramVec
	// CacheRequests: diagnostic cache lookups. Labels: cache (a name chosen in code, e.g.
	// "life", "top-metiers"), result ("hit" or "miss").
	CacheRequests *prometheus.CounterVec
	// WarmupDuration: seconds the last cache warm-up took (after start or an import).
	WarmupDuration prometheus.Gauge
	// Imports: import runs. Labels: source (catalog name), outcome.
	Imports *prometheus.CounterVec
	// Fetches: connector runs. Labels: source (catalog name), outcome.
	Fetches *prometheus.CounterVec
	// LastRefreshSuccess: Unix time of the last successful refresh of a source (checked,
	// and imported if it changed). Label: source (catalog name).
	LastRefreshSuccess *prometheus.GaugeVec
}

// Default is the process's registry; commands wire it, tests use New.
var Default = New()

// New builds a registry with every collector registered.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		HTTPRequestDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "openemploi", Subsystem: "http", Name: "request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern, method and status class.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method", "status_class"}),
		StoreQueryDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "openemploi", Subsystem: "store", Name: "query_duration_seconds",
			Help:    "Time a SPARQL query took at the store, by query name and outcome.",
			Buckets: []float64{.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"query", "outcome"}),
		CacheRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "openemploi", Subsystem: "diagnostic", Name: "cache_requests_total",
			Help: "Diagnostic cache lookups, by cache and result (hit or miss).",
		}, []string{"cache", "result"}),
		WarmupDuration: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: "openemploi", Subsystem: "diagnostic", Name: "warmup_duration_seconds",
			Help: "Time the last warm-up of the diagnostic caches took.",
		}),
		Imports: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "openemploi", Name: "imports_total",
			Help: "Import runs, by source and outcome (ok, unchanged, error).",
		}, []string{"source", "outcome"}),
		Fetches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "openemploi", Name: "fetches_total",
			Help: "Connector runs, by source and outcome (ok, unchanged, error).",
		}, []string{"source", "outcome"}),
		LastRefreshSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: "openemploi", Name: "last_refresh_success_timestamp_seconds",
			Help: "Unix time of the last successful refresh of a source.",
		}, []string{"source"}),
	}
	m.Registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.HTTPRequestDuration, m.StoreQueryDuration, m.CacheRequests, m.WarmupDuration,
		m.Imports, m.Fetches, m.LastRefreshSuccess,
	)
	return m
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// ObserveHTTP records one answered request. route must be the router's pattern.
func (m *Metrics) ObserveHTTP(route, method string, status int, d time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	m.HTTPRequestDuration.WithLabelValues(route, method, StatusClass(status)).Observe(d.Seconds())
}

// ObserveQuery records one store query; name is the queries/*.rq file name.
func (m *Metrics) ObserveQuery(name string, err error, d time.Duration) {
	outcome := OutcomeOK
	if err != nil {
		outcome = OutcomeError
	}
	m.StoreQueryDuration.WithLabelValues(name, outcome).Observe(d.Seconds())
}

// CacheLookup records one cache lookup.
func (m *Metrics) CacheLookup(cache string, hit bool) {
	r := CacheMiss
	if hit {
		r = CacheHit
	}
	m.CacheRequests.WithLabelValues(cache, r).Inc()
}

// ObserveWarmup records how long the last warm-up took.
func (m *Metrics) ObserveWarmup(d time.Duration) { m.WarmupDuration.Set(d.Seconds()) }

// Import records one import run of a catalog source.
func (m *Metrics) Import(source, outcome string) { m.Imports.WithLabelValues(source, outcome).Inc() }

// Fetch records one connector run of a catalog source.
func (m *Metrics) Fetch(source, outcome string) { m.Fetches.WithLabelValues(source, outcome).Inc() }

// RefreshSucceeded records the time of a successful refresh of a source.
func (m *Metrics) RefreshSucceeded(source string, at time.Time) {
	m.LastRefreshSuccess.WithLabelValues(source).Set(float64(at.Unix()))
}

// StatusClass turns 404 into "4xx": the class is enough to alert on and keeps the series few.
func StatusClass(status int) string {
	if status < 100 || status > 599 {
		return "other"
	}
	return strconv.Itoa(status/100) + "xx"
}

// Command diagnostic is the load benchmark of the 360° diagnostic against a real store:
// it warms the per-data-version indexes as a server does at startup, runs N distinct
// diagnostics with the cache off (cold: every store round included), then requests from
// the cache (warm), and replays the exact SPARQL each cold diagnostic sent, one query
// after the other, to time the store alone. It prints percentiles (p50, p90, p95, p99,
// max) of each, requests per second, the slowest queries by name and the slowest
// requests. bench/diagnostic/run.sh builds the data set and starts the store first:
//
//	bench/diagnostic/run.sh --scale 0.1
//	go run ./bench/diagnostic -preset oxigraph -store http://127.0.0.1:7990 -n 200
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/kg"
	"github.com/openemploi360/openemploi/internal/store"
)

type rec struct {
	name, query string
	took        time.Duration
}

func main() {
	var (
		url    = flag.String("store", "http://127.0.0.1:3940/openemploi", "store base URL (Fuseki: the dataset URL)")
		preset = flag.String("preset", "fuseki", "store preset: fuseki or oxigraph")
		n      = flag.Int("n", 200, "distinct cold diagnostics (p95 and p99 need a few hundred)")
		warmN  = flag.Int("warm", 500, "warm (cached) diagnostics")
		debug  = flag.Bool("v", false, "log every store query at debug level")
	)
	flag.Parse()
	if *debug {
		slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})))
	}
	if err := run(*url, store.Preset(*preset), *n, *warmN); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(url string, preset store.Preset, n, warmN int) error {
	ctx := context.Background()
	c, err := store.New(store.Config{Preset: preset, BaseURL: url, Timeout: 120 * time.Second})
	if err != nil {
		return err
	}
	k, err := kg.New(c)
	if err != nil {
		return err
	}
	var (
		mu   sync.Mutex
		recs []rec
	)
	k.OnQuery = func(name, q string, took time.Duration, _ int) {
		mu.Lock()
		recs = append(recs, rec{name, q, took})
		mu.Unlock()
	}
	take := func() []rec {
		mu.Lock()
		defer mu.Unlock()
		r := recs
		recs = nil
		return r
	}

	cold, err := diagnostic.NewService(k, diagnostic.Options{CacheSize: -1})
	if err != nil {
		return err
	}
	start := time.Now()
	version, err := cold.Warm(ctx)
	if err != nil {
		return fmt.Errorf("warm-up: %w", err)
	}
	fmt.Printf("store %s (%s), data version %s\n", url, preset, version)
	fmt.Printf("warm-up (per data version, done at startup): %v\n", time.Since(start).Round(time.Millisecond))
	profile("warm-up queries", take())

	reqs, err := requests(ctx, k, cold, n)
	if err != nil {
		return err
	}
	take() // the bench's own choice of métiers is not part of a diagnostic
	var lat, raw []time.Duration
	var all []rec
	start = time.Now()
	for _, r := range reqs {
		t0 := time.Now()
		if _, err := cold.Run(ctx, r); err != nil {
			return fmt.Errorf("cold diagnostic %v: %w", r.Metiers, err)
		}
		lat = append(lat, time.Since(t0))
		got := take()
		all = append(all, got...)
		// the same SPARQL, sent again one after the other: the store's share
		var sum time.Duration
		for _, q := range got {
			t1 := time.Now()
			if _, err := c.Select(ctx, q.query); err != nil {
				return fmt.Errorf("raw %s: %w", q.name, err)
			}
			sum += time.Since(t1)
		}
		raw = append(raw, sum)
	}
	coldWall := time.Since(start)
	if len(reqs) < n {
		fmt.Printf("note: only %d distinct requests could be built from this store (asked for %d)\n", len(reqs), n)
	}
	if len(reqs) < 200 {
		fmt.Printf("note: with %d requests, p95 and p99 are among the few slowest, not stable percentiles (use -n 200 or more)\n", len(reqs))
	}
	fmt.Printf("\ncold (cache off, %d distinct requests, 1–2 métiers × 0–2 zones, sequential): %.1f req/s\n", len(reqs), float64(len(reqs))/coldWall.Seconds())
	fmt.Printf("  %-34s %s\n", "", pctHeader)
	fmt.Printf("  %-34s %s\n", "diagnostic", pcts(lat))
	fmt.Printf("  %-34s %s\n", "raw SPARQL, same queries, in series", pcts(raw))
	fmt.Printf("  diagnostic p50 / raw SPARQL p50: %.2f (below 1: the diagnostic's queries run in parallel)\n", float64(pct(lat, 50))/float64(pct(raw, 50)))
	slowestRequests(reqs, lat, 5)
	profile("cold queries", all)

	warm, err := diagnostic.NewService(k, diagnostic.Options{})
	if err != nil {
		return err
	}
	if _, err := warm.Warm(ctx); err != nil {
		return err
	}
	for _, r := range reqs {
		if _, err := warm.Run(ctx, r); err != nil {
			return err
		}
	}
	take()
	lat = lat[:0]
	start = time.Now()
	for i := range warmN {
		t0 := time.Now()
		if _, err := warm.Run(ctx, reqs[i%len(reqs)]); err != nil {
			return err
		}
		lat = append(lat, time.Since(t0))
	}
	wall := time.Since(start)
	fmt.Printf("\nwarm (cached, %d requests over the same %d; the data version is re-read at most every %v): %.0f req/s\n", warmN, len(reqs), k.VersionTTL, float64(warmN)/wall.Seconds())
	fmt.Printf("  %-34s %s\n", "", pctHeader)
	fmt.Printf("  %-34s %s\n", "diagnostic", pcts(lat))
	return nil
}

// requests builds n distinct requests over métiers that have offers in the region and
// the zones of the store.
func requests(ctx context.Context, k *kg.KG, s *diagnostic.Service, n int) ([]diagnostic.Request, error) {
	latest, err := k.LatestMonth(ctx)
	if err != nil {
		return nil, err
	}
	top, err := k.TopMetiers(ctx, []string{diagnostic.RegionZone.IRI}, latest, 60)
	if err != nil {
		return nil, err
	}
	var codes []string
	for _, m := range top[diagnostic.RegionZone.IRI] {
		codes = append(codes, m.Metier.Code)
	}
	for _, c := range []string{"M1811", "K2111", "M1805", "M1402"} {
		codes = append(codes, c)
	}
	zs, err := s.Zones(ctx)
	if err != nil {
		return nil, err
	}
	if len(codes) < 2 || len(zs) < 2 {
		return nil, fmt.Errorf("the store holds too few métiers with offers (%d) or zones (%d)", len(codes), len(zs))
	}
	seen := map[string]bool{}
	// the requests the issue measured first, then generated ones
	out := []diagnostic.Request{
		{Metiers: []string{"M1811"}, Zones: []string{"9312", "Nice"}},
		{Metiers: []string{"M1811"}, Zones: []string{"9312", "9306"}},
		{Metiers: []string{"K2111", "M1805"}, Zones: []string{"9312", "9313"}},
	}
	for _, r := range out {
		seen[strings.Join(r.Metiers, ",")+"|"+strings.Join(r.Zones, ",")] = true
	}
	for i := 0; len(out) < n && i < n*20; i++ {
		r := diagnostic.Request{Metiers: []string{codes[i%len(codes)]}}
		if i%3 == 1 {
			r.Metiers = append(r.Metiers, codes[(i*7+3)%len(codes)])
		}
		switch i % 4 {
		case 1:
			r.Zones = []string{zs[i%len(zs)].Code}
		case 2, 3:
			r.Zones = []string{zs[i%len(zs)].Code, zs[(i*5+1)%len(zs)].Code}
		}
		key := strings.Join(r.Metiers, ",") + "|" + strings.Join(r.Zones, ",")
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, r)
	}
	return out, nil
}

func pct(l []time.Duration, p int) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), l...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := (len(s)*p + 99) / 100
	if i < 1 {
		i = 1
	}
	return s[i-1]
}

const pctHeader = "  p50 ms    p90 ms    p95 ms    p99 ms    max ms"

// pcts prints in milliseconds with microsecond precision: cached requests take a few.
func pcts(l []time.Duration) string {
	var b strings.Builder
	for _, p := range []int{50, 90, 95, 99, 100} {
		fmt.Fprintf(&b, "%8.3f  ", float64(pct(l, p))/float64(time.Millisecond))
	}
	return strings.TrimRight(b.String(), " ")
}

// slowestRequests names the k slowest cold requests (métier and zone codes: no
// personal data in a request of this benchmark).
func slowestRequests(reqs []diagnostic.Request, lat []time.Duration, k int) {
	idx := make([]int, len(lat))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return lat[idx[a]] > lat[idx[b]] })
	fmt.Printf("  slowest requests:")
	for _, i := range idx[:min(k, len(idx))] {
		fmt.Printf("  %v %v/%v", lat[i].Round(time.Millisecond), strings.Join(reqs[i].Metiers, "+"), strings.Join(reqs[i].Zones, "+"))
	}
	fmt.Println()
}

// profile prints the store rounds by query name, slowest total first: where a
// diagnostic's time goes.
func profile(title string, recs []rec) {
	by := map[string][]time.Duration{}
	total := map[string]time.Duration{}
	for _, r := range recs {
		by[r.name] = append(by[r.name], r.took)
		total[r.name] += r.took
	}
	names := make([]string, 0, len(by))
	for k := range by {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool { return total[names[i]] > total[names[j]] })
	fmt.Printf("  %s, slowest first (store round per query):\n", title)
	fmt.Printf("    %-22s %6s %10s %9s %9s %9s\n", "query", "count", "total", "p50", "p95", "max")
	for _, name := range names {
		l := by[name]
		fmt.Printf("    %-22s %6d %10v %9v %9v %9v\n", name, len(l), total[name].Round(time.Millisecond),
			pct(l, 50).Round(100*time.Microsecond), pct(l, 95).Round(100*time.Microsecond), pct(l, 100).Round(100*time.Microsecond))
	}
}

package api

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/kg"
	"github.com/openemploi360/openemploi/internal/kg/kgtest"
	"github.com/openemploi360/openemploi/internal/sparqlq"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
	"github.com/openemploi360/openemploi/internal/vocab"
)

// benchData adds to the fixture a referential of the size of ROME's neighbourhood a
// diagnostic touches and a year of offers, generated here so nothing large is committed:
// 400 fiches × 3 appellations × 12 skills, 2 mobilités each, 12 000 offers.
func benchData() []byte {
	const (
		oep  = "https://data.dataregionsud.fr/openemploi/def/"
		id   = "https://data.dataregionsud.fr/openemploi/id/"
		g    = "https://data.dataregionsud.fr/openemploi/graph/"
		skos = "http://www.w3.org/2004/02/skos/core#"
		sch  = "http://schema.org/"
		rdfT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
		xsd  = "http://www.w3.org/2001/XMLSchema#"
	)
	var b bytes.Buffer
	q := func(s, p, o, graph string) { fmt.Fprintf(&b, "<%s> <%s> %s <%s> .\n", s, p, o, g+graph) }
	iri := func(s string) string { return "<" + s + ">" }
	for i := 0; i < 400; i++ {
		code := fmt.Sprintf("B%04d", 1000+i)
		f := id + "rome/" + code
		q(f, rdfT, iri(oep+"Occupation"), "rome4")
		q(f, skos+"notation", `"`+code+`"`, "rome4")
		q(f, skos+"prefLabel", fmt.Sprintf(`"Métier de test numéro %d"@fr`, i), "rome4")
		for a := 0; a < 3; a++ {
			app := fmt.Sprintf("%sapp-%d-%d", id+"rome-appellation/9", i, a)
			q(app, rdfT, iri(oep+"Appellation"), "rome4")
			q(app, skos+"broader", iri(f), "rome4")
			q(app, skos+"notation", fmt.Sprintf(`"9%05d%d"`, i, a), "rome4")
			q(app, skos+"prefLabel", fmt.Sprintf(`"Appellation %d variante %d"@fr`, i, a), "rome4")
		}
		for s := 0; s < 12; s++ {
			item := fmt.Sprintf("%srome-item/8%04d", id, (i*7+s)%900)
			q(f, oep+"skill", iri(item), "rome4")
		}
		for m := 1; m <= 2; m++ {
			link := fmt.Sprintf("_:l%d_%d", i, m)
			fmt.Fprintf(&b, "<%s> <%s> %s <%s> .\n", f, oep+"mobilityLink", link, g+"rome4")
			fmt.Fprintf(&b, "%s <%s> <%srome/B%04d> <%s> .\n", link, oep+"target", id, 1000+(i+m)%400, g+"rome4")
		}
	}
	for s := 0; s < 900; s++ {
		item := fmt.Sprintf("%srome-item/8%04d", id, s)
		q(item, rdfT, iri(oep+"Skill"), "rome4")
		q(item, skos+"notation", fmt.Sprintf(`"8%04d"`, s), "rome4")
		q(item, skos+"prefLabel", fmt.Sprintf(`"Compétence de test %d"@fr`, s), "rome4")
		q(item, oep+"skillKind", `"savoir"`, "rome4")
	}
	// the offers' monthly graphs are live graphs: described in oeg:meta
	for m := 2; m <= 13; m++ {
		month := fmt.Sprintf("2024-%02d", m)
		if m == 13 {
			month = "2025-01"
		}
		q(g+"offres-bench/"+month, rdfT, iri("http://www.w3.org/ns/dcat#Dataset"), "meta")
		q(g+"offres-bench/"+month, "http://www.w3.org/ns/dcat#hasCurrentVersion", iri(g+"offres-bench/"+month), "meta")
	}
	communes := []string{"13055", "13005", "06088", "06027"}
	for n := 0; n < 12000; n++ {
		month := fmt.Sprintf("2024-%02d", 2+n%11)
		if n%11 == 10 {
			month = "2025-01"
		}
		o := fmt.Sprintf("%soffre/bench/%d", id, n)
		graph := "offres-bench/" + month
		q(o, rdfT, iri(oep+"JobOffer"), graph)
		q(o, sch+"datePosted", `"`+month+`-10T00:00:00Z"^^<`+xsd+`dateTime>`, graph)
		code := fmt.Sprintf("B%04d", 1000+n%400)
		if n%10 == 0 {
			code = "M1811"
		}
		q(o, sch+"occupationalCategory", iri(id+"rome/"+code), graph)
		q(o, oep+"commune", iri(id+"commune/"+communes[n%4]), graph)
		q(o, sch+"employmentType", `"CDI"`, graph)
		if n%3 != 0 {
			q(o, oep+"monthlyGrossSalary", fmt.Sprintf(`"%d"^^<%sdecimal>`, 2500+(n*37)%3000, xsd), graph)
		}
	}
	return b.Bytes()
}

type percentiles struct{ p50, p95 time.Duration }

func measure(b *testing.B, n int, f func() error) percentiles {
	b.Helper()
	d := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		start := time.Now()
		if err := f(); err != nil {
			b.Fatal(err)
		}
		d = append(d, time.Since(start))
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return percentiles{d[len(d)/2], d[len(d)*95/100]}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// BenchmarkDiagnostic reports, per store, the diagnostic's latency uncached ("cold":
// the diagnostic cache is off, so every request queries the store for its market,
// tension, trainings and companies; what changes only with the data version — label
// index, fiches, life context, top métiers — is already in memory), the first request
// after an import (nothing in memory), cached ("warm"), the warm throughput with 8
// concurrent clients, and the raw SPARQL time of the same queries run in parallel, for
// the overhead ratio.
//
//	go test ./internal/api -run '^$' -bench Diagnostic -benchtime 1x
func BenchmarkDiagnostic(b *testing.B) {
	for _, kind := range storetest.Kinds() {
		b.Run(kind, func(b *testing.B) {
			c := storetest.New(b, kind)
			ctx := context.Background()
			// the fixture, the generated data and the month graphs of their offers
			kgtest.LoadWith(b, c, kgtest.Fixture, benchData())
			// the generated offers must be in the aggregates, or the benchmark measures nothing
			kgr, err := kg.New(c)
			if err != nil {
				b.Fatal(err)
			}
			stats, err := kgr.Market(ctx, []string{vocab.Metier("M1811")}, []string{vocab.RegionIRI})
			if err != nil {
				b.Fatal(err)
			}
			total := 0
			for _, m := range stats[0].Months {
				total += m.Count
			}
			if total < 1200 {
				b.Fatalf("M1811 has %d offers in the aggregates, want the 1 200 generated ones and more", total)
			}
			const path = "/api/diagnostic?metier=M1811&metier=M1805&zone=9312&zone=9315"
			get := func(srv *httptest.Server) func() error {
				return func() error {
					resp, err := http.Get(srv.URL + path)
					if err != nil {
						return err
					}
					defer resp.Body.Close()
					body, _ := io.ReadAll(resp.Body)
					if resp.StatusCode != 200 {
						return fmt.Errorf("%d %s", resp.StatusCode, body)
					}
					return nil
				}
			}
			newSrv := func(cache int) *httptest.Server {
				cfg, _ := storeConfig(b, c, diagnostic.Options{Now: fixedNow, CacheSize: cache})
				s, err := newServer(cfg)
				if err != nil {
					b.Fatal(err)
				}
				srv := httptest.NewServer(s.routes())
				b.Cleanup(srv.Close)
				return srv
			}
			cold, warm := newSrv(-1), newSrv(0)
			for i := 0; i < 5; i++ { // index load and JIT warm-up, not measured
				_ = get(cold)()
				_ = get(warm)()
			}
			const n = 60
			b.ResetTimer()
			pc := measure(b, n, get(cold))
			pw := measure(b, n*5, get(warm))

			// first request after an import: a fresh service, so the per-data-version
			// index (labels, skills, zones, communes, fiches, life, top métiers) is read too
			pi := measure(b, 8, func() error {
				srv := newSrv(-1)
				defer srv.Close()
				return get(srv)()
			})

			// throughput, warm, 8 clients
			var wg sync.WaitGroup
			start := time.Now()
			const perClient = 100
			for w := 0; w < 8; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < perClient; i++ {
						_ = get(warm)()
					}
				}()
			}
			wg.Wait()
			rps := float64(8*perClient) / time.Since(start).Seconds()

			// raw SPARQL: the queries of one uncached diagnostic, in the same two parallel phases
			k, err := kg.New(c)
			if err != nil {
				b.Fatal(err)
			}
			pr := measure(b, n, func() error { return rawDiagnosticQueries(ctx, k.Bank(), c) })
			b.StopTimer()
			b.ReportMetric(ms(pc.p50), "cold-p50-ms")
			b.ReportMetric(ms(pc.p95), "cold-p95-ms")
			b.ReportMetric(ms(pi.p50), "after-import-p50-ms")
			b.ReportMetric(ms(pw.p50), "warm-p50-ms")
			b.ReportMetric(ms(pw.p95), "warm-p95-ms")
			b.ReportMetric(rps, "warm-req/s")
			b.ReportMetric(ms(pr.p50), "sparql-p50-ms")
			b.ReportMetric(ms(pc.p50)/ms(pr.p50), "overhead-ratio")
		})
	}
}

func rawDiagnosticQueries(ctx context.Context, bank *sparqlq.Bank, c *store.Client) error {
	m := []string{vocab.Metier("M1811"), vocab.Metier("M1805")}
	z := []string{vocab.Zone("9312"), vocab.Zone("9315")}
	phase := func(qs map[string]sparqlq.Args) error {
		var wg sync.WaitGroup
		errs := make(chan error, len(qs))
		for name, args := range qs {
			q, err := bank.Bind(name, args)
			if err != nil {
				return err
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := c.Select(ctx, q); err != nil {
					errs <- fmt.Errorf("%s: %w", strings.TrimSpace(name), err)
				}
			}()
		}
		wg.Wait()
		close(errs)
		return <-errs
	}
	// What an uncached diagnostic sends, all at once, once the per-data-version index
	// (labels, skills, zones, communes, fiches, latest month, sources, life, top
	// métiers) is loaded.
	return phase(map[string]sparqlq.Args{
		"tension": {"metiers": m, "zones": z}, "trainings": {"metiers": m, "zones": z, "from": "2025-02-01"},
		"companies": {"metiers": m, "zones": z}, "market": {"metiers": append(m, vocab.Metier("K2111")), "areas": z},
	})
}

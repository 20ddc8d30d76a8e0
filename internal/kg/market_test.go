package kg

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/kg/kgtest"
	"github.com/openemploi360/openemploi/internal/sparqlq"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
	"github.com/openemploi360/openemploi/internal/vocab"
)

// The reference readers: testdata/reference-*.rq are market.rq, top-metiers.rq and
// latest-month.rq as they read oeg:derived, the graph queries/derived/*.ru write, before
// the aggregates were streamed into month graphs (issue 12). The tests below load the
// month graphs and run the .ru on the same offers, and compare what the readers make of
// each.

func referenceQuery(t *testing.T, name string, args sparqlq.Args) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name + ".rq")
	if err != nil {
		t.Fatal(err)
	}
	return bindTest(t, string(b), args)
}

func referenceRows(t *testing.T, c *store.Client, name string, args sparqlq.Args) []row {
	t.Helper()
	res, err := c.Select(context.Background(), referenceQuery(t, name, args))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var out []row
	for _, s := range res.Solutions() {
		out = append(out, row(s))
	}
	return out
}

// referenceMarket is Market as it read oeg:derived.
func referenceMarket(t *testing.T, c *store.Client, metiers, areas []string) []diagnostic.MarketStats {
	t.Helper()
	rows := referenceRows(t, c, "reference-market", sparqlq.Args{"metiers": metiers, "areas": areas})
	byKey := map[[2]string]*diagnostic.MarketStats{}
	var order [][2]string
	for _, m := range metiers {
		for _, a := range areas {
			key := [2]string{m, a}
			byKey[key] = &diagnostic.MarketStats{Metier: m, Area: a, Source: vocab.DerivedGraph}
			order = append(order, key)
		}
	}
	for _, r := range rows {
		ms := byKey[[2]string{r.str("fiche"), r.str("area")}]
		n := r.int("n")
		switch r.str("part") {
		case "month":
			ms.Months = append(ms.Months, diagnostic.MonthCount{Month: r.str("key"), Count: n})
		case "contract":
			ms.Contracts = append(ms.Contracts, diagnostic.Share{Code: r.str("key"), Count: n})
		case "experience":
			ms.Experience = append(ms.Experience, diagnostic.Share{Code: r.str("key"), Count: n})
		case "employer":
			co := diagnostic.Company{Name: r.str("key"), NAF: r.str("naf"), Offers: n, Source: vocab.DerivedGraph}
			if syn := r.boolp("synthetic"); syn != nil {
				co.Synthetic, co.OriginKnown = *syn, true
			}
			ms.Employers = append(ms.Employers, co)
		case "salary":
			ms.Salary = diagnostic.SalaryStats{Q1: r.float("q1"), Median: r.float("median"), Q3: r.float("q3"), N: n, Period: r.str("period")}
		}
	}
	var out []diagnostic.MarketStats
	for _, key := range order {
		out = append(out, *byKey[key])
	}
	return out
}

// marketText prints MarketStats in a stable order (the reference read lists in the
// store's order), one line per figure, for a readable diff.
func marketText(l []diagnostic.MarketStats) string {
	var b strings.Builder
	for _, m := range l {
		fmt.Fprintf(&b, "%s × %s (%s)\n", m.Metier, m.Area, m.Source)
		var lines []string
		for _, x := range m.Months {
			lines = append(lines, fmt.Sprintf("  month %s %d", x.Month, x.Count))
		}
		for _, x := range m.Contracts {
			lines = append(lines, fmt.Sprintf("  contract %s %d", x.Code, x.Count))
		}
		for _, x := range m.Experience {
			lines = append(lines, fmt.Sprintf("  experience %s %d", x.Code, x.Count))
		}
		for _, x := range m.Employers {
			lines = append(lines, fmt.Sprintf("  employer %q %d naf=%q synthetic=%v known=%v source=%s", x.Name, x.Offers, x.NAF, x.Synthetic, x.OriginKnown, x.Source))
		}
		sort.Strings(lines)
		b.WriteString(strings.Join(lines, "\n"))
		s := m.Salary
		fmt.Fprintf(&b, "\n  salary n=%d q1=%v median=%v q3=%v period=%q\n", s.N, val(s.Q1), val(s.Median), val(s.Q3), s.Period)
	}
	return b.String()
}

// moreOffers returns N-Quads that the fixture lacks and the aggregates must get right:
// a second source, real (not synthetic), loaded as versions named in oeg:meta; one of
// its months later than the fixture's; an employer named like a synthetic one of the
// fixture; offers without a commune, with NAF codes (two for one employer), with
// salaries that round at the half (rounded to 10 euros as the .ru do); a busy métier
// with 12 employers (the region keeps only those with 2 offers or more) and a quiet
// one with 3; an offer with two contract types; and a staging graph and a graph
// oeg:meta does not describe, which no reader may count.
func moreOffers() []byte {
	const (
		oep  = "https://data.dataregionsud.fr/openemploi/def/"
		sch  = "http://schema.org/"
		xsd  = "http://www.w3.org/2001/XMLSchema#"
		dcat = "http://www.w3.org/ns/dcat#"
		rdfT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
	)
	var b bytes.Buffer
	meta := vocab.MetaGraph
	live := func(lg, version string) {
		fmt.Fprintf(&b, "<%s> <%s> <%s> <%s> .\n", lg, rdfT, dcat+"Dataset", meta)
		fmt.Fprintf(&b, "<%s> <%s> <%s> <%s> .\n", lg, dcat+"hasCurrentVersion", version, meta)
		fmt.Fprintf(&b, "<%s> <%s> \"false\"^^<%sboolean> <%s> .\n", lg, oep+"synthetic", xsd, meta)
	}
	n := 0
	type offer struct {
		graph, posted, fiche, commune, employer, naf, experience string
		contracts                                                []string
		salary                                                   string
	}
	add := func(o offer) {
		n++
		s := vocab.IRI(vocab.KindOffer, fmt.Sprintf("test/%d", n))
		org := fmt.Sprintf("_:testorg%d", n)
		q := func(sub, p, obj string) { fmt.Fprintf(&b, "%s <%s> %s <%s> .\n", sub, p, obj, o.graph) }
		S := "<" + s + ">"
		q(S, rdfT, "<"+oep+"JobOffer>")
		q(S, sch+"datePosted", `"`+o.posted+`T09:00:00Z"^^<`+xsd+`dateTime>`)
		q(S, sch+"occupationalCategory", "<"+vocab.Metier(o.fiche)+">")
		if o.commune != "" {
			q(S, oep+"commune", "<"+vocab.Commune(o.commune)+">")
		}
		for _, c := range o.contracts {
			q(S, sch+"employmentType", `"`+c+`"`)
		}
		if o.experience != "" {
			q(S, oep+"experienceRequired", `"`+o.experience+`"`)
		}
		if o.naf != "" {
			q(S, oep+"naf", `"`+o.naf+`"`)
		}
		if o.salary != "" {
			q(S, oep+"monthlyGrossSalary", `"`+o.salary+`"^^<`+xsd+`decimal>`)
		}
		if o.employer != "" {
			q(S, sch+"hiringOrganization", org)
			q(org, rdfT, "<"+sch+"Organization>")
			q(org, sch+"name", `"`+o.employer+`"`)
		}
	}
	dec, feb := vocab.Graph("offres-test", "2024-12"), vocab.Graph("offres-test", "2025-02")
	decV, febV := vocab.VersionGraph(dec, "r1"), vocab.VersionGraph(feb, "r2")
	live(dec, decV)
	live(feb, febV)
	for i, sal := range []string{"2345", "2355", "1995.5", "4404.9", "3000", ""} {
		add(offer{graph: decV, posted: "2024-12-0" + fmt.Sprint(i+1), fiche: "M1811", commune: []string{"13055", "06088", ""}[i%3],
			employer: "Massilia Soft", naf: []string{"62.01Z", "62.02A"}[i%2], experience: "DE"[i%2 : i%2+1],
			contracts: []string{"CDI"}, salary: sal})
	}
	add(offer{graph: febV, posted: "2025-02-03", fiche: "M1805", commune: "06027", employer: "Riviera Cloud",
		contracts: []string{"CDD", "MIS"}, experience: "S", salary: "2875"})
	add(offer{graph: febV, posted: "2025-02-04", fiche: "M1811", employer: "Sans Commune SA", contracts: []string{"CDD"}})
	for i := range 11 {
		add(offer{graph: febV, posted: "2025-02-05", fiche: "B9999", commune: "13005", employer: fmt.Sprintf("Small %d", i)})
	}
	add(offer{graph: febV, posted: "2025-02-06", fiche: "B9999", commune: "13055", employer: "Big", naf: "70.22Z"})
	add(offer{graph: decV, posted: "2024-12-06", fiche: "B9999", commune: "06088", employer: "Big"})
	for i := range 3 {
		add(offer{graph: febV, posted: "2025-02-07", fiche: "B9998", employer: fmt.Sprintf("Few %d", i)})
	}
	// neither live nor described: a staging graph, the logical name of a versioned graph
	add(offer{graph: vocab.StagingPrefix + "r3/1", posted: "2025-03-01", fiche: "M1811", commune: "13055", employer: "Fantôme", salary: "99999"})
	add(offer{graph: dec, posted: "2025-03-02", fiche: "M1811", commune: "13055", employer: "Fantôme", salary: "99999"})
	return b.Bytes()
}

var (
	marketFiches = []string{vocab.Metier("M1811"), vocab.Metier("M1805"), vocab.Metier("B9999"), vocab.Metier("B9998"), vocab.Metier("A1101")}
	marketAreas  = []string{vocab.Zone("9312"), vocab.Zone("9315"), vocab.RegionIRI}
)

// TestMarketEqualsReference: the market readers over the live month graphs say what
// they said over the reference aggregates (queries/derived/*.ru), on the fixture and
// on offers that exercise each rule of the .ru.
func TestMarketEqualsReference(t *testing.T) {
	for _, tc := range []struct {
		name     string
		datasets [][]byte
		latest   string
	}{
		{"Fixture", [][]byte{kgtest.Fixture}, "2025-01"},
		{"MoreOffers", [][]byte{kgtest.Fixture, moreOffers()}, "2025-02"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			storetest.ForEach(t, func(t *testing.T, c *store.Client) {
				ctx := context.Background()
				kgtest.LoadWith(t, c, tc.datasets...)
				if err := kgtest.RunDerived(ctx, c); err != nil {
					t.Fatal(err)
				}
				k := mustKG(t, c)
				got, err := k.Market(ctx, marketFiches, marketAreas)
				if err != nil {
					t.Fatal(err)
				}
				if g, w := marketText(got), marketText(referenceMarket(t, c, marketFiches, marketAreas)); g != w {
					t.Errorf("market over the month graphs:\n%s\nover the reference:\n%s", g, w)
				}
				for _, since := range []string{"2024-01", "2024-11", "2025-02"} {
					top, err := k.TopMetiers(ctx, marketAreas, since, 100)
					if err != nil {
						t.Fatal(err)
					}
					want := map[string][]diagnostic.ZoneMetier{}
					for _, r := range referenceRows(t, c, "reference-top-metiers", sparqlq.Args{"areas": marketAreas, "since": since}) {
						code, _ := vocab.MetierCode(r.str("fiche"))
						want[r.str("area")] = append(want[r.str("area")],
							diagnostic.ZoneMetier{Metier: diagnostic.MetierRef{IRI: r.str("fiche"), Code: code}, Offers: r.int("n")})
					}
					if !reflect.DeepEqual(top, want) {
						t.Errorf("top métiers since %s: %+v, reference %+v", since, top, want)
					}
				}
				latest, err := k.LatestMonth(ctx)
				if err != nil {
					t.Fatal(err)
				}
				ref := referenceRows(t, c, "reference-latest-month", nil)
				if latest != tc.latest || latest != ref[0].str("month") {
					t.Errorf("latest month %q, reference %q, want %q", latest, ref[0].str("month"), tc.latest)
				}
			})
		})
	}
}

// TestMarketReadsLiveVersionsOnly: a month graph's old version, a staging copy and a
// month graph oeg:meta does not name are never read, however much they hold.
func TestMarketReadsLiveVersionsOnly(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		ctx := context.Background()
		kgtest.Load(t, c)
		k := mustKG(t, c)
		before, err := k.Market(ctx, marketFiches, marketAreas)
		if err != nil {
			t.Fatal(err)
		}
		topBefore, err := k.TopMetiers(ctx, marketAreas, "2024-01", 100)
		if err != nil {
			t.Fatal(err)
		}
		// the month graphs of the fixture, written again with every count ×100 and a
		// month far ahead, into graphs that are not the live version of anything
		months, err := kgtest.MonthGraphs(bytes.NewReader(kgtest.Fixture))
		if err != nil {
			t.Fatal(err)
		}
		var stale strings.Builder
		for _, line := range strings.Split(string(months), "\n") {
			if line == "" || strings.HasSuffix(line, "<"+vocab.MetaGraph+"> .") {
				continue
			}
			line = strings.Replace(line, `"^^<http://www.w3.org/2001/XMLSchema#integer>`, `00"^^<http://www.w3.org/2001/XMLSchema#integer>`, 1)
			line = strings.ReplaceAll(line, "2025-01", "2031-01")
			old := strings.Replace(line, vocab.VersionSep+kgtest.Run+">", vocab.VersionSep+"old>", 1)
			staging := strings.Replace(line, "<"+vocab.DerivedPrefix, "<"+vocab.StagingPrefix+"r9/", 1)
			logical := strings.Replace(line, vocab.VersionSep+kgtest.Run+">", ">", 1)
			stale.WriteString(old + "\n" + staging + "\n" + logical + "\n")
		}
		if err := c.LoadQuads(ctx, strings.NewReader(stale.String())); err != nil {
			t.Fatal(err)
		}
		after, err := k.Market(ctx, marketFiches, marketAreas)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := marketText(after), marketText(before); g != w {
			t.Errorf("market after stale graphs were loaded:\n%s\nbefore:\n%s", g, w)
		}
		if top, err := k.TopMetiers(ctx, marketAreas, "2024-01", 100); err != nil || !reflect.DeepEqual(top, topBefore) {
			t.Errorf("top métiers after stale graphs were loaded: %+v, %v; before %+v", top, err, topBefore)
		}
		if latest, err := k.LatestMonth(ctx); err != nil || latest != "2025-01" {
			t.Errorf("latest month %q, %v; want 2025-01", latest, err)
		}
	})
}

// volumeOffers returns n offers over 12 months of one source, 400 fiches (one offer in
// ten of M1811), 4 communes of the fixture's two zones, 200 employers, live in oeg:meta.
func volumeOffers(n int) []byte {
	const (
		oep  = "https://data.dataregionsud.fr/openemploi/def/"
		sch  = "http://schema.org/"
		xsd  = "http://www.w3.org/2001/XMLSchema#"
		rdfT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
	)
	var b bytes.Buffer
	months := []string{"2024-02", "2024-03", "2024-04", "2024-05", "2024-06", "2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12", "2025-01"}
	for _, m := range months {
		g := vocab.Graph("offres-bench", m)
		fmt.Fprintf(&b, "<%s> <%s> <http://www.w3.org/ns/dcat#Dataset> <%s> .\n", g, rdfT, vocab.MetaGraph)
		fmt.Fprintf(&b, "<%s> <http://www.w3.org/ns/dcat#hasCurrentVersion> <%s> <%s> .\n", g, g, vocab.MetaGraph)
	}
	communes := []string{"13055", "13005", "06088", "06027"}
	for i := range n {
		m := months[i%len(months)]
		g := vocab.Graph("offres-bench", m)
		o := vocab.IRI(vocab.KindOffer, fmt.Sprintf("bench/%d", i))
		fiche := vocab.Metier(fmt.Sprintf("B%04d", 1000+i%400))
		if i%10 == 0 {
			fiche = vocab.Metier("M1811")
		}
		q := func(s, p, obj string) { fmt.Fprintf(&b, "%s <%s> %s <%s> .\n", s, p, obj, g) }
		S, org := "<"+o+">", fmt.Sprintf("_:borg%d", i)
		q(S, rdfT, "<"+oep+"JobOffer>")
		q(S, sch+"datePosted", `"`+m+`-10T00:00:00Z"^^<`+xsd+`dateTime>`)
		q(S, sch+"occupationalCategory", "<"+fiche+">")
		q(S, oep+"commune", "<"+vocab.Commune(communes[i%4])+">")
		q(S, sch+"employmentType", `"`+[]string{"CDI", "CDD", "MIS"}[i%3]+`"`)
		q(S, oep+"experienceRequired", `"`+[]string{"D", "E", "S"}[i%3]+`"`)
		q(S, sch+"hiringOrganization", org)
		q(org, sch+"name", fmt.Sprintf(`"Employeur %d"`, i%200))
		if i%3 != 0 {
			q(S, oep+"monthlyGrossSalary", fmt.Sprintf(`"%d"^^<%sdecimal>`, 2500+(i*37)%3000, xsd))
		}
	}
	return b.Bytes()
}

// BenchmarkMarket times the market reads over the month graphs and over the reference
// oeg:derived, on the fixture and 12 000 offers (4 000 on Oxigraph, whose run of
// offers-mix.ru takes more than the store client's minute at 12 000):
//
//	go test ./internal/kg -run '^$' -bench Market -benchtime 20x
func BenchmarkMarket(b *testing.B) {
	for _, kind := range storetest.Kinds() {
		b.Run(kind, func(b *testing.B) {
			c := storetest.New(b, kind)
			ctx := context.Background()
			n := 12000
			if kind == "oxigraph" {
				n = 4000
			}
			kgtest.LoadWith(b, c, kgtest.Fixture, volumeOffers(n))
			if err := kgtest.RunDerived(ctx, c); err != nil {
				b.Fatal(err)
			}
			k, err := New(c)
			if err != nil {
				b.Fatal(err)
			}
			fiches := []string{vocab.Metier("M1811"), vocab.Metier("M1805"), vocab.Metier("B1001")}
			areas := []string{vocab.Zone("9312"), vocab.Zone("9315"), vocab.RegionIRI}
			raw := func(name string, args sparqlq.Args) func() error {
				q, err := k.Bank().Bind(name, args)
				if err != nil {
					b.Fatal(err)
				}
				return func() error { _, err := c.Select(ctx, q); return err }
			}
			ref := func(name string, args sparqlq.Args) func() error {
				text, err := os.ReadFile("testdata/" + name + ".rq")
				if err != nil {
					b.Fatal(err)
				}
				q, err := sparqlq.Parse(name+".rq", string(text))
				if err != nil {
					b.Fatal(err)
				}
				bound, err := q.Bind(args)
				if err != nil {
					b.Fatal(err)
				}
				return func() error { _, err := c.Select(ctx, bound); return err }
			}
			for _, tc := range []struct {
				name string
				run  func() error
			}{
				{"Market", func() error { _, err := k.Market(ctx, fiches, areas); return err }},
				{"MarketQuery", raw("market", sparqlq.Args{"metiers": fiches, "areas": areas})},
				{"MarketReference", ref("reference-market", sparqlq.Args{"metiers": fiches, "areas": areas})},
				{"TopMetiersRegion", func() error { _, err := k.TopMetiers(ctx, []string{vocab.RegionIRI}, "2024-11", 10); return err }},
				{"TopMetiersRegionReference", ref("reference-top-metiers", sparqlq.Args{"areas": []string{vocab.RegionIRI}, "since": "2024-11"})},
				{"LatestMonth", func() error { _, err := k.LatestMonth(ctx); return err }},
				{"LatestMonthReference", ref("reference-latest-month", nil)},
			} {
				b.Run(tc.name, func(b *testing.B) {
					for range b.N {
						if err := tc.run(); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

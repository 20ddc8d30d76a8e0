package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
	"github.com/openemploi360/openemploi/internal/vocab"
)

const sampleOffers = "testdata/sample/offres_france_travail/offres_paca_2024-06_2025-01.json"

// sampleImporter returns an importer over the real catalog, with the sample's geo
// imported (the aggregates place offers by their commune's zone).
func sampleImporter(t *testing.T, c *store.Client) (*Importer, string) {
	t.Helper()
	root, cat := repoCatalog(t)
	im := &Importer{Store: c, Catalog: cat, TempDir: t.TempDir(), Logf: t.Logf}
	importSamples(t, im, root, "geo")
	return im, root
}

// repoCatalog returns the repository's root and its catalog (mappings/catalog.yaml).
func repoCatalog(t *testing.T) (string, *Catalog) {
	t.Helper()
	root, err := storetest.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := LoadCatalog(filepath.Join(root, "mappings", "catalog.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return root, cat
}

// importSamples imports each named source of the catalog with its bundled sample.
func importSamples(t *testing.T, im *Importer, root string, names ...string) {
	t.Helper()
	for _, name := range names {
		src, err := im.Catalog.Source(name)
		if err != nil {
			t.Fatal(err)
		}
		var files []string
		for _, f := range src.Sample {
			files = append(files, filepath.Join(root, f))
		}
		if _, err := im.Import(context.Background(), src, files); err != nil {
			t.Fatal(err)
		}
	}
}

// regionOffers reads, from the live graphs, the offers of each month per fiche: from
// the month's aggregates (the region's observations) and by counting the offers of
// the month's partition.
func regionOffers(t *testing.T, c *store.Client, source, month string) (fromAggregates, fromOffers map[string]int64) {
	t.Helper()
	read := func(q string) map[string]int64 {
		res, err := c.Select(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]int64{}
		for _, r := range res.Solutions() {
			n, err := strconv.ParseInt(r["n"].String(), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			out[r["fiche"].String()] = n
		}
		return out
	}
	const prefixes = `PREFIX oep: <https://data.dataregionsud.fr/openemploi/def/>
PREFIX schema: <http://schema.org/>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
`
	fromAggregates = read(fmt.Sprintf(prefixes+`SELECT ?fiche ?n WHERE {
  GRAPH <%s> { <%s> dcat:hasCurrentVersion ?g }
  GRAPH ?g { ?o oep:refArea <%s> ; oep:occupation ?fiche ; oep:refPeriod %q ; oep:offerCount ?n } }`,
		MetaGraph, vocab.DerivedMonthGraph(source, month), vocab.RegionIRI, month))
	fromOffers = read(fmt.Sprintf(prefixes+`SELECT ?fiche (COUNT(DISTINCT ?offer) AS ?n) WHERE {
  GRAPH <%s> { <%s> dcat:hasCurrentVersion ?g }
  GRAPH ?g { ?offer a oep:JobOffer ; schema:occupationalCategory ?fiche ; schema:datePosted ?d } } GROUP BY ?fiche`,
		MetaGraph, vocab.Graph(source, month)))
	return fromAggregates, fromOffers
}

// writeMonth writes the sample's offers created in month, but the first skip of them,
// as a France Travail JSON file.
func writeMonth(t *testing.T, root, month string, skip int) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, sampleOffers))
	if err != nil {
		t.Fatal(err)
	}
	var all []map[string]any
	if err := json.Unmarshal(b, &all); err != nil {
		t.Fatal(err)
	}
	var keep []map[string]any
	for _, o := range all {
		if d, _ := o["dateCreation"].(string); strings.HasPrefix(d, month) {
			keep = append(keep, o)
		}
	}
	if len(keep) <= skip {
		t.Fatalf("the sample has %d offers in %s", len(keep), month)
	}
	out, err := json.Marshal(keep[skip:])
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "offres_"+month+".json")
	if err := os.WriteFile(p, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestAggregatesGoLiveWithTheirMonth (issue 12 item 2): an offers import writes the
// aggregates of each month it brings into that month's graph, live in the same update
// as the offers, described in oeg:meta; re-importing one month replaces only that
// month's aggregates; dropping a month withdraws them.
func TestAggregatesGoLiveWithTheirMonth(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		ctx := context.Background()
		im, root := sampleImporter(t, c)
		src, err := im.Catalog.Source("offres-ft")
		if err != nil {
			t.Fatal(err)
		}
		res, err := im.Import(ctx, src, []string{filepath.Join(root, sampleOffers)})
		if err != nil {
			t.Fatal(err)
		}
		var months []string
		for g := range res.Graphs {
			if !vocab.IsDerived(g) {
				months = append(months, vocab.GraphPartition(g))
			}
		}
		slices.Sort(months)
		var want []string
		for _, m := range months {
			want = append(want, vocab.DerivedMonthGraph(src.Name, m))
		}
		if !slices.Equal(res.Derived, want) {
			t.Fatalf("aggregate graphs %v, want one per month %v", res.Derived, want)
		}
		for _, m := range months {
			agg, off := regionOffers(t, c, src.Name, m)
			if len(off) == 0 || !mapsEqual(agg, off) {
				t.Fatalf("%s: the aggregates count %v offers per fiche in the region, the month's graph holds %v", m, agg, off)
			}
			d := vocab.DerivedMonthGraph(src.Name, m)
			if got := metaValue(t, c, d, "http://www.w3.org/ns/prov#wasDerivedFrom"); got != vocab.Graph(src.Name, m) {
				t.Errorf("%s derived from %s", d, got)
			}
			if got := metaValue(t, c, d, vocab.Property("synthetic")); got != "false" {
				t.Errorf("%s synthetic = %s, want false like its source", d, got)
			}
		}

		// One month again, one offer fewer: its aggregates follow, the others stay.
		month := months[len(months)/2]
		others := map[string][]string{}
		for _, m := range months {
			if m != month {
				others[m], _ = im.currentVersions(ctx, []string{vocab.DerivedMonthGraph(src.Name, m)})
			}
		}
		before, _ := regionOffers(t, c, src.Name, month)
		if _, err := im.Import(ctx, src, []string{writeMonth(t, root, month, 1)}); err != nil {
			t.Fatal(err)
		}
		agg, off := regionOffers(t, c, src.Name, month)
		if !mapsEqual(agg, off) || sum(agg) != sum(before)-1 {
			t.Fatalf("%s re-imported with one offer fewer: aggregates %v (before %v), offers %v", month, agg, before, off)
		}
		for m, v := range others {
			if now, _ := im.currentVersions(ctx, []string{vocab.DerivedMonthGraph(src.Name, m)}); !slices.Equal(now, v) {
				t.Errorf("re-importing %s replaced the aggregates of %s: %v → %v", month, m, v, now)
			}
		}

		// Dropping the month withdraws its aggregates and their data.
		old, _ := im.currentVersions(ctx, []string{vocab.DerivedMonthGraph(src.Name, month)})
		dr, err := im.Drop(ctx, []string{vocab.Graph(src.Name, month)})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(dr.Derived, []string{vocab.DerivedMonthGraph(src.Name, month)}) {
			t.Errorf("drop withdrew aggregates %v", dr.Derived)
		}
		if agg, _ := regionOffers(t, c, src.Name, month); len(agg) != 0 {
			t.Errorf("dropped month still has aggregates: %v", agg)
		}
		names, err := c.GraphNames(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(old) != 1 || slices.Contains(names, old[0]) {
			t.Errorf("the dropped month's aggregate version %v is still in the store", old)
		}
	})
}

func mapsEqual(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func sum(m map[string]int64) (n int64) {
	for _, v := range m {
		n += v
	}
	return n
}

package ingest

import (
	"context"
	"strconv"
	"testing"

	"github.com/openemploi360/openemploi/internal/kg/kgtest"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
	"github.com/openemploi360/openemploi/internal/vocab"
)

// derivedCounts sums oep:offerCount of one dataset of oeg:derived by area (over
// months or keys), for a fiche.
func derivedCounts(t *testing.T, c *store.Client, dataset, fiche string) map[string]int {
	t.Helper()
	res, err := c.Select(context.Background(), `PREFIX oep: <https://data.dataregionsud.fr/openemploi/def/>
PREFIX qb: <http://purl.org/linked-data/cube#>
SELECT ?area ?n WHERE { GRAPH <`+DerivedGraph+`> {
  ?o qb:dataSet <`+vocab.IRI(vocab.KindDataset, dataset)+`> ; oep:occupation <`+vocab.Metier(fiche)+`> ;
     oep:refArea ?area ; oep:offerCount ?n } }`)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, r := range res.Solutions() {
		n, err := strconv.Atoi(r["n"].String())
		if err != nil {
			t.Fatal(err)
		}
		out[r["area"].String()] += n
	}
	return out
}

// TestDerivedRegionCountsOffersWithoutCommune (issue 11 item 6): an offer without a
// commune counts at the region level, in no zone.
func TestDerivedRegionCountsOffersWithoutCommune(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		ctx := context.Background()
		kgtest.LoadReference(t, c)
		before := map[string]map[string]int{}
		for _, ds := range []string{"offres", "offres-contrats"} {
			before[ds] = derivedCounts(t, c, ds, "M1811")
		}
		if before["offres"][vocab.RegionIRI] == 0 {
			t.Fatal("the fixture has no M1811 offer in the region")
		}
		// One more M1811 offer in August 2024, a CDD, without a commune.
		if err := c.Update(ctx, `INSERT DATA { GRAPH <`+vocab.Graph("offres-synth", "2024-08")+`> {
  <`+vocab.IRI(vocab.KindOffer, "test/no-commune")+`> a <https://data.dataregionsud.fr/openemploi/def/JobOffer> ;
    <http://schema.org/datePosted> "2024-08-20T09:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> ;
    <http://schema.org/occupationalCategory> <`+vocab.Metier("M1811")+`> ;
    <http://schema.org/employmentType> "CDD" } }`); err != nil {
			t.Fatal(err)
		}
		if err := kgtest.RunDerived(ctx, c); err != nil {
			t.Fatal(err)
		}
		monthly := derivedCounts(t, c, "offres", "M1811")
		for area, n := range before["offres"] {
			if area == vocab.RegionIRI {
				continue
			}
			if monthly[area] != n {
				t.Errorf("offres, %s: %d, want %d unchanged (the offer has no commune)", area, monthly[area], n)
			}
		}
		if got, was := monthly[vocab.RegionIRI], before["offres"][vocab.RegionIRI]; got != was+1 {
			t.Errorf("offres, region: %d offers, want %d + 1", got, was)
		}
		contracts := derivedCounts(t, c, "offres-contrats", "M1811")
		if got, was := contracts[vocab.RegionIRI], before["offres-contrats"][vocab.RegionIRI]; got != was+1 {
			t.Errorf("offres-contrats, region: %d, want %d + 1", got, was)
		}
	})
}

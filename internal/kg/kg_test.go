package kg

import (
	"context"
	"testing"

	"github.com/openemploi360/openemploi/internal/apperr"
	"github.com/openemploi360/openemploi/internal/kg/kgtest"
	"github.com/openemploi360/openemploi/internal/sparqlq"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
	"github.com/openemploi360/openemploi/internal/vocab"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func mustKG(t *testing.T, c *store.Client) *KG {
	t.Helper()
	k, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestMetier(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		kgtest.Load(t, c)
		k := mustKG(t, c)
		ctx := context.Background()
		m, err := k.Metier(ctx, "M1811")
		if err != nil {
			t.Fatal(err)
		}
		if m.IRI != vocab.Metier("M1811") || m.Label != "Data engineer" || m.Executive == nil || !*m.Executive {
			t.Errorf("fiche = %+v", m)
		}
		if len(m.Appellations) != 2 || m.Appellations[0].Label != "Data engineer" || m.Appellations[1].ShortLabel != "Ingénieur big data" {
			t.Errorf("appellations = %+v", m.Appellations)
		}
		kinds := map[string]int{}
		for _, s := range m.Skills {
			kinds[s.Kind]++
		}
		if len(m.Skills) != 4 || kinds["savoir"] != 2 || kinds["savoir-faire"] != 1 || kinds["savoir-etre"] != 1 {
			t.Errorf("skills = %+v", m.Skills)
		}
		if len(m.Mobilities) != 1 || m.Mobilities[0].Code != "M1805" || m.Mobilities[0].Rank != 1 {
			t.Errorf("mobilities = %+v", m.Mobilities)
		}
		t.Run("ErrNotFound", func(t *testing.T) {
			_, err := k.Metier(ctx, "A1101")
			if !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("err = %v, want NotFound", err)
			}
		})
	})
}

func TestDataVersionChangesOnImport(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		kgtest.Load(t, c)
		k := mustKG(t, c)
		k.VersionTTL = 0
		ctx := context.Background()
		v1, err := k.DataVersion(ctx)
		if err != nil || v1 == "" {
			t.Fatal(v1, err)
		}
		v2, _ := k.DataVersion(ctx)
		if v1 != v2 {
			t.Fatalf("version moved without an import: %s → %s", v1, v2)
		}
		if err := c.Update(ctx, `PREFIX dct: <http://purl.org/dc/terms/>
DELETE { GRAPH <https://data.dataregionsud.fr/openemploi/graph/meta> { <https://data.dataregionsud.fr/openemploi/graph/dvf> dct:modified ?d } }
INSERT { GRAPH <https://data.dataregionsud.fr/openemploi/graph/meta> { <https://data.dataregionsud.fr/openemploi/graph/dvf> dct:modified "2026-12-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> } }
WHERE { GRAPH <https://data.dataregionsud.fr/openemploi/graph/meta> { <https://data.dataregionsud.fr/openemploi/graph/dvf> dct:modified ?d } }`); err != nil {
			t.Fatal(err)
		}
		v3, err := k.DataVersion(ctx)
		if err != nil || v3 == v1 {
			t.Fatalf("version did not change after an import: %s, %v", v3, err)
		}
		// a new version of a month graph going live in the same second as the last
		// import (same dct:modified) is a new data version too
		lg := vocab.DerivedMonthGraph("offres-synth", "2025-01")
		if err := c.Update(ctx, bindTest(t, `# name: swap
# param: lg iri the logical graph
# param: old iri its live version
# param: new iri its new version
PREFIX dcat: <http://www.w3.org/ns/dcat#>
DELETE DATA { GRAPH <https://data.dataregionsud.fr/openemploi/graph/meta> { $lg dcat:hasCurrentVersion $old } } ;
INSERT DATA { GRAPH <https://data.dataregionsud.fr/openemploi/graph/meta> { $lg dcat:hasCurrentVersion $new } }`,
			sparqlq.Args{"lg": lg, "old": vocab.VersionGraph(lg, kgtest.Run), "new": vocab.VersionGraph(lg, "next")})); err != nil {
			t.Fatal(err)
		}
		if v4, err := k.DataVersion(ctx); err != nil || v4 == v3 {
			t.Errorf("version did not change when a new version went live: %s, %v", v4, err)
		}
	})
}

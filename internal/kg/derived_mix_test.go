package kg

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/kg/kgtest"
	"github.com/openemploi360/openemploi/internal/sparqlq"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
	"github.com/openemploi360/openemploi/internal/vocab"
)

// TestDerivedEmployersThinned: offers-mix writes every employer of a métier in a zone
// d'emploi (one-offer employers are most of them, and the companies section ranks
// them); at the region level, every employer of a métier with at most 10, and only
// those with 2 offers or more beyond that.
func TestDerivedEmployersThinned(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		kgtest.LoadReference(t, c)
		ctx := context.Background()
		g := vocab.Graph("offres-synth", "2024-08")
		// The offers are data, written as N-Quads and loaded through the Graph Store
		// Protocol; the query that reads the aggregates is bound by sparqlq.
		var b strings.Builder
		n := 0
		offer := func(fiche, employer string) {
			n++
			o := vocab.IRI(vocab.KindOffer, fmt.Sprintf("test/%d", n))
			org := fmt.Sprintf("_:org%d", n)
			for _, q := range [][2]string{
				{"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", "<" + vocab.Property("JobOffer") + ">"},
				{"<http://schema.org/datePosted>", `"2024-08-20T09:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>`},
				{"<http://schema.org/occupationalCategory>", "<" + vocab.Metier(fiche) + ">"},
				{"<" + vocab.Property("commune") + ">", "<" + vocab.Commune("13055") + ">"},
				{"<http://schema.org/hiringOrganization>", org},
			} {
				fmt.Fprintf(&b, "<%s> %s %s <%s> .\n", o, q[0], q[1], g)
			}
			fmt.Fprintf(&b, "%s <http://schema.org/name> %q <%s> .\n", org, employer, g)
		}
		// B9999: 11 one-offer employers and one with 2 → 12 employers, only "Big" kept.
		for i := range 11 {
			offer("B9999", fmt.Sprintf("Small %d", i))
		}
		offer("B9999", "Big")
		offer("B9999", "Big")
		// B9998: 3 one-offer employers → all kept.
		for i := range 3 {
			offer("B9998", fmt.Sprintf("Few %d", i))
		}
		if err := c.LoadQuads(ctx, strings.NewReader(b.String())); err != nil {
			t.Fatal(err)
		}
		if err := kgtest.RunDerived(ctx, c); err != nil {
			t.Fatal(err)
		}
		employers := func(fiche, area string) []string {
			res, err := c.Select(ctx, bindTest(t, `# name: employers
# param: derived iri the derived graph
# param: fiche iri the fiche
# param: area iri the area
PREFIX oep: <https://data.dataregionsud.fr/openemploi/def/>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX schema: <http://schema.org/>
SELECT ?name ?n WHERE { GRAPH $derived {
  ?o qb:dataSet <https://data.dataregionsud.fr/openemploi/id/dataset/offres-employeurs> ;
     oep:occupation $fiche ; oep:refArea $area ; schema:name ?name ; oep:offerCount ?n } }`,
				sparqlq.Args{"derived": vocab.DerivedGraph, "fiche": vocab.Metier(fiche), "area": area}))
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, s := range res.Solutions() {
				out = append(out, row(s).str("name")+"="+row(s).str("n"))
			}
			sort.Strings(out)
			return out
		}
		for _, tc := range []struct {
			name, fiche, area, want string
		}{
			{"BusyRegion", "B9999", vocab.RegionIRI, "Big=2"},
			{"BusyZone", "B9999", vocab.Zone("9312"), "Big=2,Small 0=1,Small 10=1,Small 1=1,Small 2=1,Small 3=1,Small 4=1,Small 5=1,Small 6=1,Small 7=1,Small 8=1,Small 9=1"},
			{"SmallRegion", "B9998", vocab.RegionIRI, "Few 0=1,Few 1=1,Few 2=1"},
		} {
			if got := strings.Join(employers(tc.fiche, tc.area), ","); got != tc.want {
				t.Errorf("%s: employers %q, want %q", tc.name, got, tc.want)
			}
		}
	})
}

package kg

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/kg/kgtest"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
)

// TestDerivedEmployersThinned: offers-mix writes every employer of a métier × area with
// at most 10 employers, and only those with 2 offers or more beyond that.
func TestDerivedEmployersThinned(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		kgtest.Load(t, c)
		ctx := context.Background()
		const g = "https://data.dataregionsud.fr/openemploi/graph/offres-synth/2024-08"
		var b strings.Builder
		n := 0
		offer := func(fiche, employer string) {
			n++
			o := fmt.Sprintf("<https://data.dataregionsud.fr/openemploi/id/offre/test/%d>", n)
			fmt.Fprintf(&b, `%s a oep:JobOffer ; schema:datePosted "2024-08-20T09:00:00Z"^^xsd:dateTime ;
  schema:occupationalCategory <https://data.dataregionsud.fr/openemploi/id/rome/%s> ;
  oep:commune <https://data.dataregionsud.fr/openemploi/id/commune/13055> ;
  schema:hiringOrganization [ schema:name %q ] .
`, o, fiche, employer)
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
		err := c.Update(ctx, `PREFIX oep: <https://data.dataregionsud.fr/openemploi/def/>
PREFIX schema: <http://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
INSERT DATA { GRAPH <`+g+`> { `+b.String()+` } }`)
		if err != nil {
			t.Fatal(err)
		}
		if err := kgtest.RunDerived(ctx, c); err != nil {
			t.Fatal(err)
		}
		employers := func(fiche string) []string {
			res, err := c.Select(ctx, `PREFIX oep: <https://data.dataregionsud.fr/openemploi/def/>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX schema: <http://schema.org/>
SELECT ?name ?n WHERE { GRAPH <`+Derived+`> {
  ?o qb:dataSet <https://data.dataregionsud.fr/openemploi/id/dataset/offres-employeurs> ;
     oep:occupation <https://data.dataregionsud.fr/openemploi/id/rome/`+fiche+`> ;
     oep:refArea <`+Region+`> ; schema:name ?name ; oep:offerCount ?n } }`)
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
		if got := strings.Join(employers("B9999"), ","); got != "Big=2" {
			t.Errorf("busy métier: employers %q, want only Big=2", got)
		}
		if got := strings.Join(employers("B9998"), ","); got != "Few 0=1,Few 1=1,Few 2=1" {
			t.Errorf("small métier: employers %q, want all three", got)
		}
	})
}

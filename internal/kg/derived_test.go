package kg

import (
	"context"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/kg/kgtest"
	"github.com/openemploi360/openemploi/internal/sparqlq"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
	"github.com/openemploi360/openemploi/internal/vocab"
)

// TestDerivedIdempotent runs the derived aggregates a second time: the aggregates are
// replaced, not duplicated, and carry their provenance.
func TestDerivedIdempotent(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		kgtest.LoadReference(t, c)
		ctx := context.Background()
		count := func() (obs, triples, prov int) {
			res, err := c.Select(ctx, bindTest(t, `# name: count
# param: derived iri the derived graph
PREFIX qb: <http://purl.org/linked-data/cube#>
SELECT (COUNT(DISTINCT ?o) AS ?obs) (COUNT(*) AS ?t) WHERE { GRAPH $derived { ?s ?p ?x . OPTIONAL { ?s qb:dataSet ?ds BIND(?s AS ?o) } } }`,
				sparqlq.Args{"derived": vocab.DerivedGraph}))
			if err != nil {
				t.Fatal(err)
			}
			r := row(res.Solutions()[0])
			pres, err := c.Select(ctx, bindTest(t, `# name: prov
# param: derived iri the derived graph
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT (COUNT(DISTINCT ?ds) AS ?n) WHERE { GRAPH $derived { ?ds prov:wasDerivedFrom ?g ; prov:generatedAtTime ?when } }`,
				sparqlq.Args{"derived": vocab.DerivedGraph}))
			if err != nil {
				t.Fatal(err)
			}
			return r.int("obs"), r.int("t"), row(pres.Solutions()[0]).int("n")
		}
		o1, t1, p1 := count()
		if o1 == 0 || p1 != 5 {
			t.Fatalf("after the first run: %d observations, %d datasets with provenance (want 5)", o1, p1)
		}
		if err := kgtest.RunDerived(ctx, c); err != nil {
			t.Fatal(err)
		}
		o2, t2, p2 := count()
		if o1 != o2 || t1 != t2 || p1 != p2 {
			t.Errorf("second run changed the aggregates: %d/%d/%d → %d/%d/%d observations/triples/provenance", o1, t1, p1, o2, t2, p2)
		}
	})
}

// bindTest binds a test's own query (with the header of queries/*.rq) like the bank's:
// values go through sparqlq, never into the text.
func bindTest(t *testing.T, text string, args sparqlq.Args) string {
	t.Helper()
	name := strings.TrimSpace(strings.TrimPrefix(strings.SplitN(text, "\n", 2)[0], "# name:"))
	q, err := sparqlq.Parse(name+".rq", text)
	if err != nil {
		t.Fatal(err)
	}
	s, err := q.Bind(args)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

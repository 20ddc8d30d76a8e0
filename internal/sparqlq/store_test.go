package sparqlq

import (
	"context"
	"testing"

	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// TestBoundValuesOnStores sends hostile values through real parsers: each comes back
// as exactly one literal equal to the input, and no query is broken or widened.
func TestBoundValuesOnStores(t *testing.T) {
	q, err := Parse("echo.rq", `# name: echo
# param: s string
# param: l lang-string
SELECT ?x ?y (COUNT(*) AS ?n) WHERE {
  BIND($s AS ?x)
  BIND($l AS ?y)
} GROUP BY ?x ?y
`)
	if err != nil {
		t.Fatal(err)
	}
	values := []string{
		`x" . ?s ?p ?secret } #`,
		`\u0022 } DROP ALL ; #`,
		`\\u0022) } #`,
		`"""triple"""`,
		`'single' '''long'''`,
		"new\nline\rand\ttab",
		`back\slash\`,
		"Ingénieur·e « data » 日本語 🚀",
		`} UNION { GRAPH ?g { ?s ?p ?o } } #`,
		"",
	}
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		for _, v := range values {
			bound, err := q.Bind(Args{"s": v, "l": LangText{Text: v, Lang: "fr"}})
			if err != nil {
				t.Fatalf("bind %q: %v", v, err)
			}
			res, err := c.Select(context.Background(), bound)
			if err != nil {
				t.Fatalf("value %q: the store rejected the bound query: %v\n%s", v, err, bound)
			}
			sols := res.Solutions()
			if len(sols) != 1 {
				t.Fatalf("value %q: %d rows, want 1", v, len(sols))
			}
			if got := sols[0]["x"].String(); got != v {
				t.Errorf("string %q came back as %q", v, got)
			}
			if got := sols[0]["y"].String(); got != v {
				t.Errorf("lang string %q came back as %q", v, got)
			}
		}
	})
}

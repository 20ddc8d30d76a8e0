package shacl_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/ntriples"
	"github.com/openemploi360/openemploi/internal/shacl"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
)

// randomShapes mix most constraint kinds, nested shapes, inverse and sequence paths
// and three kinds of targets over a small vocabulary, so that random records hit them.
const randomShapes = `
ex:S1 sh:targetClass ex:C ;
  sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:maxCount 2 ; sh:datatype xsd:integer ; sh:minInclusive 0 ] ;
  sh:property [ sh:path ex:q ; sh:in ( 1 "a" ex:n1 ) ; sh:uniqueLang true ] ;
  sh:property [ sh:path ex:r ; sh:class ex:D ; sh:node ex:N ] ;
  sh:property [ sh:path ( ex:r ex:p ) ; sh:maxInclusive 5 ] ;
  sh:property [ sh:path ex:p ; sh:lessThan ex:q ] ;
  sh:or ( [ sh:path ex:p ; sh:minCount 2 ] [ sh:path ex:q ; sh:hasValue "a" ] ) .
ex:N a sh:NodeShape ; sh:property [ sh:path ex:p ; sh:maxCount 1 ] ; sh:not [ sh:path ex:q ; sh:minCount 1 ] .
ex:S2 sh:targetSubjectsOf ex:q ; sh:property [ sh:path [ sh:inversePath ex:r ] ; sh:maxCount 1 ] ;
  sh:property [ sh:path [ sh:alternativePath ( ex:p ex:q ) ] ; sh:nodeKind sh:Literal ; sh:languageIn ( "fr" ) ] .
ex:S3 sh:targetClass ex:D ; sh:property [ sh:path ex:p ; sh:pattern "^[0-9]$" ; sh:maxLength 1 ; sh:equals ex:q ] ;
  sh:property [ sh:path ex:r ; sh:qualifiedValueShape [ sh:datatype xsd:string ] ; sh:qualifiedMaxCount 1 ; sh:disjoint ex:q ] .
`

// randomValues are the objects records draw from.
var randomValues = []string{`0`, `1`, `-1`, `7`, `"3"`, `"a"`, `"a"@fr`, `"b"@fr`, `"a"@en`, `1.5`, `ex:n1`, `ex:n2`,
	`"2024-01-01"^^xsd:date`, `true`, `"x"^^xsd:string`}

// randomRecords writes n records of Turtle: subjects ex:s<i>, sometimes described again
// by a later record (a split), typed ex:C, ex:D or nothing, with a few values, and now
// and then a value node ex:n<k> described in the same record.
func randomRecords(rnd *rand.Rand, n int) []string {
	pick := func() string { return randomValues[rnd.IntN(len(randomValues))] }
	var out []string
	for i := 0; i < n; i++ {
		var b strings.Builder
		subj := fmt.Sprintf("ex:s%d", i)
		if i > 0 && rnd.IntN(25) == 0 {
			subj = fmt.Sprintf("ex:s%d", rnd.IntN(i))
		}
		switch rnd.IntN(3) {
		case 0:
			fmt.Fprintf(&b, "%s a ex:C .\n", subj)
		case 1:
			fmt.Fprintf(&b, "%s a ex:D .\n", subj)
		}
		for _, p := range []string{"ex:p", "ex:q"} {
			for k := rnd.IntN(3); k > 0; k-- {
				fmt.Fprintf(&b, "%s %s %s .\n", subj, p, pick())
			}
		}
		for k := rnd.IntN(3); k > 0; k-- {
			node := fmt.Sprintf("ex:v%d-%d", i, k)
			if rnd.IntN(4) == 0 {
				node = pick()
			}
			fmt.Fprintf(&b, "%s ex:r %s .\n", subj, node)
			if strings.HasPrefix(node, "ex:v") {
				if rnd.IntN(2) == 0 {
					fmt.Fprintf(&b, "%s a ex:D .\n", node)
				}
				for m := rnd.IntN(3); m > 0; m-- {
					fmt.Fprintf(&b, "%s ex:p %s .\n", node, pick())
				}
				if rnd.IntN(3) == 0 {
					fmt.Fprintf(&b, "%s ex:q %s .\n", node, pick())
				}
			}
		}
		if b.Len() == 0 {
			fmt.Fprintf(&b, "%s ex:p 1 .\n", subj)
		}
		out = append(out, b.String())
	}
	return out
}

// TestRecordsRandom compares Records with Validate on random records: the result must
// be the same, or Records must fall back; enough of the inputs must not fall back for
// the comparison to mean something.
func TestRecordsRandom(t *testing.T) {
	const datasets, perDataset = 80, 12
	s := mustParse(t, randomShapes)
	rnd := rand.New(rand.NewPCG(12, 2026))
	inputs := make([][]string, datasets)
	for i := range inputs {
		inputs[i] = randomRecords(rnd, perDataset)
	}
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		ctx := context.Background()
		other := "http://example.org/random/types"
		load(t, c, other, `ex:n1 a ex:D . ex:n2 a ex:C .`)
		compared := 0
		var reasons []string
		for i, recs := range inputs {
			g := fmt.Sprintf("http://example.org/random/%d", i)
			var all []shacl.Triple
			var parsed [][]shacl.Triple
			var where []string
			for j, ttl := range recs {
				ts := triplesOf(t, ttl, fmt.Sprintf("r%d-", j))
				parsed = append(parsed, ts)
				all = append(all, ts...)
				where = append(where, fmt.Sprintf("random-%d.ttl:/%d", i, j))
			}
			if err := c.PostGraph(ctx, g, bytes.NewReader(nTriples(all))); err != nil {
				t.Fatal(err)
			}
			r := s.Records(100000)
			for j := range parsed {
				r.Record(where[j], parsed[j])
			}
			if fb, reason := r.Fallback(); fb {
				reasons = append(reasons, reason)
				continue
			}
			compared++
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				want, err := s.Validate(ctx, c, g, 100000)
				if err != nil {
					t.Fatal(err)
				}
				deferred, err := r.CheckDeferred(ctx, c)
				if err != nil {
					t.Fatal(err)
				}
				rep := r.Report()
				sameViolations(t, want.Violations, append(rep.Violations, deferred...))
				if rep.Checked != want.Checked {
					t.Errorf("Checked = %d, Validate checked %d", rep.Checked, want.Checked)
				}
				if t.Failed() {
					t.Logf("records:\n%s", strings.Join(recs, "---\n"))
				}
			})
		}
		t.Logf("%d of %d random inputs compared, the others fell back:\n%s", compared, datasets, strings.Join(reasons, "\n"))
		if compared < datasets/2 {
			t.Errorf("only %d of %d random inputs were validated in memory", compared, datasets)
		}
	})
}

// orderProbe are literals of every category the in-memory comparisons distinguish.
var orderProbe = []ntriples.Term{
	ntriples.NewLiteral("x"), ntriples.NewLiteral("a"), ntriples.NewLang("a", "fr"), ntriples.NewLang("b", "fr"),
	ntriples.NewLang("a", "en"), ntriples.NewLang("b", "en-GB"), ntriples.NewTyped("true", xsdNS+"boolean"),
	ntriples.NewTyped("false", xsdNS+"boolean"), ntriples.NewTyped("1", xsdNS+"integer"), ntriples.NewTyped("-2", xsdNS+"integer"),
	ntriples.NewTyped("1.5", xsdNS+"decimal"), ntriples.NewTyped("1.0", xsdNS+"decimal"), ntriples.NewTyped("1e0", xsdNS+"double"),
	ntriples.NewTyped("2024-01-01", xsdNS+"date"), ntriples.NewTyped("2024-01-02Z", xsdNS+"date"),
	ntriples.NewTyped("2024-01-01T00:00:00", xsdNS+"dateTime"), ntriples.NewTyped("2024-01-01T10:00:00+02:00", xsdNS+"dateTime"),
	ntriples.NewTyped("2024-01-01T09:00:00Z", xsdNS+"dateTime"), ntriples.NewTyped("1", xsdNS+"int"),
	ntriples.NewTyped("abc", "http://example.org/dt"), ntriples.NewIRI("http://example.org/x"),
}

// TestRecordsOrderLikeStores asks each store a < b for every pair of orderProbe and
// checks the in-memory comparison answers the same wherever it does not give up.
func TestRecordsOrderLikeStores(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		var q strings.Builder
		q.WriteString("SELECT ?i ?j ?r ?re WHERE { VALUES (?i ?j ?a ?b) {\n")
		for i, a := range orderProbe {
			for j, b := range orderProbe {
				fmt.Fprintf(&q, "(%d %d %s %s)\n", i, j, a, b)
			}
		}
		q.WriteString(`} BIND(COALESCE(IF(?a < ?b, "T", "F"), "E") AS ?r) BIND(COALESCE(IF(?a <= ?b, "T", "F"), "E") AS ?re) }`)
		res, err := c.Select(context.Background(), q.String())
		if err != nil {
			t.Fatal(err)
		}
		decided := 0
		for _, row := range res.Results.Bindings {
			var i, j int
			fmt.Sscan(row["i"].Value, &i)
			fmt.Sscan(row["j"].Value, &j)
			for _, op := range []struct{ op, v string }{{"<", "r"}, {"<=", "re"}} {
				got := shacl.CompareForTest(orderProbe[i], orderProbe[j], op.op)
				if got == "unsure" {
					continue
				}
				decided++
				if want := map[string]string{"T": "true", "F": "false", "E": "error"}[row[op.v].Value]; got != want {
					t.Errorf("%s %s %s: the store says %s, Records %s", orderProbe[i], op.op, orderProbe[j], want, got)
				}
			}
		}
		if decided < len(orderProbe)*len(orderProbe) {
			t.Errorf("only %d pairs decided in memory", decided)
		}
	})
}

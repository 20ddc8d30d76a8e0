package shacl_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/knakk/sparql"

	"github.com/openemploi360/openemploi/internal/shacl"
)

func TestParseRefuses(t *testing.T) {
	cases := []struct {
		name, shapes, want string
	}{
		{"closed", `ex:S sh:targetClass ex:C ; sh:closed true .`, "sh:closed is not supported"},
		{"sparql", `ex:S sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT ?this WHERE {}" ] .`, "sh:sparql is not supported"},
		{"unknownParameter", `ex:S sh:targetClass ex:C ; sh:minCont 1 .`, "unknown SHACL parameter sh:minCont"},
		{"badPattern", `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:pattern "([a-z" ] .`, "sh:pattern"},
		{"minCountWithoutPath", `ex:S sh:targetClass ex:C ; sh:minCount 1 .`, "sh:minCount needs sh:path"},
		{"negativeCount", `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:maxCount -1 ] .`, "non-negative integer"},
		{"recursive", `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:node ex:S ] .`, "refers to itself"},
		{"badSeverity", `ex:S sh:targetClass ex:C ; sh:severity sh:Fatal .`, "unknown sh:severity"},
		{"literalTargetClass", `ex:S sh:targetClass "ex:C" .`, "sh:targetClass must be an IRI"},
		{"badNodeKind", `ex:S sh:targetClass ex:C ; sh:nodeKind sh:Iri .`, "unknown sh:nodeKind"},
		{"propertyWithoutPath", `ex:S sh:targetClass ex:C ; sh:property [ sh:minCount 1 ] .`, "needs sh:path"},
		{"badLanguageIn", `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:languageIn ( "fr fr" ) ] .`, "not a language tag"},
		{"emptyOr", `ex:S sh:targetClass ex:C ; sh:or () .`, "empty list"},
		{"turtleSyntax", `ex:S sh:targetClass ex:C ; .. .`, "parse Turtle"},
		{"qualifiedWithoutCount", `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:datatype xsd:string ] ] .`, "without sh:qualifiedMinCount"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := shacl.Parse(strings.NewReader(prefixes + tc.shapes))
			if err == nil {
				t.Fatalf("Parse accepted %s", tc.shapes)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

// countingQuerier answers every query with an empty result, or fails.
type countingQuerier struct {
	n    atomic.Int32
	fail error
}

func (q *countingQuerier) Select(ctx context.Context, query string) (*sparql.Results, error) {
	q.n.Add(1)
	if q.fail != nil {
		return nil, q.fail
	}
	return sparql.ParseJSON(strings.NewReader(`{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal","value":"1"}}]}}`))
}

func TestValidateRefusesBadGraphIRI(t *testing.T) {
	s := mustParse(t, `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .`)
	for _, g := range []string{"", "relative/graph", "http://example.org/a b", "http://example.org/x> } DROP ALL { <y"} {
		q := &countingQuerier{}
		if _, err := s.Validate(context.Background(), q, g, 0); err == nil {
			t.Errorf("graph %q accepted", g)
		}
		if q.n.Load() != 0 {
			t.Errorf("graph %q: %d queries sent", g, q.n.Load())
		}
	}
}

func TestValidateReportsStoreErrors(t *testing.T) {
	s := mustParse(t, `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .`)
	boom := errors.New("store down")
	_, err := s.Validate(context.Background(), &countingQuerier{fail: boom}, "http://example.org/g", 0)
	if !errors.Is(err, boom) {
		t.Fatalf("error %v does not wrap the store's", err)
	}
	if !strings.Contains(err.Error(), "ex:S") && !strings.Contains(err.Error(), "example.org/S") {
		t.Errorf("error %q does not name the shape", err)
	}
}

func TestLiteralsAreEscaped(t *testing.T) {
	s := mustParse(t, `ex:S sh:targetNode "x\" } } DROP ALL ; SELECT * { \\u0022" ;
		sh:property [ sh:path ex:p ; sh:in ( "a\"b" "line\nbreak" ) ] .`)
	qs, err := s.Queries("http://example.org/g", 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		if !strings.Contains(q.SPARQL, `VALUES ?focus { "x\" } } DROP ALL ; SELECT * { \\u0022" }`) {
			t.Errorf("target literal not escaped:\n%s", q.SPARQL)
		}
		if q.Constraint == "sh:in" && (!strings.Contains(q.SPARQL, `"a\"b"`) || !strings.Contains(q.SPARQL, `"line\nbreak"`)) {
			t.Errorf("sh:in literals not escaped:\n%s", q.SPARQL)
		}
	}
}

func TestDefaultShapesAreComplete(t *testing.T) {
	s, err := shacl.Default()
	if err != nil {
		t.Fatal(err)
	}
	targeted := map[string]bool{}
	for _, n := range s.Targeted() {
		targeted[n] = true
	}
	for _, want := range []string{"oesh:Occupation", "oesh:Appellation", "oesh:Skill", "oesh:JobOffer",
		"oesh:MonetaryAmount", "oesh:Training", "oesh:TrainingSession", "oesh:Organization", "oesh:Commune",
		"oesh:ZoneDEmploi2020", "oesh:Observation", "oesh:GraphDescription"} {
		if !targeted[want] {
			t.Errorf("no targeted shape %s", want)
		}
	}
	qs, err := s.Queries(graphNS+"staging/x", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		// Every constraint has a message written for people, naming the field.
		if strings.Contains(q.Message, "does not satisfy") {
			t.Errorf("%s %s %s has no sh:message", q.Shape, q.Path, q.Constraint)
		}
		if q.Path != "" && !strings.Contains(q.Message, q.Path) {
			t.Errorf("%s %s %s: message %q does not name the field", q.Shape, q.Path, q.Constraint, q.Message)
		}
		if !strings.Contains(q.SPARQL, "LIMIT 101") {
			t.Errorf("%s %s %s: query has no LIMIT", q.Shape, q.Path, q.Constraint)
		}
	}
}

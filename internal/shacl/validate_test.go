package shacl_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/knakk/rdf"

	"github.com/openemploi360/openemploi/internal/shacl"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

const prefixes = `
@prefix ex:     <http://example.org/> .
@prefix sh:     <http://www.w3.org/ns/shacl#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf:    <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
`

// toNTriples converts a Turtle snippet (with the test prefixes) to N-Triples.
func toNTriples(tb testing.TB, ttl string) string {
	tb.Helper()
	dec := rdf.NewTripleDecoder(strings.NewReader(prefixes+ttl), rdf.Turtle)
	var b strings.Builder
	for {
		t, err := dec.Decode()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			tb.Fatalf("test data does not parse: %v\n%s", err, ttl)
		}
		b.WriteString(t.Serialize(rdf.NTriples))
	}
	return b.String()
}

func load(tb testing.TB, c *store.Client, graph, ttl string) {
	tb.Helper()
	nt := toNTriples(tb, ttl)
	if nt == "" {
		return // an empty graph is an absent graph
	}
	if err := c.PostGraph(context.Background(), graph, strings.NewReader(nt)); err != nil {
		tb.Fatalf("load %s: %v", graph, err)
	}
}

func mustParse(tb testing.TB, ttl string) *shacl.Shapes {
	tb.Helper()
	s, err := shacl.Parse(strings.NewReader(prefixes + ttl))
	if err != nil {
		tb.Fatalf("Parse: %v\n%s", err, ttl)
	}
	return s
}

// constraintCase is one constraint kind with a graph that conforms and one that does
// not. other is loaded into a second named graph (types, subclass axioms) for both.
type constraintCase struct {
	name       string
	shapes     string
	good, bad  string
	other      string
	constraint string // expected Constraint of the bad graph's violations
	focus      string // expected focus of the first violation
	value      string // expected value of the first violation, when set
	severity   string // expected severity, Violation when empty
}

var constraintCases = []constraintCase{
	{
		name:       "minCount",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .`,
		good:       `ex:a a ex:C ; ex:p 1 .`,
		bad:        `ex:a a ex:C ; ex:q 1 .`,
		constraint: "sh:minCount", focus: "http://example.org/a",
	},
	{
		name:       "maxCount",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:maxCount 1 ] .`,
		good:       `ex:a a ex:C ; ex:p 1 .`,
		bad:        `ex:a a ex:C ; ex:p 1 , 2 .`,
		constraint: "sh:maxCount", focus: "http://example.org/a",
	},
	{
		name:       "minCountLargeUsesAggregate",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 5 ] .`,
		good:       `ex:a a ex:C ; ex:p 1 , 2 , 3 , 4 , 5 .`,
		bad:        `ex:a a ex:C ; ex:p 1 , 2 , 3 , 4 .`,
		constraint: "sh:minCount", focus: "http://example.org/a", value: `"4"^^<http://www.w3.org/2001/XMLSchema#integer>`,
	},
	{
		name:       "datatype",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:datatype xsd:integer ] .`,
		good:       `ex:a a ex:C ; ex:p 12 .`,
		bad:        `ex:a a ex:C ; ex:p "12" .`,
		constraint: "sh:datatype", focus: "http://example.org/a", value: `"12"`,
	},
	{
		name:       "datatypeIllFormed",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:datatype xsd:decimal ] .`,
		good:       `ex:a a ex:C ; ex:p 12.5 .`,
		bad:        `ex:a a ex:C ; ex:p "12,5"^^xsd:decimal .`,
		constraint: "sh:datatype", focus: "http://example.org/a",
	},
	{
		name:       "datatypeLangString",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:datatype rdf:langString ] .`,
		good:       `ex:a a ex:C ; ex:p "maçon"@fr .`,
		bad:        `ex:a a ex:C ; ex:p "maçon" .`,
		constraint: "sh:datatype", focus: "http://example.org/a",
	},
	{
		name:       "classInAnotherGraph",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:class ex:K ] .`,
		good:       `ex:a a ex:C ; ex:p ex:k1 , ex:k2 .`,
		bad:        `ex:a a ex:C ; ex:p ex:k3 .`,
		other:      `ex:k1 a ex:K . ex:k2 a ex:Sub . ex:Sub rdfs:subClassOf ex:Mid . ex:Mid rdfs:subClassOf ex:K . ex:k3 a ex:Other .`,
		constraint: "sh:class", focus: "http://example.org/a", value: "<http://example.org/k3>",
	},
	{
		name:       "nodeKind",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:nodeKind sh:IRI ] .`,
		good:       `ex:a a ex:C ; ex:p ex:x .`,
		bad:        `ex:a a ex:C ; ex:p "http://example.org/x" .`,
		constraint: "sh:nodeKind", focus: "http://example.org/a",
	},
	{
		name:       "nodeKindBlankNodeOrIRI",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:nodeKind sh:BlankNodeOrIRI ] .`,
		good:       `ex:a a ex:C ; ex:p ex:x , [ ex:q 1 ] .`,
		bad:        `ex:a a ex:C ; ex:p 1 .`,
		constraint: "sh:nodeKind", focus: "http://example.org/a",
	},
	{
		name:       "patternWithFlags",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:pattern "^a[0-9]+$" ; sh:flags "i" ] .`,
		good:       `ex:a a ex:C ; ex:p "A12" , "a3" .`,
		bad:        `ex:a a ex:C ; ex:p "b1" .`,
		constraint: "sh:pattern", focus: "http://example.org/a", value: `"b1"`,
	},
	{
		name:       "patternWithBackslash",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:pattern "^[0-9]{2}\\.[0-9]{2}[A-Z]$" ] .`,
		good:       `ex:a a ex:C ; ex:p "62.01Z" .`,
		bad:        `ex:a a ex:C ; ex:p "6201Z" .`,
		constraint: "sh:pattern", focus: "http://example.org/a",
	},
	{
		name:       "minInclusive",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minInclusive 0 ] .`,
		good:       `ex:a a ex:C ; ex:p 0 , 2.5 .`,
		bad:        `ex:a a ex:C ; ex:p -1 .`,
		constraint: "sh:minInclusive", focus: "http://example.org/a",
	},
	{
		name:       "minInclusiveIncomparable",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minInclusive 0 ] .`,
		good:       `ex:a a ex:C ; ex:p 1 .`,
		bad:        `ex:a a ex:C ; ex:p "abc" .`,
		constraint: "sh:minInclusive", focus: "http://example.org/a",
	},
	{
		name:       "maxExclusive",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:maxExclusive 10 ] .`,
		good:       `ex:a a ex:C ; ex:p 9.99 .`,
		bad:        `ex:a a ex:C ; ex:p 10 .`,
		constraint: "sh:maxExclusive", focus: "http://example.org/a",
	},
	{
		name:       "minExclusive",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minExclusive 0 ] .`,
		good:       `ex:a a ex:C ; ex:p 0.01 .`,
		bad:        `ex:a a ex:C ; ex:p 0 .`,
		constraint: "sh:minExclusive", focus: "http://example.org/a",
	},
	{
		name:       "maxInclusiveDates",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:maxInclusive "2025-12-31"^^xsd:date ] .`,
		good:       `ex:a a ex:C ; ex:p "2025-12-31"^^xsd:date .`,
		bad:        `ex:a a ex:C ; ex:p "2026-01-01"^^xsd:date .`,
		constraint: "sh:maxInclusive", focus: "http://example.org/a",
	},
	{
		name:       "minLength",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minLength 2 ] .`,
		good:       `ex:a a ex:C ; ex:p "ab" .`,
		bad:        `ex:a a ex:C ; ex:p "a" .`,
		constraint: "sh:minLength", focus: "http://example.org/a",
	},
	{
		name:       "maxLength",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:maxLength 3 ] .`,
		good:       `ex:a a ex:C ; ex:p "été" .`,
		bad:        `ex:a a ex:C ; ex:p "abcd" .`,
		constraint: "sh:maxLength", focus: "http://example.org/a",
	},
	{
		name:       "in",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:in ( "MONTH" "YEAR" ex:x 1 ) ] .`,
		good:       `ex:a a ex:C ; ex:p "MONTH" , ex:x , 1 .`,
		bad:        `ex:a a ex:C ; ex:p "month" .`,
		constraint: "sh:in", focus: "http://example.org/a", value: `"month"`,
	},
	{
		name:       "hasValue",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:hasValue ex:v ] .`,
		good:       `ex:a a ex:C ; ex:p ex:v , ex:w .`,
		bad:        `ex:a a ex:C ; ex:p ex:w .`,
		constraint: "sh:hasValue", focus: "http://example.org/a",
	},
	{
		name:       "uniqueLang",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:uniqueLang true ] .`,
		good:       `ex:a a ex:C ; ex:p "a"@fr , "a"@en , "x" , "y" .`,
		bad:        `ex:a a ex:C ; ex:p "a"@fr , "b"@fr .`,
		constraint: "sh:uniqueLang", focus: "http://example.org/a",
	},
	{
		name:       "languageIn",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:languageIn ( "fr" ) ] .`,
		good:       `ex:a a ex:C ; ex:p "a"@fr , "b"@fr-CA .`,
		bad:        `ex:a a ex:C ; ex:p "a"@en .`,
		constraint: "sh:languageIn", focus: "http://example.org/a", value: `"a"@en`,
	},
	{
		name:       "lessThan",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:lessThan ex:q ] .`,
		good:       `ex:a a ex:C ; ex:p 1 ; ex:q 2 .`,
		bad:        `ex:a a ex:C ; ex:p 2 ; ex:q 2 .`,
		constraint: "sh:lessThan", focus: "http://example.org/a",
	},
	{
		name:       "lessThanOrEqualsDates",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:start ; sh:lessThanOrEquals ex:end ] .`,
		good:       `ex:a a ex:C ; ex:start "2025-01-01"^^xsd:date ; ex:end "2025-01-01"^^xsd:date .`,
		bad:        `ex:a a ex:C ; ex:start "2025-02-01"^^xsd:date ; ex:end "2025-01-01"^^xsd:date .`,
		constraint: "sh:lessThanOrEquals", focus: "http://example.org/a",
	},
	{
		name:       "equals",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:equals ex:q ] .`,
		good:       `ex:a a ex:C ; ex:p 1 ; ex:q 1 .`,
		bad:        `ex:a a ex:C ; ex:p 1 ; ex:q 1 , 2 .`,
		constraint: "sh:equals", focus: "http://example.org/a",
	},
	{
		name:       "disjoint",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:disjoint ex:q ] .`,
		good:       `ex:a a ex:C ; ex:p 1 ; ex:q 2 .`,
		bad:        `ex:a a ex:C ; ex:p 1 ; ex:q 1 .`,
		constraint: "sh:disjoint", focus: "http://example.org/a",
	},
	{
		name: "or",
		shapes: `ex:S sh:targetClass ex:C ;
			sh:or ( [ sh:path ex:p ; sh:minCount 1 ] [ sh:path ex:q ; sh:minCount 1 ] ) .`,
		good:       `ex:a a ex:C ; ex:q 1 . ex:b a ex:C ; ex:p 1 .`,
		bad:        `ex:a a ex:C ; ex:r 1 .`,
		constraint: "sh:or", focus: "http://example.org/a",
	},
	{
		name: "and",
		shapes: `ex:S sh:targetClass ex:C ;
			sh:and ( [ sh:path ex:p ; sh:minCount 1 ] [ sh:path ex:q ; sh:minCount 1 ] ) .`,
		good:       `ex:a a ex:C ; ex:p 1 ; ex:q 1 .`,
		bad:        `ex:a a ex:C ; ex:p 1 .`,
		constraint: "sh:and", focus: "http://example.org/a",
	},
	{
		name:       "not",
		shapes:     `ex:S sh:targetClass ex:C ; sh:not [ sh:path ex:p ; sh:minCount 1 ] .`,
		good:       `ex:a a ex:C ; ex:q 1 .`,
		bad:        `ex:a a ex:C ; ex:p 1 .`,
		constraint: "sh:not", focus: "http://example.org/a",
	},
	{
		name: "xone",
		shapes: `ex:S sh:targetClass ex:C ;
			sh:xone ( [ sh:path ex:p ; sh:minCount 1 ] [ sh:path ex:q ; sh:minCount 1 ] ) .`,
		good:       `ex:a a ex:C ; ex:p 1 .`,
		bad:        `ex:a a ex:C ; ex:p 1 ; ex:q 1 .`,
		constraint: "sh:xone", focus: "http://example.org/a",
	},
	{
		name: "orOfDatatypesOnValues",
		shapes: `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ;
			sh:or ( [ sh:datatype xsd:integer ] [ sh:datatype xsd:decimal ] ) ] .`,
		good:       `ex:a a ex:C ; ex:p 1 , 1.5 .`,
		bad:        `ex:a a ex:C ; ex:p "1.5" .`,
		constraint: "sh:or", focus: "http://example.org/a", value: `"1.5"`,
	},
	{
		name: "node",
		shapes: `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:r ; sh:node ex:N ] .
			ex:N a sh:NodeShape ; sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:integer ] ;
			sh:property [ sh:path ex:p ; sh:lessThanOrEquals ex:q ] .`,
		good:       `ex:a a ex:C ; ex:r [ ex:p 1 ; ex:q 2 ] .`,
		bad:        `ex:a a ex:C ; ex:r [ ex:p 3 ; ex:q 2 ] .`,
		constraint: "sh:node", focus: "http://example.org/a",
	},
	{
		name: "qualifiedMinCount",
		shapes: `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:label ;
			sh:qualifiedValueShape [ sh:languageIn ( "fr" ) ] ; sh:qualifiedMinCount 1 ; sh:qualifiedMaxCount 1 ] .`,
		good:       `ex:a a ex:C ; ex:label "maçon"@fr , "mason"@en .`,
		bad:        `ex:a a ex:C ; ex:label "mason"@en .`,
		constraint: "sh:qualifiedMinCount", focus: "http://example.org/a",
	},
	{
		name: "qualifiedMaxCount",
		shapes: `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:label ;
			sh:qualifiedValueShape [ sh:languageIn ( "fr" ) ] ; sh:qualifiedMaxCount 1 ] .`,
		good:       `ex:a a ex:C ; ex:label "maçon"@fr , "mason"@en , "Maurer"@de .`,
		bad:        `ex:a a ex:C ; ex:label "maçon"@fr , "maçonne"@fr-FR .`,
		constraint: "sh:qualifiedMaxCount", focus: "http://example.org/a",
	},
	{
		name:       "inversePath",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path [ sh:inversePath ex:has ] ; sh:minCount 1 ] .`,
		good:       `ex:a a ex:C . ex:owner ex:has ex:a .`,
		bad:        `ex:a a ex:C ; ex:has ex:owner .`,
		constraint: "sh:minCount", focus: "http://example.org/a",
	},
	{
		name:       "sequencePath",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path ( ex:p ex:q ) ; sh:datatype xsd:integer ] .`,
		good:       `ex:a a ex:C ; ex:p [ ex:q 1 ] .`,
		bad:        `ex:a a ex:C ; ex:p [ ex:q "x" ] .`,
		constraint: "sh:datatype", focus: "http://example.org/a", value: `"x"`,
	},
	{
		name:       "alternativePath",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path [ sh:alternativePath ( ex:p ex:q ) ] ; sh:maxCount 1 ] .`,
		good:       `ex:a a ex:C ; ex:p 1 .`,
		bad:        `ex:a a ex:C ; ex:p 1 ; ex:q 2 .`,
		constraint: "sh:maxCount", focus: "http://example.org/a",
	},
	{
		name:       "zeroOrMorePath",
		shapes:     `ex:S sh:targetClass ex:C ; sh:property [ sh:path [ sh:zeroOrMorePath ex:next ] ; sh:class ex:C ] .`,
		good:       `ex:a a ex:C ; ex:next ex:b . ex:b a ex:C .`,
		bad:        `ex:a a ex:C ; ex:next ex:b . ex:b ex:next ex:c .`,
		constraint: "sh:class", focus: "http://example.org/a", value: "<http://example.org/c>",
	},
	{
		name:       "targetNode",
		shapes:     `ex:S sh:targetNode ex:n ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .`,
		good:       `ex:n ex:p 1 .`,
		bad:        `ex:m ex:p 1 .`,
		constraint: "sh:minCount", focus: "http://example.org/n",
	},
	{
		name:       "targetSubjectsOf",
		shapes:     `ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:datatype xsd:integer ] .`,
		good:       `ex:a ex:p 1 , 2 .`,
		bad:        `ex:a ex:p 1 , "2" .`,
		constraint: "sh:datatype", focus: "http://example.org/a",
	},
	{
		name:       "targetObjectsOf",
		shapes:     `ex:S sh:targetObjectsOf ex:p ; sh:nodeKind sh:IRI .`,
		good:       `ex:a ex:p ex:b .`,
		bad:        `ex:a ex:p "b" .`,
		constraint: "sh:nodeKind",
	},
	{
		name:       "nodeShapeHasValue",
		shapes:     `ex:S sh:targetObjectsOf ex:scheme ; sh:hasValue ex:rome .`,
		good:       `ex:a ex:scheme ex:rome .`,
		bad:        `ex:a ex:scheme ex:naf .`,
		constraint: "sh:hasValue", focus: "http://example.org/naf",
	},
	{
		name: "severityWarning",
		shapes: `ex:S sh:targetClass ex:C ;
			sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:severity sh:Warning ; sh:message "C: ex:p is missing" ] .`,
		good:       `ex:a a ex:C ; ex:p 1 .`,
		bad:        `ex:a a ex:C .`,
		constraint: "sh:minCount", focus: "http://example.org/a", severity: shacl.SeverityWarning,
	},
	{
		name:       "blankFocusNamesItsParent",
		shapes:     `ex:S sh:targetClass ex:Money ; sh:property [ sh:path ex:min ; sh:lessThanOrEquals ex:max ] .`,
		good:       `ex:offer ex:salary [ a ex:Money ; ex:min 1 ; ex:max 2 ] .`,
		bad:        `ex:offer ex:salary [ a ex:Money ; ex:min 3 ; ex:max 2 ] .`,
		constraint: "sh:lessThanOrEquals",
	},
}

func TestConstraints(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		ctx := context.Background()
		for i, tc := range constraintCases {
			base := fmt.Sprintf("http://example.org/graph/%d/", i)
			load(t, c, base+"good", tc.good)
			load(t, c, base+"bad", tc.bad)
			load(t, c, base+"other", tc.other)
		}
		for i, tc := range constraintCases {
			t.Run(tc.name, func(t *testing.T) {
				s := mustParse(t, tc.shapes)
				base := fmt.Sprintf("http://example.org/graph/%d/", i)

				good, err := s.Validate(ctx, c, base+"good", 10)
				if err != nil {
					t.Fatalf("Validate good: %v", err)
				}
				if !good.Conforms || len(good.Violations) != 0 {
					t.Errorf("good graph: Conforms=%v, violations %v", good.Conforms, good.Violations)
				}
				if good.Checked == 0 {
					t.Errorf("good graph: no focus node checked")
				}

				bad, err := s.Validate(ctx, c, base+"bad", 10)
				if err != nil {
					t.Fatalf("Validate bad: %v", err)
				}
				if len(bad.Violations) == 0 {
					t.Fatalf("bad graph: no violation reported")
				}
				v := bad.Violations[0]
				if v.Constraint != tc.constraint {
					t.Errorf("bad graph: constraint %s, want %s (%v)", v.Constraint, tc.constraint, bad.Violations)
				}
				if tc.focus != "" && v.Focus != tc.focus {
					t.Errorf("bad graph: focus %s, want %s", v.Focus, tc.focus)
				}
				if tc.value != "" && v.Value != tc.value {
					t.Errorf("bad graph: value %s, want %s", v.Value, tc.value)
				}
				wantSev := tc.severity
				if wantSev == "" {
					wantSev = shacl.SeverityViolation
				}
				if v.Severity != wantSev {
					t.Errorf("bad graph: severity %s, want %s", v.Severity, wantSev)
				}
				if bad.Conforms != (wantSev != shacl.SeverityViolation) {
					t.Errorf("bad graph: Conforms=%v with a %s", bad.Conforms, wantSev)
				}
				if strings.HasPrefix(v.Focus, "_:") && (v.Parent != "http://example.org/offer" || v.ParentProperty != "<http://example.org/salary>") {
					t.Errorf("blank focus %s: parent %q %q, want the offer", v.Focus, v.Parent, v.ParentProperty)
				}
			})
		}
	})
}

func TestDeactivatedAndTruncated(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		ctx := context.Background()
		var data bytes.Buffer
		for i := 0; i < 7; i++ {
			fmt.Fprintf(&data, "ex:a%d a ex:C .\n", i)
		}
		g := "http://example.org/graph/many"
		load(t, c, g, data.String())

		s := mustParse(t, `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .`)
		rep, err := s.Validate(ctx, c, g, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Violations) != 3 || !rep.Truncated || rep.Checked != 7 || rep.Conforms {
			t.Errorf("limit 3 over 7 violations: got %d violations, truncated=%v, checked=%d, conforms=%v",
				len(rep.Violations), rep.Truncated, rep.Checked, rep.Conforms)
		}
		rep, err = s.Validate(ctx, c, g, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Violations) != 7 || rep.Truncated {
			t.Errorf("default limit: got %d violations, truncated=%v; want 7, false", len(rep.Violations), rep.Truncated)
		}

		off := mustParse(t, `ex:S sh:targetClass ex:C ; sh:deactivated true ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .
			ex:T sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:deactivated true ] .`)
		rep, err = off.Validate(ctx, c, g, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Conforms || len(rep.Violations) != 0 {
			t.Errorf("deactivated shapes reported %v", rep.Violations)
		}

		// A graph with none of the targeted classes costs one count query per shape.
		rep, err = s.Validate(ctx, c, "http://example.org/graph/empty", 0)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Conforms || rep.Checked != 0 || rep.Queries != 1 {
			t.Errorf("empty graph: conforms=%v checked=%d queries=%d; want true, 0, 1", rep.Conforms, rep.Checked, rep.Queries)
		}
	})
}

package shacl_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/knakk/rdf"
	"github.com/knakk/sparql"

	"github.com/openemploi360/openemploi/internal/ntriples"
	"github.com/openemploi360/openemploi/internal/shacl"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
)

// recordCase is a differential case: the records are validated one by one with
// Records (then CheckDeferred) and, loaded together into one graph, with Validate; both
// must find the same violations, or Records must fall back.
type recordCase struct {
	name     string
	shapes   string
	records  []string // Turtle of each record, with the test prefixes
	other    string   // loaded into another graph (types, subclass axioms)
	fallback string   // when set, Records must fall back with a reason containing it
}

var recordCases = []recordCase{
	{
		name:    "maxCountLargeReportsTheCount",
		shapes:  `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:maxCount 4 ] .`,
		records: []string{`ex:a a ex:C ; ex:p 1 , 2 , 3 , 4 , 5 .`, `ex:b a ex:C ; ex:p 1 , 2 , 3 , 4 .`},
	},
	{
		name:    "minCountLargeCountsZero",
		shapes:  `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 4 ] .`,
		records: []string{`ex:a a ex:C .`, `ex:b a ex:C ; ex:p 1 , 2 , 3 , 4 .`},
	},
	{
		name:    "minCountTwoDistinctValues",
		shapes:  `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 2 ; sh:maxCount 2 ] .`,
		records: []string{`ex:a a ex:C ; ex:p 1 .`, `ex:b a ex:C ; ex:p 1 , "1" .`, `ex:c a ex:C ; ex:p 1 , 2, 3 .`},
	},
	{
		name:    "nodeShapeHasValueAndEquals",
		shapes:  `ex:S sh:targetSubjectsOf ex:p ; sh:hasValue ex:a ; sh:equals ex:same .`,
		records: []string{`ex:a ex:p 1 ; ex:same ex:a .`, `ex:b ex:p 1 ; ex:same ex:b , ex:a .`, `ex:c ex:p 1 .`},
	},
	{
		name: "propertyOfAPropertyShape",
		shapes: `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:salary ;
			sh:property [ sh:path ex:min ; sh:datatype xsd:integer ; sh:minCount 1 ] ] .`,
		records: []string{`ex:a a ex:C ; ex:salary [ ex:min 1 ] , [ ex:min "x" ] , [ ex:max 1 ] .`},
	},
	{
		name: "nestedClassTypedInTheRecord",
		shapes: `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:r ; sh:node ex:N ] .
			ex:N a sh:NodeShape ; sh:class ex:K ; sh:property [ sh:path ex:q ; sh:minCount 1 ] .`,
		records: []string{`ex:a a ex:C ; ex:r ex:k . ex:k a ex:K ; ex:q 1 .`, `ex:b a ex:C ; ex:r ex:l . ex:l a ex:K .`},
	},
	{
		name: "nestedClassUntypedFallsBack",
		shapes: `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:r ;
			sh:or ( [ sh:class ex:K ] [ sh:datatype xsd:string ] ) ] .`,
		records:  []string{`ex:a a ex:C ; ex:r ex:k .`},
		other:    `ex:k a ex:K .`,
		fallback: "nested",
	},
	{
		name:    "classOnLiteralAndSubclassInRecord",
		shapes:  `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:class ex:K ] .`,
		records: []string{`ex:a a ex:C ; ex:p "k" , ex:k . ex:k a ex:Sub . ex:Sub rdfs:subClassOf ex:K .`},
	},
	{
		name:    "classDeferredToTheStore",
		shapes:  `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:class ex:K ] .`,
		records: []string{`ex:a a ex:C ; ex:p ex:k1 , ex:gone .`, `ex:b a ex:C ; ex:p ex:k2 , ex:k1 .`, `ex:c a ex:C ; ex:p ex:gone2 .`},
		other:   `ex:k1 a ex:K . ex:k2 a ex:Sub . ex:Sub rdfs:subClassOf ex:K .`,
	},
	{
		name:    "nodeLevelClassDeferred",
		shapes:  `ex:S sh:targetSubjectsOf ex:p ; sh:class ex:K .`,
		records: []string{`ex:a ex:p 1 .`, `ex:b ex:p 1 .`},
		other:   `ex:a a ex:K .`,
	},
	{
		name:    "sharedSubjectNotReadIsFine",
		shapes:  `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:scheme ; sh:hasValue ex:scheme ; sh:maxCount 1 ] .`,
		records: []string{`ex:a a ex:C ; ex:scheme ex:scheme . ex:scheme a ex:Scheme .`, `ex:b a ex:C ; ex:scheme ex:scheme , ex:other . ex:scheme a ex:Scheme .`},
	},
	{
		name:     "focusSplitAcrossRecords",
		shapes:   `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:maxCount 1 ] .`,
		records:  []string{`ex:a a ex:C ; ex:p 1 .`, `ex:a ex:p 2 .`},
		fallback: "also described by an earlier record",
	},
	{
		name:     "focusTypedInALaterRecord",
		shapes:   `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .`,
		records:  []string{`ex:a ex:p 1 .`, `ex:a a ex:C .`},
		fallback: "also described by an earlier record",
	},
	{
		name: "valueNodeDescribedElsewhere",
		shapes: `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:r ; sh:node ex:N ] .
			ex:N a sh:NodeShape ; sh:property [ sh:path ex:q ; sh:minCount 1 ] .`,
		records:  []string{`ex:a a ex:C ; ex:r ex:v .`, `ex:v ex:q 1 .`},
		fallback: "also described by an earlier record",
	},
	{
		name:     "inversePathSplit",
		shapes:   `ex:S sh:targetClass ex:C ; sh:property [ sh:path [ sh:inversePath ex:has ] ; sh:minCount 1 ] .`,
		records:  []string{`ex:a a ex:C .`, `ex:o ex:has ex:a .`},
		fallback: "backwards",
	},
	{
		name:    "inverseSequenceAndOneOrMore",
		shapes:  `ex:S sh:targetClass ex:C ; sh:property [ sh:path ( [ sh:inversePath ex:has ] [ sh:oneOrMorePath ex:next ] ) ; sh:datatype xsd:integer ] .`,
		records: []string{`ex:a a ex:C . ex:o ex:has ex:a ; ex:next ex:n1 . ex:n1 ex:next 1 , "x" .`},
	},
	{
		name:    "zeroOrOnePath",
		shapes:  `ex:S sh:targetClass ex:C ; sh:property [ sh:path [ sh:zeroOrOnePath ex:p ] ; sh:nodeKind sh:IRI ] .`,
		records: []string{`ex:a a ex:C ; ex:p ex:b , "lit" .`},
	},
	{
		name:     "targetNodeFallsBack",
		shapes:   `ex:S sh:targetNode ex:n ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .`,
		records:  []string{`ex:m ex:p 1 .`},
		fallback: "sh:targetNode",
	},
	{
		name:     "targetObjectsOfFallsBack",
		shapes:   `ex:S sh:targetObjectsOf ex:p ; sh:nodeKind sh:IRI .`,
		records:  []string{`ex:a ex:q 1 .`, `ex:a2 ex:p "b" .`},
		fallback: "sh:targetObjectsOf",
	},
	{
		name: "orderedComparisons",
		shapes: `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minExclusive 0.1 ] ;
			sh:property [ sh:path ex:d ; sh:maxInclusive "2025-12-31"^^xsd:date ] ; sh:property [ sh:path ex:lo ; sh:lessThan ex:hi ] .`,
		records: []string{`ex:a a ex:C ; ex:p 0.10000000000000001 , "1e0"^^xsd:double , 0.1 , "abc" , ex:iri , 1 ;
			ex:d "2025-12-31"^^xsd:date , "2026-01-01"^^xsd:date , 3 ; ex:lo 1 , "a" ; ex:hi 2 , "b" .`},
	},
	{
		name:     "decimalsBeyondWhatStoresHoldFallBack",
		shapes:   `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minExclusive 0.1 ] .`,
		records:  []string{`ex:a a ex:C ; ex:p 0.1000000000000000000001 .`},
		fallback: "sh:minExclusive",
	},
	{
		name:     "dateTimeWithAndWithoutZoneFallsBack",
		shapes:   `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:start ; sh:lessThanOrEquals ex:end ] .`,
		records:  []string{`ex:a a ex:C ; ex:start "2025-01-01T00:00:00Z"^^xsd:dateTime ; ex:end "2025-01-01T10:00:00"^^xsd:dateTime .`},
		fallback: "sh:lessThanOrEquals",
	},
	{
		name:    "patternsAndLengths",
		shapes:  `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:pattern "^[a-zé]+$" ; sh:maxLength 4 ] .`,
		records: []string{`ex:a a ex:C ; ex:p "été" , "ab1" , "abcde" , ex:x .`},
	},
	{
		name:     "unicodeClassOnNonASCIIFallsBack",
		shapes:   `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:pattern "^\\w+$" ] .`,
		records:  []string{`ex:a a ex:C ; ex:p "été" .`},
		fallback: "sh:pattern",
	},
	{
		name:    "inAndHasValueCompareTerms",
		shapes:  `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:in ( 1 1.5 "x" ) ] ; sh:property [ sh:path ex:q ; sh:hasValue 2 ] .`,
		records: []string{`ex:a a ex:C ; ex:p 1.5 , "1"^^xsd:decimal , "x"^^xsd:string ; ex:q 2.5 .`, `ex:b a ex:C ; ex:p 1 ; ex:q 2 .`},
	},
	{
		name:     "nonCanonicalLiteralsAreTheStoresBusiness",
		shapes:   `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:in ( 1 1.5 ) ] .`,
		records:  []string{`ex:a a ex:C ; ex:p "01"^^xsd:integer .`},
		fallback: "sh:in on \"01\"",
	},
	{
		name:     "twoFormsOfOneNumberCountOnceInOxigraph",
		shapes:   `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:maxCount 1 ] .`,
		records:  []string{`ex:a a ex:C ; ex:p 2000.0 , "2000"^^xsd:decimal .`},
		fallback: "sh:maxCount",
	},
	{
		name:    "nonCanonicalValuesOnlyShown",
		shapes:  `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minInclusive 0 ; sh:datatype xsd:decimal ] ; sh:property [ sh:path ex:l ; sh:languageIn ( "fr" ) ; sh:maxLength 2 ; sh:pattern "^x" ] .`,
		records: []string{`ex:a a ex:C ; ex:p -1.50 , "+2"^^xsd:integer ; ex:l "x"@en-GB , "xyz"@fr-CA , "y"@FR .`},
	},
	{
		name:    "uniqueLangIgnoresCase",
		shapes:  `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:label ; sh:uniqueLang true ; sh:languageIn ( "fr" "en" ) ] .`,
		records: []string{`ex:a a ex:C ; ex:label "a"@fr , "b"@fr-CA .`, `ex:b a ex:C ; ex:label "a"@en , "b"@de , "c" .`},
	},
	{
		name: "xoneAndQualifiedNested",
		shapes: `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:r ;
			sh:qualifiedValueShape [ sh:class ex:K ; sh:property [ sh:path ex:q ; sh:minCount 1 ] ] ; sh:qualifiedMinCount 2 ] ;
			sh:xone ( [ sh:path ex:x ; sh:minCount 1 ] [ sh:path ex:y ; sh:minCount 1 ] ) .`,
		records: []string{`ex:a a ex:C ; ex:x 1 ; ex:r ex:k1 , ex:k2 . ex:k1 a ex:K ; ex:q 1 . ex:k2 a ex:K ; ex:q 2 .`,
			`ex:b a ex:C ; ex:x 1 ; ex:y 1 ; ex:r ex:k3 , 4 . ex:k3 a ex:K ; ex:q 1 .`},
	},
	{
		name: "deactivatedAndSeverities",
		shapes: `ex:S sh:targetClass ex:C ;
			sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:deactivated true ] ;
			sh:property [ sh:path ex:q ; sh:minCount 1 ; sh:severity sh:Info ; sh:message "q manque"@fr , "q is missing"@en ] .
			ex:T sh:targetClass ex:C ; sh:deactivated true ; sh:property [ sh:path ex:r ; sh:minCount 1 ] .`,
		records: []string{`ex:a a ex:C .`},
	},
	{
		name:    "blankNodesAcrossRecordsKeepTheirParent",
		shapes:  `ex:S sh:targetClass ex:Money ; sh:property [ sh:path ex:min ; sh:lessThanOrEquals ex:max ] .`,
		records: []string{`ex:o1 ex:salary [ a ex:Money ; ex:min 3 ; ex:max 2 ] .`, `ex:o2 ex:salary [ a ex:Money ; ex:min 1 ; ex:max 2 ] .`},
	},
}

// triplesOf parses the Turtle of one record; blank node labels get the record's prefix
// so that records parsed apart keep apart blank nodes apart.
func triplesOf(tb testing.TB, ttl, blankPrefix string) []shacl.Triple {
	tb.Helper()
	dec := rdf.NewTripleDecoder(strings.NewReader(prefixes+ttl), rdf.Turtle)
	var out []shacl.Triple
	for {
		t, err := dec.Decode()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			tb.Fatalf("record does not parse: %v\n%s", err, ttl)
		}
		out = append(out, shacl.Triple{S: ntTerm(t.Subj, blankPrefix), P: ntTerm(t.Pred, blankPrefix), O: ntTerm(t.Obj, blankPrefix)})
	}
}

func ntTerm(t rdf.Term, blankPrefix string) ntriples.Term {
	switch v := t.(type) {
	case rdf.IRI:
		return ntriples.NewIRI(v.String())
	case rdf.Blank:
		return ntriples.NewBlank(blankPrefix + strings.TrimPrefix(v.String(), "_:"))
	case rdf.Literal:
		if v.Lang() != "" {
			return ntriples.NewLang(v.String(), v.Lang())
		}
		return ntriples.NewTyped(v.String(), v.DataType.String())
	}
	panic(fmt.Sprintf("term %T", t))
}

// nTriples writes triples for a load.
func nTriples(ts []shacl.Triple) []byte {
	var b []byte
	for _, t := range ts {
		b = ntriples.AppendTerm(b, t.S)
		b = append(b, ' ')
		b = ntriples.AppendTerm(b, t.P)
		b = append(b, ' ')
		b = ntriples.AppendTerm(b, t.O)
		b = append(b, " .\n"...)
	}
	return b
}

var blankLabel = regexp.MustCompile(`_:[^ >"]+`)

// key writes a violation for comparison: blank node labels are the store's own, and
// so is the form of a literal value (Oxigraph shows "1.50" as "1.5").
func key(v shacl.Violation) string {
	s := strings.Join([]string{v.Shape, v.Path, v.Constraint, v.Severity, v.Message, v.Focus, canonicalValue(v.Value), v.Parent, v.ParentProperty}, " | ")
	return blankLabel.ReplaceAllString(s, "_:b")
}

var typedValue = regexp.MustCompile(`^"(.*)"\^\^<http://www.w3.org/2001/XMLSchema#(integer|decimal|double)>$`)

// canonicalValue writes numbers and language tags of a violation's value in one form,
// whichever store or validator wrote them.
func canonicalValue(v string) string {
	if i := strings.LastIndex(v, `"@`); i > 0 {
		return v[:i] + strings.ToLower(v[i:])
	}
	m := typedValue.FindStringSubmatch(v)
	if m == nil {
		return v
	}
	f, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return v
	}
	return fmt.Sprintf("%q^^%s", strconv.FormatFloat(f, 'f', -1, 64), m[2])
}

// sameViolations compares the violations of Validate (want) with those of Records and
// CheckDeferred (got). sh:class violations found after the load name one focus per
// missing value (the first record that used it): for them, the values must be the
// same and each focus one that Validate reports with that value.
func sameViolations(t *testing.T, want, got []shacl.Violation) {
	t.Helper()
	classKey := func(v shacl.Violation) string {
		return strings.Join([]string{v.Shape, v.Path, v.Constraint, v.Value}, " | ")
	}
	wantClass, gotClass := map[string]map[string]bool{}, map[string]map[string]bool{}
	var w, g []string
	for _, v := range want {
		if v.Constraint == "sh:class" {
			k := classKey(v)
			if wantClass[k] == nil {
				wantClass[k] = map[string]bool{}
			}
			wantClass[k][v.Focus] = true
			continue
		}
		w = append(w, key(v))
	}
	for _, v := range got {
		if v.Record == "" {
			t.Errorf("violation without its record: %v", v)
		}
		if v.Constraint == "sh:class" {
			k := classKey(v)
			if gotClass[k] == nil {
				gotClass[k] = map[string]bool{}
			}
			gotClass[k][v.Focus] = true
			continue
		}
		g = append(g, key(v))
	}
	sort.Strings(w)
	sort.Strings(g)
	if strings.Join(w, "\n") != strings.Join(g, "\n") {
		t.Errorf("violations differ\nValidate:\n  %s\nRecords:\n  %s", strings.Join(w, "\n  "), strings.Join(g, "\n  "))
	}
	for k, foci := range wantClass {
		if len(gotClass[k]) == 0 {
			t.Errorf("Validate reports %s (focus %v), Records does not", k, foci)
		}
		for f := range gotClass[k] {
			if !foci[f] {
				t.Errorf("Records reports %s on focus %s, Validate on %v", k, f, foci)
			}
		}
	}
	for k := range gotClass {
		if wantClass[k] == nil {
			t.Errorf("Records reports %s, Validate does not", k)
		}
	}
}

// differential validates records both ways and compares; it returns the Records
// result for further checks.
func differential(t *testing.T, c *store.Client, s *shacl.Shapes, graph string, records [][]shacl.Triple, where []string, wantFallback string) *shacl.Records {
	t.Helper()
	ctx := context.Background()
	r := s.Records(100000)
	for i, rec := range records {
		r.Record(where[i], rec)
	}
	fb, reason := r.Fallback()
	if wantFallback != "" {
		if !fb || !strings.Contains(reason, wantFallback) {
			t.Errorf("Fallback() = %v, %q; want true, with %q", fb, reason, wantFallback)
		}
		return r
	}
	if fb {
		t.Fatalf("unexpected fallback: %s", reason)
	}
	want, err := s.Validate(ctx, c, graph, 100000)
	if err != nil {
		t.Fatal(err)
	}
	rep := r.Report()
	deferred, err := r.CheckDeferred(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	got := append(rep.Violations, deferred...)
	sameViolations(t, want.Violations, got)
	if rep.Checked != want.Checked {
		t.Errorf("Checked = %d, Validate checked %d", rep.Checked, want.Checked)
	}
	if rep.Truncated || want.Truncated {
		t.Errorf("truncated: Records %v, Validate %v", rep.Truncated, want.Truncated)
	}
	return r
}

// TestRecordsDifferential runs every constraint case of TestConstraints (good and bad
// graph, each one record) and the record cases through both validators.
func TestRecordsDifferential(t *testing.T) {
	type run struct {
		name, shapes, other, fallback string
		records                       []string
	}
	var runs []run
	for _, tc := range constraintCases {
		fb := ""
		switch {
		case strings.Contains(tc.shapes, "targetNode"):
			fb = "sh:targetNode"
		case strings.Contains(tc.shapes, "targetObjectsOf"):
			fb = "sh:targetObjectsOf"
		}
		if tc.name == "targetObjectsOf" || tc.name == "nodeShapeHasValue" || tc.name == "targetNode" {
			runs = append(runs, run{tc.name + "/good", tc.shapes, tc.other, fb, []string{tc.good}})
			runs = append(runs, run{tc.name + "/bad", tc.shapes, tc.other, fb, []string{tc.bad}})
			continue
		}
		runs = append(runs, run{tc.name + "/good", tc.shapes, tc.other, "", []string{tc.good}})
		runs = append(runs, run{tc.name + "/bad", tc.shapes, tc.other, "", []string{tc.bad}})
	}
	for _, rc := range recordCases {
		runs = append(runs, run{rc.name, rc.shapes, rc.other, rc.fallback, rc.records})
	}
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		recs := make([][][]shacl.Triple, len(runs))
		for i, rn := range runs {
			base := fmt.Sprintf("http://example.org/records/%d/", i)
			var all []shacl.Triple
			for j, ttl := range rn.records {
				ts := triplesOf(t, ttl, fmt.Sprintf("r%d-", j))
				recs[i] = append(recs[i], ts)
				all = append(all, ts...)
			}
			if len(all) > 0 {
				if err := c.PostGraph(context.Background(), base+"data", bytes.NewReader(nTriples(all))); err != nil {
					t.Fatal(err)
				}
			}
			load(t, c, base+"other", rn.other)
		}
		for i, rn := range runs {
			t.Run(rn.name, func(t *testing.T) {
				s := mustParse(t, rn.shapes)
				var where []string
				for j := range rn.records {
					where = append(where, fmt.Sprintf("case.json:/%d", j))
				}
				differential(t, c, s, fmt.Sprintf("http://example.org/records/%d/data", i), recs[i], where, rn.fallback)
			})
		}
	})
}

// TestRecordsNamesTheRecord checks that each violation, found in the record or after
// the load, carries the position of its record, and that String shows it.
func TestRecordsNamesTheRecord(t *testing.T) {
	s := mustParse(t, `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:message "p is missing" ] ;
		sh:property [ sh:path ex:k ; sh:class ex:K ] .`)
	r := s.Records(0)
	r.Record("offres.json:/0", triplesOf(t, `ex:a a ex:C ; ex:p 1 ; ex:k ex:k1 .`, ""))
	r.Record("offres.json:/1", triplesOf(t, `ex:b a ex:C ; ex:k ex:k1 , ex:k2 .`, ""))
	r.Record("offres.json:/2", triplesOf(t, `ex:c a ex:C ; ex:p 2 .`, ""))
	if fb, reason := r.Fallback(); fb {
		t.Fatalf("fallback: %s", reason)
	}
	rep := r.Report()
	if len(rep.Violations) != 1 || rep.Conforms || rep.Checked != 3 {
		t.Fatalf("report %+v: want one violation, of b", rep)
	}
	v := rep.Violations[0]
	if v.Record != "offres.json:/1" || v.Focus != "http://example.org/b" || v.Constraint != "sh:minCount" {
		t.Errorf("violation %+v: want b's sh:minCount in offres.json:/1", v)
	}
	if got := v.String(); !strings.Contains(got, "(record offres.json:/1)") || !strings.Contains(got, "p is missing") {
		t.Errorf("String() = %q: want the record and the message", got)
	}
	if n := r.Deferred(); n != 2 {
		t.Errorf("Deferred() = %d, want 2 (k1 once, k2)", n)
	}
	deferred, err := r.CheckDeferred(context.Background(), fakeQuerier{missing: "http://example.org/k1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(deferred) != 1 || deferred[0].Record != "offres.json:/0" || deferred[0].Focus != "http://example.org/a" ||
		deferred[0].Value != "<http://example.org/k1>" {
		t.Errorf("deferred %+v: want k1, first used by a in offres.json:/0", deferred)
	}
}

// TestRecordsTruncates keeps limit violations per constraint.
func TestRecordsTruncates(t *testing.T) {
	s := mustParse(t, `ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] ; sh:property [ sh:path ex:q ; sh:minCount 1 ] .`)
	r := s.Records(3)
	for i := 0; i < 7; i++ {
		q := ""
		if i == 0 {
			q = "; ex:q 1"
		}
		r.Record(fmt.Sprintf("line %d", i+2), triplesOf(t, fmt.Sprintf("ex:a%d a ex:C %s .", i, q), ""))
	}
	rep := r.Report()
	if len(rep.Violations) != 6 || !rep.Truncated || rep.Checked != 7 {
		t.Errorf("got %d violations, truncated=%v, checked=%d; want 3+3, true, 7", len(rep.Violations), rep.Truncated, rep.Checked)
	}
}

// fakeQuerier answers class-missing queries: missing is not an instance of anything.
type fakeQuerier struct{ missing string }

func (f fakeQuerier) Select(_ context.Context, q string) (*sparql.Results, error) {
	rows := ""
	if strings.Contains(q, "<"+f.missing+">") {
		rows = fmt.Sprintf(`{"value": {"type": "uri", "value": %q}}`, f.missing)
	}
	return sparql.ParseJSON(strings.NewReader(`{"head": {"vars": ["value"]}, "results": {"bindings": [` + rows + `]}}`))
}

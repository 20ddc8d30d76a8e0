package rml

import (
	"strings"
	"testing"
)

const (
	jsonOffers = `<#M> rml:logicalSource [ rml:source "d.json" ; rml:referenceFormulation ql:JSONPath ; rml:iterator "$[*]" ] ;
  rr:subjectMap [ rr:template "http://ex.org/{id}" ] ; rr:predicateObjectMap [ rr:predicate ex:a ; rr:objectMap [ rml:reference "a" ] ] .`
	jsonEnvelope = `<#M> rml:logicalSource [ rml:source "d.json" ; rml:referenceFormulation ql:JSONPath ; rml:iterator "$.resultats[*]" ] ;
  rr:subjectMap [ rr:template "http://ex.org/{id}" ] ; rr:predicateObjectMap [ rr:predicate ex:a ; rr:objectMap [ rml:reference "a" ] ] .`
	xmlMapping = `<#M> rml:logicalSource [ rml:source "d.xml" ; rml:referenceFormulation ql:XPath ; rml:iterator "/r/e" ] ;
  rr:subjectMap [ rr:template "http://ex.org/{@id}" ] ; rr:predicateObjectMap [ rr:predicate ex:a ; rr:objectMap [ rml:reference "a" ] ] .`
	csvMapping = `<#M> rml:logicalSource [ rml:source "d.csv" ; rml:referenceFormulation ql:CSV ] ;
  rr:subjectMap [ rr:template "http://ex.org/{id}" ] ; rr:predicateObjectMap [ rr:predicate ex:a ; rr:objectMap [ rml:reference "a" ] ] .`
)

// TestIncompleteInputs: an input that is cut, empty or corrupt fails the
// execution with the file and the place, never passes for a shorter input.
func TestIncompleteInputs(t *testing.T) {
	full := gzipped(t, "id,a\n1,x\n2,y\n3,z\n")
	corrupt := append([]byte(nil), full...)
	corrupt[len(corrupt)-6] ^= 0xff // CRC-32
	for _, c := range []struct {
		name, mapping, file string
		data                []byte
		want                []string // all in the error
	}{
		{"JSONCutAfterRecord", jsonOffers, "d.json", []byte(`[{"id":"1","a":"x"},{"id":"2","a":"y"},`), []string{"d.json", "closing ]", "after 2 records", "cut"}},
		{"JSONCutNoComma", jsonOffers, "d.json", []byte(`[{"id":"1","a":"x"}`), []string{"d.json", "closing ]", "cut"}},
		{"JSONCutMidRecord", jsonOffers, "d.json", []byte(`[{"id":"1","a":"x"},{"id":"2","a":"y`), []string{"d.json", "inside record /1", "cut"}},
		{"JSONEnvelopeCut", jsonEnvelope, "d.json", []byte(`{"resultats":[{"id":"1","a":"x"}]`), []string{"d.json", "closing }", "cut"}},
		{"JSONEmpty", jsonOffers, "d.json", nil, []string{"d.json", "empty file"}},
		{"JSONBlank", jsonOffers, "d.json", []byte(" \n"), []string{"d.json", "no JSON value"}},
		{"XMLNotClosed", xmlMapping, "d.xml", []byte(`<r><e id="1"><a>x</a></e><e id="2"><a>y</a></e>`), []string{"d.xml", "/r/e[2]", "EOF"}},
		{"XMLCutMidElement", xmlMapping, "d.xml", []byte(`<r><e id="1"><a>x</a></e><e id="2"><a>`), []string{"d.xml", "/r/e[1]", "EOF"}},
		{"XMLEmpty", xmlMapping, "d.xml", nil, []string{"d.xml", "empty file"}},
		{"CSVEmpty", csvMapping, "d.csv", nil, []string{"d.csv", "empty file"}},
		{"GzipCut", csvMapping, "d.csv.gz", full[:len(full)-10], []string{"d.csv.gz", "gzip", "cut", "compressed bytes"}},
		{"GzipCorrupt", csvMapping, "d.csv.gz", corrupt, []string{"d.csv.gz", "corrupt", "checksum", "compressed bytes"}},
		{"GzipOfNothing", csvMapping, "d.csv.gz", gzipped(t, ""), []string{"d.csv.gz", "empty file", "gunzip"}},
		{"NotGzip", csvMapping, "d.csv.gz", []byte("id,a\n1,x\n"), []string{"d.csv.gz", "gzip"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := run(t, c.mapping, map[string][]byte{c.file: c.data}, Options{Inputs: []string{c.file}})
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// TestUnmatched: a reference that matches nothing in the whole input, or an
// iterator whose container is absent, is an error naming it; oerml:optional
// true on the term map (or logical source) allows it; CSV columns are
// checked against the header instead.
func TestUnmatched(t *testing.T) {
	two := []byte(`[{"id":"1","a":"x"},{"id":"2"}]`)
	for _, c := range []struct {
		name, mapping, file string
		data                []byte
		want                string // "" = no error
	}{
		{"JSONSomeRecords", jsonOffers, "d.json", two, ""},
		{"JSONNoRecord", strings.ReplaceAll(jsonOffers, `"a"`, `"lieu.commun"`), "d.json", two,
			`reference "lieu.commun" of triples map <http://ex.org/base/#M> matched nothing in the 2 mapped records of d.json`},
		{"JSONOptional", strings.ReplaceAll(jsonOffers, `rml:reference "a"`, `oerml:optional true ; rml:reference "lieu.commun"`), "d.json", two, ""},
		{"JSONOptionalFunction", strings.ReplaceAll(jsonOffers, `rr:objectMap [ rml:reference "a" ]`,
			`rr:objectMap [ oerml:optional true ; fnml:functionValue [ rr:predicateObjectMap [ rr:predicate fno:executes ; rr:objectMap [ rr:constant grel:toUpperCase ] ] ;
			  rr:predicateObjectMap [ rr:predicate grel:valueParameter ; rr:objectMap [ rml:reference "nope" ] ] ] ]`), "d.json", two, ""},
		{"JSONContainerMissing", jsonEnvelope, "d.json", []byte(`{"resultat":[{"id":"1","a":"x"}]}`), `d.json has nothing where iterator "$.resultats[*]" points`},
		{"JSONContainerEmpty", jsonEnvelope, "d.json", []byte(`{"resultats":[]}`), ""},
		{"JSONContainerOptional", strings.Replace(jsonEnvelope, `rml:iterator "$.resultats[*]"`, `rml:iterator "$.resultats[*]" ; oerml:optional true`, 1), "d.json", []byte(`{"x":1}`), ""},
		{"XMLNoRecordHasIt", xmlMapping, "d.xml", []byte(`<r><e id="1"/><e id="2"/></r>`), `reference "a" of triples map <http://ex.org/base/#M> matched nothing in the 2 mapped records of d.xml`},
		{"XMLOneHasIt", xmlMapping, "d.xml", []byte(`<r><e id="1"/><e id="2"><a>y</a></e></r>`), ""},
		{"CSVEmptyColumnIsData", csvMapping, "d.csv", []byte("id,a\n1,\n2,\n"), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := run(t, oermlPrefix+c.mapping, map[string][]byte{c.file: c.data}, Options{})
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("error %v, want %q", err, c.want)
			}
		})
	}
}

// TestOptionalSubjectLeavesItsMapOptional: the other references of a triples map
// whose subject map is oerml:optional (an employer node made only when the offer names
// one) are read only when a record has that subject: an input where none has one is
// complete, not unmatched. A misspelt reference of the always-made map still fails.
func TestOptionalSubjectLeavesItsMapOptional(t *testing.T) {
	mapping := func(ref string) string {
		return oermlPrefix + `
<#Offer> rml:logicalSource [ rml:source "d.json"; rml:referenceFormulation ql:JSONPath; rml:iterator "$[*]" ];
  rr:subjectMap [ rr:template "http://ex.org/o/{id}" ; rr:graphMap [ rr:template "http://ex.org/g/{` + ref + `}" ] ];
  rr:predicateObjectMap [ rr:predicate ex:titre; rr:objectMap [ rml:reference "titre" ] ] .
<#Employer> rml:logicalSource [ rml:source "d.json"; rml:referenceFormulation ql:JSONPath; rml:iterator "$[*]" ];
  rr:subjectMap [ oerml:optional true ; rr:template "http://ex.org/e/{entreprise.nom}" ;
                  rr:graphMap [ rr:template "http://ex.org/g/{month}" ] ];
  rr:predicateObjectMap [ rr:predicate ex:naf; rr:objectMap [ rml:reference "entreprise.naf" ] ] .
`
	}
	noEmployer := []byte(`[{"id":"1","titre":"Dev","month":"2025-01"},{"id":"2","titre":"Compta","month":"2025-01"}]`)
	got, _, err := run(t, mapping("month"), map[string][]byte{"d.json": noEmployer}, Options{})
	if err != nil {
		t.Fatalf("no record names an employer: %v", err)
	}
	wantLines(t, got, `<http://ex.org/o/1> <http://ex.org/titre> "Dev" <http://ex.org/g/2025-01> .`,
		`<http://ex.org/o/2> <http://ex.org/titre> "Compta" <http://ex.org/g/2025-01> .`)
	if _, _, err := run(t, mapping("mois"), map[string][]byte{"d.json": noEmployer}, Options{}); err == nil ||
		!strings.Contains(err.Error(), `reference "mois"`) {
		t.Fatalf("a misspelt reference of the offer's graph map: %v, want it unmatched", err)
	}
}

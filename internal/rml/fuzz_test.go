package rml

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/ntriples"
)

// The fuzz targets feed arbitrary bytes to each reader through a small
// mapping. Whatever the input, the engine must not panic or hang, and an
// input it accepts must be complete: JSON that encoding/json finds valid,
// XML whose every element is closed. Seeds: testdata/fuzz/Fuzz*/ (CI runs
// each target briefly: go test -run XXX -fuzz FuzzJSON -fuzztime 10s).

func fuzzRun(t *testing.T, mapping, file string, data []byte) (int, error) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, file), data, 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := Parse(strings.NewReader(prefixes+oermlPrefix+mapping), "")
	if err != nil {
		t.Fatal(err)
	}
	m.dir = dir
	var buf bytes.Buffer
	w := ntriples.NewWriter(&buf)
	st, err := m.Execute(context.Background(), Options{MaxRejects: -1}, w)
	if ferr := w.Flush(); ferr != nil {
		t.Fatal(ferr)
	}
	if st.Quads != w.Count() {
		t.Fatalf("stats say %d quads, the sink got %d", st.Quads, w.Count())
	}
	return int(st.Quads), err
}

const fuzzCSVMapping = `<#M> rml:logicalSource [ rml:source "d.csv" ; rml:referenceFormulation ql:CSV ] ;
  rr:subjectMap [ rr:template "http://ex.org/{id}" ] ;
  rr:predicateObjectMap [ rr:predicate ex:a ; rr:objectMap [ rml:reference "a" ] ] ;
  rr:predicateObjectMap [ rr:predicate ex:n ; rr:objectMap ` + `[ fnml:functionValue [
      rr:predicateObjectMap [ rr:predicate fno:executes ; rr:objectMap [ rr:constant oefn:decimalComma ] ] ;
      rr:predicateObjectMap [ rr:predicate oefn:value ; rr:objectMap [ rml:reference "a" ] ] ] ] ] .
<#W> rml:logicalSource [ rml:source "d.csv" ; rml:referenceFormulation ql:CSV ;
    oerml:unpivot [ oerml:columnPattern "^q" ; oerml:nameReference "col" ; oerml:valueReference "val" ] ] ;
  rr:subjectMap [ rr:template "http://ex.org/{id}/{col}" ] ;
  rr:predicateObjectMap [ rr:predicate ex:v ; rr:objectMap [ rml:reference "val" ] ] .
`

func FuzzCSV(f *testing.F) {
	f.Add([]byte("id,a,q1,q2\n1,x,1,\n2,\"y,z\",,3\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := fuzzRun(t, fuzzCSVMapping, "d.csv", data)
		if err == nil && len(bytes.TrimSpace(data)) == 0 {
			t.Fatalf("blank input accepted (%d quads)", n)
		}
	})
}

const fuzzJSONMapping = `<#M> rml:logicalSource [ rml:source "d.json" ; rml:referenceFormulation ql:JSONPath ; rml:iterator "$.r[*]" ; oerml:optional true ] ;
  rr:subjectMap [ rr:template "http://ex.org/{id}" ] ;
  rr:predicateObjectMap [ rr:predicate ex:a ; rr:objectMap [ oerml:optional true ; rml:reference "a.b" ] ] .
`

func FuzzJSON(f *testing.F) {
	f.Add([]byte(`{"r":[{"id":"1","a":{"b":"x"}},{"id":2,"a":{"b":[1,2]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := fuzzRun(t, fuzzJSONMapping, "d.json", data)
		if err == nil && !json.Valid(data) {
			t.Fatalf("invalid or incomplete JSON accepted: %q", data)
		}
	})
}

const fuzzXMLMapping = `<#M> rml:logicalSource [ rml:source "d.xml" ; rml:referenceFormulation ql:XPath ; rml:iterator "/r/e" ] ;
  rr:subjectMap [ rr:template "http://ex.org/{@id}" ] ;
  rr:predicateObjectMap [ rr:predicate ex:a ; rr:objectMap [ oerml:optional true ; rml:reference "../@v" ] ] ;
  rr:predicateObjectMap [ rr:predicate ex:b ; rr:objectMap [ oerml:optional true ; rml:reference "b" ] ] .
`

func FuzzXML(f *testing.F) {
	f.Add([]byte(`<r v="1"><e id="a"><b>x</b></e><e id="b"/></r>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := fuzzRun(t, fuzzXMLMapping, "d.xml", data)
		if err == nil && !xmlComplete(data) {
			t.Fatalf("incomplete XML accepted: %q", data)
		}
	})
}

// xmlComplete reports whether encoding/xml reads data to its end with every
// element closed.
func xmlComplete(data []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	depth, roots := 0, 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return depth == 0 && roots > 0
		}
		if err != nil {
			return false
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
}

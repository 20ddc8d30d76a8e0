package rml

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/openemploi360/openemploi/internal/ntriples"
)

const prefixes = `@prefix rr: <http://www.w3.org/ns/r2rml#> .
@prefix rml: <http://semweb.mmlab.be/ns/rml#> .
@prefix ql: <http://semweb.mmlab.be/ns/ql#> .
@prefix csvw: <http://www.w3.org/ns/csvw#> .
@prefix fnml: <http://semweb.mmlab.be/ns/fnml#> .
@prefix fno: <https://w3id.org/function/ontology#> .
@prefix grel: <http://users.ugent.be/~bjdmeest/function/grel.ttl#> .
@prefix oefn: <https://data.dataregionsud.fr/openemploi/def/fn/> .
@prefix ex: <http://ex.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@base <http://ex.org/base/> .
`

// run writes files into a temp dir, executes mapping there and returns the
// sorted N-Quads lines.
func run(t *testing.T, mapping string, files map[string][]byte, opt Options) ([]string, Stats, error) {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mp := filepath.Join(dir, "mapping.ttl")
	if err := os.WriteFile(mp, []byte(prefixes+mapping), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := LoadFile(mp)
	if err != nil {
		return nil, Stats{}, err
	}
	for i, in := range opt.Inputs {
		opt.Inputs[i] = filepath.Join(dir, in)
	}
	var buf bytes.Buffer
	w := ntriples.NewWriter(&buf)
	st, err := m.Execute(context.Background(), opt, w)
	if ferr := w.Flush(); ferr != nil {
		t.Fatal(ferr)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	sort.Strings(lines)
	return lines, st, err
}

func wantLines(t *testing.T, got []string, want ...string) {
	t.Helper()
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCSVBasicsAndGraphs(t *testing.T) {
	mapping := `
<#M> rml:logicalSource [ rml:source "c.csv"; rml:referenceFormulation ql:CSV ];
  rr:subjectMap [ rr:template "http://ex.org/commune/{code}"; rr:class ex:Commune;
                  rr:graph ex:g ];
  rr:predicateObjectMap [ rr:predicate ex:nom; rr:objectMap [ rml:reference "nom"; rr:language "fr" ] ],
    [ rr:predicate ex:pop; rr:objectMap [ rml:reference "pop"; rr:datatype xsd:integer ] ] .
`
	got, st, err := run(t, mapping, map[string][]byte{"c.csv": []byte("code,nom,pop\n06088,Nice,342669\n13055,Marseille,\n")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantLines(t, got,
		`<http://ex.org/commune/06088> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex.org/Commune> <http://ex.org/g> .`,
		`<http://ex.org/commune/06088> <http://ex.org/nom> "Nice"@fr <http://ex.org/g> .`,
		`<http://ex.org/commune/06088> <http://ex.org/pop> "342669"^^<http://www.w3.org/2001/XMLSchema#integer> <http://ex.org/g> .`,
		`<http://ex.org/commune/13055> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex.org/Commune> <http://ex.org/g> .`,
		`<http://ex.org/commune/13055> <http://ex.org/nom> "Marseille"@fr <http://ex.org/g> .`,
	)
	if st.Records != 2 || st.Quads != 5 || st.Rejected != 0 {
		t.Errorf("stats = %+v", st)
	}
}

func TestRejectMalformedIRI(t *testing.T) {
	mapping := `
<#M> rml:logicalSource [ rml:source "c.csv" ];
  rr:subjectMap [ rml:reference "iri" ];
  rr:predicateObjectMap [ rr:predicate ex:p; rr:object "x" ] .
`
	files := map[string][]byte{"c.csv": []byte("iri\nhttp://ex.org/a\nhttp://ex.org/b c\nhttp://ex.org/d\n")}
	t.Run("default fails", func(t *testing.T) {
		_, st, err := run(t, mapping, files, Options{})
		if !errors.Is(err, errTooManyRejects) {
			t.Fatalf("err = %v, want too many rejects", err)
		}
		if !strings.Contains(err.Error(), "c.csv:line 3: field iri: invalid IRI") {
			t.Errorf("error does not name file, line and field: %v", err)
		}
		if st.Rejected != 1 {
			t.Errorf("rejected = %d", st.Rejected)
		}
	})
	t.Run("allowed", func(t *testing.T) {
		got, st, err := run(t, mapping, files, Options{MaxRejects: 1})
		if err != nil {
			t.Fatal(err)
		}
		wantLines(t, got,
			`<http://ex.org/a> <http://ex.org/p> "x" .`,
			`<http://ex.org/d> <http://ex.org/p> "x" .`)
		if len(st.Rejects) != 1 || st.Rejects[0].String() != `c.csv:line 3: field iri: invalid IRI "http://ex.org/b c": character ' ' not allowed` {
			t.Errorf("rejects = %v", st.Rejects)
		}
	})
}

func TestRejectedRecordEmitsNothing(t *testing.T) {
	// The first predicate-object map succeeds, the second fails: the
	// record must not be half written.
	mapping := `
<#M> rml:logicalSource [ rml:source "c.csv" ];
  rr:subjectMap [ rr:template "http://ex.org/{id}" ];
  rr:predicateObjectMap [ rr:predicate ex:a; rr:objectMap [ rml:reference "id" ] ],
    [ rr:predicate ex:b; rr:objectMap [ rml:reference "link"; rr:termType rr:IRI ] ] .
`
	got, st, err := run(t, mapping, map[string][]byte{"c.csv": []byte("id,link\n1,http://ok\n2,bad link\n")}, Options{MaxRejects: -1})
	if err != nil {
		t.Fatal(err)
	}
	wantLines(t, got, `<http://ex.org/1> <http://ex.org/a> "1" .`, `<http://ex.org/1> <http://ex.org/b> <http://ok> .`)
	if st.Rejected != 1 || st.Quads != 2 {
		t.Errorf("stats = %+v", st)
	}
}

func TestCSVW(t *testing.T) {
	latin1, err := charmap.ISO8859_1.NewEncoder().String("code;libellé\nA1101;Conduite d'engins agricoles et forestiers\nK2111;Formation professionnelle - élève\n")
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(latin1))
	zw.Close()
	tests := []struct {
		name  string
		file  string
		data  []byte
		input string
	}{
		{"plain", "rome.csv", []byte(latin1), ""},
		{"gzip by name", "rome.csv.gz", gz.Bytes(), ""},
		{"gzip by magic, input by base name", "other.csv", gz.Bytes(), "other.csv"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mapping := `
<#M> rml:logicalSource [ rml:source [ a csvw:Table; csvw:url "` + tc.file + `";
       csvw:dialect [ a csvw:Dialect; csvw:delimiter ";"; csvw:encoding "ISO-8859-1" ] ];
     rml:referenceFormulation ql:CSV ];
  rr:subjectMap [ rr:template "http://ex.org/rome/{code}" ];
  rr:predicateObjectMap [ rr:predicate ex:label; rr:objectMap [ rml:reference "libellé" ] ] .
`
			opt := Options{}
			if tc.input != "" {
				opt.Inputs = []string{tc.input}
			}
			got, _, err := run(t, mapping, map[string][]byte{tc.file: tc.data}, opt)
			if err != nil {
				t.Fatal(err)
			}
			wantLines(t, got,
				`<http://ex.org/rome/A1101> <http://ex.org/label> "Conduite d'engins agricoles et forestiers" .`,
				`<http://ex.org/rome/K2111> <http://ex.org/label> "Formation professionnelle - élève" .`)
		})
	}
}

func TestCSVWrongEncodingIsRejected(t *testing.T) {
	mapping := `
<#M> rml:logicalSource [ rml:source "c.csv" ];
  rr:subjectMap [ rr:template "http://ex.org/{id}" ];
  rr:predicateObjectMap [ rr:predicate ex:v; rr:objectMap [ rml:reference "nom" ] ] .
`
	_, st, err := run(t, mapping, map[string][]byte{"c.csv": []byte("id,nom\n1,Nice\n2,\xe8ze\n")}, Options{MaxRejects: -1})
	if err != nil {
		t.Fatal(err)
	}
	if st.Rejected != 1 || !strings.Contains(st.Rejects[0].String(), `c.csv:line 3: column "nom" is not valid UTF-8`) {
		t.Fatalf("rejects = %v", st.Rejects)
	}
}

func TestCSVNoHeaderAndNulls(t *testing.T) {
	mapping := `
<#M> rml:logicalSource [ rml:source [ csvw:url "n.csv"; csvw:dialect [ csvw:header false; csvw:null "NA" ] ] ];
  rr:subjectMap [ rr:template "http://ex.org/{1}" ];
  rr:predicateObjectMap [ rr:predicate ex:v; rr:objectMap [ rml:reference "2" ] ] .
`
	got, _, err := run(t, mapping, map[string][]byte{"n.csv": []byte("a,1\nb,NA\n")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantLines(t, got, `<http://ex.org/a> <http://ex.org/v> "1" .`)
}

func TestCSVErrors(t *testing.T) {
	mapping := `
<#M> rml:logicalSource [ rml:source "c.csv" ];
  rr:subjectMap [ rr:template "http://ex.org/{id}" ];
  rr:predicateObjectMap [ rr:predicate ex:v; rr:objectMap [ rml:reference "v" ] ] .
`
	t.Run("unknown column", func(t *testing.T) {
		_, _, err := run(t, mapping, map[string][]byte{"c.csv": []byte("id,value\n1,2\n")}, Options{})
		if err == nil || !strings.Contains(err.Error(), `c.csv: triples map <http://ex.org/base/#M>: column "v" is not in the header`) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("bad lines are rejected with their line", func(t *testing.T) {
		got, st, err := run(t, mapping, map[string][]byte{"c.csv": []byte("id,v\n1,a\n2,b,extra\n3,\"x\"y\n4,d\n")}, Options{MaxRejects: 5})
		if err != nil {
			t.Fatal(err)
		}
		wantLines(t, got, `<http://ex.org/1> <http://ex.org/v> "a" .`, `<http://ex.org/4> <http://ex.org/v> "d" .`)
		if st.Rejected != 2 || st.Rejects[0].Where != "line 3" || st.Rejects[1].Where != "line 4" {
			t.Errorf("rejects = %v", st.Rejects)
		}
	})
}

func TestJSONStreamingAndWhere(t *testing.T) {
	data := []byte(`{"meta": {"n": 3}, "resultats": [
  {"id": "1", "intitule": "Développeur", "lieuTravail": {"commune": "06088"}, "salaire": 12.5, "tags": ["a", "b"]},
  {"id": "2", "intitule": "Comptable", "lieuTravail": {"commune": null}, "tags": []},
  {"id": "3", "intitule": "Chef", "lieuTravail": {"commune": "bad commune"}}
], "after": [1,2]}`)
	mapping := `
<#M> rml:logicalSource [ rml:source "o.json"; rml:referenceFormulation ql:JSONPath; rml:iterator "$.resultats[*]" ];
  rr:subjectMap [ rr:template "http://ex.org/offre/{id}" ];
  rr:predicateObjectMap [ rr:predicate ex:title; rr:objectMap [ rml:reference "intitule" ] ],
    [ rr:predicate ex:commune; rr:objectMap [ rml:reference "lieuTravail.commune"; rr:termType rr:IRI ] ],
    [ rr:predicate ex:salary; rr:objectMap [ rml:reference "salaire"; rr:datatype xsd:decimal ] ],
    [ rr:predicate ex:tag; rr:objectMap [ rml:reference "tags[*]" ] ] .
`
	got, st, err := run(t, mapping, map[string][]byte{"o.json": data}, Options{MaxRejects: 1})
	if err != nil {
		t.Fatal(err)
	}
	wantLines(t, got,
		`<http://ex.org/offre/1> <http://ex.org/commune> <http://ex.org/base/06088> .`,
		`<http://ex.org/offre/1> <http://ex.org/salary> "12.5"^^<http://www.w3.org/2001/XMLSchema#decimal> .`,
		`<http://ex.org/offre/1> <http://ex.org/tag> "a" .`,
		`<http://ex.org/offre/1> <http://ex.org/tag> "b" .`,
		`<http://ex.org/offre/1> <http://ex.org/title> "Développeur" .`,
		`<http://ex.org/offre/2> <http://ex.org/title> "Comptable" .`,
	)
	if st.Records != 3 || len(st.Rejects) != 1 {
		t.Fatalf("stats = %+v", st)
	}
	if s := st.Rejects[0].String(); !strings.HasPrefix(s, `o.json:/resultats/2/lieuTravail/commune: field lieuTravail.commune: invalid IRI`) {
		t.Errorf("reject = %s", s)
	}
}

func TestJSONIterators(t *testing.T) {
	tests := []struct {
		name, iterator, data string
		want                 []string
	}{
		{"root array", "$[*]", `[{"id":"a"},{"id":"b"}]`, []string{"a", "b"}},
		{"nested", "$.a.b[*]", `{"x":[{"id":"no"}],"a":{"b":[{"id":"c"}]}}`, []string{"c"}},
		{"filter (streamed)", "$.l[?(@.ok == true)]", `{"l":[{"id":"d","ok":true},{"id":"e","ok":false}]}`, []string{"d"}},
		{"rest after wildcard", "$.l[*].items[*]", `{"l":[{"items":[{"id":"f"},{"id":"g"}]},{"items":[{"id":"h"}]}]}`, []string{"f", "g", "h"}},
		{"missing array, optional source", "$.nothing[*]", `{"l":[]}`, nil}, // an error without oerml:optional: TestUnmatched
		{"object members", "$.byCode[*]", `{"byCode":{"x":{"id":"p"},"y":{"id":"q"}}}`, []string{"p", "q"}},
		{"root filter on nested key", "$[?(@.e.nom)]", `[{"id":"i","e":{"nom":"x"}},{"id":"j","e":{}},{"id":"k"}]`, []string{"i"}},
		{"descendant (loaded)", "$..o", `{"a":{"o":{"id":"m"}},"b":[{"o":{"id":"n"}}]}`, []string{"m", "n"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			optional := ""
			if tc.want == nil {
				optional = "; oerml:optional true "
			}
			mapping := `
<#M> rml:logicalSource [ rml:source "d.json"; rml:referenceFormulation ql:JSONPath; rml:iterator "` + tc.iterator + `" ` + optional + `];
  rr:subjectMap [ rr:template "http://ex.org/{id}" ];
  rr:predicateObjectMap [ rr:predicate ex:p; rr:object ex:o ] .
`
			got, _, err := run(t, oermlPrefix+mapping, map[string][]byte{"d.json": []byte(tc.data)}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, id := range tc.want {
				want = append(want, "<http://ex.org/"+id+"> <http://ex.org/p> <http://ex.org/o> .")
			}
			wantLines(t, got, want...)
		})
	}
}

func TestXMLWhere(t *testing.T) {
	mapping := `
<#M> rml:logicalSource [ rml:source "f.xml"; rml:referenceFormulation ql:XPath; rml:iterator "/formations/formation" ];
  rr:subjectMap [ rr:template "http://ex.org/f/{@numero}" ];
  rr:predicateObjectMap [ rr:predicate ex:name; rr:objectMap [ rml:reference "intitule" ] ],
    [ rr:predicate ex:site; rr:objectMap [ rml:reference "site"; rr:termType rr:IRI ] ] .
`
	data := `<?xml version="1.0" encoding="UTF-8"?>
<formations><formation numero="F1"><intitule>Data &amp; IA</intitule><site>http://a.fr</site></formation>
<formation numero="F2"><intitule>Paie</intitule><site>not an iri</site></formation></formations>`
	got, st, err := run(t, mapping, map[string][]byte{"f.xml": []byte(data)}, Options{MaxRejects: -1})
	if err != nil {
		t.Fatal(err)
	}
	wantLines(t, got, `<http://ex.org/f/F1> <http://ex.org/name> "Data & IA" .`, `<http://ex.org/f/F1> <http://ex.org/site> <http://a.fr> .`)
	if len(st.Rejects) != 1 || !strings.HasPrefix(st.Rejects[0].String(), "f.xml:/formations/formation[2]/site: field site: invalid IRI") {
		t.Errorf("rejects = %v", st.Rejects)
	}
}

func TestJoinAcrossFiles(t *testing.T) {
	mapping := `
<#Offre> rml:logicalSource [ rml:source "offres.csv" ];
  rr:subjectMap [ rr:template "http://ex.org/offre/{id}" ];
  rr:predicateObjectMap [ rr:predicate ex:commune; rr:objectMap [ rr:parentTriplesMap <#Commune>;
       rr:joinCondition [ rr:child "insee"; rr:parent "code" ] ] ] .
<#Commune> rml:logicalSource [ rml:source "communes.json"; rml:referenceFormulation ql:JSONPath; rml:iterator "$[*]" ];
  rr:subjectMap [ rr:template "http://ex.org/commune/{code}" ] .
`
	got, _, err := run(t, mapping, map[string][]byte{
		"offres.csv":    []byte("id,insee\n1,06088\n2,99999\n3,13055\n"),
		"communes.json": []byte(`[{"code":"06088"},{"code":"13055"}]`),
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantLines(t, got,
		`<http://ex.org/offre/1> <http://ex.org/commune> <http://ex.org/commune/06088> .`,
		`<http://ex.org/offre/3> <http://ex.org/commune> <http://ex.org/commune/13055> .`)
}

func fnObject(fn, params string) string {
	return `[ fnml:functionValue [
      rr:predicateObjectMap [ rr:predicate fno:executes; rr:objectMap [ rr:constant ` + fn + ` ] ] ` + params + ` ] ]`
}

func param(p, tm string) string {
	return `; rr:predicateObjectMap [ rr:predicate ` + p + `; rr:objectMap ` + tm + ` ]`
}

func TestFunctions(t *testing.T) {
	ref := func(r string) string { return `[ rml:reference "` + r + `" ]` }
	cst := func(c string) string { return `[ rr:constant "` + c + `" ]` }
	tests := []struct {
		name, fn, params, value string
		want                    string // "" = no triple
		wantReject              bool
	}{
		{"upper", "grel:toUpperCase", param("grel:valueParameter", ref("v")), "abc", "ABC", false},
		{"lower", "grel:toLowerCase", param("grel:valueParameter", ref("v")), "ÉTÉ", "été", false},
		{"trim", "grel:string_trim", param("grel:valueParameter", ref("v")), "  x y ", "x y", false},
		{"replace", "grel:string_replace", param("grel:valueParameter", ref("v")) + param("grel:p_string_find", cst(" ")) + param("grel:p_string_replace", cst("_")), "a b c", "a_b_c", false},
		{"substring", "grel:string_substring", param("grel:valueParameter", ref("v")) + param("grel:p_int_i_from", cst("0")) + param("grel:p_int_i_opt_to", cst("2")), "06088", "06", false},
		{"leftPad", "oefn:leftPad", param("oefn:value", ref("v")) + param("oefn:width", cst("5")) + param("oefn:char", cst("0")), "6088", "06088", false},
		{"decimalComma", "oefn:decimalComma", param("oefn:value", ref("v")), "1 234,50", "1234.50", false},
		{"decimalComma bad", "oefn:decimalComma", param("oefn:value", ref("v")), "douze", "", true},
		{"toDate", "oefn:toDate", param("oefn:value", ref("v")) + param("oefn:layout", cst("02/01/2006")), "15/06/2024", "2024-06-15", false},
		{"toDate bad", "oefn:toDate", param("oefn:value", ref("v")) + param("oefn:layout", cst("02/01/2006")), "2024-06-15", "", true},
		{"isoMonth", "oefn:isoMonth", param("oefn:value", ref("v")), "2024-06-15T10:00:00Z", "2024-06", false},
		{"sha256", "oefn:sha256", param("oefn:value", ref("v")), "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", false},
		{"md5", "oefn:md5", param("oefn:value", ref("v")), "abc", "900150983cd24fb0d6963f7d28e17f72", false},
		{"slug", "oefn:slug", param("oefn:value", ref("v")), "Côte d'Azur  Œuvre", "cote-d-azur-oeuvre", false},
		{"lowerAscii", "oefn:lowerAscii", param("oefn:value", ref("v")), "Élève", "eleve", false},
		{"concat", "oefn:concat", param("oefn:value", ref("v")) + param("oefn:value2", cst("B")) + param("oefn:separator", cst("-")), "A", "A-B", false},
		{"ifEmpty default", "oefn:ifEmpty", param("oefn:value", ref("empty")) + param("oefn:default", cst("none")), "x", "none", false},
		{"ifIn keeps", "oefn:ifIn", param("oefn:value", ref("v")) + param("oefn:list", cst("CDI|CDD")), "CDI", "CDI", false},
		{"ifIn filters", "oefn:ifIn", param("oefn:value", ref("v")) + param("oefn:list", cst("CDI|CDD")), "MIS", "", false},
		{"nested", "grel:toUpperCase", param("grel:valueParameter", fnObject("grel:string_trim", param("grel:valueParameter", ref("v")))), " ab ", "AB", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mapping := `
<#M> rml:logicalSource [ rml:source "d.csv" ];
  rr:subjectMap [ rr:constant ex:s ];
  rr:predicateObjectMap [ rr:predicate ex:p; rr:objectMap ` + fnObject(tc.fn, tc.params) + ` ] .
`
			csvData := "v,empty\n\"" + tc.value + "\",\n"
			got, st, err := run(t, mapping, map[string][]byte{"d.csv": []byte(csvData)}, Options{MaxRejects: -1})
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantReject {
				if st.Rejected != 1 || len(got) != 0 {
					t.Fatalf("want a reject, got %v, %+v", got, st)
				}
				return
			}
			if tc.want == "" {
				wantLines(t, got)
				return
			}
			wantLines(t, got, `<http://ex.org/s> <http://ex.org/p> `+ntriples.Quote(tc.want)+` .`)
		})
	}
}

func TestFunctionIRIGraph(t *testing.T) {
	// isoMonth in a graph template via a function-valued graph map.
	mapping := `
<#M> rml:logicalSource [ rml:source "d.csv" ];
  rr:subjectMap [ rr:template "http://ex.org/o/{id}";
    rr:graphMap [ fnml:functionValue [
       rr:predicateObjectMap [ rr:predicate fno:executes; rr:object oefn:concat ];
       rr:predicateObjectMap [ rr:predicate oefn:value; rr:objectMap [ rr:constant "http://ex.org/graph/offres" ] ];
       rr:predicateObjectMap [ rr:predicate oefn:value2; rr:objectMap ` + fnObject("oefn:isoMonth", param("oefn:value", `[ rml:reference "date" ]`)) + ` ];
       rr:predicateObjectMap [ rr:predicate oefn:separator; rr:objectMap [ rr:constant "/" ] ] ] ] ];
  rr:predicateObjectMap [ rr:predicate ex:p; rr:object ex:o ] .
`
	got, _, err := run(t, mapping, map[string][]byte{"d.csv": []byte("id,date\n1,2024-06-03\n")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantLines(t, got, `<http://ex.org/o/1> <http://ex.org/p> <http://ex.org/o> <http://ex.org/graph/offres/2024-06> .`)
}

func TestMappingErrors(t *testing.T) {
	tests := []struct{ name, mapping, want string }{
		{"unknown function", `<#M> rml:logicalSource [ rml:source "d.csv" ]; rr:subjectMap [ rr:constant ex:s ];
  rr:predicateObjectMap [ rr:predicate ex:p; rr:objectMap ` + fnObject("oefn:nope", "") + ` ] .`, "unknown function"},
		{"bad language", `<#M> rml:logicalSource [ rml:source "d.csv" ]; rr:subjectMap [ rr:constant ex:s ];
  rr:predicateObjectMap [ rr:predicate ex:p; rr:objectMap [ rml:reference "v"; rr:language "english" ] ] .`, "language tag"},
		{"literal subject", `<#M> rml:logicalSource [ rml:source "d.csv" ]; rr:subjectMap [ rml:reference "v"; rr:termType rr:Literal ] .`, "subject map cannot produce literals"},
		{"no subject", `<#M> rml:logicalSource [ rml:source "d.csv" ] .`, "no rr:subjectMap"},
		{"bad template", `<#M> rml:logicalSource [ rml:source "d.csv" ]; rr:subjectMap [ rr:template "http://x/{v" ] .`, "unclosed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(prefixes+tc.mapping), "")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestTemplates(t *testing.T) {
	tests := []struct {
		tmpl string
		want []tmplPart
	}{
		{`http://x/{a}/{b c}`, []tmplPart{{lit: "http://x/"}, {ref: "a", isRef: true, acc: -1}, {lit: "/"}, {ref: "b c", isRef: true, acc: -1}}},
		{`\{\{ {x} \}\}`, []tmplPart{{lit: "{{ "}, {ref: "x", isRef: true, acc: -1}, {lit: " }}"}}},
		{`{a\}b}`, []tmplPart{{ref: "a}b", isRef: true, acc: -1}}},
	}
	for _, tc := range tests {
		t.Run(tc.tmpl, func(t *testing.T) {
			got, err := parseTemplate(tc.tmpl)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %+v", got)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("part %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestIRISafe(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Bolivia, Plurinational State of", "Bolivia%2C%20Plurinational%20State%20of"},
		{"path/../Danny", "path%2F..%2FDanny"},
		{"Côte", "Côte"},
		{"a~b_c.d-e", "a~b_c.d-e"},
	}
	for _, tc := range tests {
		if got := string(appendIRISafe(nil, tc.in)); got != tc.want {
			t.Errorf("%q → %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFixTurtle(t *testing.T) {
	in := `<a> <b> [ <c> "x;]" ; ] ; # c; ]
  <d> "y" ; ; <e> "z" ; .`
	want := `<a> <b> [ <c> "x;]"  ] ; # c; ]
  <d> "y" ;  <e> "z"  .`
	if got := string(fixTurtle([]byte(in))); got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}

func TestInputs(t *testing.T) {
	mapping := `
<#A> rml:logicalSource [ rml:source "data/a.csv" ];
  rr:subjectMap [ rr:template "http://ex.org/a/{id}" ]; rr:predicateObjectMap [ rr:predicate ex:p; rr:object ex:o ] .
<#B> rml:logicalSource [ rml:source "b.csv" ];
  rr:subjectMap [ rr:template "http://ex.org/b/{id}" ]; rr:predicateObjectMap [ rr:predicate ex:p; rr:object ex:o ] .
`
	files := map[string][]byte{"a.csv": []byte("id\n1\n"), "b.csv": []byte("id\n2\n")}
	t.Run("matched by base name", func(t *testing.T) {
		got, _, err := run(t, mapping, files, Options{Inputs: []string{"a.csv", "b.csv"}})
		if err != nil {
			t.Fatal(err)
		}
		wantLines(t, got, `<http://ex.org/a/1> <http://ex.org/p> <http://ex.org/o> .`, `<http://ex.org/b/2> <http://ex.org/p> <http://ex.org/o> .`)
	})
	t.Run("several files for one source", func(t *testing.T) {
		files := map[string][]byte{"a.csv": []byte("id\n1\n"), "a.csv.gz": gzipped(t, "id\n3\n"), "b.csv": []byte("id\n2\n")}
		got, st, err := run(t, mapping, files, Options{Inputs: []string{"a.csv", "b.csv", "a.csv.gz"}})
		if err != nil {
			t.Fatal(err)
		}
		wantLines(t, got, `<http://ex.org/a/1> <http://ex.org/p> <http://ex.org/o> .`, `<http://ex.org/a/3> <http://ex.org/p> <http://ex.org/o> .`,
			`<http://ex.org/b/2> <http://ex.org/p> <http://ex.org/o> .`)
		if st.Records != 3 {
			t.Errorf("records = %d", st.Records)
		}
	})
	t.Run("unmatched input", func(t *testing.T) {
		_, _, err := run(t, mapping, files, Options{Inputs: []string{"a.csv", "c.csv"}})
		if err == nil || !strings.Contains(err.Error(), "c.csv matches no rml:source") {
			t.Fatalf("err = %v", err)
		}
	})
}

func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSingleSourceManyInputsAndJoin(t *testing.T) {
	// One rml:source, two monthly files with other names, and a self-join
	// whose parent index must span both files.
	mapping := `
<#O> rml:logicalSource [ rml:source "offres.json"; rml:referenceFormulation ql:JSONPath; rml:iterator "$[*]" ];
  rr:subjectMap [ rr:template "http://ex.org/o/{id}" ];
  rr:predicateObjectMap [ rr:predicate ex:replaces; rr:objectMap [ rr:parentTriplesMap <#O>;
     rr:joinCondition [ rr:child "replaces"; rr:parent "id" ] ] ] .
`
	files := map[string][]byte{
		"offres-2024-06.json": []byte(`[{"id":"1"}]`),
		"offres-2024-07.json": []byte(`[{"id":"2","replaces":"1"}]`),
	}
	got, _, err := run(t, mapping, files, Options{Inputs: []string{"offres-2024-06.json", "offres-2024-07.json"}})
	if err != nil {
		t.Fatal(err)
	}
	wantLines(t, got, `<http://ex.org/o/2> <http://ex.org/replaces> <http://ex.org/o/1> .`)
}

func TestSourcesProgressAndCancel(t *testing.T) {
	dir := t.TempDir()
	var sb strings.Builder
	sb.WriteString("id\n")
	for i := 0; i < 5000; i++ {
		sb.WriteString("x\n")
	}
	os.WriteFile(filepath.Join(dir, "big.csv"), []byte(sb.String()), 0o644)
	m, err := Parse(strings.NewReader(prefixes+`<#M> rml:logicalSource [ rml:source "data/big.csv" ];
  rr:subjectMap [ rr:template "http://ex.org/{id}" ]; rr:predicateObjectMap [ rr:predicate ex:p; rr:object ex:o ] .`), "")
	if err != nil {
		t.Fatal(err)
	}
	if s := m.Sources(); len(s) != 1 || s[0] != "data/big.csv" {
		t.Fatalf("sources = %v", s)
	}
	var calls int
	var lastRecords, lastBytes int64
	st, err := m.Execute(context.Background(), Options{Inputs: []string{filepath.Join(dir, "big.csv")},
		Progress: func(r, b int64) { calls++; lastRecords, lastBytes = r, b }}, discard{})
	if err != nil {
		t.Fatal(err)
	}
	if calls == 0 || lastRecords != 5000 || lastBytes != int64(sb.Len()) || st.Bytes != int64(sb.Len()) {
		t.Errorf("progress calls=%d records=%d bytes=%d stats=%+v", calls, lastRecords, lastBytes, st)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.Execute(ctx, Options{Inputs: []string{filepath.Join(dir, "big.csv")}}, discard{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled run: err = %v", err)
	}
}

type discard struct{}

func (discard) Quad(s, p, o, g ntriples.Term) error { return nil }

func TestJSONStreamable(t *testing.T) {
	tests := []struct {
		iterator string
		stream   bool
	}{
		{"$[*]", true},
		{"$.resultats[*]", true},
		{"$.a.b[*].c[*]", true},
		{"$[?(@.entreprise.nom)]", true},
		{"$..x", false},
		{"$", false},
		{"$.a[0]", false},
	}
	for _, tc := range tests {
		r, err := newJSONReader(strings.NewReader(""), tc.iterator)
		if err != nil {
			t.Fatalf("%s: %v", tc.iterator, err)
		}
		if r.stream != tc.stream {
			t.Errorf("%s: stream = %v, want %v", tc.iterator, r.stream, tc.stream)
		}
	}
}

func TestConcurrentExecute(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "p.csv"), []byte("code,nom\nA,x\nB,y\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "c.json"), []byte(`[{"id":"1","p":"A"},{"id":"2","p":"B"},{"id":"3","p":"C"}]`), 0o644)
	m, err := Parse(strings.NewReader(prefixes+`
<#C> rml:logicalSource [ rml:source "c.json"; rml:referenceFormulation ql:JSONPath; rml:iterator "$[*]" ];
  rr:subjectMap [ rr:template "http://ex.org/c/{id}" ];
  rr:predicateObjectMap [ rr:predicate ex:p; rr:objectMap [ rr:parentTriplesMap <#P>; rr:joinCondition [ rr:child "p"; rr:parent "code" ] ] ] .
<#P> rml:logicalSource [ rml:source "p.csv" ];
  rr:subjectMap [ rr:template "http://ex.org/p/{code}" ];
  rr:predicateObjectMap [ rr:predicate ex:nom; rr:objectMap [ rml:reference "nom" ] ] .
`), "")
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		go func() {
			var c collector
			st, err := m.Execute(context.Background(), Options{BaseDir: dir}, &c)
			if err == nil && st.Quads != 4 {
				err = fmt.Errorf("quads = %d, want 4", st.Quads)
			}
			errs <- err
		}()
	}
	for i := 0; i < 8; i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

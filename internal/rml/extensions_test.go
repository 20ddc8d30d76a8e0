package rml

import (
	"strings"
	"testing"
)

const oermlPrefix = "@prefix oerml: <https://data.dataregionsud.fr/openemploi/def/rml/> .\n"

// wide is a wide table: one column per quarter, an empty cell, a row whose key
// is empty and a row whose second cell is not a number.
const wide = "zone,label,2020-T1,2020-T2,note\n" +
	"Z1,One,1.5,,x\n" +
	"Z2,Two,2.5,3,\n"

func unpivotMapping(spec string) string {
	return oermlPrefix + `
<#M> rml:logicalSource [ rml:source "w.csv" ; rml:referenceFormulation ql:CSV ;
       oerml:unpivot [ ` + spec + ` ; oerml:nameReference "quarter" ; oerml:valueReference "rate" ] ] ;
  rr:subjectMap [ rr:template "http://ex.org/obs/{zone}/{quarter}" ] ;
  rr:predicateObjectMap [ rr:predicate ex:rate ; rr:objectMap [ rml:reference "rate" ; rr:datatype xsd:decimal ] ] ;
  rr:predicateObjectMap [ rr:predicate ex:label ; rr:objectMap [ rml:reference "label" ] ] .
`
}

func TestUnpivot(t *testing.T) {
	want := []string{
		`<http://ex.org/obs/Z1/2020-T1> <http://ex.org/label> "One" .`,
		`<http://ex.org/obs/Z1/2020-T1> <http://ex.org/rate> "1.5"^^<http://www.w3.org/2001/XMLSchema#decimal> .`,
		`<http://ex.org/obs/Z2/2020-T1> <http://ex.org/label> "Two" .`,
		`<http://ex.org/obs/Z2/2020-T1> <http://ex.org/rate> "2.5"^^<http://www.w3.org/2001/XMLSchema#decimal> .`,
		`<http://ex.org/obs/Z2/2020-T2> <http://ex.org/label> "Two" .`,
		`<http://ex.org/obs/Z2/2020-T2> <http://ex.org/rate> "3"^^<http://www.w3.org/2001/XMLSchema#decimal> .`,
	}
	for _, c := range []struct{ name, spec string }{
		{"Pattern", `oerml:columnPattern "^[0-9]{4}-T[1-4]$"`},
		{"Columns", `oerml:columns "2020-T1", "2020-T2"`},
		{"IDColumns", `oerml:idColumns "zone", "label", "note"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, st, err := run(t, unpivotMapping(c.spec), map[string][]byte{"w.csv": []byte(wide)}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			wantLines(t, got, want...)
			if st.Records != 2 {
				t.Errorf("%d records, want 2 (rows; their cells are mapped together)", st.Records)
			}
		})
	}
}

// TestUnpivotRowRejectedWhole: a bad cell rejects its whole row (no quad of
// the row's other cells), and the reject names the column.
func TestUnpivotRowRejectedWhole(t *testing.T) {
	m := oermlPrefix + `
<#M> rml:logicalSource [ rml:source "w.csv" ; rml:referenceFormulation ql:CSV ;
       oerml:unpivot [ oerml:columnPattern "-T" ; oerml:nameReference "quarter" ; oerml:valueReference "rate" ] ] ;
  rr:subjectMap [ rr:template "http://ex.org/obs/{zone}/{quarter}" ] ;
  rr:predicateObjectMap [ rr:predicate ex:rate ; rr:objectMap ` + fnObject("oefn:decimalComma", param("oefn:value", `[ rml:reference "rate" ]`)) + ` ] .
`
	data := "zone,2020-T1,2020-T2\nZ1,1,deux\nZ2,2,3\n"
	got, st, err := run(t, m, map[string][]byte{"w.csv": []byte(data)}, Options{MaxRejects: -1})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range got {
		if strings.Contains(l, "/Z1/") {
			t.Errorf("quad of the rejected row: %s", l)
		}
	}
	if len(got) != 2 || st.Rejected != 1 {
		t.Fatalf("%d quads, %d rejects (%v); want 2 quads of Z2, 1 reject", len(got), st.Rejected, st.Rejects)
	}
	if w := st.Rejects[0].Where; w != `line 2 column "2020-T2"` {
		t.Errorf("reject at %q, want line 2 column \"2020-T2\"", w)
	}
}

func TestUnpivotErrors(t *testing.T) {
	for _, c := range []struct{ name, mapping, data, want string }{
		{"NoColumnSelected", unpivotMapping(`oerml:columnPattern "^Q"`), wide, "no column of the header is selected"},
		{"UnknownColumn", unpivotMapping(`oerml:columns "2020-T1", "2020-T9"`), wide, `column "2020-T9" is not in the header`},
		{"ReferenceIsAColumn", strings.ReplaceAll(unpivotMapping(`oerml:columns "2020-T1"`), `"quarter"`, `"note"`), wide, `reference "note" is also a column`},
		{"TwoSelections", unpivotMapping(`oerml:columns "2020-T1" ; oerml:idColumns "zone"`), wide, "exactly one of"},
		{"NotCSV", oermlPrefix + `<#M> rml:logicalSource [ rml:source "w.json" ; rml:referenceFormulation ql:JSONPath ; rml:iterator "$[*]" ;
		   oerml:unpivot [ oerml:columns "a" ; oerml:nameReference "n" ; oerml:valueReference "v" ] ] ;
		   rr:subjectMap [ rr:template "http://ex.org/{n}" ] .`, wide, "CSV sources only"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := run(t, c.mapping, map[string][]byte{"w.csv": []byte(c.data)}, Options{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want %q", err, c.want)
			}
		})
	}
}

const paramMapping = oermlPrefix + `
[] a oerml:Parameter ; oerml:name "source" ; oerml:default "ft" .
<#M> rml:logicalSource [ rml:source "c.csv" ; rml:referenceFormulation ql:CSV ] ;
  rr:subjectMap [ rr:template "http://ex.org/offre/{$source}/{id}" ] ;
  rr:predicateObjectMap [ rr:predicate ex:source ; rr:objectMap [ rml:reference "$source" ] ] .
`

func TestParams(t *testing.T) {
	files := map[string][]byte{"c.csv": []byte("id\n1\n")}
	got, _, err := run(t, paramMapping, files, Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantLines(t, got, `<http://ex.org/offre/ft/1> <http://ex.org/source> "ft" .`)
	got, _, err = run(t, paramMapping, files, Options{Params: map[string]string{"source": "sy n"}})
	if err != nil {
		t.Fatal(err)
	}
	// template values are percent-encoded in IRIs, as any template value
	wantLines(t, got, `<http://ex.org/offre/sy%20n/1> <http://ex.org/source> "sy n" .`)

	for _, c := range []struct {
		name, mapping string
		opt           Options
		want          string
	}{
		{"Undeclared", strings.Replace(paramMapping, `oerml:name "source"`, `oerml:name "src"`, 1), Options{}, `no mapping parameter "source" is declared`},
		{"UnknownOption", paramMapping, Options{Params: map[string]string{"sourse": "x"}}, `parameter "sourse": the mapping declares no such parameter`},
		{"NoDefault", strings.Replace(paramMapping, `; oerml:default "ft"`, "", 1), Options{}, `parameter "source" has no default`},
		{"Empty", paramMapping, Options{Params: map[string]string{"source": ""}}, "empty value"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := run(t, c.mapping, files, c.opt)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want %q", err, c.want)
			}
		})
	}
}

func lookupMapping(table string) string {
	return `
<#M> rml:logicalSource [ rml:source "c.csv" ; rml:referenceFormulation ql:CSV ] ;
  rr:subjectMap [ rr:template "http://ex.org/{id}" ] ;
  rr:predicateObjectMap [ rr:predicate ex:family ; rr:objectMap ` + fnObject("oefn:lookup",
		param("oefn:value", `[ rml:reference "code" ]`)+
			param("oefn:table", `[ rr:constant "`+table+`" ]`)+
			param("oefn:delimiter", `[ rr:constant ";" ]`)+
			param("oefn:keyColumn", `[ rr:constant "code" ]`)+
			param("oefn:valueColumn", `[ rr:constant "family" ]`)) + ` ] .
`
}

func TestLookup(t *testing.T) {
	files := map[string][]byte{
		"c.csv":   []byte("id,code\n1,A1\n2,Z9\n3,\n"),
		"fam.csv": []byte("code;family\nA1;Services\nB2;Commerces\n"),
	}
	got, _, err := run(t, lookupMapping("fam.csv"), files, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Z9 is not in the table and 3 has no code: no value, no triple.
	wantLines(t, got, `<http://ex.org/1> <http://ex.org/family> "Services" .`)

	for _, c := range []struct{ name, table, want string }{
		{"Ambiguous", "code;family\nA1;Services\nA1;Commerces\n", `key "A1" maps to "Services" and "Commerces"`},
		{"MissingColumn", "code;famille\nA1;Services\n", `columns "code" and "family" must be in the header`},
		{"Empty", "code;family\n", "no data row"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := map[string][]byte{"c.csv": files["c.csv"], "fam.csv": []byte(c.table)}
			_, _, err := run(t, lookupMapping("fam.csv"), f, Options{})
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "fam.csv") {
				t.Fatalf("error %v, want %q naming fam.csv", err, c.want)
			}
		})
	}
	t.Run("MissingFile", func(t *testing.T) {
		_, _, err := run(t, lookupMapping("nope.csv"), files, Options{})
		if err == nil || !strings.Contains(err.Error(), "nope.csv") {
			t.Fatalf("error %v, want one naming nope.csv", err)
		}
	})
}

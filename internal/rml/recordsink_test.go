package rml

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/ntriples"
)

// recordSink groups the quads it gets by record.
type recordSink struct {
	cur     []string
	records map[string][]string // "file where" → subjects of its quads
	order   []string
	failAt  string
}

func (r *recordSink) Quad(s, p, o, g ntriples.Term) error {
	r.cur = append(r.cur, s.Value+" "+o.Value)
	return nil
}

func (r *recordSink) EndRecord(source, where string) error {
	k := source + " " + where
	if k == r.failAt {
		return errors.New("refused")
	}
	r.records[k] = r.cur
	r.order = append(r.order, k)
	r.cur = nil
	return nil
}

func TestRecordSinkGetsEachRecordsQuads(t *testing.T) {
	dir := t.TempDir()
	csv := "id,name,age,home\n1,Ann,30,http://ex.org/h\n2,Bob,40,http://ex.org/b c\n3,Cy,41,http://ex.org/h\n"
	if err := os.WriteFile(filepath.Join(dir, "people.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	mapping := `@prefix rr: <http://www.w3.org/ns/r2rml#> .
@prefix rml: <http://semweb.mmlab.be/ns/rml#> .
@prefix ql: <http://semweb.mmlab.be/ns/ql#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<#P> rml:logicalSource [ rml:source "people.csv" ; rml:referenceFormulation ql:CSV ] ;
  rr:subjectMap [ rr:template "http://ex.org/p/{id}" ] ;
  rr:predicateObjectMap [ rr:predicate <http://ex.org/name> ; rr:objectMap [ rml:reference "name" ] ] ;
  rr:predicateObjectMap [ rr:predicate <http://ex.org/age> ; rr:objectMap [ rml:reference "age" ; rr:datatype xsd:integer ] ] ;
  rr:predicateObjectMap [ rr:predicate <http://ex.org/home> ; rr:objectMap [ rml:reference "home" ; rr:termType rr:IRI ] ] .
`
	for _, tc := range []struct {
		name       string
		maxRejects int
		failAt     string
		want       map[string]string // record → its quads' "s o", joined
		wantErr    string
	}{
		{name: "bad record rejected, no call for it", maxRejects: -1, want: map[string]string{
			"people.csv line 2": "http://ex.org/p/1 Ann|http://ex.org/p/1 30|http://ex.org/p/1 http://ex.org/h",
			"people.csv line 4": "http://ex.org/p/3 Cy|http://ex.org/p/3 41|http://ex.org/p/3 http://ex.org/h",
		}},
		{name: "EndRecord error stops with file and position", maxRejects: -1, failAt: "people.csv line 4",
			wantErr: "people.csv: line 4: refused"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Parse(strings.NewReader(mapping), "")
			if err != nil {
				t.Fatal(err)
			}
			rs := &recordSink{records: map[string][]string{}, failAt: tc.failAt}
			_, err = m.Execute(context.Background(), Options{BaseDir: dir, MaxRejects: tc.maxRejects}, rs)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(rs.records) != len(tc.want) {
				t.Fatalf("records %v, want %v", rs.order, tc.want)
			}
			for k, w := range tc.want {
				if got := strings.Join(rs.records[k], "|"); got != w {
					t.Errorf("%s: %q, want %q", k, got, w)
				}
			}
		})
	}
}

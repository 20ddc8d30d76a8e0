package rml

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/ntriples"
)

// TestCanReject lists which bound term maps can reject a record, which
// decides whether a record's quads are buffered (exec.go, emit).
func TestCanReject(t *testing.T) {
	tmpl := func(s string, tt ntriples.Kind) *termMap {
		parts, err := parseTemplate(s)
		if err != nil {
			t.Fatal(err)
		}
		return &termMap{kind: tmTemplate, tmpl: parts, termType: tt, checkedIRI: tt == ntriples.IRI && plainIRITemplate(parts)}
	}
	tests := []struct {
		name string
		tm   *termMap
		want bool
	}{
		{"none", nil, false},
		{"constant", &termMap{kind: tmConstant, constant: ntriples.NewIRI("http://ex.org/p"), termType: ntriples.IRI}, false},
		{"literal reference", &termMap{kind: tmReference, ref: "a", termType: ntriples.Literal}, false},
		{"blank node reference", &termMap{kind: tmReference, ref: "a", termType: ntriples.Blank}, false},
		{"IRI reference", &termMap{kind: tmReference, ref: "a", termType: ntriples.IRI}, true},
		{"checked IRI template", tmpl("http://ex.org/{a}", ntriples.IRI), false},
		{"relative IRI template", tmpl("offre/{a}", ntriples.IRI), true},
		{"IRI template with a bad constant", tmpl("http://ex.org/a b/{a}", ntriples.IRI), true},
		{"literal template", tmpl("a {a} b", ntriples.Literal), false},
		{"blank node template", tmpl("b{a}", ntriples.Blank), false},
		{"function", &termMap{kind: tmFunction, fn: &fnCall{}, termType: ntriples.Literal}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.tm.canReject(); got != tc.want {
				t.Fatalf("canReject = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestRejectedRecordEmitsNothingAcrossMaps: when one triples map of a
// logical source can reject a record, the quads the other maps made of it
// are not written either.
func TestRejectedRecordEmitsNothingAcrossMaps(t *testing.T) {
	mapping := `
<#A> rml:logicalSource [ rml:source "c.csv" ];
  rr:subjectMap [ rr:template "http://ex.org/a/{id}" ];
  rr:predicateObjectMap [ rr:predicate ex:a; rr:objectMap [ rml:reference "id" ] ] .
<#B> rml:logicalSource [ rml:source "c.csv" ];
  rr:subjectMap [ rr:template "http://ex.org/b/{id}" ];
  rr:predicateObjectMap [ rr:predicate ex:b; rr:objectMap [ rml:reference "link"; rr:termType rr:IRI ] ] .
`
	got, st, err := run(t, mapping, map[string][]byte{"c.csv": []byte("id,link\n1,http://ok\n2,bad link\n")}, Options{MaxRejects: -1})
	if err != nil {
		t.Fatal(err)
	}
	wantLines(t, got, `<http://ex.org/a/1> <http://ex.org/a> "1" .`, `<http://ex.org/b/1> <http://ex.org/b> <http://ok> .`)
	if st.Rejected != 1 || st.Quads != 2 {
		t.Errorf("stats = %+v", st)
	}
}

// failingSink fails on its n-th quad.
type failingSink struct {
	n, seen int
	w       *ntriples.Writer
}

var errSinkFull = errors.New("disk full")

func (f *failingSink) Quad(s, p, o, g ntriples.Term) error {
	if f.seen++; f.seen == f.n {
		return errSinkFull
	}
	return f.w.Quad(s, p, o, g)
}

// TestStreamedSinkError: a mapping that cannot reject streams its quads,
// and the sink's failure still stops the run naming the file and line.
func TestStreamedSinkError(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "c.csv"), []byte("id,nom\n1,a\n2,b\n3,c\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := Parse(strings.NewReader(prefixes+`
<#M> rml:logicalSource [ rml:source "c.csv" ];
  rr:subjectMap [ rr:template "http://ex.org/{id}"; rr:class ex:C ];
  rr:predicateObjectMap [ rr:predicate ex:nom; rr:objectMap [ rml:reference "nom" ] ] .
`), "")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	sink := &failingSink{n: 4, w: ntriples.NewWriter(&buf)}
	st, err := m.Execute(context.Background(), Options{BaseDir: dir}, sink)
	if !errors.Is(err, errSinkFull) || !strings.Contains(err.Error(), "c.csv: line 3: write: disk full") {
		t.Fatalf("err = %v, want the sink's error at c.csv line 3", err)
	}
	sink.w.Flush()
	want := "<http://ex.org/1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex.org/C> .\n" +
		"<http://ex.org/1> <http://ex.org/nom> \"a\" .\n" +
		"<http://ex.org/2> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex.org/C> .\n"
	if buf.String() != want {
		t.Errorf("written before the failure:\n%s\nwant:\n%s", buf.String(), want)
	}
	if st.Quads != 3 {
		t.Errorf("quads = %d, want the 3 the sink took", st.Quads)
	}
}

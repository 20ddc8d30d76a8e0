package ntriples

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"github.com/knakk/rdf"
)

// FuzzNTriples writes a quad made of fuzzed values and reads it back with
// knakk/rdf's N-Quads decoder: whatever the values, the line parses, the
// literal and language come back as written (invalid UTF-8 as U+FFFD), and
// distinct blank node labels stay distinct. Seeds: testdata/fuzz/FuzzNTriples/.
func FuzzNTriples(f *testing.F) {
	f.Add("Provence-Alpes-Côte d’Azur \"x\"\n\\", "fr", "https://data.dataregionsud.fr/openemploi/id/rome/A1101", "org-ft-1", "org_ft_1")
	f.Fuzz(func(t *testing.T, lit, lang, iri, b1, b2 string) {
		if !langTag(lang) {
			lang = "" // tags come from validated rr:language values
		}
		if !engineIRI(iri) {
			// The mapping engine refuses such IRIs (rml's checkIRI); the
			// writer escapes them, but parsers reject the escapes.
			iri = "x"
		}
		var buf bytes.Buffer
		w := NewWriter(&buf)
		s1, s2 := NewBlank(b1), NewBlank(b2)
		g := NewIRI("http://ex.org/g")
		if err := w.WriteQuad(s1, NewIRI("http://ex.org/p"), NewLang(lit, lang), g); err != nil {
			t.Fatal(err)
		}
		if err := w.WriteQuad(s2, NewIRI("http://ex.org/p"), NewIRI("http://ex.org/"+iri), g); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		dec := rdf.NewQuadDecoder(bytes.NewReader(buf.Bytes()), rdf.NQuads)
		q1, err := dec.Decode()
		if err != nil {
			t.Fatalf("line 1 of %q: %v", buf.String(), err)
		}
		q2, err := dec.Decode()
		if err != nil {
			t.Fatalf("line 2 of %q: %v", buf.String(), err)
		}
		l, ok := q1.Obj.(rdf.Literal)
		if !ok {
			t.Fatalf("object %v is not a literal", q1.Obj)
		}
		if want := string([]rune(lit)); l.String() != want || l.Lang() != lang {
			t.Errorf("literal %q@%q read back as %q@%q", want, lang, l.String(), l.Lang())
		}
		if b1 != b2 && q1.Subj.String() == q2.Subj.String() {
			t.Errorf("blank nodes %q and %q written with the same label %s", b1, b2, q1.Subj)
		}
	})
}

// langTag accepts BCP 47-like tags as N-Triples does: letters, then
// "-" and letters or digits.
func langTag(s string) bool {
	if s == "" {
		return false
	}
	first := true
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '-' && !first && n > 0 && i < len(s)-1:
			first, n = false, 0
			continue
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case c >= '0' && c <= '9' && !first:
		default:
			return false
		}
		if c == '-' {
			return false
		}
		n++
		if i+1 < len(s) && s[i+1] == '-' {
			first = false
		}
	}
	return true
}

// engineIRI reports whether the rml engine can emit an IRI ending with s:
// valid UTF-8 without control character, space or <>"{}|^`\ (rml's checkIRI).
func engineIRI(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r <= 0x20 || r == 0x7F || r < 128 && iriForbidden[r] {
			return false
		}
	}
	return true
}

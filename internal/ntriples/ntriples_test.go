package ntriples

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/knakk/rdf"
)

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		o    Term
		want rdf.Term
	}{
		{"plain", NewLiteral("hello"), mustLit(t, "hello", "")},
		{"quotes and backslash", NewLiteral(`a "b" \c`), mustLit(t, `a "b" \c`, "")},
		{"newlines tabs", NewLiteral("l1\nl2\r\tx"), mustLit(t, "l1\nl2\r\tx", "")},
		{"control char", NewLiteral("a\x01b"), mustLit(t, "a\x01b", "")},
		{"unicode", NewLiteral("Provence-Alpes-Côte d’Azur 🌞"), mustLit(t, "Provence-Alpes-Côte d’Azur 🌞", "")},
		{"typed", NewTyped("12.5", "http://www.w3.org/2001/XMLSchema#decimal"),
			rdf.NewTypedLiteral("12.5", rdf.IRI{}) /* replaced below */},
		{"lang", NewLang("métier", "fr"), mustLit(t, "métier", "fr")},
		{"iri", NewIRI("https://data.dataregionsud.fr/openemploi/id/rome/A1101"), mustIRI(t, "https://data.dataregionsud.fr/openemploi/id/rome/A1101")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			w := NewWriter(&buf)
			s := NewIRI("http://ex.org/s")
			if err := w.WriteTriple(s, NewIRI("http://ex.org/p"), tc.o); err != nil {
				t.Fatal(err)
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			dec := rdf.NewTripleDecoder(&buf, rdf.NTriples)
			tr, err := dec.Decode()
			if err != nil {
				t.Fatalf("decode %q: %v", buf.String(), err)
			}
			got := tr.Obj
			switch tc.o.Kind {
			case Literal:
				l, ok := got.(rdf.Literal)
				if !ok {
					t.Fatalf("got %T, want literal", got)
				}
				if l.String() != tc.o.Value {
					t.Errorf("value = %q, want %q (line %q)", l.String(), tc.o.Value, buf.String())
				}
				if l.Lang() != tc.o.Lang {
					t.Errorf("lang = %q, want %q", l.Lang(), tc.o.Lang)
				}
				if tc.o.Datatype != "" && l.DataType.String() != tc.o.Datatype {
					t.Errorf("datatype = %q, want %q", l.DataType.String(), tc.o.Datatype)
				}
			case IRI:
				if got.String() != tc.want.String() {
					t.Errorf("iri = %q, want %q", got.String(), tc.want.String())
				}
			}
		})
	}
}

func TestBlankLabels(t *testing.T) {
	tests := []struct{ in, want string }{
		{"BobSmith30", "_:BobSmith30"},
		{"Bob Smith", "_:x_Bob_20Smith"},
		{"a-b", "_:a-b"},
		{"-a", "_:x__2Da"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got := NewBlank(tc.in).String()
			if got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
			line := got + " <http://ex.org/p> \"x\" .\n"
			if _, err := rdf.NewTripleDecoder(bytes.NewBufferString(line), rdf.NTriples).Decode(); err != nil {
				t.Fatalf("decoder rejects %q: %v", line, err)
			}
		})
	}
}

func TestIRIEscaping(t *testing.T) {
	got := NewIRI("http://ex.org/a b<c>").String()
	want := `<http://ex.org/a\u0020b\u003Cc\u003E>`
	if got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}

func TestInvalidUTF8(t *testing.T) {
	got := NewLiteral("caf\xe9").String()
	if got != "\"caf\uFFFD\"" {
		t.Fatalf("got %q", got)
	}
}

func TestQuadAndDefaultGraph(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	s, p, o := NewIRI("http://ex.org/s"), NewIRI("http://ex.org/p"), NewLiteral("o")
	_ = w.WriteQuad(s, p, o, NewIRI("http://ex.org/g"))
	_ = w.WriteQuad(s, p, o, Term{})
	_ = w.Flush()
	want := "<http://ex.org/s> <http://ex.org/p> \"o\" <http://ex.org/g> .\n<http://ex.org/s> <http://ex.org/p> \"o\" .\n"
	if buf.String() != want {
		t.Fatalf("got %q", buf.String())
	}
	if w.Count() != 2 {
		t.Fatalf("count = %d", w.Count())
	}
	qs, err := rdf.NewQuadDecoder(&buf, rdf.NQuads).DecodeAll()
	if err != nil || len(qs) != 2 {
		t.Fatalf("decode: %v, %d quads", err, len(qs))
	}
}

// TestWriterIRICache checks that the Writer's cache of plain IRIs changes
// nothing: every line is what AppendTerm makes of its terms, whatever was
// written before in the same position (an IRI that needs escaping after a
// plain one of the same cache slot, the same text in another string, an
// IRI as datatype then as object).
func TestWriterIRICache(t *testing.T) {
	iris := []string{
		"http://ex.org/a", "http://ex.org/a b", "http://ex.org/a", "http://ex.org/a\\x",
		string([]byte("http://ex.org/a")), // same text, another backing array
		"http://ex.org/é", "http://ex.org/\xff", "http://ex.org/caf\xe9", "", "http://ex.org/b>",
		"http://ex.org/b", "http://ex.org/b>", "http://www.w3.org/2001/XMLSchema#decimal",
	}
	var terms []Term
	for _, v := range iris {
		terms = append(terms, NewIRI(v), NewTyped("1", v))
	}
	terms = append(terms, NewLiteral("x"), NewLang("y", "fr"), NewBlank("b1"), NewTyped("2", XSDString))
	var got bytes.Buffer
	var want []byte
	w := NewWriter(&got)
	for round := 0; round < 2; round++ {
		for i, s := range terms {
			if s.Kind == Literal {
				s = NewIRI(iris[i%len(iris)])
			}
			p := NewIRI(iris[(i+3)%len(iris)])
			o := terms[(i+5)%len(terms)]
			g := terms[(i+7)%len(terms)]
			if g.Kind != IRI {
				g = Term{}
			}
			if err := w.WriteQuad(s, p, o, g); err != nil {
				t.Fatal(err)
			}
			want = AppendTerm(want, s)
			want = append(want, ' ')
			want = AppendTerm(want, p)
			want = append(want, ' ')
			want = AppendTerm(want, o)
			if !g.IsZero() {
				want = append(want, ' ')
				want = AppendTerm(want, g)
			}
			want = append(want, " .\n"...)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		gl, wl := strings.Split(got.String(), "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("line %d:\n got %s\nwant %s", i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("got %d lines, want %d", len(gl), len(wl))
	}
}

// TestWriterBuffering writes past the buffer several times, with a line
// longer than the buffer's spare room, and checks every byte arrives.
func TestWriterBuffering(t *testing.T) {
	var got bytes.Buffer
	var want []byte
	w := NewWriter(&got)
	s, p := NewIRI("http://ex.org/s"), NewIRI("http://ex.org/p")
	for i := range 20000 {
		o := NewLiteral(strings.Repeat("x", i%50))
		if i == 9000 {
			o = NewLiteral(strings.Repeat("long ", bufSize/4)) // longer than the buffer
		}
		if err := w.WriteTriple(s, p, o); err != nil {
			t.Fatal(err)
		}
		want = append(AppendTerm(append(AppendTerm(append(AppendTerm(want, s), ' '), p), ' '), o), " .\n"...)
	}
	if got.Len() == 0 {
		t.Error("nothing written before Flush: the buffer is not bounded")
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Fatalf("output differs: %d bytes, want %d", got.Len(), len(want))
	}
}

type failWriter struct{ calls int }

func (f *failWriter) Write(p []byte) (int, error) {
	f.calls++
	return 0, io.ErrShortWrite
}

// TestWriterError: the first write error is returned by the call that
// meets it and by every later call, with no further write.
func TestWriterError(t *testing.T) {
	f := &failWriter{}
	w := NewWriter(f)
	s, p, o := NewIRI("http://ex.org/s"), NewIRI("http://ex.org/p"), NewLiteral(strings.Repeat("x", 1000))
	var err error
	for i := 0; i < 1000 && err == nil; i++ {
		err = w.WriteTriple(s, p, o)
	}
	if err != io.ErrShortWrite {
		t.Fatalf("WriteTriple: err = %v, want the writer's error", err)
	}
	if err := w.WriteTriple(s, p, o); err != io.ErrShortWrite {
		t.Fatalf("after the error: err = %v", err)
	}
	if err := w.Flush(); err != io.ErrShortWrite || f.calls != 1 {
		t.Fatalf("Flush: err = %v after %d writes, want the error after 1", err, f.calls)
	}
}

func mustLit(t *testing.T, v, lang string) rdf.Term {
	t.Helper()
	if lang == "" {
		l, err := rdf.NewLiteral(v)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	l, err := rdf.NewLangLiteral(v, lang)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func mustIRI(t *testing.T, v string) rdf.Term {
	t.Helper()
	i, err := rdf.NewIRI(v)
	if err != nil {
		t.Fatal(err)
	}
	return i
}

func BenchmarkWriteQuad(b *testing.B) {
	s := NewIRI("https://data.dataregionsud.fr/openemploi/id/offre/ft/123456")
	p := NewIRI("http://schema.org/title")
	o := NewLang(`Développeur "full stack" H/F`, "fr")
	g := NewIRI("https://data.dataregionsud.fr/openemploi/graph/offres")
	w := NewWriter(io.Discard)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := w.WriteQuad(s, p, o, g); err != nil {
			b.Fatal(err)
		}
	}
	w.Flush()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "quads/s")
}

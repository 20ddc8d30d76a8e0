package sparqlq

import (
	"io"
	"math"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"github.com/knakk/rdf"
)

const metierQ = `# name: metier
# param: code rome-code the fiche
# param: zones ze-code-list
# returns: rows
PREFIX oep: <https://data.dataregionsud.fr/openemploi/def/>
# a comment with $notaparam and "quotes
SELECT ?x WHERE {
  VALUES ?zone { $zones }
  ?x oep:code $code . # trailing $comment
  FILTER(?x != "$code" && ?y < 3 && ?z > 1)
  ?x <http://example.org/a$b> ?y .
}
`

func TestParseAndBind(t *testing.T) {
	q, err := Parse("queries/metier.rq", metierQ)
	if err != nil {
		t.Fatal(err)
	}
	if q.Name != "metier" || q.Returns != "rows" || len(q.Params) != 2 {
		t.Fatalf("header: %+v", q)
	}
	if q.Params[0] != (Param{Name: "code", Type: RomeCode, Doc: "the fiche"}) || !q.Params[1].List || q.Params[1].Type != ZECode {
		t.Fatalf("params: %+v", q.Params)
	}
	got, err := q.Bind(Args{"code": "M1811", "zones": []string{"9312", "9315"}})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.NewReplacer("{ $zones }", `{ "9312" "9315" }`, "?x oep:code $code", `?x oep:code "M1811"`).Replace(metierQ)
	if got != want {
		t.Errorf("bound query:\n%s\nwant:\n%s", got, want)
	}
	// Newlines and comments survive: the line after a comment is still code.
	if !strings.Contains(got, "# trailing $comment\n  FILTER") {
		t.Error("comment or newline lost")
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, file, text, want string }{
		{"NoName", "a.rq", "SELECT * {}", "missing"},
		{"NameMismatch", "a.rq", "# name: b\nSELECT * {}", "file name"},
		{"UnknownType", "a.rq", "# name: a\n# param: x blob\nSELECT * {$x}", "unknown type"},
		{"Undeclared", "a.rq", "# name: a\nSELECT * { ?s ?p $x }", "$x is not a declared param"},
		{"Unused", "a.rq", "# name: a\n# param: x string\nSELECT * { ?s ?p ?o }", "never used"},
		{"Twice", "a.rq", "# name: a\n# param: x string\n# param: x iri\nSELECT * { $x }", "twice"},
		{"Unterminated", "a.rq", "# name: a\nSELECT * { ?s ?p \"abc }", "unterminated"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.file, tc.text)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestBindErrors(t *testing.T) {
	q, err := Parse("x.rq", "# name: x\n# param: s string\n# param: n integer\nSELECT * { ?s ?p $s ; ?q $n }")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args Args
		want string
	}{
		{"Missing", Args{"s": "a"}, "missing parameter n"},
		{"Unknown", Args{"s": "a", "n": 1, "z": 2}, "unknown parameter z"},
		{"WrongType", Args{"s": 3, "n": 1}, "parameter s (string)"},
		{"BadInt", Args{"s": "a", "n": "1 } DROP ALL"}, "not an integer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := q.Bind(tc.args)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "DROP") {
				t.Error("error message repeats the value")
			}
		})
	}
}

func TestTerm(t *testing.T) {
	day := time.Date(2025, 1, 31, 15, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		typ  Type
		v    any
		want string // "" means an error is expected
	}{
		{"IRI", IRI, "https://data.dataregionsud.fr/openemploi/id/rome/M1811", "<https://data.dataregionsud.fr/openemploi/id/rome/M1811>"},
		{"IRIBreakOut", IRI, "http://a/> ?p ?o } #", ""},
		{"IRISpace", IRI, "http://a/b c", ""},
		{"IRIQuote", IRI, `http://a/"`, ""},
		{"IRIBrace", IRI, "http://a/{x}", ""},
		{"IRIBacktick", IRI, "http://a/`", ""},
		{"IRIBackslash", IRI, `http://a/\u003E`, ""},
		{"IRICaret", IRI, "http://a/^", ""},
		{"IRIPipe", IRI, "http://a/|", ""},
		{"IRINewline", IRI, "http://a/\nb", ""},
		{"IRIControl", IRI, "http://a/\x01", ""},
		{"IRIC1Control", IRI, "http://a/\u0085", ""},
		{"IRIFile", IRI, "file:///etc/passwd", ""},
		{"IRIUrn", IRI, "urn:x:y", ""},
		{"IRIRelative", IRI, "/id/rome/M1811", ""},
		{"IRIEmpty", IRI, "", ""},
		{"IRINoHost", IRI, "http:///x", ""},
		{"IRIUnicode", IRI, "https://exemple.fr/métier", "<https://exemple.fr/métier>"},
		{"Rome", RomeCode, "M1811", `"M1811"`},
		{"RomeLower", RomeCode, "m1811", ""},
		{"RomeLetterO", RomeCode, "O1811", ""},
		{"RomeInject", RomeCode, `M1811" } #`, ""},
		{"RomeNewline", RomeCode, "M1811\n", ""},
		{"ZE", ZECode, "9312", `"9312"`},
		{"ZEShort", ZECode, "931", ""},
		{"Commune", CommuneCode, "06088", `"06088"`},
		{"CommuneCorse", CommuneCode, "2A004", `"2A004"`},
		{"CommuneBad", CommuneCode, "6088", ""},
		{"String", String, "Data engineer", `"Data engineer"`},
		{"StringQuote", String, `x" . ?s ?p ?secret } #`, `"x\" . ?s ?p ?secret } #"`},
		{"StringBackslashU", String, `\u0022 } DROP ALL #`, `"\\u0022 } DROP ALL #"`},
		{"StringNewline", String, "a\nb\r\tc", `"a\nb\r\tc"`},
		{"StringNUL", String, "a\x00b", ""},
		{"StringBadUTF8", String, "a\xffb", ""},
		{"StringAccents", String, "Ingénieur·e « data »", `"Ingénieur·e « data »"`},
		{"Lang", LangString, LangText{"Développeur", "fr"}, `"Développeur"@fr`},
		{"LangSubtag", LangString, LangText{"x", "zh-Hant-TW"}, `"x"@zh-Hant-TW`},
		{"LangInject", LangString, LangText{"x", "fr . ?s ?p ?o"}, ""},
		{"LangEmpty", LangString, LangText{"x", ""}, ""},
		{"Int", Integer, 42, "42"},
		{"IntNeg", Integer, int64(-7), "-7"},
		{"IntString", Integer, "12", "12"},
		{"IntInject", Integer, "1 . ?s ?p ?o", ""},
		{"Dec", Decimal, 12.5, "12.5"},
		{"DecWhole", Decimal, 3.0, "3.0"},
		{"DecString", Decimal, "3500", "3500.0"},
		{"DecNaN", Decimal, math.NaN(), ""},
		{"DecInf", Decimal, math.Inf(1), ""},
		{"DecExp", Decimal, "1e5", ""},
		{"Date", Date, day, `"2025-01-31"^^<http://www.w3.org/2001/XMLSchema#date>`},
		{"DateString", Date, "2024-06-01", `"2024-06-01"^^<http://www.w3.org/2001/XMLSchema#date>`},
		{"DateBad", Date, "2024-13-01", ""},
		{"DateInject", Date, `2024-06-01"^^<x> } #`, ""},
		{"DateTime", DateTime, day.Add(1500 * time.Millisecond), `"2025-01-31T15:00:01.5Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>`},
		{"DateTimeZone", DateTime, time.Date(2025, 1, 31, 17, 0, 0, 0, time.FixedZone("CEST", 7200)), `"2025-01-31T15:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>`},
		{"DateTimeString", DateTime, "2025-01-31T15:00:00Z", ""},
		{"True", Boolean, true, "true"},
		{"BoolString", Boolean, "true", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Term(tc.typ, tc.v)
			if tc.want == "" {
				if err == nil {
					t.Fatalf("Term(%s, %q) = %s, want an error", tc.typ, tc.v, got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Term(%s, %v) = %s, %v; want %s", tc.typ, tc.v, got, err, tc.want)
			}
		})
	}
}

func TestLists(t *testing.T) {
	q, err := Parse("l.rq", "# name: l\n# param: ids iri-list\n# param: n integer-list\nSELECT * { VALUES ?id { $ids } VALUES ?n { $n } }")
	if err != nil {
		t.Fatal(err)
	}
	got, err := q.Bind(Args{"ids": []string{"http://a/1", "https://b/2"}, "n": []int{1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "SELECT * { VALUES ?id { <http://a/1> <https://b/2> } VALUES ?n { 1 2 } }"; !strings.HasSuffix(got, want) {
		t.Errorf("got %s", got)
	}
	if _, err := q.Bind(Args{"ids": []string{"http://a/1", "http://a/> <x"}, "n": []int{}}); err == nil || !strings.Contains(err.Error(), "item 1") {
		t.Errorf("bad item accepted or not located: %v", err)
	}
	if _, err := q.Bind(Args{"ids": "http://a/1", "n": []int{}}); err == nil {
		t.Error("scalar accepted for a list")
	}
}

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"metier.rq":     {Data: []byte(metierQ)},
		"derived/x.ru":  {Data: []byte("# name: x\nDROP SILENT GRAPH <http://a/g>")},
		"notaquery.txt": {Data: []byte("nope")},
	}
	b, err := Load(fsys, "*.rq", "derived/*.ru")
	if err != nil {
		t.Fatal(err)
	}
	if n := b.Names(); len(n) != 2 || n[0] != "metier" || n[1] != "x" {
		t.Fatalf("names = %v", n)
	}
	if _, err := b.Bind("nope", nil); err == nil {
		t.Error("unknown query bound")
	}
	fsys["dup.rq"] = &fstest.MapFile{Data: []byte("# name: metier\nSELECT * {}")}
	if _, err := Load(fsys, "*.rq"); err == nil {
		t.Error("name mismatch accepted")
	}
}

// checkBoundLiteral asserts the property the binder promises for a string value v bound
// into template prefix+$s+suffix: the result is prefix, one literal, suffix; the literal
// has no unescaped quote before its end (so the query cannot be reopened) and decodes,
// with an independent N-Triples parser, back to exactly v.
func checkBoundLiteral(t *testing.T, prefix, suffix, got, v string) {
	t.Helper()
	if !strings.HasPrefix(got, prefix) || !strings.HasSuffix(got, suffix) || len(got) < len(prefix)+len(suffix)+2 {
		t.Fatalf("bound query changed outside the literal: %q", got)
	}
	lit := got[len(prefix) : len(got)-len(suffix)]
	if lit[0] != '"' || lit[len(lit)-1] != '"' {
		t.Fatalf("not one literal: %q", lit)
	}
	for i := 1; i < len(lit)-1; i++ {
		switch lit[i] {
		case '\\':
			i++
			if i >= len(lit)-1 {
				t.Fatalf("escape eats the closing quote: %q", lit)
			}
		case '"', '\n', '\r':
			t.Fatalf("raw %q inside literal %q", lit[i], lit)
		}
	}
	dec := rdf.NewTripleDecoder(strings.NewReader("<http://a/s> <http://a/p> "+lit+" .\n"), rdf.NTriples)
	tr, err := dec.Decode()
	if err != nil {
		t.Fatalf("N-Triples decoder rejects %q: %v", lit, err)
	}
	if _, err := dec.Decode(); err != io.EOF {
		t.Fatalf("more than one triple from %q: %v", lit, err)
	}
	l, ok := tr.Obj.(rdf.Literal)
	if !ok || l.String() != v {
		t.Fatalf("literal %q decodes to %q, want %q", lit, tr.Obj, v)
	}
}

func FuzzBindString(f *testing.F) {
	const prefix, suffix = "# name: f\n# param: s string\nSELECT ?x WHERE { BIND(", " AS ?x) }\n"
	q, err := Parse("f.rq", prefix+"$s"+suffix)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"", "Data engineer", `x" . ?s ?p ?o } #`, `\u0022`, `\\"`, "a\nb", "é\t«»", `\`, `""" '''`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		got, err := q.Bind(Args{"s": v})
		if err != nil {
			if utf8.ValidString(v) && !hasForbiddenControl(v) {
				t.Fatalf("valid string refused: %q: %v", v, err)
			}
			return
		}
		checkBoundLiteral(t, prefix, suffix, got, v)
	})
}

func hasForbiddenControl(s string) bool {
	for _, r := range s {
		if (r < 0x20 && !strings.ContainsRune("\n\r\t\b\f", r)) || r == 0x7f || r == 0xfffe || r == 0xffff {
			return true
		}
	}
	return false
}

func FuzzCheckIRI(f *testing.F) {
	for _, s := range []string{"http://a/b", "http://a/> } #", "https://x/é?q=1#f", "file:///etc/passwd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		term, err := Term(IRI, v)
		if err != nil {
			return
		}
		dec := rdf.NewTripleDecoder(strings.NewReader("<http://a/s> <http://a/p> "+term+" .\n"), rdf.NTriples)
		tr, err := dec.Decode()
		if err != nil {
			t.Fatalf("accepted IRI %q does not parse: %v", v, err)
		}
		if iri, ok := tr.Obj.(rdf.IRI); !ok || iri.String() != v {
			t.Fatalf("IRI %q round-trips to %v", v, tr.Obj)
		}
	})
}

package shacl

import (
	"testing"

	"github.com/openemploi360/openemploi/internal/ntriples"
)

func TestNodeSet(t *testing.T) {
	var s nodeSet
	if s.visit(42, false) || s.visit(42, false) {
		t.Error("a node no record read is no clash")
	}
	if !s.visit(42, true) {
		t.Error("a node read now, used before: clash")
	}
	if s.visit(100, true) || !s.visit(100, false) {
		t.Error("a node read before, used now: clash")
	}
	// 0 marks an empty slot: hash 0 is stored as 2, like 1, 2 and 3 (the low bit is
	// the flag), and they all are one node.
	if s.visit(0, false) || s.visit(1, false) || !s.visit(3, true) {
		t.Error("hashes 0 to 3 are one node")
	}
	// Growing keeps every node and its flag.
	for h := uint64(1000); h < 100000; h++ {
		s.visit(h*0x9E3779B97F4A7C15, h%2 == 0)
	}
	for h := uint64(1000); h < 100000; h++ {
		if got := s.visit(h*0x9E3779B97F4A7C15, false); got != (h%2 == 0) {
			t.Fatalf("node %d: clash %v after growing, want %v", h, got, h%2 == 0)
		}
	}
	if load := float64(s.n) / float64(len(s.slots)); load > 0.8 || load < 0.2 {
		t.Errorf("load %.2f out of bounds", load)
	}
}

func TestCompareTerms(t *testing.T) {
	dec := func(v string) ntriples.Term { return ntriples.NewTyped(v, xsdNS+"decimal") }
	integer := func(v string) ntriples.Term { return ntriples.NewTyped(v, xsdNS+"integer") }
	dbl := func(v string) ntriples.Term { return ntriples.NewTyped(v, xsdNS+"double") }
	dt := func(v string) ntriples.Term { return ntriples.NewTyped(v, xsdNS+"dateTime") }
	for _, c := range []struct {
		a, b ntriples.Term
		op   string
		want outcome
	}{
		{integer("2"), integer("10"), "<", outTrue},
		{dec("-0.0"), integer("0"), ">=", outTrue},
		{dec("0.10000000000000001"), dec("0.1"), ">", outTrue},
		{dec("0.1000000000000000000001"), dec("0.1"), ">", outUnsure}, // beyond Oxigraph's 18 digits
		{dec("-1.5"), dec("-1.25"), "<", outTrue},
		{dec(".5"), dec("0.50"), ">=", outTrue},
		{dbl("1e0"), dec("0.1"), ">", outTrue},
		{dbl("NaN"), dec("0"), "<", outUnsure},
		{integer("12,5"), integer("0"), ">", outUnsure}, // ill-formed
		{ntriples.NewLiteral("b"), ntriples.NewLiteral("a"), ">", outTrue},
		{ntriples.NewLiteral("b"), integer("1"), ">", outError},
		{ntriples.NewLang("b", "fr"), integer("1"), ">", outError},
		{ntriples.NewLang("b", "fr"), ntriples.NewLiteral("a"), ">", outError},
		{ntriples.NewLang("b", "fr"), ntriples.NewLang("a", "FR"), ">", outTrue},
		{ntriples.NewLang("b", "fr"), ntriples.NewLang("a", "en"), ">", outError},
		{ntriples.NewTyped("true", xsdNS+"boolean"), ntriples.NewTyped("false", xsdNS+"boolean"), ">", outUnsure},
		{ntriples.NewTyped("true", xsdNS+"boolean"), integer("5"), "<=", outError},
		{ntriples.NewTyped("POINT(1 2)", "http://www.opengis.net/ont/geosparql#wktLiteral"), integer("5"), "<=", outError},
		{ntriples.NewTyped("x", "http://example.org/dt"), ntriples.NewTyped("x", "http://example.org/dt"), "<=", outTrue},
		{ntriples.NewTyped("x", "http://example.org/dt"), ntriples.NewTyped("y", "http://example.org/dt"), "<=", outUnsure},
		{ntriples.NewIRI("http://x"), ntriples.NewIRI("http://x"), "<", outFalse},
		{ntriples.NewIRI("http://x"), integer("1"), ">", outError},
		{dt("2025-01-01T10:00:00+01:00"), dt("2025-01-01T09:30:00Z"), "<", outTrue},
		{dt("2025-01-01T10:00:00"), dt("2025-01-01T09:30:00Z"), "<", outUnsure},
		{ntriples.NewTyped("2025-01-01", xsdNS+"date"), dt("2025-01-01T00:00:00"), "<=", outError},
		{ntriples.NewTyped("1", xsdNS+"int"), integer("0"), ">", outUnsure},
	} {
		if got := compareTerms(c.a, c.b, c.op); got != c.want {
			t.Errorf("%s %s %s = %d, want %d", c.a, c.op, c.b, got, c.want)
		}
	}
}

func TestRewritten(t *testing.T) {
	for _, c := range []struct {
		t    ntriples.Term
		want string // canonicalKey's literal, "" when not rewritten
	}{
		{ntriples.NewTyped("01", xsdNS+"integer"), `"1"^^<` + xsdNS + `integer>`},
		{ntriples.NewTyped("2000.0", xsdNS+"decimal"), `"2000"^^<` + xsdNS + `decimal>`},
		{ntriples.NewTyped("-0.0", xsdNS+"decimal"), `"0"^^<` + xsdNS + `decimal>`},
		{ntriples.NewTyped("1.5E3", xsdNS+"double"), `"1500"^^<` + xsdNS + `double>`},
		{ntriples.NewTyped("1", xsdNS+"boolean"), `"true"^^<` + xsdNS + `boolean>`},
		{ntriples.NewTyped("2025-01-01T09:00:00.500+00:00", xsdNS+"dateTime"), `"2025-01-01T09:00:00.5Z"^^<` + xsdNS + `dateTime>`},
		{ntriples.NewLang("x", "fr-CA"), `"x"@fr-ca`},
		{ntriples.NewTyped("12", xsdNS+"int"), "?"}, // rewritten, form unknown here
		{ntriples.NewTyped("12", xsdNS+"integer"), ""},
		{ntriples.NewTyped("2000.5", xsdNS+"decimal"), ""},
		{ntriples.NewTyped("abc", xsdNS+"integer"), ""}, // ill-formed: kept
		{ntriples.NewTyped("2025-01-01T09:00:00Z", xsdNS+"dateTime"), ""},
		{ntriples.NewLang("x", "fr"), ""},
		{ntriples.NewTyped("POINT(1 2)", "http://www.opengis.net/ont/geosparql#wktLiteral"), ""},
	} {
		rw := rewritten(c.t)
		if rw != (c.want != "") {
			t.Errorf("rewritten(%s) = %v", c.t, rw)
			continue
		}
		if k := canonicalKey(c.t); rw && c.want != "?" && k != c.want {
			t.Errorf("canonicalKey(%s) = %s, want %s", c.t, k, c.want)
		}
	}
}

// TestLexicalOK checks the written-out lexical checks against compile.go's regexes.
func TestLexicalOK(t *testing.T) {
	values := []string{"", "0", "1", "-1", "+1", "01", "1.", ".5", "-.5", "1.5.2", "1e5", "12,5", " 1", "true", "false",
		"TRUE", "2025-01-31", "2025-1-31", "2025-13-01", "2025-00-10", "2025-02-30", "2025-01-32", "-2025-01-01",
		"20250-01-01", "202-01-01", "2025-01-01Z", "2025-01-01+01:00", "2025-01-01+1:00", "2025-01-01T10:00:00",
		"2025-01-01T24:00:00Z", "2025-01-01T25:00:00Z", "2025-01-01T10:60:00", "2025-01-01T10:00:00.5",
		"2025-01-01T10:00:00.", "2025-01-01T10:00:00.123456789+05:30", "2025-01-01T10:00:00-99:99",
		"2025-01-01T10:00:00ZZ", "2025-01-01T10:00", "2025-01-01 10:00:00", "2025-01-01T10:00:00Z "}
	for dt, re := range lexical {
		p := compilePattern(re, "")
		for _, v := range values {
			if got, want := lexicalOK(dt, v), p.match(v); got != want {
				t.Errorf("lexicalOK(%s, %q) = %d, regex says %d", dt[len(xsdNS):], v, got, want)
			}
		}
		if got := lexicalOK(dt, "1\n"); got != outUnsure {
			t.Errorf("lexicalOK(%s, a line terminator) = %d, want unsure", dt[len(xsdNS):], got)
		}
	}
}

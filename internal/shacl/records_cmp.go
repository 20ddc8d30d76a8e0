package shacl

import (
	"cmp"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/openemploi360/openemploi/internal/ntriples"
)

// The record-by-record validator must answer exactly what the compiled queries answer
// in the store. For the SPARQL operators whose result depends on the store (ordering of
// exotic datatypes, regex dialects, string lengths in UTF-16), it says "unsure" and the
// caller falls back to the store rather than guess.

// outcome of one comparison or test done in memory.
type outcome uint8

const (
	outFalse outcome = iota
	outTrue
	outError  // a SPARQL type error: the compiled query counts it as a violation
	outUnsure // stores may differ or this code does not know: fall back to SPARQL
)

type category uint8

const (
	catError category = iota // not a literal: any comparison is a type error
	catNumeric
	catString
	catDateTime
	catDate
	catLang  // a language-tagged string: ordered against one of the same language only
	catBool  // ordered by Jena, not by Oxigraph
	catOther // a datatype outside XSD: comparable with nothing of another category
	catUnsure
)

var (
	reDouble   = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$`)
	reDate     = regexp.MustCompile(`^([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+-][0-9]{2}:[0-9]{2})?$`)
	reDateTime = regexp.MustCompile(`^([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})?$`)
)

// ordered is a literal read for the SPARQL order operators.
type ordered struct {
	cat   category
	dec   decimal // integer and decimal
	float float64 // double, or the integer or decimal as a double
	isDbl bool
	str   string
	lang  string
	t     time.Time // dateTime and date
	tz    bool
}

// asOrdered classifies t for SPARQL's <, <=, >, >=. Literals this code cannot order
// the way both stores do (language strings, booleans, floats, derived integer types,
// ill-formed or out-of-range lexical forms, strings beyond the BMP) are catUnsure.
func asOrdered(t ntriples.Term) ordered {
	if t.Kind != ntriples.Literal {
		return ordered{cat: catError}
	}
	v := t.Value
	if t.Lang != "" || t.Datatype == "" || t.Datatype == ntriples.XSDString {
		for _, r := range v {
			if r >= 0xD800 {
				// Java compares UTF-16 code units, Go and Rust code points.
				return ordered{cat: catUnsure}
			}
		}
		if t.Lang != "" {
			return ordered{cat: catLang, str: v, lang: t.Lang}
		}
		return ordered{cat: catString, str: v}
	}
	switch t.Datatype {
	case xsdNS + "boolean":
		return ordered{cat: catBool}
	case xsdNS + "integer", xsdNS + "decimal":
		d, ok := parseDecimal(v, t.Datatype == xsdNS+"decimal")
		if !ok || len(d.whole) > 18 || len(d.frac) > 18 {
			// Ill-formed, or not exact in every store: Oxigraph holds integers in 64
			// bits and decimals with 18 fractional digits (it rounds
			// 0.1000000000000000000001 to 0.1), Jena compares exactly.
			return ordered{cat: catUnsure}
		}
		f, err := strconv.ParseFloat(strings.TrimSuffix(v, "."), 64)
		if err != nil {
			return ordered{cat: catUnsure}
		}
		return ordered{cat: catNumeric, dec: d, float: f}
	case xsdNS + "double":
		if !reDouble.MatchString(v) {
			return ordered{cat: catUnsure} // INF, NaN, ill-formed
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return ordered{cat: catUnsure}
		}
		return ordered{cat: catNumeric, float: f, isDbl: true}
	case xsdNS + "dateTime", xsdNS + "date":
		re, cat, layout := reDateTime, catDateTime, "2006-01-02T15:04:05"
		if t.Datatype == xsdNS+"date" {
			re, cat, layout = reDate, catDate, "2006-01-02"
		}
		m := re.FindStringSubmatch(v)
		if m == nil || m[1] == "0000" {
			return ordered{cat: catUnsure}
		}
		tz := m[len(m)-1]
		if tz != "" {
			layout += "Z07:00"
		}
		tm, err := time.Parse(layout, v)
		if err != nil {
			return ordered{cat: catUnsure} // 31 February
		}
		return ordered{cat: cat, t: tm, tz: tz != ""}
	}
	if !strings.HasPrefix(t.Datatype, xsdNS) && t.Datatype != rdfNS+"langString" {
		return ordered{cat: catOther}
	}
	return ordered{cat: catUnsure}
}

// decimal is an xsd:integer or xsd:decimal read exactly, without allocating: the digits
// before the point without leading zeros, after it without trailing zeros.
type decimal struct {
	neg         bool
	whole, frac string
}

// parseDecimal reads an integer (point false) or decimal lexical form.
func parseDecimal(v string, point bool) (decimal, bool) {
	var d decimal
	if v != "" && (v[0] == '+' || v[0] == '-') {
		d.neg = v[0] == '-'
		v = v[1:]
	}
	whole, frac, hasPoint := strings.Cut(v, ".")
	if hasPoint && !point || whole == "" && frac == "" || !digits(whole) || !digits(frac) {
		return d, false
	}
	d.whole = strings.TrimLeft(whole, "0")
	d.frac = strings.TrimRight(frac, "0")
	if d.whole == "" && d.frac == "" {
		d.neg = false // -0 is 0
	}
	return d, true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func compareDecimal(a, b decimal) int {
	if a.neg != b.neg {
		if a.neg {
			return -1
		}
		return 1
	}
	c := cmp.Or(cmp.Compare(len(a.whole), len(b.whole)), strings.Compare(a.whole, b.whole), strings.Compare(a.frac, b.frac))
	if a.neg {
		return -c
	}
	return c
}

// compareTerms evaluates "a op b" for op one of <, <=, >, >= as the stores do.
func compareTerms(a, b ntriples.Term, op string) outcome {
	return compareRead(a, asOrdered(a), b, asOrdered(b), op)
}

// compareRead is compareTerms with the terms already read by asOrdered.
func compareRead(a ntriples.Term, x ordered, b ntriples.Term, y ordered, op string) outcome {
	if a == b && (x.cat == catError || x.cat == catBool || x.cat == catOther) {
		// Both stores find a term equal to itself, even where they order nothing:
		// <x> < <x> is false, <x> <= <x> true.
		return orderResult(0, op)
	}
	return compareOrdered(x, y, op)
}

func compareOrdered(x, y ordered, op string) outcome {
	// What Jena and Oxigraph answer, category by category, was read from both
	// (TestRecordsDifferential and the random records check it).
	switch {
	case x.cat == catError || y.cat == catError:
		return outError
	case x.cat == catUnsure || y.cat == catUnsure:
		return outUnsure
	case x.cat != y.cat:
		return outError // a string and a language string, a date and a dateTime, …
	}
	var c int
	switch x.cat {
	case catNumeric:
		if x.isDbl || y.isDbl {
			c = compareFloat(x.float, y.float)
		} else {
			c = compareDecimal(x.dec, y.dec)
		}
	case catString:
		c = strings.Compare(x.str, y.str)
	case catLang:
		if !strings.EqualFold(x.lang, y.lang) {
			return outError
		}
		c = strings.Compare(x.str, y.str)
	case catDate, catDateTime:
		if x.tz != y.tz {
			return outUnsure // XPath compares with an implicit time zone, stores differ
		}
		c = x.t.Compare(y.t)
	default: // catBool, catOther
		return outUnsure
	}
	return orderResult(c, op)
}

// orderResult is "op" applied to the result c of a three-way comparison.
func orderResult(c int, op string) outcome {
	var r bool
	switch op {
	case "<":
		r = c < 0
	case "<=":
		r = c <= 0
	case ">":
		r = c > 0
	default:
		r = c >= 0
	}
	if r {
		return outTrue
	}
	return outFalse
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// recPattern is a sh:pattern compiled for Go, with what makes its result depend on the
// regex engine (Jena uses Java's, Oxigraph Rust's).
type recPattern struct {
	re *regexp.Regexp
	// unicode: the result on a non-ASCII string may differ between engines (\d, \w,
	// \s, \b, \p, case-insensitive matching).
	unicode bool
	// never: the pattern is not checked in memory at all (flag x, Java class
	// operations).
	never bool
}

func compilePattern(text, flags string) recPattern {
	if strings.Contains(flags, "x") || strings.Contains(text, "&&") || strings.Contains(text, "-[") {
		return recPattern{never: true}
	}
	if strings.Contains(flags, "q") {
		text = regexp.QuoteMeta(text)
	}
	prefix := ""
	for _, f := range "smi" {
		if strings.ContainsRune(flags, f) {
			prefix += string(f)
		}
	}
	if prefix != "" {
		text = "(?" + prefix + ")" + text
	}
	re, err := regexp.Compile(text)
	if err != nil {
		return recPattern{never: true}
	}
	p := recPattern{re: re, unicode: strings.Contains(flags, "i")}
	for _, esc := range []string{`\d`, `\D`, `\w`, `\W`, `\s`, `\S`, `\b`, `\B`, `\p`, `\P`, `\i`, `\c`} {
		if strings.Contains(text, esc) {
			p.unicode = true
		}
	}
	return p
}

// match evaluates REGEX(s, pattern, flags).
func (p recPattern) match(s string) outcome {
	if p.never {
		return outUnsure
	}
	for _, r := range s {
		// Line terminators: Java's $ also matches before a final one, and engines do
		// not agree on which characters they are.
		if r < 0x20 || r == 0x85 || r == 0x2028 || r == 0x2029 {
			return outUnsure
		}
		if r >= 0x80 && p.unicode {
			return outUnsure
		}
	}
	if p.re.MatchString(s) {
		return outTrue
	}
	return outFalse
}

// strLen is STRLEN: characters, unsure beyond the BMP (UTF-16 stores may count two).
func strLen(s string) (int, bool) {
	n := 0
	for _, r := range s {
		if r > 0xFFFF {
			return 0, false
		}
		n++
	}
	return n, true
}

// langMatches is SPARQL's LANGMATCHES (RFC 4647 basic filtering).
func langMatches(tag, rng string) bool {
	if rng == "*" {
		return tag != ""
	}
	if len(tag) < len(rng) || !strings.EqualFold(tag[:len(rng)], rng) {
		return false
	}
	return len(tag) == len(rng) || tag[len(rng)] == '-'
}

// rewritten says whether a store may hold the literal t in another form than the one
// mapped: Oxigraph stores numbers, booleans and date-times in their canonical form
// ("01" → "1", "2000.0" → "2000", "1"^^xsd:boolean → "true", …) and the derived integer
// types as xsd:integer, and lower-cases language tags, which Jena writes in BCP 47
// case (fr-CA). For such a literal, what sameTerm, STR, DATATYPE and distinct counts
// see depends on the store, and Records leaves those checks to the store.
func rewritten(t ntriples.Term) bool {
	if t.Kind != ntriples.Literal {
		return false
	}
	if t.Lang != "" {
		for i := 0; i < len(t.Lang); i++ {
			if c := t.Lang[i]; c < 'a' || c > 'z' {
				return true
			}
		}
		return false
	}
	v := t.Value
	switch t.Datatype {
	case "":
		return false
	case xsdNS + "integer", xsdNS + "decimal":
		d, ok := parseDecimal(v, t.Datatype == xsdNS+"decimal")
		if !ok {
			return false // ill-formed: kept as it is
		}
		c := d.whole
		if c == "" {
			c = "0"
		}
		if d.neg {
			c = "-" + c
		}
		if d.frac != "" {
			c += "." + d.frac
		}
		return c != v
	case xsdNS + "double":
		if !reDouble.MatchString(v) {
			return v == "INF" || v == "-INF" || v == "+INF" || v == "NaN"
		}
		f, err := strconv.ParseFloat(v, 64)
		return err != nil || strconv.FormatFloat(f, 'f', -1, 64) != v
	case xsdNS + "boolean":
		return v != "true" && v != "false"
	case xsdNS + "dateTime", xsdNS + "date":
		if strings.HasSuffix(v, "+00:00") || strings.HasSuffix(v, "-00:00") {
			return true
		}
		if i := strings.IndexByte(v, '.'); i >= 0 {
			j := i + 1
			for j < len(v) && v[j] >= '0' && v[j] <= '9' {
				j++
			}
			return v[j-1] == '0' || j == i+1
		}
		return false
	case xsdNS + "string", rdfNS + "langString":
		return false
	}
	// Other XSD types (float, int, long, time, gYear, durations…): stores parse many of
	// them; do not assume their form survives.
	return strings.HasPrefix(t.Datatype, xsdNS)
}

// canonicalKey is what a literal becomes in the store that rewrites most (Oxigraph),
// compared case-insensitively for language tags as both stores do; "" when this code
// does not know the rewritten form. Two literals with the same key may be one term in
// a store and two in another.
func canonicalKey(t ntriples.Term) string {
	if !rewritten(t) {
		return t.String()
	}
	if t.Lang != "" {
		t.Lang = strings.ToLower(t.Lang)
		return t.String()
	}
	v := t.Value
	switch t.Datatype {
	case xsdNS + "integer", xsdNS + "decimal":
		d, _ := parseDecimal(v, t.Datatype == xsdNS+"decimal")
		c := d.whole
		if c == "" {
			c = "0"
		}
		if d.neg {
			c = "-" + c
		}
		if d.frac != "" {
			c += "." + d.frac
		}
		t.Value = c
	case xsdNS + "double":
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || !reDouble.MatchString(v) {
			return ""
		}
		t.Value = strconv.FormatFloat(f, 'f', -1, 64)
	case xsdNS + "boolean":
		switch v {
		case "1":
			t.Value = "true"
		case "0":
			t.Value = "false"
		}
	case xsdNS + "dateTime", xsdNS + "date":
		if strings.HasSuffix(v, "+00:00") || strings.HasSuffix(v, "-00:00") {
			v = v[:len(v)-6] + "Z"
		}
		if i := strings.IndexByte(v, '.'); i >= 0 {
			j := i + 1
			for j < len(v) && v[j] >= '0' && v[j] <= '9' {
				j++
			}
			frac := strings.TrimRight(v[i+1:j], "0")
			if frac != "" {
				frac = "." + frac
			}
			v = v[:i] + frac + v[j:]
		}
		t.Value = v
	default:
		return ""
	}
	return t.String()
}

// lexicalOK is sh:datatype's lexical check (compile.go's lexical regexes) for the
// types with one, written out: a regex per date-time costs more than the rest of an
// offer's checks. outUnsure for line terminators, where Java's $ differs.
func lexicalOK(dt, v string) outcome {
	for i := 0; i < len(v); i++ {
		if v[i] < 0x20 || v[i] >= 0x80 {
			return lexicalSlow(dt, v)
		}
	}
	var ok bool
	switch dt {
	case xsdNS + "integer", xsdNS + "decimal":
		_, ok = parseDecimal(v, dt == xsdNS+"decimal")
	case xsdNS + "boolean":
		ok = v == "true" || v == "false" || v == "1" || v == "0"
	case xsdNS + "date", xsdNS + "dateTime":
		ok = lexicalTemporal(v, dt == xsdNS+"dateTime")
	default:
		return lexicalSlow(dt, v)
	}
	if ok {
		return outTrue
	}
	return outFalse
}

var lexicalPatterns = func() map[string]recPattern {
	m := map[string]recPattern{}
	for dt, re := range lexical {
		m[dt] = compilePattern(re, "")
	}
	return m
}()

func lexicalSlow(dt, v string) outcome {
	p, ok := lexicalPatterns[dt]
	if !ok {
		return outTrue
	}
	return p.match(v)
}

// lexicalTemporal matches ^-?[0-9]{4,}-MM-DD(THH:MM:SS(\.[0-9]+)?)?(Z|[+-]hh:mm)?$ with
// the ranges of compile.go's regexes (hour up to 24, day up to 31 in any month).
func lexicalTemporal(v string, withTime bool) bool {
	if strings.HasPrefix(v, "-") {
		v = v[1:]
	}
	n := 0
	for n < len(v) && v[n] >= '0' && v[n] <= '9' {
		n++
	}
	if n < 4 {
		return false
	}
	v = v[n:]
	two := func(s string, lo, hi string) bool {
		return len(s) >= 2 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[:2] >= lo && s[:2] <= hi
	}
	if len(v) < 6 || v[0] != '-' || !two(v[1:], "01", "12") || v[3] != '-' || !two(v[4:], "01", "31") {
		return false
	}
	v = v[6:]
	if withTime {
		if len(v) < 9 || v[0] != 'T' || !two(v[1:], "00", "24") || v[3] != ':' || !two(v[4:], "00", "59") ||
			v[6] != ':' || !two(v[7:], "00", "59") {
			return false
		}
		v = v[9:]
		if strings.HasPrefix(v, ".") {
			k := 1
			for k < len(v) && v[k] >= '0' && v[k] <= '9' {
				k++
			}
			if k == 1 {
				return false
			}
			v = v[k:]
		}
	}
	switch {
	case v == "" || v == "Z":
		return true
	case len(v) == 6 && (v[0] == '+' || v[0] == '-') && two(v[1:], "00", "99") && v[3] == ':' && two(v[4:], "00", "99"):
		return true
	}
	return false
}

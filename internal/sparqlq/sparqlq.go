// Package sparqlq loads the project's SPARQL queries (queries/*.rq, one query per file)
// and binds values into them safely.
//
// A query file starts with a header of comment lines:
//
//	# name: metier
//	# param: code rome-code   the ROME 4 code of the fiche
//	# param: zones ze-code-list
//	# returns: one row per appellation of the fiche
//
// and refers to its parameters as $code, $zones in the body. Only the binder replaces
// them, and only with a term it built itself from a typed value: an IRI it validated, a
// code matching its pattern, a string escaped as an N-Triples literal (backslash
// included, so SPARQL's \u pre-processing cannot reopen the string), a number it
// formatted. List parameters become the space-separated terms of one VALUES block
// (`VALUES ?zone { $zones }`). Newlines and comments are kept as written, unlike
// knakk/sparql's Bank, which joins lines (so a # comments out the rest of the query) and
// pastes values verbatim through text/template.
package sparqlq

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Type is the declared type of a parameter; a list type is the scalar type plus "-list".
type Type string

// The parameter types a query header may declare.
const (
	IRI         Type = "iri"
	RomeCode    Type = "rome-code"    // ROME fiche code, A1101
	ZECode      Type = "ze-code"      // zone d'emploi 2020 code, 9312
	CommuneCode Type = "commune-code" // INSEE commune code, 06088 or 2A004
	String      Type = "string"       // plain xsd:string literal
	LangString  Type = "lang-string"  // literal with a language tag (value LangText)
	Integer     Type = "integer"
	Decimal     Type = "decimal"
	Date        Type = "date"     // xsd:date, from time.Time or "2006-01-02"
	DateTime    Type = "datetime" // xsd:dateTime in UTC, from time.Time
	Boolean     Type = "boolean"  // xsd:boolean, from bool
)

var scalarTypes = map[Type]bool{
	IRI: true, RomeCode: true, ZECode: true, CommuneCode: true, String: true,
	LangString: true, Integer: true, Decimal: true, Date: true, DateTime: true, Boolean: true,
}

// LangText is the value of a lang-string parameter.
type LangText struct {
	Text, Lang string
}

// Param is one declared parameter.
type Param struct {
	Name string
	Type Type // scalar type
	List bool // bound as a space-separated list of terms, for a VALUES block
	Doc  string
}

// Args maps parameter names to values. Accepted Go values per type: string for iri and
// the codes and string; LangText; int, int64 or a decimal-digit string for integer;
// float64, int or a decimal string for decimal; time.Time or "2006-01-02" for date;
// time.Time for datetime; bool for boolean. A
// list parameter takes a []string (or []LangText, []int, []float64, []time.Time).
type Args map[string]any

// Query is one parsed query file.
type Query struct {
	Name    string
	File    string
	Returns string
	Params  []Param
	text    string    // the file as written
	parts   []segment // text split at placeholders
}

type segment struct {
	text  string // literal text, or "" for a placeholder
	param int    // index into Params when text == ""
}

// Text returns the query template as written in its file.
func (q *Query) Text() string { return q.text }

// Bank holds the queries of a directory, by name.
type Bank struct {
	queries map[string]*Query
}

// Load reads every file matching pattern (fs.Glob syntax, e.g. "*.rq" or "derived/*.ru")
// in fsys. Each file must have a "# name:" header equal to its base name without
// extension, declare every placeholder it uses and use every parameter it declares.
func Load(fsys fs.FS, patterns ...string) (*Bank, error) {
	b := &Bank{queries: map[string]*Query{}}
	for _, pat := range patterns {
		files, err := fs.Glob(fsys, pat)
		if err != nil {
			return nil, fmt.Errorf("sparqlq: pattern %q: %w", pat, err)
		}
		for _, f := range files {
			data, err := fs.ReadFile(fsys, f)
			if err != nil {
				return nil, fmt.Errorf("sparqlq: %w", err)
			}
			q, err := Parse(f, string(data))
			if err != nil {
				return nil, err
			}
			if prev, dup := b.queries[q.Name]; dup {
				return nil, fmt.Errorf("sparqlq: %s: name %q already used by %s", f, q.Name, prev.File)
			}
			b.queries[q.Name] = q
		}
	}
	return b, nil
}

// Names lists the loaded queries, sorted.
func (b *Bank) Names() []string {
	out := make([]string, 0, len(b.queries))
	for n := range b.queries {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Get returns the named query.
func (b *Bank) Get(name string) (*Query, error) {
	q, ok := b.queries[name]
	if !ok {
		return nil, fmt.Errorf("sparqlq: no query named %q", name)
	}
	return q, nil
}

// Bind binds args into the named query.
func (b *Bank) Bind(name string, args Args) (string, error) {
	q, err := b.Get(name)
	if err != nil {
		return "", err
	}
	return q.Bind(args)
}

var (
	nameRe  = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	paramRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

// Parse parses one query file; file is used in error messages and for the name check.
func Parse(file, text string) (*Query, error) {
	q := &Query{File: file, text: text}
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if !strings.HasPrefix(line, "#") {
			break
		}
		body := strings.TrimSpace(strings.TrimPrefix(line, "#"))
		key, val, ok := strings.Cut(body, ":")
		if !ok {
			continue // prose in the header
		}
		val = strings.TrimSpace(val)
		switch strings.TrimSpace(key) {
		case "name":
			q.Name = val
		case "returns":
			q.Returns = val
		case "param":
			f := strings.Fields(val)
			if len(f) < 2 {
				return nil, fmt.Errorf("sparqlq: %s:%d: param needs a name and a type, got %q", file, i+1, val)
			}
			p := Param{Name: f[0], Doc: strings.Join(f[2:], " ")}
			t := f[1]
			if s, ok := strings.CutSuffix(t, "-list"); ok {
				p.List, t = true, s
			}
			p.Type = Type(t)
			if !scalarTypes[p.Type] {
				return nil, fmt.Errorf("sparqlq: %s:%d: param %s: unknown type %q", file, i+1, p.Name, f[1])
			}
			if !paramRe.MatchString(p.Name) {
				return nil, fmt.Errorf("sparqlq: %s:%d: bad param name %q", file, i+1, p.Name)
			}
			for _, o := range q.Params {
				if o.Name == p.Name {
					return nil, fmt.Errorf("sparqlq: %s:%d: param %s declared twice", file, i+1, p.Name)
				}
			}
			q.Params = append(q.Params, p)
		}
	}
	base := path.Base(file)
	stem := strings.TrimSuffix(base, path.Ext(base))
	if q.Name == "" {
		return nil, fmt.Errorf("sparqlq: %s: missing \"# name:\" header", file)
	}
	if q.Name != stem || !nameRe.MatchString(q.Name) {
		return nil, fmt.Errorf("sparqlq: %s: name %q must be the file name %q in lower-case-kebab", file, q.Name, stem)
	}
	parts, err := split(text, q.Params)
	if err != nil {
		return nil, fmt.Errorf("sparqlq: %s: %w", file, err)
	}
	q.parts = parts
	used := map[int]bool{}
	for _, s := range parts {
		if s.text == "" {
			used[s.param] = true
		}
	}
	for i, p := range q.Params {
		if !used[i] {
			return nil, fmt.Errorf("sparqlq: %s: param %s declared but $%s never used", file, p.Name, p.Name)
		}
	}
	return q, nil
}

// split cuts text at $name placeholders found outside comments, strings and IRIs.
func split(text string, params []Param) ([]segment, error) {
	idx := map[string]int{}
	for i, p := range params {
		idx[p.Name] = i
	}
	var out []segment
	start := 0
	line := 1
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == '#':
			for i < len(text) && text[i] != '\n' {
				i++
			}
		case c == '"' || c == '\'':
			end, err := skipString(text, i)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", line, err)
			}
			line += strings.Count(text[i:end], "\n")
			i = end
		case c == '<':
			if end, ok := iriEnd(text, i); ok {
				i = end
			} else {
				i++
			}
		case c == '$':
			j := i + 1
			for j < len(text) && isNameChar(text[j]) {
				j++
			}
			name := text[i+1 : j]
			p, ok := idx[name]
			if !ok {
				return nil, fmt.Errorf("line %d: placeholder $%s is not a declared param (SPARQL variables here use ?)", line, name)
			}
			if i > start {
				out = append(out, segment{text: text[start:i]})
			}
			out = append(out, segment{param: p})
			start, i = j, j
		default:
			i++
		}
	}
	if start < len(text) {
		out = append(out, segment{text: text[start:]})
	}
	return out, nil
}

func isNameChar(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// skipString returns the index just past the SPARQL string literal starting at i
// (short or long form, single or double quotes).
func skipString(s string, i int) (int, error) {
	q := s[i]
	if strings.HasPrefix(s[i:], strings.Repeat(string(q), 3)) {
		delim := strings.Repeat(string(q), 3)
		for j := i + 3; j < len(s); j++ {
			if s[j] == '\\' {
				j++
				continue
			}
			if strings.HasPrefix(s[j:], delim) {
				// a long string may end with up to two extra quotes of content
				k := j + 3
				for k < len(s) && s[k] == q && k-j < 5 {
					k++
				}
				return k, nil
			}
		}
		return 0, errors.New("unterminated long string")
	}
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case q:
			return j + 1, nil
		case '\n', '\r':
			return 0, errors.New("newline in string")
		}
	}
	return 0, errors.New("unterminated string")
}

// iriEnd reports whether an IRIREF starts at i (a '<' also is the less-than operator).
func iriEnd(s string, i int) (int, bool) {
	for j := i + 1; j < len(s); j++ {
		c := s[j]
		if c == '>' {
			return j + 1, true
		}
		if c <= 0x20 || strings.IndexByte("<\"{}|^`\\", c) >= 0 {
			return 0, false
		}
	}
	return 0, false
}

// Bind returns the query with every placeholder replaced by the term built from its
// typed value. A missing parameter, an unknown one or a value not of the declared type
// is an error naming the parameter; a value's text never appears in the error, since
// it may be a user's input.
func (q *Query) Bind(args Args) (string, error) {
	terms := make([]string, len(q.Params))
	for i, p := range q.Params {
		v, ok := args[p.Name]
		if !ok {
			return "", fmt.Errorf("sparqlq: %s: missing parameter %s", q.Name, p.Name)
		}
		t, err := p.term(v)
		if err != nil {
			return "", fmt.Errorf("sparqlq: %s: parameter %s (%s): %w", q.Name, p.Name, p.typeName(), err)
		}
		terms[i] = t
	}
	for k := range args {
		if !q.has(k) {
			return "", fmt.Errorf("sparqlq: %s: unknown parameter %s", q.Name, k)
		}
	}
	var b strings.Builder
	b.Grow(len(q.text) + 64)
	for _, s := range q.parts {
		if s.text != "" {
			b.WriteString(s.text)
		} else {
			b.WriteString(terms[s.param])
		}
	}
	return b.String(), nil
}

func (q *Query) has(name string) bool {
	for _, p := range q.Params {
		if p.Name == name {
			return true
		}
	}
	return false
}

func (p Param) typeName() string {
	if p.List {
		return string(p.Type) + "-list"
	}
	return string(p.Type)
}

func (p Param) term(v any) (string, error) {
	if !p.List {
		return Term(p.Type, v)
	}
	var items []any
	switch l := v.(type) {
	case []string:
		for _, x := range l {
			items = append(items, x)
		}
	case []LangText:
		for _, x := range l {
			items = append(items, x)
		}
	case []int:
		for _, x := range l {
			items = append(items, x)
		}
	case []float64:
		for _, x := range l {
			items = append(items, x)
		}
	case []time.Time:
		for _, x := range l {
			items = append(items, x)
		}
	case []any:
		items = l
	default:
		return "", fmt.Errorf("want a list, got %T", v)
	}
	terms := make([]string, len(items))
	for i, x := range items {
		t, err := Term(p.Type, x)
		if err != nil {
			return "", fmt.Errorf("item %d: %w", i, err)
		}
		terms[i] = t
	}
	return strings.Join(terms, " "), nil
}

var (
	romeRe    = regexp.MustCompile(`^[A-N][0-9]{4}$`)
	zeRe      = regexp.MustCompile(`^[0-9]{4}$`)
	communeRe = regexp.MustCompile(`^(?:[0-9]{5}|2[AB][0-9]{3})$`)
	intRe     = regexp.MustCompile(`^[+-]?[0-9]{1,18}$`)
	decRe     = regexp.MustCompile(`^[+-]?(?:[0-9]{1,18}(?:\.[0-9]{1,18})?|\.[0-9]{1,18})$`)
	langRe    = regexp.MustCompile(`^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$`)
)

const xsd = "http://www.w3.org/2001/XMLSchema#"

// Term builds the SPARQL term for one scalar value of type t.
func Term(t Type, v any) (string, error) {
	switch t {
	case IRI:
		s, ok := v.(string)
		if !ok {
			return "", fmt.Errorf("want a string, got %T", v)
		}
		if err := CheckIRI(s); err != nil {
			return "", err
		}
		return "<" + s + ">", nil
	case RomeCode, ZECode, CommuneCode:
		s, ok := v.(string)
		if !ok {
			return "", fmt.Errorf("want a string, got %T", v)
		}
		re := map[Type]*regexp.Regexp{RomeCode: romeRe, ZECode: zeRe, CommuneCode: communeRe}[t]
		if !re.MatchString(s) {
			return "", fmt.Errorf("not a %s (pattern %s)", t, re)
		}
		return `"` + s + `"`, nil
	case String:
		s, ok := v.(string)
		if !ok {
			return "", fmt.Errorf("want a string, got %T", v)
		}
		return Literal(s)
	case LangString:
		l, ok := v.(LangText)
		if !ok {
			return "", fmt.Errorf("want a LangText, got %T", v)
		}
		if !langRe.MatchString(l.Lang) {
			return "", errors.New("bad language tag")
		}
		lit, err := Literal(l.Text)
		if err != nil {
			return "", err
		}
		return lit + "@" + l.Lang, nil
	case Integer:
		switch n := v.(type) {
		case int:
			return strconv.Itoa(n), nil
		case int64:
			return strconv.FormatInt(n, 10), nil
		case string:
			if !intRe.MatchString(n) {
				return "", errors.New("not an integer")
			}
			return n, nil
		}
		return "", fmt.Errorf("want an integer, got %T", v)
	case Decimal:
		switch n := v.(type) {
		case float64:
			if math.IsNaN(n) || math.IsInf(n, 0) || math.Abs(n) >= 1e18 {
				return "", errors.New("not a finite decimal")
			}
			s := strconv.FormatFloat(n, 'f', -1, 64)
			if !strings.Contains(s, ".") {
				s += ".0"
			}
			return s, nil
		case int:
			return strconv.Itoa(n) + ".0", nil
		case string:
			if !decRe.MatchString(n) {
				return "", errors.New("not a decimal")
			}
			if !strings.Contains(n, ".") {
				n += ".0"
			}
			return n, nil
		}
		return "", fmt.Errorf("want a decimal, got %T", v)
	case Date:
		var d time.Time
		switch x := v.(type) {
		case time.Time:
			d = x
		case string:
			var err error
			if d, err = time.Parse(time.DateOnly, x); err != nil {
				return "", errors.New("not a date YYYY-MM-DD")
			}
		default:
			return "", fmt.Errorf("want a date, got %T", v)
		}
		if d.Year() < 1 || d.Year() > 9999 {
			return "", errors.New("year out of range")
		}
		return `"` + d.Format(time.DateOnly) + `"^^<` + xsd + `date>`, nil
	case DateTime:
		d, ok := v.(time.Time)
		if !ok {
			return "", fmt.Errorf("want a time.Time, got %T", v)
		}
		d = d.UTC()
		if d.Year() < 1 || d.Year() > 9999 {
			return "", errors.New("year out of range")
		}
		return `"` + d.Format("2006-01-02T15:04:05.999Z") + `"^^<` + xsd + `dateTime>`, nil
	case Boolean:
		b, ok := v.(bool)
		if !ok {
			return "", fmt.Errorf("want a bool, got %T", v)
		}
		return strconv.FormatBool(b), nil
	}
	return "", fmt.Errorf("unknown type %q", t)
}

// CheckIRI accepts an absolute http or https IRI with a host and none of the characters
// IRIREF forbids (<>"{}|^`\, controls, space).
func CheckIRI(s string) error {
	if s == "" {
		return errors.New("empty IRI")
	}
	if !utf8.ValidString(s) {
		return errors.New("IRI is not valid UTF-8")
	}
	for _, r := range s {
		if r <= 0x20 || r == 0x7f || strings.ContainsRune("<>\"{}|^`\\", r) || (r >= 0x80 && r <= 0x9f) {
			return fmt.Errorf("character %U not allowed in an IRI", r)
		}
	}
	u, err := url.Parse(s)
	if err != nil {
		return errors.New("unparsable IRI")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return errors.New("IRI scheme must be http or https")
	}
	if u.Host == "" {
		return errors.New("IRI has no host")
	}
	return nil
}

// Literal returns s as a double-quoted N-Triples/SPARQL string literal. Backslash,
// quote, CR, LF, tab, backspace and form feed are escaped; other control characters and
// invalid UTF-8 are refused rather than passed to a parser that may choke on them.
func Literal(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", errors.New("string is not valid UTF-8")
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case '"':
			b.WriteString(`\"`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if r < 0x20 || r == 0x7f || r == 0xfffe || r == 0xffff {
				return "", fmt.Errorf("control character %U in string", r)
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String(), nil
}

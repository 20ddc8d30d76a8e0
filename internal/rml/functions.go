package rml

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/knakk/rdf"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Function namespaces.
const (
	nsGREL = "http://users.ugent.be/~bjdmeest/function/grel.ttl#"
	// NSFn is the namespace of the Open Emploi functions (prefix oefn:).
	NSFn = "https://data.dataregionsud.fr/openemploi/def/fn/"
)

// arg is one function parameter value; ok is false when the parameter was
// absent or its term map produced nothing (null).
type arg struct {
	v  string
	ok bool
}

// function is an RML-FNML function implementation. It returns ok=false for
// "no value" (no triple), and an error for a value it cannot process (the
// record is rejected).
type function struct {
	params [][]string // per position, the accepted parameter IRIs
	impl   func(a []arg) (string, bool, error)
}

type fnCall struct {
	iri    string
	fn     *function
	params []*termMap        // by position; nil when not given
	refs   string            // references used, for reject messages
	table  map[string]string // oefn:lookup: the loaded table (bound at execution)
}

func grel(local string) string { return nsGREL + local }
func oefn(local string) string { return NSFn + local }

var functions = map[string]*function{
	grel("toUpperCase"): {params: [][]string{{grel("valueParameter")}}, impl: strFn(strings.ToUpper)},
	grel("toLowerCase"): {params: [][]string{{grel("valueParameter")}}, impl: strFn(strings.ToLower)},
	grel("string_trim"): {params: [][]string{{grel("valueParameter")}}, impl: strFn(strings.TrimSpace)},
	grel("trim"):        {params: [][]string{{grel("valueParameter")}}, impl: strFn(strings.TrimSpace)},
	grel("string_replace"): {
		params: [][]string{{grel("valueParameter")}, {grel("p_string_find")}, {grel("p_string_replace")}},
		impl: func(a []arg) (string, bool, error) {
			if !a[0].ok {
				return "", false, nil
			}
			if !a[1].ok || a[1].v == "" {
				return a[0].v, true, nil
			}
			return strings.ReplaceAll(a[0].v, a[1].v, a[2].v), true, nil
		},
	},
	grel("string_substring"): {
		params: [][]string{{grel("valueParameter")}, {grel("p_int_i_from"), grel("param_int_i_from")}, {grel("p_int_i_opt_to"), grel("param_int_i_opt_to")}},
		impl:   substring,
	},
	oefn("leftPad"): {
		params: [][]string{{oefn("value")}, {oefn("width")}, {oefn("char")}},
		impl:   leftPad,
	},
	oefn("decimalComma"): {params: [][]string{{oefn("value")}}, impl: decimalComma},
	oefn("toDate"): {
		params: [][]string{{oefn("value")}, {oefn("layout")}},
		impl:   timeFn("2006-01-02"),
	},
	oefn("toDateTime"): {
		params: [][]string{{oefn("value")}, {oefn("layout")}},
		impl:   timeFn("2006-01-02T15:04:05"),
	},
	oefn("isoMonth"): {params: [][]string{{oefn("value")}}, impl: isoMonth},
	oefn("sha256"): {params: [][]string{{oefn("value")}}, impl: strFn(func(s string) string {
		h := sha256.Sum256([]byte(s))
		return hex.EncodeToString(h[:])
	})},
	oefn("md5"): {params: [][]string{{oefn("value")}}, impl: strFn(func(s string) string {
		h := md5.Sum([]byte(s))
		return hex.EncodeToString(h[:])
	})},
	oefn("lowerAscii"): {params: [][]string{{oefn("value")}}, impl: strFn(func(s string) string { return strings.ToLower(foldASCII(s)) })},
	oefn("slug"):       {params: [][]string{{oefn("value")}}, impl: strFn(Slug)},
	oefn("concat"): {
		params: [][]string{{oefn("value")}, {oefn("value2")}, {oefn("separator")}},
		impl: func(a []arg) (string, bool, error) {
			switch {
			case a[0].ok && a[1].ok:
				return a[0].v + a[2].v + a[1].v, true, nil
			case a[0].ok:
				return a[0].v, true, nil
			case a[1].ok:
				return a[1].v, true, nil
			}
			return "", false, nil
		},
	},
	oefn("ifEmpty"): {
		params: [][]string{{oefn("value")}, {oefn("default")}},
		impl: func(a []arg) (string, bool, error) {
			if a[0].ok && strings.TrimSpace(a[0].v) != "" {
				return a[0].v, true, nil
			}
			return a[1].v, a[1].ok, nil
		},
	},
	// required passes its value through, and rejects the record when it
	// is absent or blank: plain RML silently drops a term (and so a whole
	// subject) whose reference is null; stewards wrap key references in it
	// so that an empty key is reported instead.
	oefn("required"): {
		params: [][]string{{oefn("value")}, {oefn("fieldName")}},
		impl: func(a []arg) (string, bool, error) {
			if !a[0].ok || strings.TrimSpace(a[0].v) == "" {
				return "", false, errRequired
			}
			return a[0].v, true, nil
		},
	},
	// lookup's implementation needs its table: see executor.function.
	oefn("lookup"): {
		params: [][]string{{oefn("value")}, {oefn("table")}, {oefn("keyColumn")}, {oefn("valueColumn")}, {oefn("delimiter")}},
		impl: func([]arg) (string, bool, error) {
			return "", false, errors.New("oefn:lookup: table not loaded")
		},
	},
	oefn("pay"): {
		params: [][]string{{oefn("value")}, {oefn("comment")}, {oefn("hours")}, {oefn("part")}},
		impl:   payFn,
	},
	oefn("when"): {
		params: [][]string{{oefn("value")}, {oefn("condition")}},
		impl: func(a []arg) (string, bool, error) {
			if !a[1].ok || strings.TrimSpace(a[1].v) == "" {
				return "", false, nil
			}
			return a[0].v, a[0].ok, nil
		},
	},
	oefn("ifDifferent"): {
		params: [][]string{{oefn("value")}, {oefn("other")}},
		impl: func(a []arg) (string, bool, error) {
			if !a[0].ok || a[1].ok && a[1].v == a[0].v {
				return "", false, nil
			}
			return a[0].v, true, nil
		},
	},
	oefn("ifIn"): {
		params: [][]string{{oefn("value")}, {oefn("list")}},
		impl: func(a []arg) (string, bool, error) {
			if !a[0].ok {
				return "", false, nil
			}
			for _, x := range strings.Split(a[1].v, "|") {
				if x == a[0].v {
					return a[0].v, true, nil
				}
			}
			return "", false, nil
		},
	},
}

// errRequired is oefn:required's error; the reject names the parameter
// oefn:fieldName when given.
var errRequired = errors.New("required value is empty")

// errPayPart: oefn:pay's oefn:part is not one of its outputs.
var errPayPart = errors.New("oefn:pay: oefn:part must be unit, min, max, monthly, exclusion or adjustment")

func strFn(f func(string) string) func(a []arg) (string, bool, error) {
	return func(a []arg) (string, bool, error) {
		if !a[0].ok {
			return "", false, nil
		}
		return f(a[0].v), true, nil
	}
}

func substring(a []arg) (string, bool, error) {
	if !a[0].ok {
		return "", false, nil
	}
	r := []rune(a[0].v)
	from, to := 0, len(r)
	var err error
	if a[1].ok {
		if from, err = strconv.Atoi(a[1].v); err != nil {
			return "", false, fmt.Errorf("substring: from %q is not an integer", a[1].v)
		}
	}
	if a[2].ok {
		if to, err = strconv.Atoi(a[2].v); err != nil {
			return "", false, fmt.Errorf("substring: to %q is not an integer", a[2].v)
		}
	}
	if from < 0 {
		from += len(r)
	}
	if to < 0 {
		to += len(r)
	}
	from = max(0, min(from, len(r)))
	to = max(from, min(to, len(r)))
	return string(r[from:to]), true, nil
}

func leftPad(a []arg) (string, bool, error) {
	if !a[0].ok {
		return "", false, nil
	}
	w, err := strconv.Atoi(a[1].v)
	if err != nil {
		return "", false, fmt.Errorf("leftPad: width %q is not an integer", a[1].v)
	}
	c := "0"
	if a[2].ok && a[2].v != "" {
		c = a[2].v
	}
	n := utf8.RuneCountInString(a[0].v)
	if n >= w {
		return a[0].v, true, nil
	}
	return strings.Repeat(c, w-n) + a[0].v, true, nil
}

var decimalCommaReplacer = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", ",", ".")

// decimalComma turns French-style numbers ("1 234,50", "12,5") into an
// xsd:decimal lexical form ("1234.50", "12.5").
func decimalComma(a []arg) (string, bool, error) {
	if !a[0].ok {
		return "", false, nil
	}
	s := strings.TrimSpace(a[0].v)
	s = decimalCommaReplacer.Replace(s)
	if s == "" {
		return "", false, nil
	}
	if !isDecimal(s) {
		return "", false, fmt.Errorf("%q is not a decimal number", a[0].v)
	}
	return s, true, nil
}

func isDecimal(s string) bool {
	if s[0] == '+' || s[0] == '-' {
		s = s[1:]
	}
	digits, dot := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}

// timeFn parses value with a Go time layout (default RFC 3339 then
// 2006-01-02) and formats it with out.
func timeFn(out string) func(a []arg) (string, bool, error) {
	return func(a []arg) (string, bool, error) {
		if !a[0].ok || strings.TrimSpace(a[0].v) == "" {
			return "", false, nil
		}
		v := strings.TrimSpace(a[0].v)
		layouts := []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"}
		if a[1].ok && a[1].v != "" {
			layouts = []string{a[1].v}
		}
		for _, l := range layouts {
			if t, err := time.Parse(l, v); err == nil {
				return t.Format(out), true, nil
			}
		}
		return "", false, fmt.Errorf("%q does not match date layout %q", v, layouts[0])
	}
}

// isoMonth returns "2024-06" for "2024-06-15" or "2024-06-15T10:00:00Z".
func isoMonth(a []arg) (string, bool, error) {
	if !a[0].ok {
		return "", false, nil
	}
	v := strings.TrimSpace(a[0].v)
	if len(v) >= 7 {
		if _, err := time.Parse("2006-01", v[:7]); err == nil {
			return v[:7], true, nil
		}
	}
	return "", false, fmt.Errorf("%q is not an ISO date", a[0].v)
}

// ligatures are the letters accent removal leaves; built once (a Replacer
// per call cost more than the mapping itself).
var ligatures = strings.NewReplacer("œ", "oe", "Œ", "OE", "æ", "ae", "Æ", "AE", "ß", "ss")

// foldTable holds the folded form of the Latin letters (U+0080-U+024F), the
// only non-ASCII ones in our data, computed once: the x/text transform
// chain allocates on every call and dominated the mapping of offers.
var foldTable = func() map[rune]string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	m := map[rune]string{}
	for r := rune(0x80); r <= 0x24F; r++ {
		out, _, err := transform.String(t, string(r))
		if err == nil {
			m[r] = ligatures.Replace(out)
		}
	}
	return m
}()

func foldASCII(s string) string {
	ascii := true
	for i := 0; i < len(s) && ascii; i++ {
		ascii = s[i] < utf8.RuneSelf
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch f, ok := foldTable[r]; {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case ok:
			b.WriteString(f)
		default:
			t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
			out, _, err := transform.String(t, string(r))
			if err != nil {
				out = string(r)
			}
			b.WriteString(out)
		}
	}
	return b.String()
}

// Slug lowercases, drops accents and turns every run of other characters
// into one '-': "Côte d'Azur" → "cote-d-azur". It is oefn:slug; code lists
// keyed by slugs are built with it.
func Slug(s string) string {
	s = strings.ToLower(foldASCII(s))
	var b strings.Builder
	dash := false
	for _, r := range s {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return b.String()
}

// function parses an fnml:functionValue node: a triples-map-like node whose
// predicate-object maps give fno:executes and the parameters.
func (p *parser) function(n rdf.Term) (*fnCall, error) {
	type pv struct {
		pred string
		tm   *termMap
	}
	var pvs []pv
	var fnIRI string
	for _, pn := range p.g.objs(n, nsRR+"predicateObjectMap") {
		var preds []string
		for _, x := range p.g.objs(pn, nsRR+"predicate") {
			preds = append(preds, x.String())
		}
		for _, x := range p.g.objs(pn, nsRR+"predicateMap") {
			c, _ := p.g.one(x, nsRR+"constant")
			if c == nil {
				return nil, fmt.Errorf("function %s: predicate maps must be constant", nodeName(n))
			}
			preds = append(preds, c.String())
		}
		var objs []*termMap
		for _, x := range p.g.objs(pn, nsRR+"objectMap") {
			tm, err := p.termMap(x, roleObject)
			if err != nil {
				return nil, fmt.Errorf("function %s: %w", nodeName(n), err)
			}
			objs = append(objs, tm)
		}
		for _, x := range p.g.objs(pn, nsRR+"object") {
			tm, err := p.constantMap(x, roleObject)
			if err != nil {
				return nil, fmt.Errorf("function %s: %w", nodeName(n), err)
			}
			objs = append(objs, tm)
		}
		for _, pr := range preds {
			for _, o := range objs {
				if pr == nsFNO+"executes" || pr == nsFNO2+"executes" {
					if o.kind != tmConstant {
						return nil, fmt.Errorf("function %s: fno:executes must be a constant IRI", nodeName(n))
					}
					fnIRI = o.constant.Value
					continue
				}
				pvs = append(pvs, pv{pr, o})
			}
		}
	}
	if fnIRI == "" {
		return nil, fmt.Errorf("function %s: no fno:executes", nodeName(n))
	}
	f, ok := functions[fnIRI]
	if !ok {
		return nil, fmt.Errorf("unknown function <%s> (see internal/rml/README.md for the supported ones)", fnIRI)
	}
	call := &fnCall{iri: fnIRI, fn: f, params: make([]*termMap, len(f.params))}
	var refs []string
	for _, x := range pvs {
		pos := -1
		for i, alts := range f.params {
			for _, a := range alts {
				if a == x.pred {
					pos = i
				}
			}
		}
		if pos < 0 {
			return nil, fmt.Errorf("function <%s>: unknown parameter <%s>", fnIRI, x.pred)
		}
		call.params[pos] = x.tm
		refs = append(refs, x.tm.references()...)
	}
	call.refs = strings.Join(refs, ",")
	return call, nil
}

// references lists the data references a term map reads (for messages).
func (tm *termMap) references() []string {
	switch tm.kind {
	case tmReference:
		if tm.param {
			return nil
		}
		return []string{tm.ref}
	case tmTemplate:
		var out []string
		for _, p := range tm.tmpl {
			if p.isRef && !p.param {
				out = append(out, p.ref)
			}
		}
		return out
	case tmFunction:
		var out []string
		for _, p := range tm.fn.params {
			if p != nil {
				out = append(out, p.references()...)
			}
		}
		return out
	}
	return nil
}

// IRIs the executor treats specially, computed once.
var (
	fnPay    = oefn("pay")
	fnLookup = oefn("lookup")
)

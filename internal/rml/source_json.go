package rml

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ohler55/ojg/jp"
	"github.com/ohler55/ojg/oj"
)

// jsonReader iterates JSONPath iterator matches. Iterators of the form
// $.a.b[*] or $.a.b[?(filter)] (keys then one wildcard or filter, optionally
// followed by more path) are streamed with the ojg tokenizer, so a huge
// top-level array never sits in memory; other iterators load the document.
type jsonReader struct {
	in       io.Reader
	iterator string
	prefix   []string // streamed keys before [*]
	rest     jp.Expr  // applied to each streamed element ("" = the element)
	full     jp.Expr  // non-streamed iterator
	stream   bool
	wrap     bool // rest starts with a filter: apply it to []any{element}
	refs     []jsonRef
	cur      any
	curWhere string
	h        *jsonStream // the streamed pass, for containerMissing
}

type jsonRef struct {
	keys []string // fast path: plain keys
	expr jp.Expr
	ptr  string // JSON pointer suffix, for messages
}

func newJSONReader(in io.Reader, iterator string) (*jsonReader, error) {
	x, err := jp.ParseString(iterator)
	if err != nil {
		return nil, fmt.Errorf("iterator %q: %w", iterator, err)
	}
	r := &jsonReader{in: &jsonValidator{r: in}, iterator: iterator, full: x}
	// Streamable: $ then Child keys then a Wildcard.
	if len(x) >= 2 {
		if _, ok := x[0].(jp.Root); ok {
			i := 1
			var keys []string
			for ; i < len(x); i++ {
				c, ok := x[i].(jp.Child)
				if !ok {
					break
				}
				keys = append(keys, string(c))
			}
			if i < len(x) {
				switch x[i].(type) {
				case jp.Wildcard:
					r.stream = true
					r.prefix = keys
					if i+1 < len(x) {
						r.rest = append(jp.Expr{jp.Root('$')}, x[i+1:]...)
					}
				case *jp.Filter:
					// $.a[?(...)]: stream the array, filter each element by
					// applying the filter to a one-element array.
					r.stream = true
					r.prefix = keys
					r.rest = append(jp.Expr{jp.Root('$')}, x[i:]...)
					r.wrap = true
				}
			}
		}
	}
	return r, nil
}

func isPlainKey(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c == '[' || c == ']' || c == '*' || c == '$' || c == '@' || c == '\'' || c == '"' || c == '(' || c == '?' {
			return false
		}
	}
	return true
}

func (r *jsonReader) compile(ref string) (int, error) {
	var jr jsonRef
	s := ref
	if strings.HasPrefix(s, "@.") {
		s = s[2:]
	}
	if !strings.Contains(s, "..") && isPlainKey(s) && !strings.HasPrefix(s, ".") {
		jr.keys = strings.Split(s, ".")
		if !strings.Contains(s, ".") {
			jr.keys = []string{s} // a key with spaces etc. is fine as is
		}
		for _, k := range jr.keys {
			jr.ptr += "/" + pointerEscape(k)
		}
	} else {
		switch {
		case strings.HasPrefix(s, "$"):
		case strings.HasPrefix(s, "@"):
			s = "$" + s[1:]
		case strings.HasPrefix(s, "["):
			s = "$" + s
		default:
			s = "$." + s
		}
		x, err := jp.ParseString(s)
		if err != nil {
			return 0, fmt.Errorf("reference %q: %w", ref, err)
		}
		jr.expr = x
	}
	r.refs = append(r.refs, jr)
	return len(r.refs) - 1, nil
}

func pointerEscape(k string) string {
	return strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
}

func (r *jsonReader) values(id int, dst []string) []string {
	jr := &r.refs[id]
	if jr.keys != nil {
		v := r.cur
		for _, k := range jr.keys {
			m, ok := v.(map[string]any)
			if !ok {
				if _, isArr := v.([]any); isArr {
					// Path through an array: let JSONPath handle it.
					return r.exprValues(jr, dst)
				}
				return dst
			}
			if v, ok = m[k]; !ok {
				return dst
			}
		}
		return appendJSONValue(dst, v, true)
	}
	for _, v := range jr.expr.Get(r.cur) {
		dst = appendJSONValue(dst, v, true)
	}
	return dst
}

func (r *jsonReader) exprValues(jr *jsonRef, dst []string) []string {
	if jr.expr == nil {
		x, err := jp.ParseString("$." + strings.Join(jr.keys, "."))
		if err != nil {
			return dst
		}
		jr.expr = x
	}
	for _, v := range jr.expr.Get(r.cur) {
		dst = appendJSONValue(dst, v, true)
	}
	return dst
}

// appendJSONValue renders a JSON value as RML expects: strings as is,
// numbers and booleans in their JSON form, arrays as several values, null
// and "" as no value, objects as JSON text.
func appendJSONValue(dst []string, v any, flatten bool) []string {
	switch x := v.(type) {
	case nil:
		return dst
	case string:
		if x == "" {
			return dst
		}
		return append(dst, x)
	case int64:
		return append(dst, strconv.FormatInt(x, 10))
	case float64:
		return append(dst, strconv.FormatFloat(x, 'f', -1, 64))
	case bool:
		return append(dst, strconv.FormatBool(x))
	case []any:
		if !flatten {
			return append(dst, oj.JSON(x))
		}
		for _, e := range x {
			dst = appendJSONValue(dst, e, false)
		}
		return dst
	default:
		return append(dst, oj.JSON(x))
	}
}

func (r *jsonReader) where() string { return r.curWhere }

func (r *jsonReader) whereField(ref string) string {
	s := strings.TrimPrefix(ref, "@.")
	if isPlainKey(s) && !strings.Contains(s, ",") {
		p := r.curWhere
		for _, k := range strings.Split(s, ".") {
			p += "/" + pointerEscape(k)
		}
		return p
	}
	return r.curWhere
}

func (r *jsonReader) each(rec func() error, bad func(string, error) error) error {
	if !r.stream {
		data, err := oj.Load(r.in)
		if err != nil {
			return fmt.Errorf("parse JSON: %w", err)
		}
		for i, v := range r.full.Get(data) {
			r.cur = v
			r.curWhere = r.iterator + "[" + strconv.Itoa(i) + "]"
			if err := rec(); err != nil {
				return err
			}
		}
		return nil
	}
	base := ""
	for _, k := range r.prefix {
		base += "/" + pointerEscape(k)
	}
	h := &jsonStream{prefix: r.prefix}
	h.emit = func(v any, pos string) {
		w := base + "/" + pos
		if r.rest == nil {
			r.cur, r.curWhere = v, w
			if err := rec(); err != nil {
				panic(stopTokenizer{err})
			}
			return
		}
		if r.wrap {
			v = []any{v}
		}
		for j, sub := range r.rest.Get(v) {
			r.cur, r.curWhere = sub, w
			if !r.wrap {
				r.curWhere = w + "#" + strconv.Itoa(j)
			}
			if err := rec(); err != nil {
				panic(stopTokenizer{err})
			}
		}
	}
	r.h = h
	return tokenize(r.in, h)
}

// containerMissing: the streamed iterator's array or object is absent from
// the whole input (not merely empty).
func (r *jsonReader) containerMissing() bool { return r.h != nil && !r.h.sawTarget }

type stopTokenizer struct{ err error }

func tokenize(in io.Reader, h *jsonStream) (err error) {
	defer func() {
		if p := recover(); p != nil {
			st, ok := p.(stopTokenizer)
			if !ok {
				panic(p)
			}
			err = st.err
		}
	}()
	if err := oj.TokenizeLoad(in, h); err != nil {
		// ojg's position is of little help on a cut input ("incomplete JSON
		// at 1:1"): say which record the parser was in.
		switch {
		case len(h.bstack) > 0:
			return fmt.Errorf("parse JSON: %w: inside record %s (%d records before it)", err, h.where(h.bstack[0].pos), h.found-1)
		case h.found > 0:
			return fmt.Errorf("parse JSON: %w (after %d records)", err, h.found)
		}
		return fmt.Errorf("parse JSON: %w", err)
	}
	// ojg's tokenizer stops quietly at the end of the input: a file cut
	// after a complete record (a partial download) would pass for a
	// shorter file. Every container opened must have been closed.
	if nb := len(h.bstack); nb > 0 {
		return fmt.Errorf("parse JSON: the input ends inside record %s (%d records before it): the file is cut", h.where(h.bstack[0].pos), h.found-1)
	}
	if n := len(h.stack); n > 0 {
		return fmt.Errorf("parse JSON: the input ends before the closing %s of the document (after %d records): the file is cut", closer(h.stack[0].arr), h.found)
	}
	if !h.sawValue {
		return fmt.Errorf("parse JSON: no JSON value in the input")
	}
	return nil
}

func closer(arr bool) string {
	if arr {
		return "]"
	}
	return "}"
}

// where renders the pointer of an element of the iterated container.
func (h *jsonStream) where(pos string) string {
	w := ""
	for _, k := range h.prefix {
		w += "/" + pointerEscape(k)
	}
	return w + "/" + pos
}

var errNotFound = errors.New("not found")

// jsonStream is an oj.TokenHandler that rebuilds each element of the
// iterated array and hands it to emit, keeping nothing else.
type jsonStream struct {
	prefix    []string
	stack     []jframe
	emit      func(v any, pos string) // pos: array index or object key (pointer-escaped)
	found     int
	sawTarget bool
	sawValue  bool // any token at all
	// element under construction
	bstack []bframe
}

type jframe struct {
	arr    bool
	key    string
	idx    int
	match  bool
	target bool
	keyed  bool // a key waits for its value
}

type bframe struct {
	m     map[string]any
	a     []any
	key   string
	arr   bool
	pos   string // position of this element in the target (bottom frame only)
	keyed bool   // a key waits for its value
}

// errKeyWithoutValue: ojg's tokenizer accepts {"k":} and {"k"}; the
// handler refuses them, as encoding/json does.
var errKeyWithoutValue = errors.New("parse JSON: an object key has no value")

// gotValue records that the key pending in the innermost object, if any,
// received its value.
func (h *jsonStream) gotValue() {
	if nb := len(h.bstack); nb > 0 {
		h.bstack[nb-1].keyed = false
		return
	}
	if n := len(h.stack); n > 0 {
		h.stack[n-1].keyed = false
	}
}

func (h *jsonStream) value(v any) {
	h.sawValue = true
	h.gotValue()
	if len(h.bstack) > 0 {
		h.add(v)
		return
	}
	if n := len(h.stack); n > 0 {
		top := &h.stack[n-1]
		if top.target {
			h.found++
			h.emit(v, top.position())
			return
		}
		if top.arr {
			top.idx++
		}
	}
}

// position returns the pointer token of the element being read in a target
// container and advances the array index.
func (f *jframe) position() string {
	if !f.arr {
		return pointerEscape(f.key)
	}
	f.idx++
	return strconv.Itoa(f.idx - 1)
}

func (h *jsonStream) add(v any) {
	b := &h.bstack[len(h.bstack)-1]
	if b.arr {
		b.a = append(b.a, v)
	} else {
		b.m[b.key] = v
	}
}

func (h *jsonStream) start(arr bool) {
	h.sawValue = true
	h.gotValue()
	if len(h.bstack) > 0 {
		h.bstack = append(h.bstack, bframe{arr: arr, m: newMap(arr)})
		return
	}
	n := len(h.stack)
	if n > 0 && h.stack[n-1].target {
		h.found++
		h.bstack = append(h.bstack, bframe{arr: arr, m: newMap(arr), pos: h.stack[n-1].position()})
		return
	}
	match := n == 0
	if n > 0 {
		parent := &h.stack[n-1]
		match = parent.match && !parent.arr && n-1 < len(h.prefix) && parent.key == h.prefix[n-1]
		if parent.arr {
			parent.idx++
		}
	}
	// JSONPath's [*] and filters select array elements and object member
	// values alike.
	target := match && n == len(h.prefix)
	if target {
		h.sawTarget = true
	}
	h.stack = append(h.stack, jframe{arr: arr, match: match, target: target})
}

func newMap(arr bool) map[string]any {
	if arr {
		return nil
	}
	return map[string]any{}
}

func (h *jsonStream) end() {
	if nb := len(h.bstack); nb > 0 && h.bstack[nb-1].keyed || nb == 0 && len(h.stack) > 0 && h.stack[len(h.stack)-1].keyed {
		panic(stopTokenizer{errKeyWithoutValue})
	}
	if nb := len(h.bstack); nb > 0 {
		b := h.bstack[nb-1]
		h.bstack = h.bstack[:nb-1]
		var v any = b.m
		if b.arr {
			if b.a == nil {
				b.a = []any{}
			}
			v = b.a
		}
		if nb == 1 {
			h.emit(v, b.pos)
			return
		}
		h.add(v)
		return
	}
	h.stack = h.stack[:len(h.stack)-1]
}

func (h *jsonStream) Null()           { h.value(nil) }
func (h *jsonStream) Bool(b bool)     { h.value(b) }
func (h *jsonStream) Int(i int64)     { h.value(i) }
func (h *jsonStream) Float(f float64) { h.value(f) }
func (h *jsonStream) Number(s string) { h.value(s) }
func (h *jsonStream) String(s string) { h.value(s) }
func (h *jsonStream) ObjectStart()    { h.start(false) }
func (h *jsonStream) ObjectEnd()      { h.end() }
func (h *jsonStream) ArrayStart()     { h.start(true) }
func (h *jsonStream) ArrayEnd()       { h.end() }
func (h *jsonStream) Key(k string) {
	if nb := len(h.bstack); nb > 0 {
		if h.bstack[nb-1].keyed {
			panic(stopTokenizer{errKeyWithoutValue})
		}
		h.bstack[nb-1].key, h.bstack[nb-1].keyed = k, true
		return
	}
	if n := len(h.stack); n > 0 {
		if h.stack[n-1].keyed {
			panic(stopTokenizer{errKeyWithoutValue})
		}
		h.stack[n-1].key, h.stack[n-1].keyed = k, true
	}
}

// Package ntriples writes RDF terms as N-Triples / N-Quads lines quickly.
//
// It exists because the generic encoders allocate a lot per triple and the
// mapping engine emits millions of quads; this writer appends straight into
// its output buffer and escapes only what the grammar requires.
package ntriples

import (
	"io"
	"strings"
	"unicode/utf8"
)

// Kind says what an RDF term is. The zero Kind marks the zero Term, which
// stands for "no term" (for a graph: the default graph).
type Kind uint8

// Term kinds.
const (
	IRI Kind = iota + 1
	Blank
	Literal
)

// XSDString is the datatype of plain literals; it is never written out.
const XSDString = "http://www.w3.org/2001/XMLSchema#string"

// Term is one RDF term. Value is the IRI, the blank node label (without
// "_:") or the literal's lexical form. Datatype and Lang apply to literals
// only; Lang wins over Datatype.
type Term struct {
	Kind     Kind
	Value    string
	Datatype string
	Lang     string
}

// Triple is one RDF triple: the unit the import's record-level consumers (SHACL
// per record, the streamed aggregates) share, so a record's triples are built once.
type Triple struct{ S, P, O Term }

// NewIRI returns an IRI term.
func NewIRI(v string) Term { return Term{Kind: IRI, Value: v} }

// NewBlank returns a blank node term with the given label.
func NewBlank(label string) Term { return Term{Kind: Blank, Value: label} }

// NewLiteral returns a plain (xsd:string) literal.
func NewLiteral(v string) Term { return Term{Kind: Literal, Value: v} }

// NewTyped returns a literal with a datatype IRI.
func NewTyped(v, datatype string) Term { return Term{Kind: Literal, Value: v, Datatype: datatype} }

// NewLang returns a language-tagged literal.
func NewLang(v, lang string) Term { return Term{Kind: Literal, Value: v, Lang: lang} }

// IsZero reports whether t is the zero Term (no term / default graph).
func (t Term) IsZero() bool { return t.Kind == 0 }

// String returns the N-Triples form of t ("" for the zero Term).
func (t Term) String() string { return string(AppendTerm(nil, t)) }

// AppendTerm appends the N-Triples form of t to dst. Characters the grammar
// forbids are escaped, so whatever the term holds the line stays parseable;
// invalid UTF-8 is replaced by U+FFFD.
func AppendTerm(dst []byte, t Term) []byte {
	switch t.Kind {
	case IRI:
		dst = append(dst, '<')
		dst = appendIRI(dst, t.Value)
		return append(dst, '>')
	case Blank:
		dst = append(dst, '_', ':')
		return appendBlankLabel(dst, t.Value)
	case Literal:
		dst = append(dst, '"')
		dst = appendLiteral(dst, t.Value)
		dst = append(dst, '"')
		if t.Lang != "" {
			dst = append(dst, '@')
			return append(dst, t.Lang...)
		}
		if t.Datatype != "" && t.Datatype != XSDString {
			dst = append(dst, '^', '^', '<')
			dst = appendIRI(dst, t.Datatype)
			return append(dst, '>')
		}
		return dst
	}
	return dst
}

const hexDigits = "0123456789ABCDEF"

func appendUchar(dst []byte, r rune) []byte {
	if r <= 0xFFFF {
		dst = append(dst, '\\', 'u')
		return append(dst, hexDigits[r>>12&0xF], hexDigits[r>>8&0xF], hexDigits[r>>4&0xF], hexDigits[r&0xF])
	}
	dst = append(dst, '\\', 'U')
	for shift := 28; shift >= 0; shift -= 4 {
		dst = append(dst, hexDigits[r>>uint(shift)&0xF])
	}
	return dst
}

// iriForbidden marks the ASCII bytes IRIREF does not allow unescaped.
var iriForbidden = func() (t [128]bool) {
	for c := 0; c <= 0x20; c++ {
		t[c] = true
	}
	for _, c := range "<>\"{}|^`\\" {
		t[c] = true
	}
	return t
}()

// iriPlain marks the bytes an IRI can hold as they are: printable ASCII
// other than the forbidden ones. Non-ASCII bytes take the slow path.
var iriPlain = func() (t [256]bool) {
	for c := 0x21; c < 0x7F; c++ {
		t[c] = !iriForbidden[c]
	}
	return t
}()

func appendIRI(dst []byte, s string) []byte {
	if isPlainIRI(s) {
		return append(dst, s...)
	}
	return appendIRISlow(dst, s)
}

// isPlainIRI reports whether s is written as it is: printable ASCII the
// grammar allows unescaped.
func isPlainIRI(s string) bool {
	for i := 0; i < len(s); i++ {
		if !iriPlain[s[i]] {
			return false
		}
	}
	return true
}

func appendIRISlow(dst []byte, s string) []byte {
	for _, r := range s {
		if r < 128 && (iriForbidden[r] || r == 0x7F) {
			dst = appendUchar(dst, r)
			continue
		}
		dst = utf8.AppendRune(dst, r) // invalid bytes arrive as U+FFFD
	}
	return dst
}

func appendLiteral(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				dst = append(dst, s[start:i]...)
				dst = append(dst, "\uFFFD"...)
				i++
				start = i
				continue
			}
			i += size
			continue
		}
		var esc string
		switch c {
		case '"':
			esc = `\"`
		case '\\':
			esc = `\\`
		case '\n':
			esc = `\n`
		case '\r':
			esc = `\r`
		case '\t':
			esc = `\t`
		default:
			if c < 0x20 || c == 0x7F {
				dst = append(dst, s[start:i]...)
				dst = appendUchar(dst, rune(c))
				i++
				start = i
				continue
			}
			i++
			continue
		}
		dst = append(dst, s[start:i]...)
		dst = append(dst, esc...)
		i++
		start = i
	}
	return append(dst, s[start:]...)
}

// appendBlankLabel writes a label that BLANK_NODE_LABEL accepts. Labels made
// of ASCII letters, digits, '_' and inner '-' pass unchanged; anything else,
// and any label starting with the escape prefix "x_", is hex-escaped after
// "x_", which keeps distinct labels distinct ("-a" and "x__2Da" once both
// came out as x__2Da: found by FuzzNTriples).
func appendBlankLabel(dst []byte, s string) []byte {
	ok := s != "" && !strings.HasPrefix(s, "x_")
	for i := 0; i < len(s) && ok; i++ {
		c := s[i]
		ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' ||
			c == '-' && i > 0 && i < len(s)-1
	}
	if ok {
		return append(dst, s...)
	}
	dst = append(dst, 'x', '_')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			dst = append(dst, c)
			continue
		}
		dst = append(dst, '_', hexDigits[c>>4], hexDigits[c&0xF])
	}
	return dst
}

// Writer writes N-Triples / N-Quads lines to a buffered writer. It is not
// safe for concurrent use. Call Flush when done.
type Writer struct {
	w io.Writer
	// buf holds the lines not yet written to w. Lines are appended to it
	// directly: building each in a scratch slice and copying it into a
	// bufio.Writer moved every byte twice.
	buf []byte
	err error // the first write error: every later call returns it
	n   int64
	// plain remembers, per position in the quad, IRIs already found to need
	// no escaping. A mapping writes the same predicate, class, graph and
	// datatype IRIs on every record and the same subject on every quad of
	// a record: checking them byte by byte each time was a sixth of the
	// engine's time. A hit compares the string with the remembered one
	// (the same backing array most of the time, which Go compares without
	// reading the bytes); a miss checks the bytes as before.
	plain [numRoles][plainSlots]string
}

// Positions of an IRI in a quad, for Writer.plain.
const (
	roleS = iota
	roleP
	roleO
	roleG
	roleDatatype
	numRoles
)

// plainSlots is the size of each position's cache (a power of two): enough
// for the predicates of a wide triples map without much eviction.
const plainSlots = 32

// appendIRI appends <iri> for an IRI known or found to be plain at role.
func (w *Writer) appendIRI(dst []byte, role int, s string) []byte {
	dst = append(dst, '<')
	slot := &w.plain[role][plainSlot(s)]
	if *slot == s && s != "" {
		dst = append(dst, s...)
		return append(dst, '>')
	}
	if isPlainIRI(s) {
		*slot = s
		dst = append(dst, s...)
	} else {
		dst = appendIRISlow(dst, s)
	}
	return append(dst, '>')
}

// plainSlot hashes an IRI on its length and last bytes, where IRIs of one
// mapping differ (the namespace is shared), without reading all of it.
func plainSlot(s string) int {
	h := len(s)
	if len(s) >= 2 {
		h = h*31 + int(s[len(s)-1])*7 + int(s[len(s)-2])
	}
	return h & (plainSlots - 1)
}

// appendTerm is AppendTerm with the IRIs checked through the cache.
func (w *Writer) appendTerm(dst []byte, role int, t Term) []byte {
	switch t.Kind {
	case IRI:
		return w.appendIRI(dst, role, t.Value)
	case Literal:
		if t.Lang == "" && t.Datatype != "" && t.Datatype != XSDString {
			dst = append(dst, '"')
			dst = appendLiteral(dst, t.Value)
			dst = append(dst, '"', '^', '^')
			return w.appendIRI(dst, roleDatatype, t.Datatype)
		}
	}
	return AppendTerm(dst, t)
}

// bufSize is how much a Writer buffers before writing to its io.Writer; the
// buffer has room beyond it for a line started just below (longer lines
// grow it).
const bufSize = 256 << 10

// NewWriter returns a Writer over w (buffered with 256 KiB).
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: w, buf: make([]byte, 0, bufSize+4<<10)}
}

// WriteQuad writes one line; a zero g writes a triple in the default graph.
func (w *Writer) WriteQuad(s, p, o, g Term) error {
	if w.err != nil {
		return w.err
	}
	b := w.buf
	b = w.appendTerm(b, roleS, s)
	b = append(b, ' ')
	b = w.appendTerm(b, roleP, p)
	b = append(b, ' ')
	b = w.appendTerm(b, roleO, o)
	if !g.IsZero() {
		b = append(b, ' ')
		b = w.appendTerm(b, roleG, g)
	}
	b = append(b, ' ', '.', '\n')
	w.buf = b
	w.n++
	if len(b) >= bufSize {
		return w.Flush()
	}
	return nil
}

// WriteTriple writes one triple line.
func (w *Writer) WriteTriple(s, p, o Term) error { return w.WriteQuad(s, p, o, Term{}) }

// Quad is WriteQuad under the name the mapping engine's Sink expects, so a
// *Writer can be handed to rml.Mapping.Execute directly.
func (w *Writer) Quad(s, p, o, g Term) error { return w.WriteQuad(s, p, o, g) }

// Count returns the number of lines written so far.
func (w *Writer) Count() int64 { return w.n }

// Flush writes any buffered data to the underlying writer.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	if len(w.buf) == 0 {
		return nil
	}
	_, err := w.w.Write(w.buf)
	w.buf = w.buf[:0]
	w.err = err
	return err
}

// Quote returns s as an N-Triples string literal body, quotes included; handy
// in error messages and tests.
func Quote(s string) string { return string(appendLiteral([]byte{'"'}, s)) + `"` }

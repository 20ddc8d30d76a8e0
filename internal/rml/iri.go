package rml

import (
	"fmt"
	"unicode/utf8"
)

const upperHex = "0123456789ABCDEF"

// appendIRISafe appends v percent-encoded as R2RML's "IRI-safe version":
// iunreserved characters (ASCII letters, digits, - . _ ~ and non-ASCII
// ucschar) are kept, every other byte becomes %XX.
func appendIRISafe(dst []byte, v string) []byte {
	for i := 0; i < len(v); {
		c := v[i]
		if c < utf8.RuneSelf {
			if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
				dst = append(dst, c)
			} else {
				dst = append(dst, '%', upperHex[c>>4], upperHex[c&0xF])
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(v[i:])
		if isUcschar(r) && !(r == utf8.RuneError && size == 1) {
			dst = append(dst, v[i:i+size]...)
		} else {
			for j := i; j < i+size; j++ {
				dst = append(dst, '%', upperHex[v[j]>>4], upperHex[v[j]&0xF])
			}
		}
		i += size
	}
	return dst
}

func isUcschar(r rune) bool {
	return r >= 0xA0 && r <= 0xD7FF || r >= 0xF900 && r <= 0xFDCF || r >= 0xFDF0 && r <= 0xFFEF ||
		r >= 0x10000 && r <= 0xEFFFD && r&0xFFFF < 0xFFFE
}

// isAbsoluteIRI reports whether v starts with a scheme.
func isAbsoluteIRI(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return true
		default:
			return false
		}
	}
	return false
}

// plainIRITemplate reports whether every IRI the (bound) template makes is
// absolute and passes checkIRI, whatever the values: the first part is a
// constant that starts with a scheme, and every constant part passes
// checkIRI. The values are inserted by appendIRISafe, which writes only
// iunreserved ASCII, %XX and whole valid non-ASCII characters: nothing
// checkIRI refuses, nothing that changes the scheme. makeTerm's checks of
// such a template's IRIs can then be made once, here, instead of per record.
func plainIRITemplate(parts []tmplPart) bool {
	if len(parts) == 0 || parts[0].isRef || !isAbsoluteIRI(parts[0].lit) {
		return false
	}
	for _, p := range parts {
		if !p.isRef && checkIRI(p.lit) != nil {
			return false
		}
	}
	return true
}

// checkIRI rejects characters that IRIs cannot hold (space, <>"{}|^`\,
// controls) and invalid UTF-8.
func checkIRI(v string) error {
	ascii := true
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c <= 0x20 || c == '<' || c == '>' || c == '"' || c == '{' || c == '}' || c == '|' || c == '^' || c == '`' || c == '\\' || c == 0x7F {
			return fmt.Errorf("invalid IRI %q: character %q not allowed", v, c)
		}
		if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	if !ascii && !utf8.ValidString(v) {
		return fmt.Errorf("invalid IRI %q: not UTF-8", v)
	}
	return nil
}

// blankLabel makes a blank node label from a value: letters and digits are
// kept, every other byte becomes _XX. The result never contains '-', which
// keeps it apart from the fresh labels ("f-1").
func blankLabel(v string) string {
	clean := true
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			clean = false
			break
		}
	}
	if clean {
		return v
	}
	b := make([]byte, 0, len(v)+8)
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			b = append(b, c)
		} else {
			b = append(b, '_', upperHex[c>>4], upperHex[c&0xF])
		}
	}
	return string(b)
}

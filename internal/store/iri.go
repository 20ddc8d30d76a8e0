package store

import (
	"fmt"
	"strings"
)

// IRIRef checks that iri is an absolute IRI that can be written between angle brackets
// in SPARQL or N-Triples without breaking out of them, and returns it as <iri>. It
// refuses the characters the IRIREF production forbids (<>"{}|^`\), spaces and control
// characters, and a missing scheme (a relative IRI would be resolved against whatever
// base the store picks).
func IRIRef(iri string) (string, error) {
	if iri == "" {
		return "", fmt.Errorf("empty IRI")
	}
	for i, r := range iri {
		if r <= 0x20 || r == 0x7f || strings.ContainsRune("<>\"{}|^`\\", r) {
			return "", fmt.Errorf("IRI %q: character %q at byte %d is not allowed", iri, r, i)
		}
	}
	colon := strings.IndexByte(iri, ':')
	if colon < 1 || !validScheme(iri[:colon]) {
		return "", fmt.Errorf("IRI %q is not absolute (no scheme)", iri)
	}
	return "<" + iri + ">", nil
}

func validScheme(s string) bool {
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.'):
		default:
			return false
		}
	}
	return true
}

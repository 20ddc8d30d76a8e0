package rml

import "testing"

// TestPlainIRITemplate lists which templates skip the per-record IRI check:
// only those whose every possible IRI would pass it.
func TestPlainIRITemplate(t *testing.T) {
	tests := []struct {
		tmpl string
		want bool
	}{
		{"http://ex.org/offre/{id}", true},
		{"http://ex.org/{a}/{b}#x", true},
		{"urn:x:{id}", true},
		{"http://ex.org/é/{id}", true},
		{"http://ex.org/offre", true},             // no reference at all
		{"{id}", false},                           // relative unless the value... never: made against @base
		{"{scheme}://ex.org/{id}", false},         // the scheme would come from a value
		{"offre/{id}", false},                     // relative: @base is prepended
		{"http://ex.org/a b/{id}", false},         // space: every IRI is invalid
		{"http://ex.org/{id}/<x>", false},         // forbidden characters after the value
		{"http://ex.org/{id}\\{x\\}", false},      // escaped braces are literal braces
		{"http://ex.org/\xff/{id}", false},        // not UTF-8
		{"http://ex.org/caf\xc3/{id}\xa9", false}, // a character split around a value
		{"1http://ex.org/{id}", false},            // not a scheme
		{"http:{id}", true},                       // absolute once the colon is there
		{"mailto:{user}@ex.org", true},
	}
	for _, tc := range tests {
		t.Run(tc.tmpl, func(t *testing.T) {
			parts, err := parseTemplate(tc.tmpl)
			if err != nil {
				t.Fatal(err)
			}
			if got := plainIRITemplate(parts); got != tc.want {
				t.Fatalf("plainIRITemplate = %v, want %v", got, tc.want)
			}
			if !tc.want {
				return
			}
			// What it promises: with any values, the IRI passes makeTerm's checks.
			for _, v := range []string{"x", "a b<>\"{}|^`\\", "é\xff", "http://y", "%41", "\x00\x7f"} {
				var b []byte
				for _, p := range parts {
					if p.isRef {
						b = appendIRISafe(b, v)
					} else {
						b = append(b, p.lit...)
					}
				}
				if !isAbsoluteIRI(string(b)) || checkIRI(string(b)) != nil {
					t.Errorf("value %q makes %q, which fails the IRI checks", v, b)
				}
			}
		})
	}
}

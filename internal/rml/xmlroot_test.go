package rml

import (
	"io"
	"strings"
	"testing"
)

func TestXMLRootWatcher(t *testing.T) {
	tests := []struct {
		name, in string
		root     bool
	}{
		{"element", `<r/>`, true},
		{"after prolog and comment", `<?xml version="1.0"?><!-- <x> --><r/>`, true},
		{"after doctype with subset", `<!DOCTYPE r [<!ELEMENT r ANY>]><r/>`, true},
		{"text only", `0`, false},
		{"lone comment", `<!-- <r> -->`, false},
		{"end tag only", `</r>`, false},
		// found by FuzzXML: '>' and '<' inside a declaration's quoted literal belong
		// to the literal, so this is one directive and no element
		{"quoted literal in declaration", `<!0"><A">`, false},
		{"single-quoted literal", `<!DOCTYPE r SYSTEM '<a>'>`, false},
		{"element after quoted literal", `<!DOCTYPE r SYSTEM "a>b"><r/>`, true},
		// found by FuzzXML: a '>' right after "<!" is the declaration's first byte, not
		// its end (encoding/xml), so the rest is inside it: no element
		{"gt right after <!", `<!><A>>`, false},
		{"gt right after <!, then an element", `<!>><r/>`, true},
		{"comment inside a declaration", `<!DOCTYPE r [<!-- > <x> -->]><r/>`, true},
		{"comment inside a declaration, no element", `<!DOCTYPE r [<!-- > <x> -->]>`, false},
		{"nested markup in a declaration", `<!DOCTYPE r [<!ENTITY e "<x>">]>`, false},
		{"CDATA with a quote, then an element", `<![CDATA[ " ]]><r/>`, true},
		{"CDATA holding a tag", `<![CDATA[<r/>]]>`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &xmlRootWatcher{r: strings.NewReader(tt.in)}
			if _, err := io.Copy(io.Discard, w); err != nil {
				t.Fatal(err)
			}
			if w.seen != tt.root {
				t.Errorf("root seen = %v, want %v for %q", w.seen, tt.root, tt.in)
			}
		})
	}
}

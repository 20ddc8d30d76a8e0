package ntriples

import (
	"testing"

	"github.com/knakk/rdf"
)

func TestFromRDF(t *testing.T) {
	iri, _ := rdf.NewIRI("http://ex.org/a")
	blank, _ := rdf.NewBlank("b1")
	str, _ := rdf.NewLiteral("x")
	lang, _ := rdf.NewLangLiteral("chat", "fr")
	dt, _ := rdf.NewIRI("http://www.w3.org/2001/XMLSchema#integer")
	typed := rdf.NewTypedLiteral("12", dt)
	for _, tc := range []struct {
		in   rdf.Term
		want Term
	}{
		{iri, NewIRI("http://ex.org/a")},
		{blank, NewBlank("b1")},
		{str, NewLiteral("x")},
		{lang, NewLang("chat", "fr")},
		{typed, NewTyped("12", "http://www.w3.org/2001/XMLSchema#integer")},
		{nil, Term{}},
	} {
		if got := FromRDF(tc.in); got != tc.want {
			t.Errorf("FromRDF(%v) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

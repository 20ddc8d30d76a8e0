package ntriples

import "github.com/knakk/rdf"

// FromRDF converts a term decoded by knakk/rdf (Turtle, N-Quads) to a Term, the form
// the writer and the import's record-level consumers take: a literal typed
// xsd:string is a plain literal. A nil or unknown term gives the zero Term.
func FromRDF(t rdf.Term) Term {
	switch v := t.(type) {
	case rdf.IRI:
		return NewIRI(v.String())
	case rdf.Blank:
		return NewBlank(v.String())
	case rdf.Literal:
		if v.Lang() != "" {
			return NewLang(v.String(), v.Lang())
		}
		if dt := v.DataType.String(); dt != XSDString {
			return NewTyped(v.String(), dt)
		}
		return NewLiteral(v.String())
	}
	return Term{}
}

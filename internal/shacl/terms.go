package shacl

import (
	"fmt"
	"strings"

	"github.com/knakk/rdf"

	"github.com/openemploi360/openemploi/internal/sparqlq"
	"github.com/openemploi360/openemploi/internal/store"
)

// prefixes used to compact IRIs in reports; the contract's prefixes (doc/vocabulary.md).
var prefixes = []struct{ prefix, ns string }{
	{"oesh:", "https://data.dataregionsud.fr/openemploi/def/shapes/"},
	{"oep:", "https://data.dataregionsud.fr/openemploi/def/"},
	{"oeid:", "https://data.dataregionsud.fr/openemploi/id/"},
	{"oeg:", "https://data.dataregionsud.fr/openemploi/graph/"},
	{"skos:", "http://www.w3.org/2004/02/skos/core#"},
	{"dct:", "http://purl.org/dc/terms/"},
	{"schema:", "http://schema.org/"},
	{"igeo:", "http://rdf.insee.fr/def/geo#"},
	{"qb:", "http://purl.org/linked-data/cube#"},
	{"prov:", "http://www.w3.org/ns/prov#"},
	{"dcat:", "http://www.w3.org/ns/dcat#"},
	{"void:", "http://rdfs.org/ns/void#"},
	{"geo:", "http://www.opengis.net/ont/geosparql#"},
	{"sh:", shNS},
	{"rdf:", rdfNS},
	{"rdfs:", rdfsNS},
	{"xsd:", xsdNS},
}

// compact shortens an IRI with a known prefix when the rest is a simple local name;
// otherwise it returns <iri>.
func compact(iri string) string {
	for _, p := range prefixes {
		if strings.HasPrefix(iri, p.ns) {
			local := iri[len(p.ns):]
			if local != "" && simpleLocal(local) {
				return p.prefix + local
			}
		}
	}
	return "<" + iri + ">"
}

func simpleLocal(s string) bool {
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '_':
		case i > 0 && (r >= '0' && r <= '9' || r == '-'):
		default:
			return false
		}
	}
	return true
}

// iriRef writes an IRI for a query through the store's check, so that a hostile or
// broken shapes file cannot inject SPARQL.
func iriRef(iri string) (string, error) {
	s, err := store.IRIRef(iri)
	if err != nil {
		return "", fmt.Errorf("shacl: %w", err)
	}
	return s, nil
}

// sparqlTerm writes an IRI or a literal of the shapes graph as SPARQL. Blank nodes
// have no meaning across the shapes and data graphs and are refused.
func sparqlTerm(t rdf.Term) (string, error) {
	switch v := t.(type) {
	case rdf.IRI:
		return iriRef(v.String())
	case rdf.Literal:
		q, err := quote(v.String())
		if err != nil {
			return "", err
		}
		if lang := v.Lang(); lang != "" {
			if !langTag.MatchString(lang) {
				return "", fmt.Errorf("shacl: bad language tag %q", lang)
			}
			return q + "@" + lang, nil
		}
		dt := v.DataType.String()
		if dt == "" || dt == xsdNS+"string" {
			return q, nil
		}
		d, err := iriRef(dt)
		if err != nil {
			return "", err
		}
		return q + "^^" + d, nil
	}
	return "", fmt.Errorf("shacl: cannot use %s in a query", t.Serialize(rdf.NTriples))
}

// quote writes a SPARQL string literal through the one escaper the queries use, so the
// validator and the diagnostic cannot disagree on what is safe to put in a query.
func quote(s string) (string, error) {
	q, err := sparqlq.Literal(s)
	if err != nil {
		return "", fmt.Errorf("shacl: literal %q: %w", s, err)
	}
	return q, nil
}

// sparqlPath writes a SHACL path as a SPARQL property path.
func sparqlPath(p *path) (string, error) {
	switch p.kind {
	case "predicate":
		return iriRef(p.iri)
	case "inverse", "zeroOrMore", "oneOrMore", "zeroOrOne":
		sub, err := sparqlPath(p.items[0])
		if err != nil {
			return "", err
		}
		switch p.kind {
		case "inverse":
			return "^(" + sub + ")", nil
		case "zeroOrMore":
			return "(" + sub + ")*", nil
		case "oneOrMore":
			return "(" + sub + ")+", nil
		default:
			return "(" + sub + ")?", nil
		}
	case "sequence", "alternative":
		sep := "/"
		if p.kind == "alternative" {
			sep = "|"
		}
		parts := make([]string, len(p.items))
		for i, it := range p.items {
			s, err := sparqlPath(it)
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		return "(" + strings.Join(parts, sep) + ")", nil
	}
	return "", fmt.Errorf("shacl: unknown path kind %q", p.kind)
}

// displayPath writes a path for people, with compacted IRIs.
func displayPath(p *path) string {
	if p == nil {
		return ""
	}
	switch p.kind {
	case "predicate":
		return compact(p.iri)
	case "inverse":
		return "^" + displayPath(p.items[0])
	case "zeroOrMore":
		return displayPath(p.items[0]) + "*"
	case "oneOrMore":
		return displayPath(p.items[0]) + "+"
	case "zeroOrOne":
		return displayPath(p.items[0]) + "?"
	}
	sep := "/"
	if p.kind == "alternative" {
		sep = "|"
	}
	parts := make([]string, len(p.items))
	for i, it := range p.items {
		parts[i] = displayPath(it)
	}
	return "(" + strings.Join(parts, sep) + ")"
}

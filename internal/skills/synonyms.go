package skills

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"

	"github.com/knakk/rdf"

	"github.com/openemploi360/openemploi/internal/vocab"
)

// SKOS terms the vocabulary uses.
const (
	skosNS            = "http://www.w3.org/2004/02/skos/core#"
	skosPrefLabel     = skosNS + "prefLabel"
	skosAltLabel      = skosNS + "altLabel"
	skosHidden        = skosNS + "hiddenLabel"
	skosInScheme      = skosNS + "inScheme"
	skosExactMatch    = skosNS + "exactMatch"
	skosCloseMatch    = skosNS + "closeMatch"
	skosBroadMatch    = skosNS + "broadMatch"
	skosConceptScheme = skosNS + "ConceptScheme"
	rdfType           = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
)

// Synonym is one label the vocabulary gives a referential item: what people write
// and the referential does not.
type Synonym struct {
	Item   string // ROME item IRI
	Text   string
	Hidden bool // skos:hiddenLabel: matched, never shown
	// Via is the prefLabel of the vocabulary's own concept the label comes from
	// ("Apache Spark"), empty when the label sits on the item itself.
	Via string
	// Broad says the concept is narrower than the item (skos:broadMatch): a
	// match through it is good evidence, not an identity, and scores a little less.
	Broad bool
}

// WordForm makes the forms of a word count as one word ("gestion", "gérer").
type WordForm struct {
	Canonical string
	Forms     []string
}

// Vocabulary is the parsed synonyms file.
type Vocabulary struct {
	Synonyms []Synonym
	Forms    []WordForm
}

// Statement is one triple of the vocabulary, as the Turtle file or the store's graph
// oeg:skills-synonyms gives it: subject and predicate IRIs, the object an IRI or, when
// Literal, a literal's lexical form (its language tag does not matter here).
type Statement struct {
	Subject, Predicate, Object string
	Literal                    bool
}

// ParseVocabulary reads the SKOS Turtle vocabulary (mappings/skills-synonyms.ttl) and
// builds it with VocabularyFromStatements. name is the file name used in errors.
func ParseVocabulary(name string, b []byte) (*Vocabulary, error) {
	var st []Statement
	dec := rdf.NewTripleDecoder(bytes.NewReader(b), rdf.Turtle)
	for {
		tr, err := dec.Decode()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("skills: vocabulary %s: after %d triples: %w", name, len(st), err)
		}
		_, lit := tr.Obj.(rdf.Literal)
		st = append(st, Statement{Subject: tr.Subj.String(), Predicate: tr.Pred.String(), Object: tr.Obj.String(), Literal: lit})
	}
	return VocabularyFromStatements(name, st)
}

// VocabularyFromStatements builds the vocabulary from its triples:
//   - skos:altLabel / skos:hiddenLabel on a ROME item IRI are labels of that item;
//   - a concept of ours with skos:exactMatch, skos:closeMatch or skos:broadMatch to ROME
//     item IRIs lends its prefLabel, altLabels and hiddenLabels to each of them;
//   - a concept in the scheme WordFormScheme is a word and its forms: prefLabel the
//     canonical word, altLabels the forms that mean the same in a skill label.
//
// The triples are a set, in no order: they are sorted and deduplicated first, so the
// same vocabulary read from the file or from the store gives the same engine. name
// says where they come from, in errors.
func VocabularyFromStatements(name string, statements []Statement) (*Vocabulary, error) {
	type concept struct {
		pref          string
		alt, hidden   []string
		exact, broad  []string
		wordForm, set bool
		scheme        bool
	}
	concepts := map[string]*concept{}
	var order []string
	get := func(s string) *concept {
		c, ok := concepts[s]
		if !ok {
			c = &concept{}
			concepts[s] = c
			order = append(order, s)
		}
		return c
	}
	st := slices.Clone(statements)
	slices.SortFunc(st, func(a, b Statement) int {
		return cmp.Or(cmp.Compare(a.Subject, b.Subject), cmp.Compare(a.Predicate, b.Predicate),
			cmp.Compare(a.Object, b.Object), cmp.Compare(btoi(a.Literal), btoi(b.Literal)))
	})
	st = slices.Compact(st)
	for _, tr := range st {
		s, p, o := tr.Subject, tr.Predicate, tr.Object
		isLit, isIRI := tr.Literal, !tr.Literal
		switch {
		case p == skosPrefLabel && isLit:
			get(s).pref = o
		case p == skosAltLabel && isLit:
			get(s).alt = append(get(s).alt, o)
		case p == skosHidden && isLit:
			get(s).hidden = append(get(s).hidden, o)
		case (p == skosExactMatch || p == skosCloseMatch) && isIRI:
			get(s).exact = append(get(s).exact, o)
		case p == skosBroadMatch && isIRI:
			get(s).broad = append(get(s).broad, o)
		case p == skosInScheme && isIRI && o == WordFormScheme:
			get(s).wordForm = true
		case p == rdfType && isIRI && o == skosConceptScheme:
			get(s).scheme = true
		default:
			continue
		}
		get(s).set = true
	}
	v := &Vocabulary{}
	for _, s := range order {
		c := concepts[s]
		if c.scheme {
			continue // the schemes' own labels name the vocabulary, not a skill
		}
		if c.wordForm {
			if c.pref == "" {
				return nil, fmt.Errorf("skills: vocabulary %s: word %s: no skos:prefLabel", name, s)
			}
			v.Forms = append(v.Forms, WordForm{Canonical: c.pref, Forms: c.alt})
			continue
		}
		if _, ok := vocab.Code(vocab.KindItem, s); ok {
			if len(c.exact)+len(c.broad) > 0 {
				return nil, fmt.Errorf("skills: vocabulary %s: %s: a ROME item links to nothing; put the match on a concept of ours", name, s)
			}
			for _, t := range c.alt {
				v.Synonyms = append(v.Synonyms, Synonym{Item: s, Text: t})
			}
			for _, t := range c.hidden {
				v.Synonyms = append(v.Synonyms, Synonym{Item: s, Text: t, Hidden: true})
			}
			continue
		}
		if len(c.exact)+len(c.broad) == 0 {
			return nil, fmt.Errorf("skills: vocabulary %s: concept %s links to no ROME item (skos:exactMatch, closeMatch or broadMatch)", name, s)
		}
		if c.pref == "" {
			return nil, fmt.Errorf("skills: vocabulary %s: concept %s: no skos:prefLabel", name, s)
		}
		add := func(items []string, broad bool) {
			for _, it := range items {
				for i, t := range append(append([]string{c.pref}, c.alt...), c.hidden...) {
					v.Synonyms = append(v.Synonyms, Synonym{Item: it, Text: t, Via: c.pref, Broad: broad, Hidden: i > len(c.alt)})
				}
			}
		}
		add(c.exact, false)
		add(c.broad, true)
	}
	sort.SliceStable(v.Synonyms, func(i, j int) bool { return v.Synonyms[i].Item < v.Synonyms[j].Item })
	return v, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

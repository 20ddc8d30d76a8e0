// Package skills matches what people write about their skills — typed skills, a CV,
// a Carto.net-like aptitude list — to the items of the ROME 4 referential, and weighs a
// profile against a fiche métier.
//
// It is a text-matching engine, not a store adapter: it is built once per data version
// from plain values (Referential: items, appellations; Vocabulary: the steward-edited
// synonyms of mappings/skills-synonyms.ttl) and answers from memory. The inverted index
// and its ranked retrieval are bleve's (github.com/blevesearch/bleve/v2, in memory);
// the analysis is bleve's French chain (elision, stop words, light stemming) with
// accent folding and the vocabulary's word forms on top, run by this package so that
// every token keeps its byte span in the original text.
//
// Profiles are personal data: nothing here logs, stores or puts in an error the text
// it is given.
package skills

import (
	"errors"
	"fmt"
)

// Kind is the nature of a referential item, which decides its weight in a match.
type Kind string

// Kinds of item. The ROME says savoir-faire, savoir-être professionnel and savoir;
// savoirs of the category "Certifications et habilitations" are diplomas,
// certifications and licences, weighted apart like savoir-être.
const (
	SavoirFaire Kind = "savoir-faire"
	SavoirEtre  Kind = "savoir-etre"
	Savoir      Kind = "savoir"
	Diplome     Kind = "diplome"
)

// Item is one skill item of the referential: a compétence (savoir-faire or
// savoir-être, possibly a macro-compétence) or a savoir.
type Item struct {
	IRI   string
	Code  string // code_ogr
	Label string
	Kind  Kind
	// Category is the ROME's sub-category: "Technique", "Technique expert" or
	// "Transverse" for compétences; the savoir's category ("Domaines d'expertise", …).
	Category string
	// Group is the code of the item's macro-compétence (its own code when it is
	// one): items of a group are close enough for a partial match. Empty for a
	// savoir, or when the source does not say.
	Group string
	// Domain is a savoir's sub-category ("Langages informatiques"): neighbours for
	// resolution, not for the match (Python does not make one half a Java developer).
	Domain string
	Macro  bool     // a macro-compétence
	Fiches []string // ROME codes of the fiches that list the item
}

// Appellation is a job title of the referential and its fiche.
type Appellation struct {
	Code, Label, Fiche string
}

// Referential is what the index is built from, one data version of the ROME 4.
type Referential struct {
	Version      string
	Items        []Item
	Appellations []Appellation
	Fiches       map[string]string // ROME code → label
}

// MaxTextChars caps a CV or aptitude text: a two-page CV holds about 6 000
// characters; beyond 20 000 the text is not a CV and would only cost time.
const MaxTextChars = 20000

// ErrTextTooLong is the error kind of a text over MaxTextChars (errors.Is).
var ErrTextTooLong = errors.New("text too long")

// TextTooLongError says how long a text was; it never holds the text.
type TextTooLongError struct {
	Chars, Max int
}

func (e *TextTooLongError) Error() string {
	return fmt.Sprintf("skills: text of %d characters or more is over the %d-character cap", e.Chars, e.Max)
}

// Is makes errors.Is(err, ErrTextTooLong) true.
func (e *TextTooLongError) Is(target error) bool { return target == ErrTextTooLong }

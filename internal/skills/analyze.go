package skills

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/registry"
)

// token is one analysed word with its byte span in the text it came from.
type token struct {
	term       string
	start, end int
	// brk says a sentence, line or list boundary lies between this token and the
	// previous one: a CV phrase never runs across it.
	brk bool
	// comma says a comma lies between this token and the previous one: in a CV
	// ("Python, SQL, Spark") it separates items, so a label matches across it
	// only when the label holds a comma itself.
	comma bool
}

// analyzer is bleve's French chain (Unicode word segmentation, lower case, elision
// "l'", stop words, light stemming) followed by accent folding — the light stemmer
// folds accents of long words only, so "réal" (réalisation) would stay apart from
// "realis" — and by the vocabulary's word forms, which bring a noun and its verb to
// one term ("gestion" → "gérer"): referential labels say "Gérer", people write
// "gestion". Tokens keep their byte offsets in the original text, which char filters
// would shift: that is why folding is done on terms, after tokenisation.
type analyzer struct {
	fr    analysis.Analyzer
	fold  *asciifolding.AsciiFoldingFilter
	forms map[string]string // analysed form → analysed canonical form
	// acronyms are kept whole, whatever their case in the text: the light stemmer
	// would make "SPSS" the "SPS" of a building site, and "PPSPS" typed in lower
	// case must still be the referential's "PPSPS". See learnAcronyms.
	acronyms map[string]bool
}

func newAnalyzer() (*analyzer, error) {
	a, err := registry.NewCache().AnalyzerNamed(fr.AnalyzerName)
	if err != nil {
		return nil, fmt.Errorf("skills: bleve French analyser: %w", err)
	}
	return &analyzer{fr: a, fold: asciifolding.New(), forms: map[string]string{}, acronyms: map[string]bool{}}, nil
}

// learnAcronyms records as acronyms the words written only in capitals (two letters
// or more) across texts — the referential's labels and the vocabulary. A word the
// labels also write in lower case ("AGILE" and "agile") is a word, not an acronym,
// and keeps its stemming.
func (a *analyzer) learnAcronyms(texts []string) {
	upper, lower := map[string]bool{}, map[string]bool{}
	for _, t := range texts {
		for _, w := range strings.FieldsFunc(t, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			if utf8.RuneCountInString(w) < 2 {
				continue
			}
			l := strings.ToLower(w)
			if w == strings.ToUpper(w) && w != l {
				upper[l] = true
			} else {
				lower[l] = true
			}
		}
	}
	for w := range upper {
		if !lower[w] {
			a.acronyms[string(a.fold.Filter([]byte(w)))] = true
		}
	}
}

// addForms makes every form of words analyse to the analysed canonical form.
func (a *analyzer) addForms(canonical string, forms []string) {
	c := a.terms(canonical)
	if len(c) != 1 {
		return // a multi-word canonical form is a label, not a word form
	}
	for _, f := range forms {
		t := a.terms(f)
		if len(t) == 1 && t[0] != c[0] {
			a.forms[t[0]] = c[0]
		}
	}
}

// analyze returns the tokens of text in order.
func (a *analyzer) analyze(text string) []token {
	stream := a.fr.Analyze([]byte(text))
	out := make([]token, 0, len(stream))
	prevEnd := 0
	for _, t := range stream {
		term := a.foldTerm(t.Term)
		if len(a.acronyms) > 0 {
			raw := text[t.Start:t.End]
			if i := strings.LastIndexAny(raw, "'’"); i >= 0 {
				raw = raw[i+len(string(raw[i])):] // "l'IA": elision
			}
			if w := string(a.fold.Filter([]byte(strings.ToLower(raw)))); a.acronyms[w] {
				term = w
			}
		}
		if c, ok := a.forms[term]; ok {
			term = c
		}
		between := text[prevEnd:t.Start]
		first := len(out) == 0
		out = append(out, token{term: term, start: t.Start, end: t.End,
			brk: !first && boundary(between), comma: !first && strings.ContainsRune(between, ',')})
		prevEnd = t.End
	}
	return out
}

// foldTerm folds accents; most terms are ASCII already and are not copied twice.
func (a *analyzer) foldTerm(b []byte) string {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return string(a.fold.Filter(b))
		}
	}
	return string(b)
}

// terms returns the analysed terms of text without spans.
func (a *analyzer) terms(text string) []string {
	toks := a.analyze(text)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.term
	}
	return out
}

// boundary says whether the text between two words ends a phrase: a line break,
// a full stop, a semicolon or colon, a bullet or a pipe. A comma does not: ROME
// labels hold commas ("Analyser, exploiter, structurer des données").
func boundary(between string) bool {
	return strings.ContainsAny(between, "\n\r.;:•·|–—▪►●■*")
}

// uniq returns terms without repeats, in first-seen order.
func uniq(terms []string) []string {
	seen := make(map[string]bool, len(terms))
	out := terms[:0:0]
	for _, t := range terms {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

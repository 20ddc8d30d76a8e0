package skills

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/openemploi360/openemploi/internal/vocab"
)

// WordFormScheme is the SKOS scheme of the vocabulary's word forms.
var WordFormScheme = vocab.IRI(vocab.KindScheme, "skill-word-forms")

// Label sources, in the order a tie prefers them.
const (
	fromROME   = "rome"         // the item's own label
	fromAlt    = "synonyme"     // an altLabel of the vocabulary
	fromHidden = "forme-cachee" // a hiddenLabel
)

// label is one searchable text: an item's label or synonym, or an appellation.
type label struct {
	text   string
	item   int // index in Index.items, -1 for an appellation
	app    int // index in Index.apps, -1 for an item label
	source string
	via    string
	broad  bool
	terms  []string // analysed, unique
	weight float64  // sum of the terms' idf
	comma  bool     // the text holds a comma
}

// Index is the in-memory search index of one data version of the referential. It is
// safe for concurrent use; build a new one when the data version changes.
type Index struct {
	version string
	an      *analyzer
	bl      bleve.Index
	items   []Item
	apps    []Appellation
	fiches  map[string]string
	labels  []label
	byCode  map[string]int     // item code → index
	byIRI   map[string]int     // item IRI → index
	ofItem  [][]int            // item → its labels
	ofFiche map[string][]int   // fiche → its items
	inGroup map[string][]int   // "g:"+group or "d:"+domain → items
	idf     map[string]float64 // term → inverse document frequency over labels
	rules   *Rules
	unknown []string // vocabulary items not in the referential
}

// UnknownVocabularyItems lists the item IRIs the vocabulary names that the
// referential does not have (their labels were left out).
func (ix *Index) UnknownVocabularyItems() []string { return ix.unknown }

// fieldText is the one indexed field: the analysed terms of a label, space separated.
const fieldText = "t"

// Build indexes ref and the vocabulary. The labels are analysed here, once, and
// handed to bleve pre-analysed (whitespace tokenizer), so the query side and the CV
// side use exactly the same terms and keep their byte spans.
func Build(ctx context.Context, ref *Referential, voc *Vocabulary) (*Index, error) {
	an, err := newAnalyzer()
	if err != nil {
		return nil, err
	}
	rules, err := DefaultRules()
	if err != nil {
		return nil, err
	}
	if voc == nil {
		voc = &Vocabulary{}
	}
	texts := make([]string, 0, len(ref.Items)+len(voc.Synonyms))
	for _, it := range ref.Items {
		texts = append(texts, it.Label)
	}
	for _, s := range voc.Synonyms {
		texts = append(texts, s.Text)
	}
	an.learnAcronyms(texts)
	for _, f := range voc.Forms {
		an.addForms(f.Canonical, f.Forms)
	}
	ix := &Index{version: ref.Version, an: an, items: ref.Items, apps: ref.Appellations, fiches: ref.Fiches,
		byCode: map[string]int{}, byIRI: map[string]int{}, ofFiche: map[string][]int{}, inGroup: map[string][]int{},
		idf: map[string]float64{}, rules: rules}
	ix.ofItem = make([][]int, len(ref.Items))
	for i, it := range ref.Items {
		ix.byCode[it.Code] = i
		ix.byIRI[it.IRI] = i
		for _, f := range it.Fiches {
			ix.ofFiche[f] = append(ix.ofFiche[f], i)
		}
		if it.Group != "" {
			ix.inGroup["g:"+it.Group] = append(ix.inGroup["g:"+it.Group], i)
		}
		if it.Domain != "" {
			ix.inGroup["d:"+it.Domain] = append(ix.inGroup["d:"+it.Domain], i)
		}
		ix.add(label{text: it.Label, item: i, app: -1, source: fromROME})
		// A long label's head, before its bracketed examples, is how people say
		// it: "Effectuer un suivi de chantiers et veiller à l'avancement des
		// différents lots" without "(gros œuvre, corps d'état technique...)".
		if h := head(it.Label); h != "" {
			ix.add(label{text: h, item: i, app: -1, source: fromROME})
		}
		// An acronym the label spells out in brackets is a name of the item:
		// "Plan Particulier de Sécurité et de Protection de la Santé (PPSPS)".
		for _, a := range bracketAcronyms(it.Label) {
			ix.add(label{text: a, item: i, app: -1, source: fromROME})
		}
	}
	for _, s := range voc.Synonyms {
		i, ok := ix.byIRI[s.Item]
		if !ok {
			// A later ROME version may drop an item the vocabulary names, and a test
			// referential holds a few items only: the label is left out, counted,
			// and TestVocabularyItemsExist keeps the shipped file right.
			ix.unknown = append(ix.unknown, s.Item)
			continue
		}
		src := fromAlt
		if s.Hidden {
			src = fromHidden
		}
		ix.add(label{text: s.Text, item: i, app: -1, source: src, via: s.Via, broad: s.Broad})
	}
	for i, a := range ref.Appellations {
		ix.add(label{text: a.Label, item: -1, app: i, source: fromROME})
	}

	df := map[string]int{}
	for _, l := range ix.labels {
		for _, t := range l.terms {
			df[t]++
		}
	}
	n := float64(len(ix.labels))
	for t, d := range df {
		ix.idf[t] = math.Log(1 + n/float64(d))
	}
	for i := range ix.labels {
		ix.labels[i].weight = ix.weight(ix.labels[i].terms)
	}

	// The labels go to bleve already analysed: each document's field is its terms,
	// handed over as tokens (termsAnalyzer), so bleve runs no analysis of its own.
	// Scorch without a path keeps its segments in memory; one batch makes one
	// segment. (bleve.NewMemOnly's upside-down index over a treap, fed text through a
	// whitespace tokenizer, took 6 s and 1.6 GB of allocations for the same labels.)
	bl, err := bleve.NewUsing("", bleve.NewIndexMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("skills: in-memory index: %w", err)
	}
	b := bl.NewBatch()
	for i, l := range ix.labels {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if len(l.terms) == 0 {
			continue
		}
		doc := document.NewDocument(strconv.Itoa(i))
		doc.AddField(document.NewTextFieldCustom(fieldText, nil, []byte(strings.Join(l.terms, " ")), index.IndexField, termsAnalyzer{}))
		if err := b.IndexAdvanced(doc); err != nil {
			return nil, fmt.Errorf("skills: indexing label %d: %w", i, err)
		}
	}
	if err := bl.Batch(b); err != nil {
		return nil, fmt.Errorf("skills: indexing: %w", err)
	}
	ix.bl = bl
	return ix, nil
}

// head returns the part of a label before a bracket or a colon, when that part
// says something on its own (two words or more) and the rest is long; else "".
func head(label string) string {
	i := strings.IndexAny(label, "(:")
	if i < 0 {
		return ""
	}
	h := strings.TrimSpace(label[:i])
	if len(strings.Fields(h)) < 2 || len(label)-i < 12 {
		return ""
	}
	return h
}

// bracketAcronyms returns the acronyms a label gives in brackets: "(PPSPS)",
// "(DIUO)", "(BI)"; not "(SQL/NoSQL)" nor "(gros œuvre, ...)".
func bracketAcronyms(label string) []string {
	var out []string
	for _, m := range acronymInBrackets.FindAllStringSubmatch(label, -1) {
		out = append(out, m[1])
	}
	return out
}

var acronymInBrackets = regexp.MustCompile(`\(\s*-?([A-Z][A-Z0-9]{1,7})-?\s*\)`)

// termsAnalyzer reads a field made of analysed terms separated by spaces.
type termsAnalyzer struct{}

func (termsAnalyzer) Analyze(b []byte) analysis.TokenStream {
	fields := bytes.Fields(b)
	ts := make(analysis.TokenStream, len(fields))
	toks := make([]analysis.Token, len(fields))
	for i, f := range fields {
		toks[i] = analysis.Token{Term: f, Position: i + 1, Type: analysis.AlphaNumeric}
		ts[i] = &toks[i]
	}
	return ts
}

func (ix *Index) add(l label) {
	l.comma = strings.ContainsRune(l.text, ',')
	l.terms = uniq(ix.an.terms(l.text))
	if l.item >= 0 {
		ix.ofItem[l.item] = append(ix.ofItem[l.item], len(ix.labels))
	}
	ix.labels = append(ix.labels, l)
}

// Version is the data version the index was built from.
func (ix *Index) Version() string { return ix.version }

// Item returns an item by code.
func (ix *Index) Item(code string) (Item, bool) {
	i, ok := ix.byCode[code]
	if !ok {
		return Item{}, false
	}
	return ix.items[i], true
}

// FicheItems returns the items of a fiche, in referential order.
func (ix *Index) FicheItems(fiche string) []Item {
	out := make([]Item, 0, len(ix.ofFiche[fiche]))
	for _, i := range ix.ofFiche[fiche] {
		out = append(out, ix.items[i])
	}
	return out
}

// weight is the sum of the idf of terms; an unknown term weighs as a rare one.
func (ix *Index) weight(terms []string) float64 {
	var w float64
	for _, t := range terms {
		w += ix.termIDF(t)
	}
	return w
}

// maxIDF is the idf of a term found in one label only.
func (ix *Index) maxIDF() float64 { return math.Log(1 + float64(len(ix.labels))) }

func (ix *Index) termIDF(t string) float64 {
	if w, ok := ix.idf[t]; ok {
		return w
	}
	return math.Log(1 + float64(len(ix.labels)))
}

// candidates returns the labels that share at least one term with terms, best
// first by bleve's ranking, at most k.
func (ix *Index) candidates(ctx context.Context, terms []string, k int) ([]int, error) {
	if len(terms) == 0 {
		return nil, nil
	}
	qs := make([]query.Query, 0, len(terms))
	for _, t := range terms {
		q := bleve.NewTermQuery(t)
		q.SetField(fieldText)
		qs = append(qs, q)
	}
	req := bleve.NewSearchRequestOptions(bleve.NewDisjunctionQuery(qs...), k, 0, false)
	res, err := ix.bl.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("skills: search: %w", err)
	}
	out := make([]int, 0, len(res.Hits))
	for _, h := range res.Hits {
		i, err := strconv.Atoi(h.ID)
		if err != nil {
			return nil, fmt.Errorf("skills: search hit %q: %w", h.ID, err)
		}
		out = append(out, i)
	}
	return out, nil
}

// similarity scores a label against query terms in [0, 1]: the idf-weighted share of
// the query found in the label (what the person wrote is there), tempered by the
// share of the label the query covers (the label is not much broader). "python"
// scores 0.8 against "Programmation en Python" and 1 against a synonym "Python".
func (ix *Index) similarity(q []string, qw float64, l *label) (score, covQ, covL float64) {
	if qw == 0 || l.weight == 0 {
		return 0, 0, 0
	}
	var m float64
	for _, t := range q {
		for _, u := range l.terms {
			if t == u {
				m += ix.termIDF(t)
				break
			}
		}
	}
	covQ, covL = m/qw, m/l.weight
	score = covQ * (0.5 + 0.5*covL)
	if l.broad {
		score *= ix.rules.Resolve.BroadMatchFactor
	}
	return score, covQ, covL
}

// sortByScore orders scored values best first, ties by the tie key.
func sortByScore[T any](xs []T, score func(T) float64, tie func(T) string) {
	sort.SliceStable(xs, func(i, j int) bool {
		si, sj := score(xs[i]), score(xs[j])
		if si != sj {
			return si > sj
		}
		return tie(xs[i]) < tie(xs[j])
	})
}

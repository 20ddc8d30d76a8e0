package skills

import (
	"context"
	"math"
	"sort"
	"unicode/utf8"
)

// Proposal is a skill the text plainly states, with the span that says it.
type Proposal struct {
	Item    Item
	Matched string  // the label found in the text (the item's own, or a synonym)
	Score   float64 // in [0, 1]
	// Start and End are byte offsets of the span in the text; Excerpt is
	// text[Start:End], returned to the text's author only.
	Start, End int
	Excerpt    string
	Fiche      string // a target fiche listing the item, if any
}

// phrase limits: a phrase longer than this is read in overlapping chunks, so that a
// candidate query stays short and a label is never split at a chunk edge.
const (
	chunkTokens  = 24
	chunkOverlap = 8
)

// CheckText returns a *TextTooLongError when text is over MaxTextChars characters,
// without reading more of it than it needs to.
func CheckText(text string) error {
	if len(text) > 4*MaxTextChars { // more bytes than any 20 000 characters can take
		return &TextTooLongError{Chars: len(text) / 4, Max: MaxTextChars}
	}
	if n := utf8.RuneCountInString(text); n > MaxTextChars {
		return &TextTooLongError{Chars: n, Max: MaxTextChars}
	}
	return nil
}

// candidate is a label found in a phrase of the text.
type candidate struct {
	label      int
	start, end int // token indexes, inclusive
	score      float64
	weight     float64 // idf weight of the label terms found: longer, rarer labels first
	onFiche    bool
}

// Suggest reads a CV or an aptitude list and proposes the referential items it
// states: each phrase of the text (between line breaks, full stops, bullets…) is
// tokenised once and its terms sent to the index; a label is kept when most of its
// weight occurs in the phrase within a short window. Items of the target fiches win
// ties. Proposals are de-duplicated by item and by span, in text order.
func (ix *Index) Suggest(ctx context.Context, text string, targets []string) ([]Proposal, error) {
	if err := CheckText(text); err != nil {
		return nil, err
	}
	onFiche := map[int]string{}
	for _, f := range targets {
		for _, i := range ix.ofFiche[f] {
			if _, ok := onFiche[i]; !ok {
				onFiche[i] = f
			}
		}
	}
	toks := ix.an.analyze(text)
	var cands []candidate
	for _, ch := range chunks(toks) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		found, err := ix.inPhrase(ctx, toks, ch[0], ch[1], onFiche)
		if err != nil {
			return nil, err
		}
		cands = append(cands, found...)
	}
	return ix.choose(text, toks, cands, onFiche), nil
}

// chunks cuts the tokens into phrases at boundaries, and long phrases into
// overlapping chunks; each is [from, to) in token indexes.
func chunks(toks []token) [][2]int {
	var out [][2]int
	start := 0
	flush := func(end int) {
		for s := start; s < end; s += chunkTokens - chunkOverlap {
			e := min(s+chunkTokens, end)
			out = append(out, [2]int{s, e})
			if e == end {
				break
			}
		}
	}
	for i := 1; i <= len(toks); i++ {
		if i == len(toks) || toks[i].brk {
			flush(i)
			start = i
		}
	}
	return out
}

// inPhrase finds the labels stated in toks[from:to].
func (ix *Index) inPhrase(ctx context.Context, toks []token, from, to int, onFiche map[int]string) ([]candidate, error) {
	sg := ix.rules.Suggest
	pos := map[string][]int{}
	var terms []string
	for i := from; i < to; i++ {
		t := toks[i].term
		if _, ok := pos[t]; !ok {
			terms = append(terms, t)
		}
		pos[t] = append(pos[t], i)
	}
	labels, err := ix.candidates(ctx, terms, 200)
	if err != nil {
		return nil, err
	}
	var out []candidate
	for _, li := range labels {
		l := &ix.labels[li]
		if l.item < 0 || l.weight == 0 {
			continue
		}
		// Coverage weighs terms by their idf: the rare words of a label (métré,
		// trésorerie) must be in the text, its common ones (techniques, réaliser)
		// may be said otherwise.
		var found []string
		var w float64
		for _, t := range l.terms {
			if _, ok := pos[t]; ok {
				found = append(found, t)
				w += ix.termIDF(t)
			}
		}
		cov := w / l.weight
		if cov < sg.MinLabelCoverage {
			continue
		}
		if len(l.terms) == 1 && ix.termIDF(l.terms[0]) < sg.MinSingleTermRarity*ix.maxIDF() {
			continue
		}
		s, e := smallestWindow(found, pos)
		span := e - s + 1
		if span > len(l.terms)+sg.WindowSlack || (!l.comma && hasComma(toks, s, e)) {
			continue
		}
		score := cov * math.Sqrt(float64(len(found))/float64(span))
		if l.broad {
			score *= ix.rules.Resolve.BroadMatchFactor
		}
		_, fiche := onFiche[l.item]
		out = append(out, candidate{label: li, start: s, end: e, score: score, weight: w, onFiche: fiche})
	}
	return out, nil
}

// hasComma says whether a comma separates two tokens of toks[s..e].
func hasComma(toks []token, s, e int) bool {
	for i := s + 1; i <= e; i++ {
		if toks[i].comma {
			return true
		}
	}
	return false
}

// smallestWindow returns the shortest token range holding one occurrence of each term.
func smallestWindow(terms []string, pos map[string][]int) (int, int) {
	type occ struct {
		at   int
		term int
	}
	var all []occ
	for k, t := range terms {
		for _, p := range pos[t] {
			all = append(all, occ{p, k})
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].at < all[j].at })
	count := make([]int, len(terms))
	have, bs, be := 0, -1, -1
	l := 0
	for r := range all {
		if count[all[r].term] == 0 {
			have++
		}
		count[all[r].term]++
		for have == len(terms) {
			if bs < 0 || all[r].at-all[l].at < be-bs {
				bs, be = all[l].at, all[r].at
			}
			count[all[l].term]--
			if count[all[l].term] == 0 {
				have--
			}
			l++
		}
	}
	return bs, be
}

// choose keeps, per span, the most specific label (the heaviest terms found), a
// second one only for a tie or an item of a target fiche on the same span; then one
// proposal per item, its best.
func (ix *Index) choose(text string, toks []token, cands []candidate, onFiche map[int]string) []Proposal {
	sg := ix.rules.Suggest
	sort.SliceStable(cands, func(a, b int) bool {
		x, y := cands[a], cands[b]
		switch {
		case math.Abs(x.weight-y.weight) > 1e-9:
			return x.weight > y.weight
		case x.score != y.score:
			return x.score > y.score
		case x.onFiche != y.onFiche:
			return x.onFiche
		}
		return ix.items[ix.labels[x.label].item].Code < ix.items[ix.labels[y.label].item].Code
	})
	var kept []candidate
	items := map[int]bool{}
	for _, c := range cands {
		item := ix.labels[c.label].item
		if items[item] {
			continue
		}
		var over []candidate
		for _, k := range kept {
			if c.start <= k.end && k.start <= c.end {
				over = append(over, k)
			}
		}
		ok := len(over) == 0
		if !ok && len(over) < sg.MaxPerSpan {
			ok = true
			for _, o := range over {
				same := o.start == c.start && o.end == c.end
				tie := math.Abs(o.weight-c.weight) < 1e-9 && math.Abs(o.score-c.score) < 1e-9
				if !same || !(tie || (c.onFiche && !o.onFiche)) {
					ok = false
				}
			}
		}
		if ok {
			kept = append(kept, c)
			items[item] = true
		}
	}
	sort.SliceStable(kept, func(a, b int) bool { return kept[a].start < kept[b].start })
	out := make([]Proposal, 0, len(kept))
	for _, c := range kept {
		l := &ix.labels[c.label]
		p := Proposal{Item: ix.items[l.item], Matched: l.text, Score: round3(c.score),
			Start: toks[c.start].start, End: toks[c.end].end, Fiche: onFiche[l.item]}
		if l.source == fromHidden {
			p.Matched = p.Item.Label
		}
		p.Excerpt = text[p.Start:p.End]
		out = append(out, p)
	}
	return out
}

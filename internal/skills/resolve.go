package skills

import (
	"context"
	"fmt"
	"strings"
)

// Tiers of a resolution: where the matched item was found.
const (
	TierFiche       = "fiche"       // an item of a target fiche
	TierVoisine     = "voisine"     // same macro-compétence or savoir domain as an item of a target fiche
	TierReferentiel = "referentiel" // anywhere in the referential
)

// Resolution is what one typed skill became. Nothing is dropped: a skill the index
// cannot place comes back with Recognised false, a note and, when something came
// close, a suggestion.
type Resolution struct {
	Input      string // the text as typed (returned to its author only, never logged)
	Recognised bool
	Item       Item    // the matched item, when recognised
	Matched    string  // the label that matched: the item's own or a synonym
	Score      float64 // similarity in [0, 1]
	Tier       string  // TierFiche, TierVoisine or TierReferentiel
	Fiche      string  // the target fiche the item belongs to (TierFiche)
	Why        string  // French, for the dashboard
	Note       string  // French, when not recognised
	Suggestion string  // a label to try instead, when not recognised
}

// scored is a candidate item with its best label.
type scored struct {
	item, label int
	score       float64
}

// bestOf scores the labels of items against q and returns the best item.
func (ix *Index) bestOf(q []string, qw float64, items []int, skip map[int]bool) scored {
	best := scored{item: -1, label: -1}
	for _, i := range items {
		if skip[i] {
			continue
		}
		for _, li := range ix.ofItem[i] {
			s := ix.resolveScore(q, qw, li)
			if ix.items[i].Kind == Diplome && s < ix.rules.Resolve.MinScoreAny {
				continue // a diploma is named in full, never reached by a word of its title
			}
			if better(s, li, best, ix) {
				best = scored{item: i, label: li, score: s}
			}
		}
	}
	return best
}

// resolveScore is the similarity of a label to a typed skill; a diploma's scores
// rule.diploma_factor of it, because a typed skill names a diploma only when it says
// so ("négociation commerciale" is a skill, not the "Titre professionnel négociateur
// technico-commercial"), and then it says it in full and still clears the bar.
func (ix *Index) resolveScore(q []string, qw float64, li int) float64 {
	s, _, _ := ix.similarity(q, qw, &ix.labels[li])
	if ix.items[ix.labels[li].item].Kind == Diplome {
		s *= ix.rules.Resolve.DiplomaFactor
	}
	return s
}

// better breaks ties towards the item's own ROME label, then the lower item code,
// so the same input always gives the same answer.
func better(s float64, li int, cur scored, ix *Index) bool {
	if cur.item < 0 || s > cur.score {
		return s > 0
	}
	if s < cur.score {
		return false
	}
	l, c := &ix.labels[li], &ix.labels[cur.label]
	if (l.source == fromROME) != (c.source == fromROME) {
		return l.source == fromROME
	}
	return ix.items[l.item].Code < ix.items[c.item].Code
}

// Resolve places typed skills in the referential, preferring items of the target
// fiches (ROME codes, may be empty), then their neighbours (same macro-compétence or
// savoir domain), then the whole referential. A typed item code ("404167") is taken
// as is. The result has one Resolution per input, in order.
func (ix *Index) Resolve(ctx context.Context, inputs []string, targets []string) ([]Resolution, error) {
	onFiche, fiche := map[int]bool{}, map[int]string{}
	var ficheItems, groupItems []int
	groups := map[string]bool{}
	for _, f := range targets {
		for _, i := range ix.ofFiche[f] {
			if !onFiche[i] {
				onFiche[i], fiche[i] = true, f
				ficheItems = append(ficheItems, i)
			}
		}
	}
	for _, i := range ficheItems {
		it := ix.items[i]
		for _, g := range []string{"g:" + it.Group, "d:" + it.Domain} {
			if len(g) > 2 && !groups[g] {
				groups[g] = true
				groupItems = append(groupItems, ix.inGroup[g]...)
			}
		}
	}
	out := make([]Resolution, 0, len(inputs))
	for _, in := range inputs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r, err := ix.resolveOne(ctx, in, ficheItems, groupItems, onFiche, fiche)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func (ix *Index) resolveOne(ctx context.Context, in string, ficheItems, groupItems []int, onFiche map[int]bool, fiche map[int]string) (Resolution, error) {
	r := Resolution{Input: in}
	text := strings.TrimSpace(in)
	if i, ok := ix.byCode[text]; ok {
		r.Recognised, r.Item, r.Matched, r.Score = true, ix.items[i], ix.items[i].Label, 1
		r.Tier, r.Fiche = TierReferentiel, fiche[i]
		if onFiche[i] {
			r.Tier = TierFiche
		}
		r.Why = "code de l'item saisi"
		return r, nil
	}
	q := uniq(ix.an.terms(text))
	if len(q) == 0 {
		r.Note = "aucun mot significatif : décrivez la compétence en quelques mots"
		return r, nil
	}
	qw := ix.weight(q)
	rule := ix.rules.Resolve

	f := ix.bestOf(q, qw, ficheItems, nil)
	g := ix.bestOf(q, qw, groupItems, onFiche)
	cands, err := ix.candidates(ctx, q, 100)
	if err != nil {
		return r, err
	}
	a := scored{item: -1, label: -1}
	for _, li := range cands {
		l := &ix.labels[li]
		if l.item < 0 {
			continue // an appellation: a job title, not a skill
		}
		s := ix.resolveScore(q, qw, li)
		if better(s, li, a, ix) {
			a = scored{item: l.item, label: li, score: s}
		}
	}
	top := max(g.score, a.score)
	var pick scored
	switch {
	case f.item >= 0 && f.score >= rule.MinScoreFiche && f.score+rule.FicheMargin >= top:
		pick, r.Tier, r.Fiche = f, TierFiche, fiche[f.item]
	case g.item >= 0 && g.score >= rule.MinScoreGroup && g.score+rule.GroupMargin >= a.score:
		pick, r.Tier = g, TierVoisine
	case a.item >= 0 && a.score >= rule.MinScoreAny:
		pick, r.Tier = a, TierReferentiel
		if onFiche[a.item] {
			r.Tier, r.Fiche = TierFiche, fiche[a.item]
		}
	default:
		best := a
		for _, c := range []scored{f, g} {
			if c.item >= 0 && c.score > best.score {
				best = c
			}
		}
		r.Note = "compétence non reconnue dans le référentiel ROME"
		if best.item >= 0 && best.score >= rule.MinScoreSuggestion {
			r.Suggestion = ix.items[best.item].Label
			r.Note += " : reformulez, par exemple « " + r.Suggestion + " »"
		} else {
			r.Note += " : reformulez avec les mots du métier (un outil, une tâche, un savoir)"
		}
		r.Score = round3(best.score)
		return r, nil
	}
	l := &ix.labels[pick.label]
	r.Recognised, r.Item, r.Matched, r.Score = true, ix.items[pick.item], l.text, round3(pick.score)
	if l.source == fromHidden {
		r.Matched = ix.items[pick.item].Label // a hidden label is matched, never shown
	}
	r.Why = ix.why(r.Tier, r.Fiche, l)
	return r, nil
}

// why explains a resolution in French.
func (ix *Index) why(tier, fiche string, l *label) string {
	var where string
	switch tier {
	case TierFiche:
		where = "compétence de la fiche " + fiche
	case TierVoisine:
		where = "compétence voisine de la fiche (même macro-compétence ou même domaine)"
	default:
		where = "compétence du référentiel ROME, hors des fiches visées"
	}
	var how string
	switch {
	case l.via != "" && l.broad:
		how = fmt.Sprintf("« %s » relève de cet item (vocabulaire des synonymes)", l.via)
	case l.via != "":
		how = fmt.Sprintf("« %s » est un synonyme de cet item (vocabulaire des synonymes)", l.via)
	case l.source == fromAlt:
		how = fmt.Sprintf("synonyme « %s » (vocabulaire des synonymes)", l.text)
	case l.source == fromHidden:
		how = "forme courante de ce libellé (vocabulaire des synonymes)"
	default:
		how = "mots du libellé ROME"
	}
	return where + " ; " + how
}

func round3(x float64) float64 { return float64(int(x*1000+0.5)) / 1000 }

// AppellationHit is a job title matching a text, with its fiche.
type AppellationHit struct {
	Appellation Appellation
	Score       float64
}

// SearchAppellations returns the appellations (job titles) best matching text, at
// most limit, each fiche once: a CV's title line ("Data engineer — 6 ans") names
// the métier it comes from.
func (ix *Index) SearchAppellations(ctx context.Context, text string, limit int) ([]AppellationHit, error) {
	q := uniq(ix.an.terms(text))
	if len(q) == 0 || limit <= 0 {
		return nil, nil
	}
	qw := ix.weight(q)
	cands, err := ix.candidates(ctx, q, 200)
	if err != nil {
		return nil, err
	}
	best := map[string]AppellationHit{}
	for _, li := range cands {
		l := &ix.labels[li]
		if l.app < 0 {
			continue
		}
		// The title is in the text, the text says more than the title: what counts is
		// how much of the title is there.
		_, covQ, covL := ix.similarity(q, qw, l)
		s := covL * (0.5 + 0.5*covQ)
		a := ix.apps[l.app]
		if s >= ix.rules.Resolve.MinScoreAny && s > best[a.Fiche].Score {
			best[a.Fiche] = AppellationHit{Appellation: a, Score: round3(s)}
		}
	}
	out := make([]AppellationHit, 0, len(best))
	for _, h := range best {
		out = append(out, h)
	}
	sortByScore(out, func(h AppellationHit) float64 { return h.Score }, func(h AppellationHit) string { return h.Appellation.Code })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

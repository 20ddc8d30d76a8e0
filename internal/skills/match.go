package skills

import (
	"fmt"
	"math"
	"sort"
	"strconv"
)

// Weight classes of rules.yaml's match.weights.
const (
	ClassTechnique  = "technique"
	ClassSavoir     = "savoir"
	ClassTransverse = "transverse"
	ClassSavoirEtre = "savoir-etre"
	ClassDiplome    = "diplome"
)

var weightClasses = []string{ClassTechnique, ClassSavoir, ClassTransverse, ClassSavoirEtre, ClassDiplome}

// Class is the weight class of an item.
func Class(it Item) string {
	switch it.Kind {
	case SavoirEtre:
		return ClassSavoirEtre
	case Diplome:
		return ClassDiplome
	case Savoir:
		return ClassSavoir
	}
	if it.Category == "Transverse" {
		return ClassTransverse
	}
	return ClassTechnique
}

// Statuses of a fiche item against a profile.
const (
	Owned   = "owned"
	Partial = "partial"
	Missing = "missing"
)

// ItemMatch is one item of a fiche against a profile.
type ItemMatch struct {
	Item   Item
	Class  string
	Weight float64 // class weight × specificity; 0 for savoir-être and diplomas, shown apart
	Status string  // Owned, Partial or Missing
	Level  int     // the profile's level (1..5) when owned or partial
	Via    string  // for Partial: the code of the owned item of the same macro-compétence
	Credit float64 // what the item adds: weight × level factor (× partial factor)
}

// Match is a profile against one fiche.
type Match struct {
	Fiche string
	Items []ItemMatch // owned, then partial, then missing; heavier first
	// Pct is the weighted share of the fiche covered (0..100, one decimal); nil when
	// the fiche has no weighted item.
	Pct *float64
	// FitPct is the share of the profile's weighted items that the fiche lists or
	// neighbours (0..100); nil when the profile has no weighted item.
	FitPct      *float64
	CoreOwned   int    // technical items and savoirs of the fiche owned
	Light       string // green, amber, red, or unknown when Pct is nil
	Explanation string // French: the rule, with its thresholds
	Version     string // rules.yaml version
}

// Lights.
const (
	Green   = "green"
	Amber   = "amber"
	Red     = "red"
	Unknown = "unknown"
)

// specificity is how much an item belongs to few fiches, in [min_specificity, 1].
func (ix *Index) specificity(it Item) float64 {
	n := float64(len(ix.fiches))
	k := float64(max(len(it.Fiches), 1))
	if n <= 1 {
		return 1
	}
	return math.Max(ix.rules.Match.MinSpecificity, math.Log(n/k)/math.Log(n))
}

// Match weighs a profile (item code → level 1..5, 0 for "not said") against a fiche;
// rules.yaml's match section is the rule and doc/skills.md explains it.
func (ix *Index) Match(fiche string, profile map[string]int) Match {
	mr := ix.rules.Match
	m := Match{Fiche: fiche, Version: ix.rules.Version}
	levels := map[string]int{}
	byGroup := map[string]string{} // macro-compétence → best owned item in it
	for code, lv := range profile {
		if lv <= 0 || lv > 5 {
			lv = mr.DefaultLevel
		}
		levels[code] = lv
		if i, ok := ix.byCode[code]; ok && ix.items[i].Group != "" {
			g := ix.items[i].Group
			if cur, ok := byGroup[g]; !ok || lv > levels[cur] || (lv == levels[cur] && code < cur) {
				byGroup[g] = code
			}
		}
	}
	factor := func(lv int) float64 { return math.Min(1, float64(lv)/float64(mr.FullLevel)) }
	ficheGroups := map[string]bool{}
	onFiche := map[string]bool{}
	var total, credit float64
	for _, i := range ix.ofFiche[fiche] {
		it := ix.items[i]
		onFiche[it.Code] = true
		if it.Group != "" {
			ficheGroups[it.Group] = true
		}
		im := ItemMatch{Item: it, Class: Class(it), Status: Missing}
		im.Weight = mr.Weights[im.Class] * ix.specificity(it)
		if lv, ok := levels[it.Code]; ok {
			im.Status, im.Level = Owned, lv
			im.Credit = im.Weight * factor(lv)
			if im.Class == ClassTechnique || im.Class == ClassSavoir {
				m.CoreOwned++
			}
		} else if via, ok := byGroup[it.Group]; ok && it.Group != "" {
			im.Status, im.Level, im.Via = Partial, levels[via], via
			im.Credit = im.Weight * factor(levels[via]) * mr.PartialFactor
		}
		total += im.Weight
		credit += im.Credit
		m.Items = append(m.Items, im)
	}
	rank := map[string]int{Owned: 0, Partial: 1, Missing: 2}
	sort.SliceStable(m.Items, func(a, b int) bool {
		x, y := m.Items[a], m.Items[b]
		if rank[x.Status] != rank[y.Status] {
			return rank[x.Status] < rank[y.Status]
		}
		return x.Weight > y.Weight
	})

	// Fit: of what the person declared (by class weight), how much serves this fiche.
	var declared, serving float64
	for code := range levels {
		i, ok := ix.byCode[code]
		if !ok {
			continue
		}
		w := mr.Weights[Class(ix.items[i])]
		declared += w
		switch g := ix.items[i].Group; {
		case onFiche[code]:
			serving += w
		case g != "" && ficheGroups[g]:
			serving += w * mr.PartialFactor
		}
	}
	if declared > 0 {
		fit := math.Round(serving/declared*1000) / 10
		m.FitPct = &fit
	}

	m.Explanation = ix.rules.MatchRule()
	if total == 0 {
		m.Light = Unknown
		return m
	}
	pct := math.Round(credit/total*1000) / 10
	m.Pct = &pct
	switch {
	case pct >= mr.GreenMinMatchPct:
		m.Light = Green
	case pct >= mr.AmberMinMatchPct, m.FitPct != nil && *m.FitPct >= mr.AmberMinFitPct && m.CoreOwned >= mr.MinCoreOwned:
		m.Light = Amber
	default:
		m.Light = Red
	}
	return m
}

// Rank matches a profile against fiches, best coverage first (ties by code).
func (ix *Index) Rank(profile map[string]int, fiches []string) []Match {
	out := make([]Match, 0, len(fiches))
	for _, f := range fiches {
		out = append(out, ix.Match(f, profile))
	}
	pct := func(m Match) float64 {
		if m.Pct == nil {
			return -1
		}
		return *m.Pct
	}
	sortByScore(out, pct, func(m Match) string { return m.Fiche })
	return out
}

// MatchRule is the match rule in French with its thresholds, as the dashboard shows it.
func (r *Rules) MatchRule() string {
	mr := r.Match
	return fmt.Sprintf(mr.Explanation, fmtPct(mr.GreenMinMatchPct), fmtPct(mr.AmberMinMatchPct), fmtPct(mr.AmberMinFitPct), strconv.Itoa(mr.MinCoreOwned))
}

func fmtPct(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

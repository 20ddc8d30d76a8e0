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
	Weight float64 // of the class; 0 for savoir-être and diplomas, shown apart
	Status string  // Owned, Partial or Missing
	Level  int     // the profile's level (1..5) when owned or partial
	Via    string  // for Partial: the code of the owned item of the same macro-compétence
	Credit float64 // what the item adds to the match: weight × level/5 (× partial factor)
}

// Match is a profile against one fiche.
type Match struct {
	Fiche string
	Items []ItemMatch // owned, then partial, then missing; heavier first
	// Pct is the weighted share of the fiche covered (0..100, one decimal); nil when
	// the fiche has no weighted item.
	Pct         *float64
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

// Match weighs a profile (item code → level 1..5, 0 for "not said") against a fiche:
// each item of the fiche counts its class weight; an owned item credits
// weight × level/5; an item not owned whose macro-compétence holds an owned item is
// partially owned and credits partial_factor of that. Pct is credit over weight.
func (ix *Index) Match(fiche string, profile map[string]int) Match {
	mr := ix.rules.Match
	m := Match{Fiche: fiche, Version: ix.rules.Version}
	// Owned items by macro-compétence, for partial ownership.
	byGroup := map[string]string{}
	levels := map[string]int{}
	for code, lv := range profile {
		if lv <= 0 || lv > 5 {
			lv = mr.DefaultLevel
		}
		levels[code] = lv
		if i, ok := ix.byCode[code]; ok && ix.items[i].Group != "" {
			g := ix.items[i].Group
			if cur, ok := byGroup[g]; !ok || levels[code] > levels[cur] || (levels[code] == levels[cur] && code < cur) {
				byGroup[g] = code
			}
		}
	}
	var total, credit float64
	for _, i := range ix.ofFiche[fiche] {
		it := ix.items[i]
		im := ItemMatch{Item: it, Class: Class(it), Status: Missing}
		im.Weight = mr.Weights[im.Class]
		if lv, ok := levels[it.Code]; ok {
			im.Status, im.Level = Owned, lv
			im.Credit = im.Weight * float64(lv) / 5
		} else if via, ok := byGroup[it.Group]; ok && it.Group != "" {
			im.Status, im.Level, im.Via = Partial, levels[via], via
			im.Credit = im.Weight * float64(levels[via]) / 5 * mr.PartialFactor
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
	m.Explanation = fmt.Sprintf(mr.Explanation, fmtPct(mr.GreenMinMatchPct), fmtPct(mr.AmberMinMatchPct))
	if total == 0 {
		m.Light = Unknown
		return m
	}
	pct := math.Round(credit/total*1000) / 10
	m.Pct = &pct
	switch {
	case pct >= mr.GreenMinMatchPct:
		m.Light = Green
	case pct >= mr.AmberMinMatchPct:
		m.Light = Amber
	default:
		m.Light = Red
	}
	return m
}

// Rank matches a profile against fiches, best first (ties by code).
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

func fmtPct(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

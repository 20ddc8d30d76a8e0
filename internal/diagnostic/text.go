package diagnostic

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// fold normalises text for matching: lower case, accents removed, ligatures split,
// punctuation turned into spaces, spaces collapsed. "Ingénieur·e  Big-Data" → "ingenieur e big data".
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	out = strings.NewReplacer("œ", "oe", "Œ", "oe", "æ", "ae", "Æ", "ae", "ß", "ss").Replace(out)
	var b strings.Builder
	space := true
	for _, r := range strings.ToLower(out) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '+' || r == '#' {
			b.WriteRune(r)
			space = false
		} else if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSpace(b.String())
}

// tokens splits folded text into words.
func tokens(folded string) []string { return strings.Fields(folded) }

// matchScore says how well query tokens q match label tokens l: 0 when some query
// token is not a prefix of any label word; higher for exact words, whole-label
// equality and shorter labels.
func matchScore(q, l []string, qFold, lFold string) float64 {
	if len(q) == 0 {
		return 0
	}
	if qFold == lFold {
		return 100
	}
	score := 0.0
	for _, qt := range q {
		best := 0.0
		for _, lt := range l {
			switch {
			case lt == qt:
				best = 2
			case strings.HasPrefix(lt, qt) && best < 1:
				best = 1
			}
		}
		if best == 0 {
			return 0
		}
		score += best
	}
	if strings.HasPrefix(lFold, qFold) {
		score += 3
	}
	return score*10/float64(len(q)) - float64(len(l))*0.1
}

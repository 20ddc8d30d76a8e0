package aggregate

import (
	"math"
	"strconv"
	"strings"

	"github.com/openemploi360/openemploi/internal/ntriples"
)

const (
	xsdDouble = "http://www.w3.org/2001/XMLSchema#double"
	xsdFloat  = "http://www.w3.org/2001/XMLSchema#float"
)

// roundSalary is salaries-by-zone.ru's ROUND(?salary / 10) * 10, in euros. On an
// xsd:decimal (or xsd:integer) the division is exact and fn:round takes halves up
// (towards +∞), so the result is 10·⌊(x + 5) / 10⌋, computed here on the lexical form
// without floating point: 1845 → 1850, 1844.99 → 1840, -15 → -10. xsd:double and
// xsd:float are rounded in float64 as the store does. It reports false for a value
// that is not a number (the store would leave ?s unbound; such a literal fails the
// shapes before it gets here) or out of int64 range.
func roundSalary(t ntriples.Term) (int64, bool) {
	if t.Kind != ntriples.Literal {
		return 0, false
	}
	if t.Datatype == xsdDouble || t.Datatype == xsdFloat {
		x, err := strconv.ParseFloat(strings.TrimSpace(t.Value), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, false
		}
		r := math.Floor(x/10+0.5) * 10
		if r < math.MinInt64 || r >= math.MaxInt64 {
			return 0, false
		}
		return int64(r), true
	}
	return roundDecimal(t.Value)
}

// roundDecimal rounds an xsd:decimal lexical form ([+-]? digits? (. digits?)?, at
// least one digit) to the nearest 10, halves up.
func roundDecimal(lex string) (int64, bool) {
	s := strings.TrimSpace(lex)
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	if intPart == "" && frac == "" {
		return 0, false
	}
	var n int64 // |x| truncated
	for _, c := range []byte(intPart) {
		if c < '0' || c > '9' || n > (math.MaxInt64-9)/10 {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	fracNonZero := false
	for _, c := range []byte(frac) {
		if c < '0' || c > '9' {
			return 0, false
		}
		fracNonZero = fracNonZero || c != '0'
	}
	if n > math.MaxInt64-20 {
		return 0, false
	}
	if !neg || n == 0 && !fracNonZero {
		// x = n + f, 0 ≤ f < 1: ⌊(n + f + 5) / 10⌋ = ⌊(n + 5) / 10⌋
		return (n + 5) / 10 * 10, true
	}
	// x = -(n + f): ⌊(5 - n - f) / 10⌋; k = 5 - n
	k := 5 - n
	q := floorDiv(k, 10)
	if fracNonZero && k-10*q == 0 {
		q-- // k - f lies just below the multiple of 10 k
	}
	return q * 10, true
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && (a < 0) != (b < 0) {
		q--
	}
	return q
}

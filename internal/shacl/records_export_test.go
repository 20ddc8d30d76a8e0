package shacl

import "github.com/openemploi360/openemploi/internal/ntriples"

// CompareForTest exposes the in-memory comparison to the store tests: "true",
// "false", "error" or "unsure".
func CompareForTest(a, b ntriples.Term, op string) string {
	return [...]string{"false", "true", "error", "unsure"}[compareTerms(a, b, op)]
}

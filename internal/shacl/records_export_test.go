package shacl

import "github.com/openemploi360/openemploi/internal/ntriples"

// CompareForTest exposes the in-memory comparison to the store tests: "true",
// "false", "error" or "unsure".
func CompareForTest(a, b ntriples.Term, op string) string {
	return [...]string{"false", "true", "error", "unsure"}[compareTerms(a, b, op)]
}

// NodeSetForTest returns the nodes the set of shared nodes holds and its bytes.
func NodeSetForTest(r *Records) (nodes, bytes int) { return r.seen.n, 8 * len(r.seen.slots) }

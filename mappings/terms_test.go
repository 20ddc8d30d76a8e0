package mappings_test

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"github.com/knakk/rdf"

	"github.com/openemploi360/openemploi/ontology"
)

var (
	declaredOnce sync.Once
	declaredSet  map[string]bool
	declaredErr  error
)

// declaredTerms returns the IRIs of the classes and properties ontology/oep.ttl
// declares (anything typed there), so the mappings can be checked against it.
func declaredTerms(t *testing.T) map[string]bool {
	t.Helper()
	declaredOnce.Do(func() {
		b, err := ontology.File("oep.ttl")
		if err != nil {
			declaredErr = err
			return
		}
		ts, err := rdf.NewTripleDecoder(bytes.NewReader(b), rdf.Turtle).DecodeAll()
		if err != nil {
			declaredErr = err
			return
		}
		declaredSet = map[string]bool{}
		for _, tr := range ts {
			if tr.Pred.String() == rdfType && strings.HasPrefix(tr.Subj.String(), oep) {
				declaredSet[tr.Subj.String()] = true
			}
		}
	})
	if declaredErr != nil {
		t.Fatalf("ontology/oep.ttl: %v", declaredErr)
	}
	return declaredSet
}

// checkDeclared fails on every oep: predicate or class in the mapping's output that
// the ontology does not declare: a mapping may only write terms of the contract
// (doc/vocabulary.md), which the ontology test keeps equal to oep.ttl.
func checkDeclared(t *testing.T, tl *tally) {
	t.Helper()
	decl := declaredTerms(t)
	for p := range tl.byPred {
		if strings.HasPrefix(p, oep) && !decl[p] {
			t.Errorf("predicate oep:%s is not declared in ontology/oep.ttl (add it there and to doc/vocabulary.md)", strings.TrimPrefix(p, oep))
		}
	}
	for c := range tl.byClass {
		if strings.HasPrefix(c, oep) && !decl[c] {
			t.Errorf("class oep:%s is not declared in ontology/oep.ttl", strings.TrimPrefix(c, oep))
		}
	}
}

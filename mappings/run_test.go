package mappings_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/ntriples"
	"github.com/openemploi360/openemploi/internal/rml"
	"github.com/openemploi360/openemploi/mappings"
)

const rdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

// tally is a Sink that keeps counts, not quads: the ROME mapping alone emits
// about a million quads.
type tally struct {
	quads      int
	byClass    map[string]map[string]bool // class -> subjects
	byPred     map[string]int
	graphs     map[string]int
	defaultG   int
	literals   map[string]map[string]int  // predicate -> datatype|@lang -> count
	objects    map[string]map[string]bool // selected predicates -> distinct objects
	keepObject map[string]bool
}

func newTally(keep ...string) *tally {
	t := &tally{byClass: map[string]map[string]bool{}, byPred: map[string]int{}, graphs: map[string]int{},
		literals: map[string]map[string]int{}, objects: map[string]map[string]bool{}, keepObject: map[string]bool{}}
	for _, k := range keep {
		t.keepObject[k] = true
	}
	return t
}

func (t *tally) Quad(s, p, o, g ntriples.Term) error {
	t.quads++
	t.byPred[p.Value]++
	if g.IsZero() {
		t.defaultG++
	} else {
		t.graphs[g.Value]++
	}
	if p.Value == rdfType {
		m := t.byClass[o.Value]
		if m == nil {
			m = map[string]bool{}
			t.byClass[o.Value] = m
		}
		m[s.String()] = true
	}
	if o.Kind == ntriples.Literal {
		m := t.literals[p.Value]
		if m == nil {
			m = map[string]int{}
			t.literals[p.Value] = m
		}
		k := o.Datatype
		if o.Lang != "" {
			k = "@" + o.Lang
		}
		m[k]++
	}
	if t.keepObject[p.Value] {
		m := t.objects[p.Value]
		if m == nil {
			m = map[string]bool{}
			t.objects[p.Value] = m
		}
		m[o.String()] = true
	}
	return nil
}

func (t *tally) count(class string) int { return len(t.byClass[class]) }

// repoRoot is the module root, where catalog sample paths start.
func repoRoot(t testing.TB) string {
	t.Helper()
	abs, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// runSource runs the catalog entry's mapping over the given inputs
// (repo-relative), failing the test on any reject.
func runSource(t testing.TB, src mappings.Source, inputs []string, keep ...string) (*tally, rml.Stats) {
	t.Helper()
	m, err := rml.LoadFile(filepath.Join(".", src.Mapping))
	if err != nil {
		t.Fatalf("%s: %v", src.Name, err)
	}
	var abs []string
	for _, in := range inputs {
		abs = append(abs, filepath.Join(repoRoot(t), in))
	}
	tl := newTally(keep...)
	st, err := m.Execute(context.Background(), rml.Options{Inputs: abs, MaxRejects: -1, Params: src.Params}, tl)
	if err != nil {
		t.Fatalf("%s: execute: %v", src.Name, err)
	}
	if st.Rejected > 0 {
		var msgs []string
		for i, r := range st.Rejects {
			if i == 5 {
				break
			}
			msgs = append(msgs, r.String())
		}
		t.Errorf("%s: %d records rejected, first: %s", src.Name, st.Rejected, strings.Join(msgs, "; "))
	}
	return tl, st
}

package rml

import (
	"fmt"
	"slices"
	"strings"
)

// A reference that matches nothing in a whole input is almost always a
// typo ("lieuTravail.commun") or a field the producer stopped writing; RML
// says it yields no term, so the mapping would silently lose a property.
// The executor therefore records, for every JSONPath and XPath reference of
// the mapping, whether it gave a value for at least one record of its
// logical source over all the inputs, and fails the execution when one did
// not, unless the term map says the field may be absent from a whole input
// (oerml:optional true). CSV columns are checked against the header
// instead: an empty column is data, a misspelt one is an error at once.
// Likewise, a streamed JSON input in which the iterated array or object is
// absent altogether ("$.resultat[*]" over {"resultats": [...]}) is an error
// unless the logical source is marked oerml:optional true. An input that
// holds the container but no record (an empty array, a CSV header alone,
// an XML document element without children) is complete and simply empty,
// as RML says (conformance case RMLTC0000).

// refUse is one reference of one term map (or join condition).
type refUse struct {
	ref      string
	tm       string // triples map, for the message
	ls       *logicalSource
	optional bool
	hit      bool
}

// useKey identifies a reference use across the files of one execution:
// the term map (a per-execution copy) and the template part or join key.
type useKey struct {
	tm     *termMap
	part   int
	join   *refObjectMap
	parent bool
}

// trackedReader marks the uses whose values are read non-empty.
type trackedReader struct {
	reader
	uses []*refUse // by accessor id
}

func (t *trackedReader) values(id int, dst []string) []string {
	out := t.reader.values(id, dst)
	if len(out) > len(dst) && id < len(t.uses) {
		if u := t.uses[id]; u != nil {
			u.hit = true
		}
	}
	return out
}

// cells and setCell forward oerml:unpivot rows.
func (t *trackedReader) cells() int {
	if mc, ok := t.reader.(multiCell); ok {
		return mc.cells()
	}
	return -1
}

func (t *trackedReader) setCell(k int) { t.reader.(multiCell).setCell(k) }

// track registers the use of reference ref compiled to accessor id.
func (e *executor) track(rd reader, id int, k useKey, ref string, optional bool) {
	t, ok := rd.(*trackedReader)
	if !ok || e.binding == nil || e.binding.ls.form == fCSV {
		return
	}
	u := e.uses[k]
	if u == nil {
		u = &refUse{ref: ref, tm: e.binding.name, ls: e.binding.ls, optional: optional}
		if e.uses == nil {
			e.uses = map[useKey]*refUse{}
		}
		e.uses[k] = u
		e.useOrder = append(e.useOrder, u)
	}
	for len(t.uses) <= id {
		t.uses = append(t.uses, nil)
	}
	t.uses[id] = u
}

// checkMatched fails when a logical source gave no record or a reference
// matched nothing (see above).
func (e *executor) checkMatched() error {
	var msgs []string
	for _, k := range e.lsOrder {
		ls := e.lsByKey[k]
		for _, f := range e.missingIn[k] {
			if !e.optionalLS[k] {
				msgs = append(msgs, fmt.Sprintf("%s has nothing where iterator %s points: no record (mark the logical source oerml:optional true if an input may lack it)", f, strconvQuote(ls.iterator)))
			}
		}
	}
	for _, u := range e.useOrder {
		n := e.mapped(u.ls.key())
		if u.hit || u.optional || n == 0 {
			continue
		}
		msgs = append(msgs, fmt.Sprintf("reference %s of triples map %s matched nothing in the %d mapped records of %s (a typo, or a field this input lacks? mark the term map oerml:optional true if it may be absent from a whole input)",
			strconvQuote(u.ref), u.tm, n, u.ls.source))
	}
	if len(msgs) == 0 {
		return nil
	}
	slices.Sort(msgs)
	msgs = slices.Compact(msgs)
	if len(msgs) > 10 {
		msgs = append(msgs[:10], fmt.Sprintf("and %d more", len(msgs)-10))
	}
	return fmt.Errorf("incomplete input or mapping: %s", strings.Join(msgs, "; "))
}

// mapped is the number of records of logical source key mapped so far.
func (e *executor) mapped(key string) int64 {
	if p := e.recordsByLS[key]; p != nil {
		return *p
	}
	return 0
}

// containerMissing is implemented by readers that can tell an input lacking
// the iterated container from one where it is empty.
type containerMissing interface{ containerMissing() bool }

func strconvQuote(s string) string { return fmt.Sprintf("%q", s) }

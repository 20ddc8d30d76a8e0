package shacl

import (
	"context"
	"fmt"

	"github.com/openemploi360/openemploi/internal/sparqlq"
	shaclq "github.com/openemploi360/openemploi/queries/shacl"
)

// bank holds queries/shacl, bound by sparqlq.
var bank = func() *sparqlq.Bank {
	b, err := sparqlq.Load(shaclq.FS, "*.rq")
	if err != nil {
		panic(err) // embedded files: a broken one fails every test of the package
	}
	return b
}()

// deferredBatch is the number of values per query: VALUES blocks of a few hundred IRIs
// keep each request small (about 40 kB) and the number of round trips low.
const deferredBatch = 500

// Deferred returns the number of distinct (class, value) pairs CheckDeferred will
// check.
func (r *Records) Deferred() int {
	n := 0
	for _, dc := range r.deferred {
		n += len(dc.order)
	}
	return n
}

// CheckDeferred runs, after the load, the sh:class checks whose values were not typed
// in their record (a job offer's oep:occupation is a ROME fiche typed in the rome4
// graph): one query per class and batch of distinct values, with the semantics of the
// compiled queries (instances and rdfs:subClassOf chains in any named graph). It
// returns one violation per missing value and constraint, naming the first record and
// focus that used the value, sorted as Validate sorts them.
func (r *Records) CheckDeferred(ctx context.Context, q Querier) ([]Violation, error) {
	var out []Violation
	for _, class := range r.classes {
		dc := r.deferred[class]
		for start := 0; start < len(dc.order); start += deferredBatch {
			batch := dc.order[start:min(start+deferredBatch, len(dc.order))]
			query, err := bank.Bind("class-missing", sparqlq.Args{"class": class, "values": batch})
			if err != nil {
				return nil, fmt.Errorf("shacl: sh:class %s: %w", compact(class), err)
			}
			res, err := q.Select(ctx, query)
			if err != nil {
				return nil, fmt.Errorf("shacl: sh:class %s, values %d-%d of %d: %w", compact(class), start+1, start+len(batch), len(dc.order), err)
			}
			for _, row := range res.Results.Bindings {
				val := row["value"].Value
				for _, use := range dc.values[val] {
					top, u, msg := r.unitOf(use.unit)
					v := Violation{Shape: top.sh.name, Focus: use.focus, Path: displayPath(u.owner.path),
						Constraint: "sh:" + u.con.kind, Message: msg, Severity: u.owner.severity, Record: use.record}
					if !use.node {
						v.Value = "<" + val + ">"
					}
					out = append(out, v)
				}
			}
		}
	}
	sortViolations(out)
	return out, nil
}

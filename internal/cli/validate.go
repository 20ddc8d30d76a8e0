package cli

import (
	"context"
	"fmt"

	"github.com/openemploi360/openemploi/internal/ingest"
	"github.com/openemploi360/openemploi/internal/ntriples"
	"github.com/openemploi360/openemploi/internal/shacl"
	"github.com/openemploi360/openemploi/internal/store"
)

// shapesValidator adapts the SHACL shapes of ontology/ to the importer: record by
// record while mapping (shacl.Records), and in SPARQL on a loaded graph when the
// records cannot decide.
type shapesValidator struct{ shapes *shacl.Shapes }

// NewValidator returns the importer's SHACL validator over the ontology's shapes.
func NewValidator() (ingest.RecordValidating, error) {
	s, err := shacl.Default()
	if err != nil {
		return nil, fmt.Errorf("loading SHACL shapes: %w", err)
	}
	return &shapesValidator{s}, nil
}

func newValidator() (ingest.RecordValidating, error) { return NewValidator() }

// maxViolations bounds the report: the first ones are enough to fix a mapping.
const maxViolations = 20

func (v *shapesValidator) ValidateGraph(ctx context.Context, c *store.Client, graph string) ([]string, error) {
	rep, err := v.shapes.Validate(ctx, c, graph, maxViolations)
	if err != nil {
		return nil, err
	}
	return violationLines(rep.Violations), nil
}

func (v *shapesValidator) Records() ingest.RecordValidator {
	return &recordsValidator{v.shapes.Records(maxViolations)}
}

// recordsValidator adapts shacl.Records to ingest.RecordValidator.
type recordsValidator struct{ r *shacl.Records }

func (rv *recordsValidator) Record(where string, triples []ntriples.Triple) {
	rv.r.Record(where, triples)
}

func (rv *recordsValidator) Violations() []string {
	var out []string
	for _, x := range rv.r.Report().Violations {
		if x.Severity == shacl.SeverityViolation {
			out = append(out, x.String())
		}
	}
	return out
}

func (rv *recordsValidator) Fallback() (bool, string) { return rv.r.Fallback() }

func (rv *recordsValidator) CheckDeferred(ctx context.Context, c *store.Client) ([]string, error) {
	vs, err := rv.r.CheckDeferred(ctx, c)
	if err != nil {
		return nil, err
	}
	return violationLines(vs), nil
}

// violationLines renders the results of severity Violation; warnings do not block.
func violationLines(vs []shacl.Violation) []string {
	var out []string
	for _, x := range vs {
		if x.Severity == shacl.SeverityViolation || x.Severity == "" {
			out = append(out, x.String())
		}
	}
	return out
}

func (rv *recordsValidator) Violated() bool { return rv.r.Violated() }

package cli

import (
	"context"
	"fmt"

	"github.com/openemploi360/openemploi/internal/shacl"
	"github.com/openemploi360/openemploi/internal/store"
)

// shapesValidator adapts the SHACL shapes of ontology/ to the importer.
type shapesValidator struct{ shapes *shacl.Shapes }

func newValidator() (*shapesValidator, error) {
	s, err := shacl.Default()
	if err != nil {
		return nil, fmt.Errorf("loading SHACL shapes: %w", err)
	}
	return &shapesValidator{s}, nil
}

// maxViolations bounds the report: the first ones are enough to fix a mapping.
const maxViolations = 20

func (v *shapesValidator) ValidateGraph(ctx context.Context, c *store.Client, graph string) ([]string, error) {
	rep, err := v.shapes.Validate(ctx, c, graph, maxViolations)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, x := range rep.Violations {
		out = append(out, fmt.Sprintf("%s %s: %s (shape %s, value %s)", x.Focus, x.Path, x.Message, x.Shape, x.Value))
	}
	return out, nil
}

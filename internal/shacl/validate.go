package shacl

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"github.com/knakk/sparql"
)

// DefaultLimit is the number of violations kept per constraint when Validate is given
// no limit.
const DefaultLimit = 100

// parallel is the number of queries in flight: enough to hide round trips, few enough
// not to starve a 2-core store that is also serving readers.
const parallel = 3

// Validate checks the named graph against the shapes and returns every violation, at
// most limit per constraint (limit <= 0 means DefaultLimit). Focus nodes are taken
// from the graph only; sh:class values may be typed in any named graph of the store.
// An error means the validation could not run (store down, bad graph IRI); a graph
// that does not conform is not an error.
func (s *Shapes) Validate(ctx context.Context, q Querier, graph string, limit int) (Report, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	g, err := iriRef(graph)
	if err != nil {
		return Report{}, fmt.Errorf("shacl: validate %q: %w", graph, err)
	}
	queries, err := s.Queries(graph, limit)
	if err != nil {
		return Report{}, fmt.Errorf("shacl: validate %s: %w", graph, err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// First count the focus nodes of each targeted shape: shapes with none (most of
	// them, since one import fills one kind of graph) cost no further query.
	counts := make([]int, len(s.top))
	err = runAll(ctx, len(s.top), func(ctx context.Context, i int) error {
		targets, err := targetPattern(g, s.top[i])
		if err != nil {
			return err
		}
		res, err := q.Select(ctx, "SELECT (COUNT(DISTINCT ?focus) AS ?n) WHERE {\n"+targets+"}\n")
		if err != nil {
			return fmt.Errorf("count focus nodes of %s: %w", s.top[i].name, err)
		}
		counts[i], err = countOf(res)
		if err != nil {
			return fmt.Errorf("count focus nodes of %s: %w", s.top[i].name, err)
		}
		return nil
	})
	if err != nil {
		return Report{}, fmt.Errorf("shacl: validate %s: %w", graph, err)
	}
	rep := Report{Conforms: true, Queries: len(s.top)}
	active := map[string]bool{}
	for i, sh := range s.top {
		rep.Checked += counts[i]
		if counts[i] > 0 {
			active[sh.name] = true
		}
	}
	if len(active) == 0 {
		return rep, nil
	}
	// Then list the predicates the graph uses: constraints on values of a predicate
	// the graph does not have (most measures of an observation) need no query.
	res, err := q.Select(ctx, "SELECT DISTINCT ?p WHERE { GRAPH "+g+" { ?s ?p ?o } }\n")
	if err != nil {
		return Report{}, fmt.Errorf("shacl: validate %s: list predicates: %w", graph, err)
	}
	used := map[string]bool{}
	for _, row := range res.Results.Bindings {
		used[row["p"].Value] = true
	}
	rep.Queries++
	var todo []Query
	for _, qu := range queries {
		if active[qu.Shape] && (qu.Requires == "" || used[qu.Requires]) {
			todo = append(todo, qu)
		}
	}
	rep.Queries += len(todo)

	results := make([][]Violation, len(todo))
	truncated := make([]bool, len(todo))
	err = runAll(ctx, len(todo), func(ctx context.Context, i int) error {
		qu := todo[i]
		res, err := q.Select(ctx, qu.SPARQL)
		if err != nil {
			return fmt.Errorf("shape %s %s %s: %w", qu.Shape, qu.Path, qu.Constraint, err)
		}
		vs := violations(qu, res)
		if len(vs) > limit {
			vs, truncated[i] = vs[:limit], true
		}
		results[i] = vs
		return nil
	})
	if err != nil {
		return Report{}, fmt.Errorf("shacl: validate %s: %w", graph, err)
	}
	for i, vs := range results {
		rep.Violations = append(rep.Violations, vs...)
		rep.Truncated = rep.Truncated || truncated[i]
	}
	for _, v := range rep.Violations {
		if v.Severity == SeverityViolation {
			rep.Conforms = false
		}
	}
	sortViolations(rep.Violations)
	return rep, nil
}

// runAll calls f(ctx, i) for i in [0, n) with at most `parallel` calls at once, and
// returns the first error, cancelling the others.
func runAll(ctx context.Context, n int, f func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
		sem   = make(chan struct{}, parallel)
	)
	for i := 0; i < n; i++ {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			if err := f(ctx, i); err != nil {
				once.Do(func() { first = err; cancel() })
			}
		}(i)
	}
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}

func countOf(res *sparql.Results) (int, error) {
	if res == nil || len(res.Results.Bindings) != 1 {
		return 0, errors.New("expected one row")
	}
	b, ok := res.Results.Bindings[0]["n"]
	if !ok {
		return 0, errors.New("no ?n in the result")
	}
	n, err := strconv.Atoi(b.Value)
	if err != nil {
		return 0, fmt.Errorf("count %q: %w", b.Value, err)
	}
	return n, nil
}

// violations turns the rows of a compiled query into violations. Rows are read from
// the raw bindings rather than Results.Solutions(), which drops terms it cannot parse
// (an IRI with a space, an unusual language tag): those are exactly the values a
// validator must show.
func violations(qu Query, res *sparql.Results) []Violation {
	if res == nil {
		return nil
	}
	var out []Violation
	seen := map[[2]string]bool{}
	for _, row := range res.Results.Bindings {
		focus := termText(row["focus"].Type, row["focus"].Value, "", "", false)
		value := ""
		if v, ok := row["value"]; ok {
			value = termText(v.Type, v.Value, v.Lang, v.DataType, true)
		}
		k := [2]string{focus, value}
		if seen[k] {
			continue // a second parent of the same blank node
		}
		seen[k] = true
		v := Violation{
			Shape: qu.Shape, Focus: focus, Path: qu.Path, Value: value,
			Constraint: qu.Constraint, Message: qu.Message, Severity: qu.Severity,
		}
		if p, ok := row["parent"]; ok {
			v.Parent = p.Value
			if pp, ok := row["parentProp"]; ok {
				v.ParentProperty = compact(pp.Value)
			}
		}
		out = append(out, v)
	}
	return out
}

// termText writes a result term: IRIs bare (focus) or in angle brackets (values),
// blank nodes as _:label, literals in N-Triples form.
func termText(typ, val, lang, dt string, brackets bool) string {
	switch typ {
	case "uri":
		if brackets {
			return "<" + val + ">"
		}
		return val
	case "bnode":
		return "_:" + val
	case "literal", "typed-literal":
		q := strconv.Quote(val)
		switch {
		case lang != "":
			return q + "@" + lang
		case dt != "" && dt != xsdNS+"string":
			return q + "^^<" + dt + ">"
		}
		return q
	}
	return val
}

// Package shacl validates data against SHACL Core shapes: one named graph of the triple
// store, by compiling the shapes to SPARQL SELECT queries (Validate), or the records of
// a mapping one by one in memory (Records, below). Oxigraph has no SHACL service and
// Fuseki's is not reachable through the SPARQL protocol, so the same compiled queries
// are the one store validator for both: each (shape, constraint) pair becomes a query over
// the validated graph (the staging graph of an import) that returns the focus nodes
// violating it, with a LIMIT so that a broken import cannot make validation unbounded.
//
// Supported: targets sh:targetClass (rdf:type in the validated graph, no subclass
// inference), sh:targetNode, sh:targetSubjectsOf, sh:targetObjectsOf; constraints
// minCount, maxCount, datatype (with a lexical check of common XSD types), class
// (instances and rdfs:subClassOf chains may be in any named graph), nodeKind, pattern
// (+flags), min/maxInclusive, min/maxExclusive, min/maxLength, in, hasValue,
// uniqueLang, languageIn, lessThan, lessThanOrEquals, equals, disjoint, node, not,
// and, or, xone, qualifiedValueShape with qualifiedMin/MaxCount; all SPARQL property
// path forms; sh:severity, sh:deactivated, sh:message. Counting constraints nested
// inside sh:node/sh:or/… are limited to counts up to 3 (they are compiled to EXISTS
// patterns); top-level counts have no limit. Unsupported SHACL features (sh:closed,
// sh:sparql, disjoint qualified shapes) are refused by Parse rather than ignored.
//
// Cost: one count query per targeted shape, then, for the shapes that have focus nodes
// in the graph, one query per constraint, skipping constraints on a predicate the graph
// does not use. ROME 4 (966 000 triples, 154 000 focus nodes) validates in about 20 s
// on Oxigraph; 10 000 offers in 0.7 s (Oxigraph) and 1.8 s (Fuseki), see the benchmark.
// The results were cross-checked with Jena's SHACL engine on the test samples.
//
// Record by record (Records, records*.go): the same constraints, with the same
// semantics, evaluated in memory on the triples of one mapped record at a time, while a
// source is mapped and before anything is sent (the RML engine tells its sink where each
// record ends, rml.RecordSink). The result equals Validate's on the graph the records
// make, under conditions Records checks itself: no node the shapes read (a focus node,
// or a node a path or a nested shape walks through) is described by two records — it
// keeps a 64-bit hash of each subject and read node, 10 to 20 bytes a node — and every
// SPARQL operator involved answers the same in every store (it does not guess the order
// of exotic datatypes, regexes with Unicode classes on non-ASCII text, decimals beyond
// 18 digits, lengths beyond the BMP). When a condition fails, or a shape has
// sh:targetNode, or a record holds a focus of sh:targetObjectsOf, Fallback says why and
// the caller validates the loaded graph with Validate. sh:class values a record does not
// type itself (an offer's fiche, typed in oeg:rome4) are kept, distinct, for
// CheckDeferred, one VALUES query per class and 500 values after the load; a class check
// nested in sh:node, sh:or, sh:not… on such a value falls back. Differential tests
// compare both modes on the bundled samples and on cases of every constraint, on
// Fuseki and Oxigraph. One month of synthetic offers: about 6 µs a record, a fifth of
// the bare mapping's time (BenchmarkRecords).
package shacl

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/knakk/sparql"

	"github.com/openemploi360/openemploi/ontology"
)

// Querier runs a SPARQL SELECT query; *store.Client satisfies it.
type Querier interface {
	Select(ctx context.Context, q string) (*sparql.Results, error)
}

// Severity of a validation result, as in SHACL.
const (
	SeverityViolation = "Violation"
	SeverityWarning   = "Warning"
	SeverityInfo      = "Info"
)

// Report is the outcome of validating one graph.
type Report struct {
	// Conforms is true when no result has severity Violation: warnings and infos are
	// reported but do not block an import.
	Conforms bool
	// Violations are all results, sorted by shape, path, constraint, focus and value.
	Violations []Violation
	// Checked is the number of (shape, focus node) pairs validated.
	Checked int
	// Truncated is true when at least one constraint had more violations than the
	// limit given to Validate: the list is then a sample.
	Truncated bool
	// Queries is the number of SPARQL queries run.
	Queries int
}

// Violation is one validation result.
type Violation struct {
	Shape      string // the shape with the target, compacted (oesh:Occupation)
	Focus      string // the focus node: an IRI, or _:label for a blank node
	Path       string // the property path, compacted (skos:notation), empty for node constraints
	Value      string // the offending value in N-Triples form, when there is one
	Constraint string // the constraint parameter, e.g. sh:minCount
	Message    string // the shape's sh:message, or a default one
	Severity   string // Violation, Warning or Info
	// Parent and ParentProperty name an IRI that points to a blank-node focus, so that
	// a steward can find the record (e.g. the offer of a schema:MonetaryAmount).
	Parent         string
	ParentProperty string
	// Record names the source record the focus came from ("offres.json:/3"), when the
	// validation was done record by record (Records); empty from Validate.
	Record string
}

func (v Violation) String() string {
	s := fmt.Sprintf("%s %s: %s", v.Severity, v.Focus, v.Message)
	if v.Record != "" {
		s = fmt.Sprintf("%s %s (record %s): %s", v.Severity, v.Focus, v.Record, v.Message)
	}
	if v.Value != "" {
		s += " (value " + v.Value + ")"
	}
	if v.Parent != "" {
		s += " (in " + v.Parent + " " + v.ParentProperty + ")"
	}
	return s + " [" + v.Shape + " " + v.Constraint + "]"
}

// Default returns the shapes of the ontology package (ontology/shapes.ttl).
func Default() (*Shapes, error) {
	s, err := Parse(bytes.NewReader(ontology.Shapes()))
	if err != nil {
		return nil, fmt.Errorf("ontology/shapes.ttl: %w", err)
	}
	return s, nil
}

// Parse reads SHACL shapes from Turtle and checks that every shape uses only supported
// features and well-formed parameters, so that errors show up at load time rather than
// as a SPARQL syntax error in the middle of an import.
func Parse(r io.Reader) (*Shapes, error) {
	g, err := readTurtle(r)
	if err != nil {
		return nil, err
	}
	return buildShapes(g)
}

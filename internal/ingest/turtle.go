package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/knakk/rdf"

	"github.com/openemploi360/openemploi/internal/ntriples"
	"github.com/openemploi360/openemploi/internal/rml"
)

// turtleToSink decodes Turtle with knakk/rdf and passes each triple on (default graph:
// the sink puts it in the source's graph).
func turtleToSink(b []byte, sink rml.Sink) (int64, error) {
	dec := rdf.NewTripleDecoder(bytes.NewReader(b), rdf.Turtle)
	var n int64
	for {
		tr, err := dec.Decode()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, fmt.Errorf("after %d triples: %w", n, err)
		}
		if err := sink.Quad(ntriples.FromRDF(tr.Subj), ntriples.FromRDF(tr.Pred), ntriples.FromRDF(tr.Obj), ntriples.Term{}); err != nil {
			return n, err
		}
		n++
	}
}

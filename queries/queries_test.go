package queries_test

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/sparqlq"
	"github.com/openemploi360/openemploi/queries"
)

// TestQueriesLoad parses every query and derived aggregate: headers, names and
// placeholders are checked at build time of the bank, not when a request hits one.
func TestQueriesLoad(t *testing.T) {
	b, err := sparqlq.Load(queries.FS, "*.rq", "derived/*.ru")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := fs.Glob(queries.FS, "*.rq")
	derived, _ := fs.Glob(queries.FS, "derived/*.ru")
	if len(b.Names()) != len(files)+len(derived) || len(derived) != 3 {
		t.Errorf("%d queries loaded from %d files", len(b.Names()), len(files)+len(derived))
	}
	for _, name := range b.Names() {
		q, _ := b.Get(name)
		if q.Returns == "" {
			t.Errorf("%s: no \"# returns:\" header", q.File)
		}
		// Vocabulary rule: every pattern sits in a named graph, never the default graph.
		if !strings.Contains(q.Text(), "GRAPH") {
			t.Errorf("%s: no GRAPH pattern", q.File)
		}
	}
}

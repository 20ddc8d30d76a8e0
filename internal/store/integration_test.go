package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/apperr"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
)

// These tests run against a real Fuseki and a real Oxigraph (see storetest).

const (
	gA    = "urn:oe:test:a"
	gB    = "urn:oe:test:b"
	gMeta = "urn:oe:test:meta"
	gStgA = "urn:oe:test:staging/1/a"
	gStgB = "urn:oe:test:staging/1/b"
)

func mustUpdate(t *testing.T, c *store.Client, u string) {
	t.Helper()
	if err := c.Update(context.Background(), u); err != nil {
		t.Fatalf("update: %v", err)
	}
}

func graphCounts(t *testing.T, c *store.Client) map[string]int64 {
	t.Helper()
	gs, err := c.Graphs(context.Background())
	if err != nil {
		t.Fatalf("Graphs: %v", err)
	}
	m := map[string]int64{}
	for _, g := range gs {
		m[g.IRI] = g.Triples
	}
	return m
}

func getGraph(t *testing.T, c *store.Client, g string) []string {
	t.Helper()
	var b bytes.Buffer
	if err := c.GetGraph(context.Background(), g, &b); err != nil {
		t.Fatalf("GetGraph %s: %v", g, err)
	}
	return lines(b.String())
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	slices.Sort(out)
	return out
}

func equalMaps(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestQueryRoundTrip(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		ctx := context.Background()
		if err := c.Ping(ctx); err != nil {
			t.Fatalf("Ping: %v", err)
		}
		mustUpdate(t, c, `PREFIX ex: <http://example.org/>
INSERT DATA { GRAPH <`+gA+`> {
  ex:s1 ex:label "métier"@fr ; ex:n 42 .
  ex:s2 ex:label "quote \" and \\ backslash" ; ex:link ex:s1 .
} }`)

		res, err := c.Select(ctx, `SELECT ?s ?l WHERE { GRAPH ?g { ?s <http://example.org/label> ?l } } ORDER BY ?s`)
		if err != nil {
			t.Fatalf("Select: %v", err)
		}
		sols := res.Solutions()
		if len(sols) != 2 {
			t.Fatalf("Select: %d solutions, want 2: %v", len(sols), sols)
		}
		if got := sols[0]["l"].String(); got != "métier" {
			t.Errorf("first label = %q, want métier", got)
		}
		if got := sols[1]["l"].String(); got != `quote " and \ backslash` {
			t.Errorf("second label = %q", got)
		}

		for _, tc := range []struct {
			q    string
			want bool
		}{
			{`ASK { GRAPH <` + gA + `> { ?s <http://example.org/n> 42 } }`, true},
			{`ASK { GRAPH <` + gA + `> { ?s <http://example.org/n> 43 } }`, false},
		} {
			got, err := c.Ask(ctx, tc.q)
			if err != nil {
				t.Fatalf("Ask: %v", err)
			}
			if got != tc.want {
				t.Errorf("Ask %s = %v, want %v", tc.q, got, tc.want)
			}
		}

		var nt bytes.Buffer
		err = c.Construct(ctx, `CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <`+gA+`> { ?s ?p ?o } }`, &nt)
		if err != nil {
			t.Fatalf("Construct: %v", err)
		}
		got := lines(nt.String())
		if len(got) != 4 {
			t.Fatalf("Construct: %d triples, want 4:\n%s", len(got), nt.String())
		}
		if !slices.Contains(got, `<http://example.org/s1> <http://example.org/label> "métier"@fr .`) {
			t.Errorf("Construct output lacks the French label:\n%s", nt.String())
		}
	})
}

func TestBadQueryIsInvalid(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		_, err := c.Select(context.Background(), "SELEC * WHERE {}")
		if !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("Select of a syntax error: kind %v, want invalid: %v", apperr.KindOf(err), err)
		}
		var se *store.Error
		if !errors.As(err, &se) || se.Status != 400 || se.Attempts != 1 {
			t.Fatalf("want a *store.Error with status 400 after 1 attempt, got %#v", err)
		}
		want := "store select " + c.Endpoints().Query + ": 400 Bad Request: "
		if msg := err.Error(); !strings.HasPrefix(msg, want) || strings.Contains(msg, "\n") || len(msg) <= len(want) {
			t.Errorf("error text %q: want one line starting %q followed by the store's message", msg, want)
		}
		if err := c.Update(context.Background(), "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> "); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("Update of a syntax error: kind %v, want invalid: %v", apperr.KindOf(err), err)
		}
	})
}

const ntOld = "<urn:s> <urn:p> \"old 1\" .\n<urn:s> <urn:p> \"old 2\" .\n"

func TestGraphStore(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		ctx := context.Background()
		if err := c.PutGraph(ctx, gA, strings.NewReader(ntOld)); err != nil {
			t.Fatalf("PutGraph: %v", err)
		}
		if got, want := getGraph(t, c, gA), lines(ntOld); !slices.Equal(got, want) {
			t.Fatalf("after PutGraph: %v, want %v", got, want)
		}
		if err := c.PostGraph(ctx, gA, strings.NewReader("<urn:s> <urn:p> \"added\" .\n")); err != nil {
			t.Fatalf("PostGraph: %v", err)
		}
		if got := getGraph(t, c, gA); len(got) != 3 {
			t.Fatalf("after PostGraph: %d triples, want 3: %v", len(got), got)
		}
		if err := c.PutGraph(ctx, gA, strings.NewReader("<urn:s> <urn:p> \"new\" .\n")); err != nil {
			t.Fatalf("PutGraph (replace): %v", err)
		}
		if got := getGraph(t, c, gA); !slices.Equal(got, []string{`<urn:s> <urn:p> "new" .`}) {
			t.Fatalf("after replacing PutGraph: %v", got)
		}
		// Only the named graph, never a random one or the default graph.
		if got := graphCounts(t, c); !equalMaps(got, map[string]int64{gA: 1}) {
			t.Errorf("graphs = %v, want only %s", got, gA)
		}
		if err := c.DeleteGraph(ctx, gA); err != nil {
			t.Fatalf("DeleteGraph: %v", err)
		}
		err := c.GetGraph(ctx, gA, io.Discard)
		if !apperr.Is(err, apperr.NotFound) {
			t.Errorf("GetGraph of a deleted graph: kind %v, want not found: %v", apperr.KindOf(err), err)
		}
		if err := c.DeleteGraph(ctx, gA); err != nil {
			t.Errorf("DeleteGraph of a missing graph: %v, want nil", err)
		}
		if err := c.PutGraph(ctx, gA, strings.NewReader("<urn:s> <urn:p> \"broken .\n")); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("PutGraph of bad N-Triples: kind %v, want invalid: %v", apperr.KindOf(err), err)
		}
		if err := c.PutGraph(ctx, "not an iri", strings.NewReader("")); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("PutGraph to a bad IRI: kind %v, want invalid: %v", apperr.KindOf(err), err)
		}
	})
}

func TestLoadQuadsAndGraphs(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		ctx := context.Background()
		var b strings.Builder
		for i := range 30 {
			g := gA
			if i%3 == 0 {
				g = gB
			}
			fmt.Fprintf(&b, "<urn:s%d> <urn:p> \"v %d\" <%s> .\n", i, i, g)
		}
		if err := c.LoadQuads(ctx, strings.NewReader(b.String())); err != nil {
			t.Fatalf("LoadQuads: %v", err)
		}
		want := map[string]int64{gA: 20, gB: 10}
		if got := graphCounts(t, c); !equalMaps(got, want) {
			t.Fatalf("graphs after LoadQuads = %v, want %v", got, want)
		}

		// A triple in the default graph far down the body: the whole load is refused
		// and nothing of it lands, although earlier quads were already sent.
		var bad strings.Builder
		for i := range 5000 {
			fmt.Fprintf(&bad, "<urn:x%d> <urn:p> \"a fairly long literal to fill the buffers %d\" <urn:oe:test:c> .\n", i, i)
		}
		bad.WriteString("<urn:x> <urn:p> \"default graph\" .\n")
		err := c.LoadQuads(ctx, strings.NewReader(bad.String()))
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "line 5001") {
			t.Fatalf("LoadQuads with a default-graph triple: %v (kind %v), want invalid naming line 5001", err, apperr.KindOf(err))
		}
		if msg, field := apperr.Public(err); field != "N-Quads line 5001" || !strings.Contains(msg, "default graph") {
			t.Errorf("public message %q, field %q: want the default-graph message on N-Quads line 5001", msg, field)
		}
		if got := graphCounts(t, c); !equalMaps(got, want) {
			t.Errorf("graphs after the refused load = %v, want unchanged %v", got, want)
		}
	})
}

// failingReader yields valid N-Triples for about n bytes, then fails, like a mapping
// that breaks in the middle of an import.
type failingReader struct {
	n, sent int
	i       int
	buf     []byte
}

var errMidway = errors.New("mapping failed midway")

func (r *failingReader) Read(p []byte) (int, error) {
	if r.sent >= r.n {
		return 0, errMidway
	}
	for len(r.buf) < len(p) {
		r.buf = fmt.Appendf(r.buf, "<urn:new%d> <urn:p> \"new triple number %d\" .\n", r.i, r.i)
		r.i++
	}
	k := copy(p, r.buf)
	r.buf = r.buf[k:]
	r.sent += k
	return k, nil
}

func TestReplacementFailingMidwayKeepsOldGraph(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		ctx := context.Background()
		if err := c.PutGraph(ctx, gA, strings.NewReader(ntOld)); err != nil {
			t.Fatalf("PutGraph: %v", err)
		}
		for _, tc := range []struct {
			name  string
			send  func(io.Reader) error
			graph string
		}{
			{"put over the live graph", func(r io.Reader) error { return c.PutGraph(ctx, gA, r) }, gA},
			{"post into staging", func(r io.Reader) error { return c.PostGraph(ctx, gStgA, r) }, gStgA},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := tc.send(&failingReader{n: 512 << 10})
				if err == nil {
					t.Fatal("no error from a body that fails midway")
				}
				if !errors.Is(err, errMidway) || apperr.KindOf(err) == apperr.Unavailable {
					t.Errorf("error %v (kind %v): want the body's error, not an unavailable store", err, apperr.KindOf(err))
				}
				if got, want := getGraph(t, c, gA), lines(ntOld); !slices.Equal(got, want) {
					t.Errorf("live graph after the failed load: %d triples, want the old %d", len(got), len(want))
				}
				if got := graphCounts(t, c); got[gStgA] != 0 {
					t.Errorf("staging graph holds %d triples of the failed load", got[gStgA])
				}
			})
		}
	})
}

// TestLoadQuadsBulk: the bulk path (Oxigraph's bulk loader) loads what LoadQuads does,
// including a blank node spread over the body, and still refuses a default-graph quad.
func TestLoadQuadsBulk(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		ctx := context.Background()
		var b strings.Builder
		for i := range 3000 {
			fmt.Fprintf(&b, "<urn:s%d> <urn:p> \"v %d\" <%s> .\n", i, i, gA)
			if i%1000 == 0 {
				fmt.Fprintf(&b, "_:shared <urn:q> \"%d\" <%s> .\n", i, gB)
			}
		}
		if err := c.LoadQuadsBulk(ctx, strings.NewReader(b.String())); err != nil {
			t.Fatalf("LoadQuadsBulk: %v", err)
		}
		if got, want := graphCounts(t, c), map[string]int64{gA: 3000, gB: 3}; !equalMaps(got, want) {
			t.Fatalf("graphs after LoadQuadsBulk = %v, want %v", got, want)
		}
		res, err := c.Select(ctx, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH <"+gB+"> { ?s <urn:q> ?o } }")
		if err != nil {
			t.Fatal(err)
		}
		if n := res.Solutions()[0]["n"].String(); n != "1" {
			t.Errorf("the blank node of the body became %s nodes", n)
		}
		err = c.LoadQuadsBulk(ctx, strings.NewReader("<urn:x> <urn:p> \"default graph\" .\n"))
		if !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("LoadQuadsBulk with a default-graph triple: %v, want invalid", err)
		}
	})
}

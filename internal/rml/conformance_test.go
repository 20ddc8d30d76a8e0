package rml

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/knakk/rdf"

	"github.com/openemploi360/openemploi/internal/ntriples"
)

// knownFailures lists the conformance cases we do not pass, with why. The
// test fails when one of them starts passing (update the table and
// CONFORMANCE.md) or when a case not listed fails.
var knownFailures = map[string]string{
	"RMLTC0002g-JSON": "rml:source names a file that does not exist; the case expects an empty graph, we stop with an error naming the file",
	"RMLTC0007h-CSV":  "rr:graph is a literal-typed term map; the case (whose purpose says 'an error') expects an empty graph, we reject the mapping when parsing it",
	"RMLTC0007h-JSON": "rr:graph is a literal-typed term map; the case (whose purpose says 'an error') expects an empty graph, we reject the mapping when parsing it",
	"RMLTC0007h-XML":  "rr:graph is a literal-typed term map; the case (whose purpose says 'an error') expects an empty graph, we reject the mapping when parsing it",
}

// testCasesDir finds the RML test cases: $OPENEMPLOI_RML_TESTCASES, else
// ../shared/conformance/rml-test-cases beside the repository root.
func testCasesDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("OPENEMPLOI_RML_TESTCASES"); d != "" {
		if _, err := os.Stat(filepath.Join(d, "test-cases")); err == nil {
			return d
		}
		return filepath.Dir(d)
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			dir = ""
			break
		}
		dir = parent
	}
	if dir != "" {
		d := filepath.Join(dir, "..", "shared", "conformance", "rml-test-cases")
		if _, err := os.Stat(filepath.Join(d, "test-cases")); err == nil {
			return d
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("RML test cases not found (set OPENEMPLOI_RML_TESTCASES or put shared/ beside the repository)")
	}
	t.Skip("RML test cases not found; set OPENEMPLOI_RML_TESTCASES")
	return ""
}

type collector struct{ quads [][4]ntriples.Term }

func (c *collector) Quad(s, p, o, g ntriples.Term) error {
	c.quads = append(c.quads, [4]ntriples.Term{s, p, o, g})
	return nil
}

func TestConformance(t *testing.T) {
	root := testCasesDir(t)
	f, err := os.Open(filepath.Join(root, "metadata.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	errExpected := map[string]bool{}
	for _, r := range rows[1:] {
		errExpected[r[0]] = r[8] == "true"
	}
	dirs, err := filepath.Glob(filepath.Join(root, "test-cases", "RMLTC*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) != 118 {
		t.Errorf("found %d test cases, want 118", len(dirs))
	}
	passed := 0
	for _, dir := range dirs {
		id := filepath.Base(dir)
		ok := t.Run(id, func(t *testing.T) {
			err := runCase(dir, errExpected[id])
			reason, known := knownFailures[id]
			switch {
			case err != nil && !known:
				t.Error(err)
			case err == nil && known:
				t.Errorf("passes now, but is listed as a known failure (%s): update knownFailures and CONFORMANCE.md", reason)
			case err != nil && known:
				t.Logf("known failure (%s): %v", reason, err)
			}
		})
		if ok {
			if _, known := knownFailures[id]; !known {
				passed++
			}
		}
	}
	t.Logf("conformance: %d of %d cases pass", passed, len(dirs))
	if passed < 110 {
		t.Errorf("only %d cases pass, target 110", passed)
	}
}

// runCase returns nil when the engine conforms on the case in dir.
func runCase(dir string, metaErr bool) error {
	want, wantErr := readExpected(filepath.Join(dir, "output.nq"))
	expectErr := metaErr || wantErr != nil
	m, err := LoadFile(filepath.Join(dir, "mapping.ttl"))
	var got collector
	if err == nil {
		_, err = m.Execute(context.Background(), Options{BaseDir: dir, MaxRejects: -1}, &got)
	}
	if err != nil {
		if expectErr {
			return nil
		}
		return fmt.Errorf("unexpected error: %v", err)
	}
	if wantErr != nil {
		return fmt.Errorf("expected an error (no output.nq), got %d quads", len(got.quads))
	}
	if diff := isomorphic(got.quads, want); diff != "" {
		if metaErr {
			return fmt.Errorf("expected an error or the output.nq graph; %s", diff)
		}
		return fmt.Errorf("output differs: %s", diff)
	}
	return nil
}

func readExpected(path string) ([][4]ntriples.Term, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dec := rdf.NewQuadDecoder(f, rdf.NQuads)
	dec.DefaultGraph = rdf.IRI{} // so that triples come back with the zero graph
	qs, err := dec.DecodeAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := make([][4]ntriples.Term, 0, len(qs))
	for _, q := range qs {
		out = append(out, [4]ntriples.Term{fromRDF(q.Subj), fromRDF(q.Pred), fromRDF(q.Obj), fromRDF(q.Ctx)})
	}
	return out, nil
}

func fromRDF(t rdf.Term) ntriples.Term {
	switch v := t.(type) {
	case rdf.IRI:
		if v.String() == "" {
			return ntriples.Term{}
		}
		return ntriples.NewIRI(v.String())
	case rdf.Blank:
		return ntriples.NewBlank(v.String())
	case rdf.Literal:
		l := ntriples.Term{Kind: ntriples.Literal, Value: v.String(), Lang: v.Lang()}
		if dt := v.DataType.String(); l.Lang == "" && dt != ntriples.XSDString {
			l.Datatype = dt
		}
		return l
	}
	return ntriples.Term{}
}

// isomorphic compares two datasets up to blank node renaming and returns a
// description of the difference ("" when equal). Blank nodes are labelled
// by iteratively hashing their neighbourhoods, which decides every graph
// the test cases contain.
func isomorphic(a, b [][4]ntriples.Term) string {
	ca, cb := canonical(a), canonical(b)
	if strings.Join(ca, "\n") == strings.Join(cb, "\n") {
		return ""
	}
	return fmt.Sprintf("got %d quads:\n%s\nwant %d quads:\n%s", len(ca), strings.Join(ca, "\n"), len(cb), strings.Join(cb, "\n"))
}

func canonical(all [][4]ntriples.Term) []string {
	// RDF datasets are sets: drop duplicates before hashing neighbourhoods.
	seen := map[[4]ntriples.Term]bool{}
	var qs [][4]ntriples.Term
	for _, q := range all {
		if !seen[q] {
			seen[q] = true
			qs = append(qs, q)
		}
	}
	color := map[string]string{}
	for _, q := range qs {
		for _, t := range q {
			if t.Kind == ntriples.Blank {
				color[t.Value] = "b"
			}
		}
	}
	render := func(q [4]ntriples.Term, self string) string {
		var sb strings.Builder
		for i, t := range q {
			if i > 0 {
				sb.WriteByte(' ')
			}
			if t.Kind == ntriples.Blank {
				if t.Value == self {
					sb.WriteString("_:self")
				} else {
					sb.WriteString("_:" + color[t.Value])
				}
				continue
			}
			sb.WriteString(t.String())
		}
		return sb.String()
	}
	for round := 0; round < 4 && len(color) > 0; round++ {
		next := map[string]string{}
		for b := range color {
			var sig []string
			for _, q := range qs {
				for _, t := range q {
					if t.Kind == ntriples.Blank && t.Value == b {
						sig = append(sig, render(q, b))
						break
					}
				}
			}
			sort.Strings(sig)
			next[b] = fmt.Sprintf("%x", strings.Join(sig, "|"))
			if len(next[b]) > 40 {
				next[b] = hashString(next[b])
			}
		}
		color = next
	}
	set := map[string]bool{}
	for _, q := range qs {
		set[render(q, "")] = true
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

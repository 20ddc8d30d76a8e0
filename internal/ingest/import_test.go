package ingest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/apperr"
	"github.com/openemploi360/openemploi/internal/ntriples"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
	"github.com/openemploi360/openemploi/internal/vocab"
)

func TestMain(m *testing.M) { storetest.Main(m) }

const testGraph = GraphNS + "test-metiers"

func writeCSV(t *testing.T, rows int, bad int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("code,label,page\n")
	for i := 0; i < rows; i++ {
		page := fmt.Sprintf("https://example.org/metier/%d", i)
		if i == bad {
			page = "not an IRI" // an IRI term with spaces: the engine rejects the record
		}
		fmt.Fprintf(&b, "M%04d,Métier %d,%s\n", i, i, page)
	}
	p := filepath.Join(t.TempDir(), "metiers.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func newImporter(t *testing.T, c *store.Client) (*Importer, Source) {
	t.Helper()
	cat, err := LoadCatalog("testdata/catalog.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src, err := cat.Source("metiers")
	if err != nil {
		t.Fatal(err)
	}
	// The tests re-import smaller files on purpose; TestShrink checks the guard.
	noShrink := 0.0
	return &Importer{Store: c, Catalog: cat, ChunkQuads: 50, Logf: t.Logf, MinRatio: &noShrink}, src
}

// count counts the triples of the live data of a logical graph (0 when not live).
func count(t *testing.T, c *store.Client, graph string) int64 {
	t.Helper()
	im := &Importer{Store: c}
	vs, err := im.currentVersions(context.Background(), []string{graph})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		return 0
	}
	n, err := countGraph(context.Background(), c, vs[0])
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func metaValue(t *testing.T, c *store.Client, graph, prop string) string {
	t.Helper()
	res, err := c.Select(context.Background(), fmt.Sprintf(`SELECT ?v WHERE { GRAPH <%s> { <%s> <%s> ?v } }`, MetaGraph, graph, prop))
	if err != nil {
		t.Fatal(err)
	}
	rows := res.Solutions()
	if len(rows) != 1 {
		t.Fatalf("meta %s %s: %d values, want 1", graph, prop, len(rows))
	}
	return rows[0]["v"].String()
}

// stagingLeft lists the graphs of ours that hold no live data: versions not current
// (of a failed run, or replaced and not dropped) and staging graphs.
func stagingLeft(t *testing.T, c *store.Client) []string {
	t.Helper()
	ctx := context.Background()
	gs, err := c.GraphNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := selectRows(ctx, c, "live-graphs", nil)
	if err != nil {
		t.Fatal(err)
	}
	current := map[string]bool{}
	for _, r := range rows {
		current[r["current"]] = true
	}
	var out []string
	for _, g := range gs {
		if _, _, v := vocab.VersionOf(g); (v || strings.HasPrefix(g, stagingPrefix)) && !current[g] {
			out = append(out, g)
		}
	}
	return out
}

func TestImport(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		ctx := context.Background()
		im, src := newImporter(t, c)

		t.Run("OK", func(t *testing.T) {
			res, err := im.Import(ctx, src, []string{writeCSV(t, 120, -1)})
			if err != nil {
				t.Fatal(err)
			}
			// 5 triples per row: type, label, notation, page, note (a skolemised blank node).
			if got, want := count(t, c, testGraph), int64(120*5); got != want {
				t.Fatalf("graph has %d triples, want %d", got, want)
			}
			if res.Graphs[testGraph] != 600 || res.Records != 120 {
				t.Fatalf("result = %+v", res)
			}
			if got := metaValue(t, c, testGraph, "http://rdfs.org/ns/void#triples"); got != "600" {
				t.Fatalf("void:triples = %s", got)
			}
			if got := metaValue(t, c, testGraph, "https://data.dataregionsud.fr/openemploi/def/synthetic"); got != "true" {
				t.Fatalf("oep:synthetic = %s", got)
			}
			if left := stagingLeft(t, c); len(left) != 0 {
				t.Fatalf("staging graphs left: %v", left)
			}
		})

		t.Run("ReimportReplaces", func(t *testing.T) {
			if _, err := im.Import(ctx, src, []string{writeCSV(t, 30, -1)}); err != nil {
				t.Fatal(err)
			}
			if got := count(t, c, testGraph); got != 150 {
				t.Fatalf("after re-import with 30 rows: %d triples, want 150", got)
			}
		})

		t.Run("ErrRejectedRecordLeavesStore", func(t *testing.T) {
			before := count(t, c, testGraph)
			file := writeCSV(t, 40, 7)
			_, err := im.Import(ctx, src, []string{file})
			if err == nil {
				t.Fatal("import with a bad IRI succeeded")
			}
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("kind = %v, want invalid: %v", apperr.KindOf(err), err)
			}
			msg := err.Error()
			if !strings.Contains(msg, "metiers.csv") || !strings.Contains(msg, "9") {
				// row 7 of the data is line 9 of the file (header is line 1)
				t.Fatalf("error does not name file and line: %v", msg)
			}
			if got := count(t, c, testGraph); got != before {
				t.Fatalf("failed import changed the live graph: %d → %d triples", before, got)
			}
		})

		t.Run("MaxRejectsAllowsSome", func(t *testing.T) {
			im2 := *im
			im2.MaxRejects = 1
			res, err := im2.Import(ctx, src, []string{writeCSV(t, 40, 7)})
			if err != nil {
				t.Fatal(err)
			}
			if res.Rejected != 1 || len(res.Rejects) != 1 {
				t.Fatalf("rejected = %d %v", res.Rejected, res.Rejects)
			}
			if got := count(t, c, testGraph); got != 39*5 {
				t.Fatalf("%d triples, want %d", got, 39*5)
			}
		})

		t.Run("ErrLoadFailsMidway", func(t *testing.T) {
			before := count(t, c, testGraph)
			cctx, cancel := context.WithCancel(ctx)
			im2 := *im
			chunks := 0
			im2.Progress = func(stage string, _, _ int64) {
				if stage == "load" {
					chunks++
					if chunks == 2 {
						cancel() // the third chunk's request never completes
					}
				}
			}
			_, err := im2.Import(cctx, src, []string{writeCSV(t, 200, -1)})
			if err == nil {
				t.Fatal("import survived a cancelled load")
			}
			if got := count(t, c, testGraph); got != before {
				t.Fatalf("half-loaded import changed the live graph: %d → %d", before, got)
			}
			if left := stagingLeft(t, c); len(left) != 0 {
				t.Fatalf("staging graphs left after a failed load: %v", left)
			}
		})

		t.Run("ErrValidationBlocksSwap", func(t *testing.T) {
			before := count(t, c, testGraph)
			im2 := *im
			im2.Validator = rejectAll{}
			_, err := im2.Import(ctx, src, []string{writeCSV(t, 10, -1)})
			if err == nil || !strings.Contains(err.Error(), "SHACL") {
				t.Fatalf("err = %v, want a SHACL violation", err)
			}
			if got := count(t, c, testGraph); got != before {
				t.Fatalf("invalid import changed the live graph: %d → %d", before, got)
			}
			if left := stagingLeft(t, c); len(left) != 0 {
				t.Fatalf("staging graphs left: %v", left)
			}
		})
	})
}

func TestDrop(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		ctx := context.Background()
		im, src := newImporter(t, c)
		if _, err := im.Import(ctx, src, []string{writeCSV(t, 10, -1)}); err != nil {
			t.Fatal(err)
		}
		t.Run("ErrNotLive", func(t *testing.T) {
			_, err := im.Drop(ctx, []string{GraphNS + "never-imported"})
			if err == nil || !strings.Contains(err.Error(), "not a live graph") {
				t.Fatalf("err = %v", err)
			}
			if got := count(t, c, testGraph); got != 50 {
				t.Fatalf("a refused drop changed the store: %d triples", got)
			}
		})
		t.Run("ErrMetaGraph", func(t *testing.T) {
			if _, err := im.Drop(ctx, []string{MetaGraph}); err == nil {
				t.Fatal("dropping the metadata graph was allowed")
			}
		})
		t.Run("OK", func(t *testing.T) {
			res, err := im.Drop(ctx, []string{testGraph})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Graphs) != 1 {
				t.Fatalf("res = %+v", res)
			}
			if got := count(t, c, testGraph); got != 0 {
				t.Fatalf("graph still has %d triples", got)
			}
			if name, err := im.sourceOf(ctx, testGraph); err != nil || name != "" {
				t.Fatalf("description left in meta: %q %v", name, err)
			}
		})
	})
}

type rejectAll struct{}

func (rejectAll) ValidateGraph(ctx context.Context, c *store.Client, graph string) ([]string, error) {
	n, err := countGraph(ctx, c, graph)
	if err != nil {
		return nil, err
	}
	return []string{"staging graph of " + strconv.FormatInt(n, 10) + " triples: test validator refuses everything"}, nil
}

func TestLoadCatalogErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"ErrUnknownField", "sources:\n  - name: a\n    colour: red\n", "colour"},
		{"ErrBadName", "sources:\n  - name: A B\n    mapping: x\n", "name"},
		{"ErrGraphOutside", "sources:\n  - name: a\n    mapping: x\n    graph: http://example.org/g\n    publisher: p\n    license: l\n", "graph"},
		{"ErrNoLicense", "sources:\n  - name: a\n    mapping: x\n    graph: " + GraphNS + "a\n    publisher: p\n", "license"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "catalog.yaml")
			os.WriteFile(p, []byte(tt.yaml), 0o644)
			_, err := LoadCatalog(p)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want mention of %q", err, tt.want)
			}
		})
	}
}

// TestVersions: each run loads into its own version graph, going live names it in
// oeg:meta, and the replaced version is dropped; gc drops what a dead run left and
// the data of a graph loaded before versions once it is replaced.
func TestVersions(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		ctx := context.Background()
		im, src := newImporter(t, c)
		current := func() string {
			vs, err := im.currentVersions(ctx, []string{testGraph})
			if err != nil || len(vs) != 1 {
				t.Fatalf("current versions = %v, %v", vs, err)
			}
			return vs[0]
		}
		graphs := func() []string {
			gs, err := c.GraphNames(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return gs
		}

		t.Run("LegacyLayoutStillRead", func(t *testing.T) {
			// A store loaded before versioned graphs: data under the logical name, no pointer.
			err := c.Update(ctx, `INSERT DATA { GRAPH <`+testGraph+`> { <http://example.org/old> a <http://example.org/Old> } 
GRAPH <`+MetaGraph+`> { <`+testGraph+`> a <http://www.w3.org/ns/dcat#Dataset> ; <https://data.dataregionsud.fr/openemploi/def/sourceName> "metiers" } }`)
			if err != nil {
				t.Fatal(err)
			}
			if got := current(); got != testGraph {
				t.Fatalf("current version of a legacy graph = %s, want itself", got)
			}
		})
		var first string
		t.Run("FirstRun", func(t *testing.T) {
			res, err := im.Import(ctx, src, []string{writeCSV(t, 3, -1)})
			if err != nil {
				t.Fatal(err)
			}
			first = current()
			if want := vocab.VersionGraph(testGraph, res.RunID); first != want {
				t.Fatalf("current version = %s, want %s", first, want)
			}
			if count(t, c, testGraph) != 15 {
				t.Fatalf("live triples = %d, want 15", count(t, c, testGraph))
			}
			if slices.Contains(graphs(), testGraph) {
				t.Fatalf("the legacy graph's data was not dropped after going live: %v", graphs())
			}
		})
		t.Run("SecondRunDropsFirst", func(t *testing.T) {
			metaBefore := metaText(t, c)
			_, firstRun, _ := vocab.VersionOf(first)
			if !strings.Contains(metaBefore, vocab.Run(firstRun)) {
				t.Fatalf("the first run is not described in oeg:meta:\n%s", metaBefore)
			}
			res, err := im.Import(ctx, src, []string{writeCSV(t, 4, -1)})
			if err != nil {
				t.Fatal(err)
			}
			// The records of the replaced run and of its input file go with it.
			meta := metaText(t, c)
			if strings.Contains(meta, vocab.Run(firstRun)) {
				t.Errorf("the replaced run is still described:\n%s", meta)
			}
			if strings.Count(meta, "/def/sha256>") != 1 || !strings.Contains(meta, res.Files[0].SHA256) {
				t.Errorf("oeg:meta should describe exactly the live run's input file %s:\n%s", res.Files[0].SHA256, meta)
			}
			if cur := current(); cur == first {
				t.Fatal("the second run did not go live")
			}
			if slices.Contains(graphs(), first) {
				t.Fatalf("the replaced version %s is still there", first)
			}
			if left := stagingLeft(t, c); len(left) != 0 {
				t.Fatalf("left: %v", left)
			}
		})
		t.Run("GCDropsDeadRun", func(t *testing.T) {
			dead := vocab.VersionGraph(testGraph, "20200101T000000Z-dead")
			foreign := GraphNS + "hand-made"
			if err := c.Update(ctx, `INSERT DATA { GRAPH <`+dead+`> { <http://example.org/x> a <http://example.org/X> }
GRAPH <`+foreign+`> { <http://example.org/x> a <http://example.org/X> } }`); err != nil {
				t.Fatal(err)
			}
			cur := current()
			gcr, err := GC(ctx, c, "")
			dropped := gcr.Graphs
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(dropped, []string{dead}) {
				t.Fatalf("gc dropped %v, want only %s", dropped, dead)
			}
			gs := graphs()
			if !slices.Contains(gs, cur) || !slices.Contains(gs, foreign) {
				t.Fatalf("gc dropped a live or foreign graph: %v", gs)
			}
			if count(t, c, testGraph) != 20 {
				t.Fatalf("live triples = %d after gc, want 20", count(t, c, testGraph))
			}
			_ = c.DeleteGraph(ctx, foreign)
		})
	})
}

// TestShrink: a graph far smaller than its live version is refused, with the ratio of
// the catalog or the importer's override.
func TestShrink(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		ctx := context.Background()
		im, src := newImporter(t, c)
		im.MinRatio = nil
		if _, err := im.Import(ctx, src, []string{writeCSV(t, 10, -1)}); err != nil {
			t.Fatal(err)
		}
		ratio := func(f float64) *float64 { return &f }
		for _, tc := range []struct {
			name          string
			catalog, flag *float64
			rows          int
			wantErr       string
		}{
			{"DefaultHalf", nil, nil, 4, "test-metiers: 20 triples, the live version has 50"},
			{"DefaultHalfAccepts", nil, nil, 5, ""},
			{"Catalog", ratio(0.9), nil, 4, "below 0.9"},
			{"FlagOverridesCatalog", ratio(0.9), ratio(0), 4, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				src := src
				src.MinRatio = tc.catalog
				im2 := *im
				im2.MinRatio = tc.flag
				before := count(t, c, testGraph)
				_, err := im2.Import(ctx, src, []string{writeCSV(t, tc.rows, -1)})
				if tc.wantErr == "" {
					if err != nil {
						t.Fatal(err)
					}
					if count(t, c, testGraph) != int64(tc.rows*5) {
						t.Fatalf("live triples = %d", count(t, c, testGraph))
					}
					return
				}
				if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				if count(t, c, testGraph) != before {
					t.Fatal("a refused import changed the live graph")
				}
				if left := stagingLeft(t, c); len(left) != 0 {
					t.Fatalf("left: %v", left)
				}
			})
		}
	})
}

func metaText(t *testing.T, c *store.Client) string {
	t.Helper()
	var b strings.Builder
	if err := c.GetGraph(context.Background(), MetaGraph, &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// fakeRecords is a record validator whose verdict the test sets.
type fakeRecords struct {
	violations []string
	fallback   bool
	records    int
	graphs     int // ValidateGraph calls
}

func (f *fakeRecords) ValidateGraph(ctx context.Context, c *store.Client, graph string) ([]string, error) {
	f.graphs++
	return nil, nil
}
func (f *fakeRecords) Records() RecordValidator { return f }
func (f *fakeRecords) Record(where string, triples []ntriples.Triple) {
	f.records++
}
func (f *fakeRecords) Violations() []string     { return f.violations }
func (f *fakeRecords) Violated() bool           { return len(f.violations) > 0 }
func (f *fakeRecords) Fallback() (bool, string) { return f.fallback, "a subject spans records" }
func (f *fakeRecords) CheckDeferred(ctx context.Context, c *store.Client) ([]string, error) {
	return nil, nil
}

// TestRecordVerdicts: a violation found record by record refuses the import before
// the load; when the records could not decide (fallback), their violations may be
// false (what one record lacks another gives) and the loaded graph decides instead.
func TestRecordVerdicts(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		ctx := context.Background()
		for _, tc := range []struct {
			name       string
			fake       fakeRecords
			wantErr    string
			wantGraphs int
		}{
			{"violation", fakeRecords{violations: []string{"Violation x (record metiers.csv:line 3)"}}, "in the mapped records, nothing loaded", 0},
			{"violation but fallback", fakeRecords{violations: []string{"Violation x"}, fallback: true}, "", 1},
			{"clean", fakeRecords{}, "", 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				im, src := newImporter(t, c)
				im.Validator = &tc.fake
				_, err := im.Import(ctx, src, []string{writeCSV(t, 7, -1)})
				if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				if tc.fake.records != 7 || tc.fake.graphs != tc.wantGraphs {
					t.Errorf("%d records validated, %d graphs validated in SPARQL; want 7, %d", tc.fake.records, tc.fake.graphs, tc.wantGraphs)
				}
			})
		}
	})
}

package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
)

// storeFlagsFor points the command at a test store.
func storeFlagsFor(c *store.Client) []string {
	ep := c.Endpoints()
	return []string{"--store-preset", "generic", "--query-url", ep.Query, "--update-url", ep.Update, "--gsp-url", ep.GSP}
}

// dataset is every quad of the store, sorted: what "unchanged" means.
func dataset(t *testing.T, c *store.Client) []string {
	t.Helper()
	ctx := context.Background()
	graphs, err := c.GraphNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, g := range graphs {
		var b bytes.Buffer
		if err := c.GetGraph(ctx, g, &b); err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(b.String(), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, strings.TrimSuffix(l, " .")+" <"+g+"> .")
			}
		}
	}
	sort.Strings(out)
	return out
}

func metiersCSV(rows int) string {
	var b strings.Builder
	b.WriteString("code,label,page\n")
	for i := 0; i < rows; i++ {
		fmt.Fprintf(&b, "M%04d,Métier %d,https://example.org/metier/%d\n", i, i, i)
	}
	return b.String()
}

// TestImportRefusesIncompleteInput runs `openemploi import` on inputs a steward gets
// from a partial download or a wrong file, and checks the message names the problem
// and the store is unchanged, quad for quad.
func TestImportRefusesIncompleteInput(t *testing.T) {
	catalog, err := filepath.Abs("../ingest/testdata/catalog.yaml")
	if err != nil {
		t.Fatal(err)
	}
	full := metiersCSV(40)
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		t.Setenv("OPENEMPLOI_STATE_DIR", t.TempDir())
		importFile := func(t *testing.T, content string, extra ...string) (string, error) {
			p := filepath.Join(t.TempDir(), "metiers.csv")
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			args := append([]string{"import", "metiers", p, "--catalog", catalog, "--progress", "none", "--no-validate"}, storeFlagsFor(c)...)
			_, stderr, err := run(t, append(args, extra...)...)
			return stderr, err
		}
		if _, err := importFile(t, full); err != nil {
			t.Fatal(err)
		}
		before := dataset(t, c)
		for _, tc := range []struct {
			name, content string
			want          []string // in the error message
		}{
			// A download cut after a complete record reads as a smaller file.
			{"TruncatedAfterRecord", full[:strings.Index(full, "M0014")], []string{"refused, nothing changed", "test-metiers: 70 triples, the live version has 200", "--min-ratio 0"}},
			{"TruncatedMidRecord", full[:strings.Index(full, "M0014")+12], []string{"metiers.csv:line 16"}},
			{"Empty", "", []string{"metiers.csv", "empty file"}},
			// The wrong file: no column the mapping refers to.
			{"Unmatched", strings.ReplaceAll(full, "code,label,page", "id,name,url"), []string{"metiers.csv", `column "code" is not in the header`}},
			{"HeaderOnly", "code,label,page\n", []string{"no triple", "0 record"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := importFile(t, tc.content)
				if err == nil {
					t.Fatal("import succeeded")
				}
				for _, w := range tc.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not say %q", err, w)
					}
				}
				if after := dataset(t, c); !slices.Equal(after, before) {
					t.Fatalf("the store changed: %d quads before, %d after", len(before), len(after))
				}
			})
		}
		t.Run("ShrinkAcceptedWithFlag", func(t *testing.T) {
			if _, err := importFile(t, metiersCSV(10), "--min-ratio", "0"); err != nil {
				t.Fatal(err)
			}
			if after := dataset(t, c); slices.Equal(after, before) {
				t.Fatal("the store did not change")
			}
		})
	})
}

// TestStoreExportRestore: `store export -o x.nq.gz` then `store restore x.nq.gz` into
// an empty store of the same kind gives the same dataset (versions renamed to the
// restore's run).
func TestStoreExportRestore(t *testing.T) {
	catalog, err := filepath.Abs("../ingest/testdata/catalog.yaml")
	if err != nil {
		t.Fatal(err)
	}
	runName := regexp.MustCompile(`/v/[0-9]{8}T[0-9]{6}Z-[0-9a-f]{12}>`)
	normal := func(quads []string) []string {
		out := make([]string, len(quads))
		for i, q := range quads {
			out[i] = runName.ReplaceAllString(q, "/v/RUN>")
		}
		sort.Strings(out)
		return out
	}
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		t.Setenv("OPENEMPLOI_STATE_DIR", t.TempDir())
		p := filepath.Join(t.TempDir(), "metiers.csv")
		if err := os.WriteFile(p, []byte(metiersCSV(12)), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, _, err := run(t, append([]string{"import", "metiers", p, "--catalog", catalog, "--progress", "none", "--no-validate"}, storeFlagsFor(c)...)...); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), "export.nq.gz")
		if _, _, err := run(t, append([]string{"store", "export", "-o", file}, storeFlagsFor(c)...)...); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(file); len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
			t.Fatal("the export is not gzipped")
		}
		empty := storetest.New(t, storeKind(t, c))
		out, _, err := run(t, append([]string{"store", "restore", file}, storeFlagsFor(empty)...)...)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, "restored ") {
			t.Errorf("restore said %q", out)
		}
		if got, want := normal(dataset(t, empty)), normal(dataset(t, c)); !slices.Equal(got, want) {
			t.Fatalf("restored dataset differs: %d quads, want %d", len(got), len(want))
		}
		_, _, err = run(t, append([]string{"store", "restore", file}, storeFlagsFor(empty)...)...)
		if err == nil || !strings.Contains(err.Error(), "not empty") {
			t.Fatalf("restore into a non-empty store: %v", err)
		}
	})
}

// storeKind tells which kind of store c is (Fuseki datasets have /data as GSP).
func storeKind(t *testing.T, c *store.Client) string {
	t.Helper()
	if strings.HasSuffix(c.Endpoints().GSP, "/data") {
		return "fuseki"
	}
	return "oxigraph"
}

// TestImportRefusesCutJSON: the real offers sample, cut after a complete record and
// inside one, through `openemploi import offres-ft`: the message names the file, the
// byte and the records read, and the store is unchanged.
func TestImportRefusesCutJSON(t *testing.T) {
	root, err := storetest.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	catalog := filepath.Join(root, "mappings", "catalog.yaml")
	sample, err := os.ReadFile(filepath.Join(root, "testdata/sample/offres_france_travail/offres_paca_2024-06_2025-01.json"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(sample), "\n")
	afterRecord := strings.Join(lines[:101], "") // "[" and 100 records, each ending ",\n"
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		t.Setenv("OPENEMPLOI_STATE_DIR", t.TempDir())
		importFile := func(t *testing.T, content string) error {
			p := filepath.Join(t.TempDir(), "offres_paca_2024-06_2025-01.json")
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			args := append([]string{"import", "offres-ft", p, "--catalog", catalog, "--progress", "none", "--no-validate"}, storeFlagsFor(c)...)
			_, _, err := run(t, args...)
			return err
		}
		if err := importFile(t, string(sample)); err != nil {
			t.Fatal(err)
		}
		before := dataset(t, c)
		for _, tc := range []struct {
			name, content string
			want          []string
		}{
			{"AfterRecord", afterRecord, []string{"offres_paca_2024-06_2025-01.json", "ends before the closing ]", "after 100 records"}},
			{"MidRecord", string(sample[:5000]), []string{"offres_paca_2024-06_2025-01.json", "byte 5000", "inside record"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := importFile(t, tc.content)
				if err == nil {
					t.Fatal("import succeeded")
				}
				for _, w := range tc.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not say %q", err, w)
					}
				}
				if after := dataset(t, c); !slices.Equal(after, before) {
					t.Fatalf("the store changed: %d quads before, %d after", len(before), len(after))
				}
			})
		}
	})
}

package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
)

// TestImportValidatesRecordsInTheStream (issue 12 item 2): `openemploi import` checks
// the SHACL shapes record by record while mapping and refuses a bad record before
// anything is loaded, naming its file and position; the class checks that need another
// graph (an offer's fiche, typed in ROME 4) run after the load, before going live. The
// store is unchanged either way.
func TestImportValidatesRecordsInTheStream(t *testing.T) {
	root, err := storetest.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	catalog := filepath.Join(root, "mappings", "catalog.yaml")
	raw, err := os.ReadFile(filepath.Join(root, "testdata/sample/offres_france_travail/offres_paca_2024-06_2025-01.json"))
	if err != nil {
		t.Fatal(err)
	}
	var offers []map[string]any
	if err := json.Unmarshal(raw, &offers); err != nil {
		t.Fatal(err)
	}
	write := func(t *testing.T, v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(t.TempDir(), "offres.json")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	t.Chdir(root) // --sample reads the catalog's repo-relative files
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		t.Setenv("OPENEMPLOI_STATE_DIR", t.TempDir())
		flags := append([]string{"--catalog", catalog, "--progress", "none"}, storeFlagsFor(c)...)
		if _, stderr, err := run(t, append([]string{"import", "geo", "--sample", "--no-validate"}, flags...)...); err != nil {
			t.Fatalf("import geo: %v\n%s", err, stderr)
		}
		before := dataset(t, c)

		t.Run("RecordViolation", func(t *testing.T) {
			bad := slices.Clone(offers)
			o := map[string]any{}
			for k, v := range bad[3] {
				o[k] = v
			}
			o["intitule"] = "" // an offer without a title: schema:title minCount 1
			bad[3] = o
			_, stderr, err := run(t, append([]string{"import", "offres-ft", write(t, bad)}, flags...)...)
			if err == nil {
				t.Fatal("import succeeded")
			}
			for _, w := range []string{"in the mapped records, nothing loaded", "record offres.json:/3", "schema:title", "offre/ft/" + o["id"].(string)} {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not say %q:\n%v", w, err)
				}
			}
			// the load starts beside the mapping but is given no record of the bad batch
			if strings.Contains(stderr, "loaded ") || strings.Contains(stderr, "counted in") {
				t.Errorf("the bad record was found after a load:\n%s", stderr)
			}
			if after := dataset(t, c); !slices.Equal(after, before) {
				t.Fatalf("the store changed: %d quads before, %d after", len(before), len(after))
			}
		})

		t.Run("DeferredClassCheck", func(t *testing.T) {
			// ROME 4 is not in this store: no offer's fiche is an oep:Occupation.
			_, _, err := run(t, append([]string{"import", "offres-ft", write(t, offers[:5])}, flags...)...)
			if err == nil {
				t.Fatal("import succeeded")
			}
			for _, w := range []string{"SHACL violation", "oep:Occupation", "record offres.json:/"} {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not say %q:\n%v", w, err)
				}
			}
			if after := dataset(t, c); !slices.Equal(after, before) {
				t.Fatalf("the store changed: %d quads before, %d after", len(before), len(after))
			}
		})
	})
}

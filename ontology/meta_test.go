package ontology_test

import (
	"context"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/shacl"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
)

// TestMetadataShapes validates descriptions of oeg:meta as the import writes them
// (testdata/meta.nt is the meta graph of `import --all --sample` for rome4 and the
// France Travail offers, copied from a store) against the shapes: they must conform,
// and the shapes must catch the metadata going where the contract says it does not
// (row counts on the run activity, digests on the files it used).
func TestMetadataShapes(t *testing.T) {
	nt, err := os.ReadFile("testdata/meta.nt")
	if err != nil {
		t.Fatal(err)
	}
	sh, err := shacl.Default()
	if err != nil {
		t.Fatal(err)
	}
	run := regexp.MustCompile(`(<[^>]*/id/run/[^>]*>) <https://data.dataregionsud.fr/openemploi/def/rowsRead> "[0-9]+"`)
	file := regexp.MustCompile(`(<[^>]*/id/file/[^>]*>) <https://data.dataregionsud.fr/openemploi/def/sha256> "([0-9a-f]+)"`)
	if !run.Match(nt) || !file.Match(nt) {
		t.Fatal("testdata/meta.nt has no oep:rowsRead on a run or no oep:sha256 on a file: is it still what ingest writes?")
	}
	broken := run.ReplaceAllString(string(nt), `$1 <https://data.dataregionsud.fr/openemploi/def/rowsRead> "many"`)
	broken = file.ReplaceAllStringFunc(broken, func(m string) string {
		i := strings.Index(m, `> "`) // upper-case the digest only
		return m[:i] + strings.ToUpper(m[i:])
	})
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		ctx := context.Background()
		for _, tc := range []struct {
			name, data string
			want       []string // shape and constraint of the expected violations; none: conforms
		}{
			{"AsImported", string(nt), nil},
			// The activity is checked through the graph's prov:wasGeneratedBy (sh:node).
			{"Broken", broken, []string{"oesh:GraphDescription sh:node", "oesh:SourceFile sh:pattern"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				g := ontologyGraphNS + "staging/meta-test/" + tc.name
				if err := c.PostGraph(ctx, g, strings.NewReader(tc.data)); err != nil {
					t.Fatal(err)
				}
				rep, err := sh.Validate(ctx, c, g, 0)
				if err != nil {
					t.Fatal(err)
				}
				if rep.Checked == 0 {
					t.Fatal("no focus node checked")
				}
				var got []string
				for _, v := range rep.Violations {
					if k := v.Shape + " " + v.Constraint; !slices.Contains(got, k) {
						got = append(got, k)
					}
				}
				slices.Sort(got)
				if !slices.Equal(got, tc.want) {
					t.Errorf("violations %v, want %v: %v", got, tc.want, rep.Violations)
				}
			})
		}
	})
}

const ontologyGraphNS = "https://data.dataregionsud.fr/openemploi/graph/"

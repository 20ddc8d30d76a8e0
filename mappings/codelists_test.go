package mappings_test

import (
	"bytes"
	"flag"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/rml"
)

var updateCodeLists = flag.Bool("update-codelists", false, "rewrite the code lists derived from the bundled referentials (rome4-appellations.csv)")

// romeAppellations builds rome4-appellations.csv from the ROME 4.0
// appellations of the sample (the complete referential, v460): the slug of
// each long and short label (oefn:slug, which the offers mapping applies to
// the offer's appellationlibelle) with the appellation's code and fiche.
// A slug naming two appellations identifies none: it is left out.
func romeAppellations(t *testing.T) []byte {
	h, rows := table(t, sd+"rome_v4/unix_referentiel_appellation_v460_utf8.csv", ',')
	ogr, rome := column(t, h, rows, "code_ogr"), column(t, h, rows, "code_rome")
	type app struct{ ogr, rome string }
	by := map[string]map[app]bool{}
	for _, col := range []string{"libelle_appellation_long", "libelle_appellation_court"} {
		for i, l := range column(t, h, rows, col) {
			k := rml.Slug(l)
			if k == "" {
				continue
			}
			if by[k] == nil {
				by[k] = map[app]bool{}
			}
			by[k][app{ogr[i], rome[i]}] = true
		}
	}
	var lines []string
	for k, apps := range by {
		if len(apps) != 1 {
			continue
		}
		for a := range apps {
			lines = append(lines, k+";"+a.ogr+";"+a.rome)
		}
	}
	slices.Sort(lines)
	var b bytes.Buffer
	b.WriteString("label_slug;code_ogr;code_rome\n")
	b.WriteString(strings.Join(lines, "\n") + "\n")
	return b.Bytes()
}

// TestCodeListsUpToDate: the code lists the mappings read are what the
// bundled referentials give; after a new ROME version, run
// go test ./mappings -run TestCodeListsUpToDate -update-codelists.
func TestCodeListsUpToDate(t *testing.T) {
	want := romeAppellations(t)
	if *updateCodeLists {
		if err := os.WriteFile("rome4-appellations.csv", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile("rome4-appellations.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("rome4-appellations.csv is not what the ROME sample gives: run with -update-codelists and review the diff")
	}
}

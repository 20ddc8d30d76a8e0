package mappings_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/openemploi360/openemploi/internal/ntriples"
	"github.com/openemploi360/openemploi/internal/rml"
	"github.com/openemploi360/openemploi/mappings"
)

type offerFiche struct{ fiche, stated, appellation string }

type ficheSink map[string]*offerFiche

func (f ficheSink) Quad(s, p, o, _ ntriples.Term) error {
	get := func() *offerFiche {
		x := f[s.Value]
		if x == nil {
			x = &offerFiche{}
			f[s.Value] = x
		}
		return x
	}
	switch p.Value {
	case schemaOrg + "occupationalCategory":
		get().fiche = o.Value
	case oep + "statedRomeCode":
		get().stated = o.Value
	case oep + "appellation":
		get().appellation = o.Value
	}
	return nil
}

// TestAppellationFiche: on the real offers, an offer whose appellation
// belongs to another fiche than its romeCode is classified under the
// appellation's fiche, its own code kept in oep:statedRomeCode (the 14
// "H1501" offers naming an H1534 appellation); the others keep romeCode.
// The expected fiche is computed from the ROME 4.0 appellations file.
func TestAppellationFiche(t *testing.T) {
	const sample = sd + "offres_france_travail/offres_paca_2024-06_2025-01.json"
	h, rows := table(t, sd+"rome_v4/unix_referentiel_appellation_v460_utf8.csv", ',')
	type app struct{ ogr, rome string }
	ogr, code := column(t, h, rows, "code_ogr"), column(t, h, rows, "code_rome")
	byLabel := map[string]map[app]bool{}
	for _, col := range []string{"libelle_appellation_long", "libelle_appellation_court"} {
		for i, l := range column(t, h, rows, col) {
			k := rml.Slug(l)
			if byLabel[k] == nil {
				byLabel[k] = map[app]bool{}
			}
			byLabel[k][app{ogr[i], code[i]}] = true
		}
	}
	src, err := mappings.Lookup("offres-ft")
	if err != nil {
		t.Fatal(err)
	}
	m, err := rml.LoadFile(src.Mapping)
	if err != nil {
		t.Fatal(err)
	}
	got := ficheSink{}
	if _, err := m.Execute(context.Background(), rml.Options{Inputs: []string{filepath.Join(repoRoot(t), sample)}}, got); err != nil {
		t.Fatal(err)
	}
	const rome = "https://data.dataregionsud.fr/openemploi/id/rome/"
	moved, h1501 := 0, 0
	for _, o := range jsonArray(t, sample) {
		id, code := o["id"].(string), o["romeCode"].(string)
		label, _ := o["appellationlibelle"].(string)
		g := got["https://data.dataregionsud.fr/openemploi/id/offre/ft/"+id]
		want := offerFiche{fiche: rome + code}
		if apps := byLabel[rml.Slug(label)]; len(apps) == 1 {
			for a := range apps {
				want.fiche = rome + a.rome
				want.appellation = "https://data.dataregionsud.fr/openemploi/id/rome-appellation/" + a.ogr
				if a.rome != code {
					want.stated = code
				}
			}
		}
		if g == nil || *g != want {
			t.Errorf("offer %s (%s, %q): got %+v, want %+v", id, code, label, g, want)
			continue
		}
		if want.stated != "" {
			moved++
			if code == "H1501" && want.fiche == rome+"H1534" {
				h1501++
			}
		}
	}
	if h1501 != 14 {
		t.Errorf("%d H1501 offers moved to H1534, want 14", h1501)
	}
	t.Logf("%d of the real offers classified under their appellation's fiche", moved)
}

package skills

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/openemploi360/openemploi/internal/vocab"
)

// Files of the ROME 4 "RefRomeCsv" export that LoadROME4 reads (version v460; the
// version is found from the fiche file's name).
const (
	romeFiches       = "unix_referentiel_code_rome_%s_utf8.csv"
	romeCompetences  = "unix_referentiel_competence_%s_utf8.csv"
	romeSavoirs      = "unix_referentiel_savoir_%s_utf8.csv"
	romeLinks        = "unix_liens_rome_referentiels_%s_utf8.csv"
	romeAppellations = "unix_referentiel_appellation_%s_utf8.csv"
	certifications   = "Certifications et habilitations" // savoir category of diplomas
)

// LoadROME4 reads the referential from a folder of the ROME 4 CSV export
// (testdata/sample/rome_v4, or /work/shared/data/rome_v4): fiches, compétences,
// savoirs, fiche → item links (bloc 5) and appellations. The store-backed service
// builds the same Referential from graph oeg:rome4; this reader serves the
// evaluation, the benchmarks and tools that run without a store.
func LoadROME4(dir string) (*Referential, error) {
	m, err := filepath.Glob(filepath.Join(dir, "unix_referentiel_code_rome_v*_utf8.csv"))
	if err != nil || len(m) != 1 {
		return nil, fmt.Errorf("skills: ROME 4 in %s: want one unix_referentiel_code_rome_v*_utf8.csv, found %d", dir, len(m))
	}
	v := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(m[0]), "unix_referentiel_code_rome_"), "_utf8.csv")
	ref := &Referential{Version: "rome4-" + v, Fiches: map[string]string{}}
	file := func(pattern string) string { return filepath.Join(dir, fmt.Sprintf(pattern, v)) }

	if err := readCSV(file(romeFiches), []string{"code_rome", "libelle_rome"}, func(r []string) error {
		ref.Fiches[r[0]] = r[1]
		return nil
	}); err != nil {
		return nil, err
	}
	byCode := map[string]int{}
	if err := readCSV(file(romeCompetences), []string{"code_ogr", "nature", "libelle_competence", "code_ogr_macro_comp", "cat_comp", "sous_cat_comp"}, func(r []string) error {
		it := Item{IRI: vocab.Item(r[0]), Code: r[0], Label: r[2], Kind: SavoirFaire, Category: r[5], Group: r[3]}
		switch r[4] {
		case "Savoir-faire":
		case "Savoir-être professionnel":
			it.Kind = SavoirEtre
		default:
			return fmt.Errorf("cat_comp %q: want Savoir-faire or Savoir-être professionnel", r[4])
		}
		if r[1] == "Macro-compétence" {
			it.Macro, it.Group = true, r[0]
		}
		byCode[it.Code] = len(ref.Items)
		ref.Items = append(ref.Items, it)
		return nil
	}); err != nil {
		return nil, err
	}
	if err := readCSV(file(romeSavoirs), []string{"code_ogr_savoir", "libelle_savoir", "categorie_savoir", "sous_categorie_savoir"}, func(r []string) error {
		it := Item{IRI: vocab.Item(r[0]), Code: r[0], Label: r[1], Kind: Savoir, Category: r[2], Domain: r[3]}
		if r[2] == certifications {
			it.Kind = Diplome
		}
		if _, dup := byCode[it.Code]; dup {
			return fmt.Errorf("code_ogr_savoir %s: already a compétence", it.Code)
		}
		byCode[it.Code] = len(ref.Items)
		ref.Items = append(ref.Items, it)
		return nil
	}); err != nil {
		return nil, err
	}
	if err := readCSV(file(romeLinks), []string{"code_rome", "code_compo_bloc", "code_ogr"}, func(r []string) error {
		if r[1] != "5" { // bloc 5: compétences; the others link titles, appellations, contexts
			return nil
		}
		i, ok := byCode[r[2]]
		if !ok {
			return fmt.Errorf("code_ogr %s: not a compétence nor a savoir", r[2])
		}
		if _, ok := ref.Fiches[r[0]]; !ok {
			return fmt.Errorf("code_rome %s: unknown fiche", r[0])
		}
		ref.Items[i].Fiches = append(ref.Items[i].Fiches, r[0])
		return nil
	}); err != nil {
		return nil, err
	}
	if err := readCSV(file(romeAppellations), []string{"code_ogr", "libelle_appellation_long", "code_rome"}, func(r []string) error {
		ref.Appellations = append(ref.Appellations, Appellation{Code: r[0], Label: r[1], Fiche: r[2]})
		return nil
	}); err != nil {
		return nil, err
	}
	return ref, nil
}

// readCSV calls row with the named columns of every record of a headed CSV file.
func readCSV(path string, cols []string, row func([]string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("skills: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		return fmt.Errorf("skills: %s: header: %w", path, err)
	}
	idx := make([]int, len(cols))
	for k, c := range cols {
		idx[k] = -1
		for j, h := range head {
			if strings.TrimPrefix(h, "\ufeff") == c {
				idx[k] = j
			}
		}
		if idx[k] < 0 {
			return fmt.Errorf("skills: %s: no column %q", path, c)
		}
	}
	vals := make([]string, len(cols))
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return fmt.Errorf("skills: %s: %w", path, err)
		}
		for k, j := range idx {
			vals[k] = rec[j]
		}
		if err := row(vals); err != nil {
			return fmt.Errorf("skills: %s: line %d: %w", path, line, err)
		}
	}
}

package synth

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Occupation is one ROME 4.0 fiche with what the generator needs.
type Occupation struct {
	Code         string
	Label        string
	Executive    bool
	Appellations []string // labels
	NAF          []Weighted
	RealOffers   int // offers of the real PACA sample with this code
}

// Commune is a place of work, drawn in proportion to Population.
type Commune struct {
	Code       string
	Name       string
	Population int
}

// Weighted is a code with a weight (NAF sub-class with its hirings).
type Weighted struct {
	Code   string
	Weight float64
}

// Refs are the real referentials the synthetic data is drawn from, so that
// every generated code exists: ROME 4.0 fiches and appellations, PACA
// communes with their population, the ROME→NAF table.
type Refs struct {
	Occupations []Occupation
	Communes    []Commune
}

// Files of the bundled sample (relative to its root, testdata/sample) read by
// LoadRefs.
var RefFiles = []string{
	"rome_v4/unix_referentiel_code_rome_v460_utf8.csv",
	"rome_v4/unix_referentiel_appellation_v460_utf8.csv",
	"communes_paca/communes_paca_jointure.csv",
	"rome_naf/rome_naf_mapping.csv",
	"offres_france_travail/offres_paca_2024-06_2025-01.json",
}

// LoadRefs reads the referentials from a directory laid out like
// testdata/sample (see RefFiles).
func LoadRefs(dir string) (Refs, error) {
	var r Refs
	byCode := map[string]int{}
	err := readCSV(filepath.Join(dir, RefFiles[0]), func(rec map[string]string) error {
		code := rec["code_rome"]
		if code == "" {
			return errors.New("empty code_rome")
		}
		byCode[code] = len(r.Occupations)
		r.Occupations = append(r.Occupations, Occupation{Code: code, Label: rec["libelle_rome"], Executive: rec["emploi_cadre"] == "O"})
		return nil
	})
	if err != nil {
		return r, err
	}
	err = readCSV(filepath.Join(dir, RefFiles[1]), func(rec map[string]string) error {
		i, ok := byCode[rec["code_rome"]]
		if !ok {
			return fmt.Errorf("field code_rome: unknown fiche %q", rec["code_rome"])
		}
		r.Occupations[i].Appellations = append(r.Occupations[i].Appellations, rec["libelle_appellation_long"])
		return nil
	})
	if err != nil {
		return r, err
	}
	// Communes: Marseille is drawn through its arrondissements (offers give
	// 13201..13216), so a commune that is the parent of arrondissements is
	// skipped; communes associées/déléguées have no population and are skipped.
	var all []map[string]string
	parents := map[string]bool{}
	err = readCSV(filepath.Join(dir, RefFiles[2]), func(rec map[string]string) error {
		all = append(all, rec)
		if rec["type"] == "arrondissement-municipal" {
			parents[rec["commune_parente"]] = true
		}
		return nil
	})
	if err != nil {
		return r, err
	}
	for _, rec := range all {
		if rec["population"] == "" || parents[rec["code_insee"]] {
			continue
		}
		p, err := strconv.Atoi(rec["population"])
		if err != nil {
			return r, fmt.Errorf("%s: commune %s: field population: %w", RefFiles[2], rec["code_insee"], err)
		}
		if p > 0 {
			r.Communes = append(r.Communes, Commune{Code: rec["code_insee"], Name: rec["nom"], Population: p})
		}
	}
	// ROME v3 codes of La Bonne Boîte are ROME 4.0 codes too (same code).
	err = readCSV(filepath.Join(dir, RefFiles[3]), func(rec map[string]string) error {
		i, ok := byCode[rec["rome_id"]]
		if !ok {
			return nil
		}
		w, err := strconv.ParseFloat(rec["hirings"], 64)
		if err != nil {
			return fmt.Errorf("field hirings: %w", err)
		}
		naf := rec["naf_id"]
		if len(naf) == 5 {
			naf = naf[:2] + "." + naf[2:]
		}
		r.Occupations[i].NAF = append(r.Occupations[i].NAF, Weighted{naf, w})
		return nil
	})
	if err != nil {
		return r, err
	}
	b, err := os.ReadFile(filepath.Join(dir, RefFiles[4]))
	if err != nil {
		return r, fmt.Errorf("synth refs: %w", err)
	}
	var offers []struct {
		RomeCode string `json:"romeCode"`
	}
	if err := json.Unmarshal(b, &offers); err != nil {
		return r, fmt.Errorf("%s: %w", RefFiles[4], err)
	}
	for _, o := range offers {
		if i, ok := byCode[o.RomeCode]; ok {
			r.Occupations[i].RealOffers++
		}
	}
	if len(r.Occupations) == 0 || len(r.Communes) == 0 {
		return r, fmt.Errorf("synth refs in %s: %d occupations, %d communes", dir, len(r.Occupations), len(r.Communes))
	}
	return r, nil
}

// readCSV calls fn for every record of a comma-separated file with a header,
// wrapping errors with file and line.
func readCSV(path string, fn func(map[string]string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("synth refs: %w", err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	h, err := cr.Read()
	if err != nil {
		return fmt.Errorf("%s: header: %w", path, err)
	}
	h[0] = strings.TrimPrefix(h[0], "\ufeff")
	for {
		row, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		rec := make(map[string]string, len(h))
		for i, k := range h {
			if i < len(row) {
				rec[k] = row[i]
			}
		}
		if err := fn(rec); err != nil {
			return fmt.Errorf("%s:%d: %w", path, line, err)
		}
	}
}

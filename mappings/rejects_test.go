package mappings_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/rml"
	"github.com/openemploi360/openemploi/mappings"
)

// corrupt copies a sample file into a temporary directory under the same name,
// with line n (1 = header) passed through edit.
func corrupt(t *testing.T, rel string, n int, edit func(string) string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	if n > len(lines) {
		t.Fatalf("%s has %d lines", rel, len(lines))
	}
	before := lines[n-1]
	lines[n-1] = edit(before)
	if lines[n-1] == before {
		t.Fatalf("%s line %d unchanged by the corruption", rel, n)
	}
	out := filepath.Join(t.TempDir(), filepath.Base(rel))
	if err := os.WriteFile(out, []byte(strings.Join(lines, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

func execute(t *testing.T, mapping, input string) rml.Stats {
	t.Helper()
	m, err := rml.LoadFile(mapping)
	if err != nil {
		t.Fatal(err)
	}
	st, err := m.Execute(context.Background(), rml.Options{Inputs: []string{input}, MaxRejects: -1}, newTally())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestRejects: a bad value in a copy of a real file rejects exactly that
// record, and the reject names the file, the line and the field.
func TestRejects(t *testing.T) {
	cases := []struct {
		name, mapping, sample string
		line                  int
		edit                  func(string) string
		field                 string
	}{
		{
			name: "DecimalCommaNotANumber", mapping: "loyers.rml.ttl",
			sample: sd + "immobilier_loyers/indicateurs_loyers_appartements_paca.csv", line: 5,
			// 8th field is loypredm2
			edit: func(l string) string {
				f := strings.Split(l, ";")
				f[7] = "huit,45"
				return strings.Join(f, ";")
			},
			field: "loypredm2",
		},
		{
			name: "StationCodeWithSpace", mapping: "gares.rml.ttl",
			sample: sd + "transport_gares_sncf/gares_voyageurs_sncf_paca.csv", line: 3,
			edit: func(l string) string {
				f := strings.Split(l, ";")
				f[len(f)-1] = "8775 1404\n" // the UIC code, which builds the station IRI
				return strings.Join(f, ";")
			},
			field: "Code(s) UIC",
		},
		{
			name: "DateNotADate", mapping: "offres-ft.rml.ttl",
			sample: sd + "offres_france_travail/offres_paca_2024-06_2025-01.json", line: 4,
			edit: func(l string) string {
				return strings.Replace(l, `"dateCreation": "2024-`, `"dateCreation": "juin 2024-`, 1)
			},
			field: "dateCreation",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := corrupt(t, c.sample, c.line, c.edit)
			st := execute(t, c.mapping, in)
			// One bad record; it is reported once per logical source that
			// reads it (an offer with an employer is read by two iterators).
			where := map[string]bool{}
			for _, r := range st.Rejects {
				where[r.Source+":"+r.Where] = true
			}
			if st.Rejected == 0 || len(where) != 1 {
				t.Fatalf("%d rejects at %d places, want 1 record: %v", st.Rejected, len(where), st.Rejects)
			}
			r := st.Rejects[0]
			if r.Source != filepath.Base(c.sample) {
				t.Errorf("reject names source %q, want %q", r.Source, filepath.Base(c.sample))
			}
			if !strings.Contains(r.Field, c.field) {
				t.Errorf("reject names field %q, want %q (%s)", r.Field, c.field, r)
			}
			if strings.HasSuffix(c.sample, ".csv") && r.Where != "line "+strconv.Itoa(c.line) {
				t.Errorf("reject at %q, want line %d (%s)", r.Where, c.line, r)
			}
			if r.Where == "" {
				t.Errorf("reject does not say where: %s", r)
			}
		})
	}
}

// TestEmptyKey: a record whose key is empty is rejected, once, naming the file, the
// place of the record and the key field (the mappings wrap every key in
// oefn:required); plain RML would drop it silently. The other records still map.
func TestEmptyKey(t *testing.T) {
	blankFirst := func(l string) string { return l[strings.Index(l, ","):] } // CSV: empty first field
	cases := []struct {
		name, source, sample string
		line                 int
		edit                 func(string) string
		where, field         string
		count                string // a class whose instances lose exactly the bad record
		dependents           string // element whose records are rejected with the bad one
	}{
		{name: "CSV", source: "rome4", sample: sd + "rome_v4/unix_referentiel_code_rome_v460_utf8.csv", line: 10,
			edit: func(l string) string { return `""` + blankFirst(l) }, where: "line 10", field: "code_rome", count: oep + "Occupation"},
		{name: "CSVLeftPadded", source: "dvf", sample: sd + "immobilier_loyers/dvf_communes_2019_paca.csv", line: 3,
			edit: func(l string) string {
				f := strings.Split(l, ";")
				f[1] = "" // INSEE_COM
				return strings.Join(f, ";")
			}, where: "line 3", field: "INSEE_COM", count: qbObservation},
		{name: "CSVWide", source: "chomage", sample: sd + "chomage_zone_emploi/insee_taux_chomage_localises_ze2020_paca_2003T1_2023T3.csv", line: 2,
			edit: blankFirst, where: "line 2", field: "ZE2020"},
		{name: "JSON", source: "offres-ft", sample: sd + "offres_france_travail/offres_paca_2024-06_2025-01.json", line: 4,
			edit:  func(l string) string { return strings.Replace(l, `{"id": "180MBFJ"`, `{"id": ""`, 1) },
			where: "/2/id", field: "id", count: oep + "JobOffer"},
		{name: "XML", source: "formations-lheo", sample: sd + "lheo_intercarif/intercarif_paca_espace_competences_poec_gestionnaire_paie_2018.xml", line: 4,
			edit:  func(l string) string { return strings.Replace(l, `numero="24_162227"`, `numero=""`, 1) },
			field: "@numero", count: oep + "Training", dependents: "session"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src, err := mappings.Lookup(c.source)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(src.Sample, c.sample) {
				t.Fatalf("%s is not a sample of %s", c.sample, c.source)
			}
			m, err := rml.LoadFile(src.Mapping)
			if err != nil {
				t.Fatal(err)
			}
			// The catalog's sample files, the one under test replaced by its corrupt copy.
			var intact, corrupted []string
			for _, p := range src.Sample {
				abs := filepath.Join(repoRoot(t), p)
				intact = append(intact, abs)
				if p == c.sample {
					abs = corrupt(t, c.sample, c.line, c.edit)
				}
				corrupted = append(corrupted, abs)
			}
			ref, bad := newTally(), newTally()
			if _, err := m.Execute(context.Background(), rml.Options{Inputs: intact, MaxRejects: -1}, ref); err != nil {
				t.Fatal(err)
			}
			st, err := m.Execute(context.Background(), rml.Options{Inputs: corrupted, MaxRejects: -1}, bad)
			if err != nil {
				t.Fatal(err)
			}
			want := 1
			if c.dependents != "" { // the sample has one formation: all its sessions go with it
				want += xmlCount(t, c.sample, c.dependents)
			}
			if st.Rejected != int64(want) || len(st.Rejects) != want {
				t.Fatalf("%d rejects, want %d (the record with the empty key and its dependents): %v", st.Rejected, want, st.Rejects)
			}
			r := st.Rejects[0]
			if r.Source != filepath.Base(c.sample) || r.Field != c.field || (c.where != "" && r.Where != c.where) || r.Where == "" {
				t.Errorf("reject %s, want %s:%s field %s", r, filepath.Base(c.sample), c.where, c.field)
			}
			if c.count != "" {
				if got, want := bad.count(c.count), ref.count(c.count)-1; got != want {
					t.Errorf("%s: %d, want %d (all but the rejected record)", c.count, got, want)
				}
			}
			if bad.quads >= ref.quads {
				t.Errorf("%d quads, want fewer than the %d of the intact files", bad.quads, ref.quads)
			}
		})
	}
}

// TestKeysGuarded: every subject built from a plain template has its key wrapped in
// oefn:required, except the templates listed here, where an empty part is how the
// mapping filters (a link without a rubrique is not a skill; LHEO makes a
// session's numero optional; a formation or action may name no organisme).
func TestKeysGuarded(t *testing.T) {
	filters := []string{"skillreq-{", "/id/session/{", "/id/organisme/{"}
	plain := regexp.MustCompile(`rr:subjectMap \[ rr:template "([^"]*)"`)
	files, err := filepath.Glob("*.rml.ttl")
	if err != nil || len(files) == 0 {
		t.Fatalf("no mapping found: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
	next:
		for _, m := range plain.FindAllStringSubmatch(string(b), -1) {
			for _, ok := range filters {
				if strings.Contains(m[1], ok) {
					continue next
				}
			}
			t.Errorf("%s: subject template %q: wrap it in oefn:required so that an empty key is reported", f, m[1])
		}
	}
}

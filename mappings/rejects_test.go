package mappings_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/rml"
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

// TestEmptyKey pins down what an empty key does: the engine follows R2RML, so
// the row produces nothing and is NOT a reject. The import therefore cannot
// report such rows; the sample count checks of TestSamples catch them.
func TestEmptyKey(t *testing.T) {
	const rel = sd + "rome_v4/unix_referentiel_code_rome_v460_utf8.csv"
	in := corrupt(t, rel, 10, func(l string) string { return `""` + l[strings.Index(l, ","):] })
	h, rows := table(t, rel, ',')
	m, err := rml.LoadFile("rome-v3.rml.ttl")
	if err != nil {
		t.Fatal(err)
	}
	v3 := filepath.Join(repoRoot(t), sd+"rome_v3/unix_referentiel_code_rome_v347_utf8.csv")
	tl := newTally()
	st, err := m.Execute(context.Background(), rml.Options{Inputs: []string{in, v3}, MaxRejects: -1}, tl)
	if err != nil {
		t.Fatal(err)
	}
	if st.Rejected != 0 {
		t.Errorf("%d rejects: an empty key is expected to be skipped, not rejected (%v)", st.Rejected, st.Rejects)
	}
	if got, want := tl.byPred[skos+"closeMatch"], len(column(t, h, rows, "code_rome"))-1; got != want {
		t.Errorf("closeMatch links %d, want %d (all fiches but the one without a code)", got, want)
	}
}

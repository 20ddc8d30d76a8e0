package mappings_test

import (
	"context"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/openemploi360/openemploi/internal/ntriples"
	"github.com/openemploi360/openemploi/internal/rml"
	"github.com/openemploi360/openemploi/mappings"
)

// amenityObs keeps, per BPE observation, its area, type, family and count.
type amenityObs struct {
	area, typ, family string
	count             int
}

type amenitySink map[string]*amenityObs

func (a amenitySink) Quad(s, p, o, _ ntriples.Term) error {
	ob := a[s.Value]
	if ob == nil {
		ob = &amenityObs{}
		a[s.Value] = ob
	}
	switch p.Value {
	case oep + "refArea":
		ob.area = o.Value
	case oep + "amenityType":
		ob.typ = o.Value
	case oep + "amenityFamily":
		ob.family = o.Value
	case oep + "amenityCount":
		n, err := strconv.Atoi(o.Value)
		if err != nil {
			return err
		}
		ob.count = n
	}
	return nil
}

// TestBPEFamilies: every equipment type of the real sample gets its INSEE
// code and a family, and Marseille's zone has transport and education
// amenities in the hundreds (before the type codes, 108 of the 180 types had
// no family: Marseille had 1 transport amenity and no education at all).
func TestBPEFamilies(t *testing.T) {
	src, err := mappings.Lookup("bpe")
	if err != nil {
		t.Fatal(err)
	}
	m, err := rml.LoadFile(src.Mapping)
	if err != nil {
		t.Fatal(err)
	}
	in := sd + "bpe_equipements/bpe2013_nb_equipements_par_type_communes_paca.csv"
	obs := amenitySink{}
	st, err := m.Execute(context.Background(), rml.Options{Inputs: []string{filepath.Join(repoRoot(t), in)}}, obs)
	if err != nil {
		t.Fatal(err)
	}
	if st.Rejected != 0 {
		t.Fatalf("%d rows rejected: %v", st.Rejected, st.Rejects[0])
	}

	// Every type of the sample's header lands in a family, with a TYPEQU code.
	h, rows := table(t, in, ',')
	filled := 0
	for _, col := range h[2:] {
		if countIf(column(t, h, rows, col), func(s string) bool { return s != "" }) > 0 {
			filled++
		}
	}
	code := regexp.MustCompile(`^[A-G][0-9]{3}$`)
	typesSeen := map[string]bool{}
	for iri, o := range obs {
		if !code.MatchString(o.typ) {
			t.Errorf("%s: amenityType %q is not a TYPEQU code", iri, o.typ)
		}
		if o.family == "" {
			t.Errorf("%s (%s): no family", iri, o.typ)
		}
		typesSeen[o.typ] = true
	}
	if got := len(typesSeen); got != filled {
		t.Errorf("%d types observed, want the %d equipment columns holding a count", got, filled)
	}
	// The code lists cover every column, filled in PACA or not.
	ht, types := table(t, "mappings/bpe-types-2013.csv", ';')
	hf, fams := table(t, "mappings/bpe-families.csv", ';')
	codeOf := map[string]string{}
	for i, l := range column(t, ht, types, "label") {
		codeOf[l] = types[i][slicesIndex(ht, "typequ")]
	}
	family := map[string]bool{}
	for _, sub := range column(t, hf, fams, "subdomain") {
		family[sub] = true
	}
	for _, col := range h[2:] {
		c := codeOf[col]
		if c == "" || !family[c[:2]] {
			t.Errorf("column %q: code %q has no family in bpe-families.csv", col, c)
		}
	}

	// Marseille's zone (ZE 9312): its communes plus Marseille's arrondissements.
	hz, comp := table(t, sd+"communes_paca/insee_ze2020_composition_communale_paca_2023.csv", ',')
	zone := map[string]bool{}
	for i, c := range column(t, hz, comp, "CODGEO") {
		if comp[i][slicesIndex(hz, "ZE2020")] == "9312" {
			zone["https://data.dataregionsud.fr/openemploi/id/commune/"+c] = true
		}
	}
	for _, c := range jsonArray(t, sd+"communes_paca/decoupage_communes_paca.json") {
		if c["type"] == "arrondissement-municipal" && zone["https://data.dataregionsud.fr/openemploi/id/commune/"+c["commune"].(string)] {
			zone["https://data.dataregionsud.fr/openemploi/id/commune/"+c["code"].(string)] = true
		}
	}
	byFamily := map[string]int{}
	for _, o := range obs {
		if zone[o.area] {
			byFamily[o.family] += o.count
		}
	}
	for _, f := range []string{"Transports et déplacements", "Enseignement"} {
		if byFamily[f] < 100 || byFamily[f] >= 10000 {
			t.Errorf("Marseille: %d amenities in family %q, want hundreds or thousands (all families: %v)", byFamily[f], f, byFamily)
		}
	}
	t.Logf("Marseille ZE 9312 amenities by family: %v", byFamily)
}

func slicesIndex(h []string, name string) int {
	for i, x := range h {
		if x == name {
			return i
		}
	}
	return -1
}

// TestBPEUnknownLabel: a column whose label the code list lacks rejects the
// rows that count such equipment, naming the column, instead of giving
// observations without a family.
func TestBPEUnknownLabel(t *testing.T) {
	in := sd + "bpe_equipements/bpe2013_nb_equipements_par_type_communes_paca.csv"
	bad := corrupt(t, in, 1, func(l string) string {
		return regexp.MustCompile(`,Aéroport,`).ReplaceAllString(l, ",Aéroport régional,")
	})
	st := execute(t, "bpe.rml.ttl", bad)
	h, rows := table(t, in, ',')
	want := countIf(column(t, h, rows, "Aéroport"), func(s string) bool { return s != "" })
	if st.Rejected != int64(want) || want == 0 {
		t.Fatalf("%d rows rejected, want the %d that count airports: %v", st.Rejected, want, st.Rejects)
	}
	r := st.Rejects[0]
	if !regexp.MustCompile(`^line \d+ column "Aéroport régional"$`).MatchString(r.Where) || r.Field != "TYPEQU code of the column label (bpe-types-2013.csv)" {
		t.Errorf("reject %s: want the line, the column and the code list named", r)
	}
}

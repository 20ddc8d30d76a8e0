package aggregate

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/ntriples"
	"github.com/openemploi360/openemploi/internal/vocab"
)

// offer is one mapped record of a test, built as mappings/offres-ft.rml.ttl maps
// one: the offer, and its employer's blank node when it names one. Empty fields give
// no triple.
type offer struct {
	id, fiche, posted, commune, contract, exp, employer, naf string
	salary                                                   string // xsd:decimal lexical form
}

func (o offer) triples(source string) []ntriples.Triple {
	s := ntriples.NewIRI(vocab.IRI(vocab.KindOffer, source+"/"+o.id))
	iri := ntriples.NewIRI
	ts := []ntriples.Triple{{S: s, P: iri(rdfType), O: iri(cJobOffer)}, {S: s, P: iri(rdfType), O: iri(schemaNS + "JobPosting")}}
	add := func(p string, v ntriples.Term) {
		if v.Value != "" {
			ts = append(ts, ntriples.Triple{S: s, P: iri(p), O: v})
		}
	}
	if o.fiche != "" {
		add(pOccupationalCategory, iri(vocab.Metier(o.fiche)))
	}
	add(pDatePosted, ntriples.NewTyped(o.posted, "http://www.w3.org/2001/XMLSchema#dateTime"))
	if o.commune != "" {
		add(pCommune, iri(vocab.Commune(o.commune)))
	}
	add(pEmploymentType, ntriples.NewLiteral(o.contract))
	add(pExperienceRequired, ntriples.NewLiteral(o.exp))
	add(pNAF, ntriples.NewLiteral(o.naf))
	add(pMonthlyGrossSalary, ntriples.NewTyped(o.salary, "http://www.w3.org/2001/XMLSchema#decimal"))
	if o.employer != "" {
		org := ntriples.NewBlank("org-" + source + "-" + o.id)
		ts = append(ts, ntriples.Triple{S: org, P: iri(rdfType), O: iri(schemaNS + "Organization")},
			ntriples.Triple{S: org, P: iri(pName), O: ntriples.NewLiteral(o.employer)},
			ntriples.Triple{S: s, P: iri(pHiringOrganization), O: org})
	}
	return ts
}

// run is the records of one source's import run.
type run struct {
	source    string
	synthetic bool
	offers    []offer
}

// testZones: communes 13001 and 13002 in zone 9312, 06088 in 9315; 04001 has none.
var testZones = Zones{
	vocab.Commune("13001"): vocab.Zone("9312"),
	vocab.Commune("13002"): vocab.Zone("9312"),
	vocab.Commune("06088"): vocab.Zone("9315"),
}

// cellsOf runs each run through an aggregator and reads back what Write emits for
// every month, as a reader of the month graphs would.
func cellsOf(t *testing.T, zones Zones, runs ...run) []CellMonth {
	t.Helper()
	var cells []CellMonth
	for _, r := range runs {
		a := NewOffers(r.source, r.synthetic, zones)
		for _, o := range r.offers {
			a.Record(o.triples(r.source))
		}
		for _, m := range a.Months() {
			cells = append(cells, readMonth(t, r.source, r.synthetic, m, a)...)
		}
	}
	return cells
}

// readMonth parses the observations Write emits for month into cells, checking
// their shape: 7 triples each, the IRI, the dataset and the period.
func readMonth(t *testing.T, source string, synthetic bool, month string, a *Offers) []CellMonth {
	t.Helper()
	byObs := map[string]map[string]ntriples.Term{}
	var order []string
	err := a.Write(month, func(s, p, o ntriples.Term) error {
		if byObs[s.Value] == nil {
			byObs[s.Value] = map[string]ntriples.Term{}
			order = append(order, s.Value)
		}
		if _, dup := byObs[s.Value][p.Value]; dup {
			return fmt.Errorf("%s: two %s", s.Value, p.Value)
		}
		byObs[s.Value][p.Value] = o
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var cells []CellMonth
	for _, iri := range order {
		po := byObs[iri]
		if len(po) != 7 || po[rdfType].Value != qbObs || po[qbDS].Value != datasetOffers ||
			po[pRefPeriod] != ntriples.NewLiteral(month) || po[pOfferCount].Datatype != xsdInt || po[pOfferMix].Datatype != rdfJSON {
			t.Fatalf("observation %s of %s: %v", iri, month, po)
		}
		c := CellMonth{Source: source, Area: po[pRefArea].Value, Fiche: po[pOccupation].Value, Month: month, Synthetic: synthetic}
		if want := ObservationIRI(source, c.Area, month, c.Fiche); iri != want {
			t.Errorf("observation IRI %s, want %s", iri, want)
		}
		n, err := strconv.ParseInt(po[pOfferCount].Value, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		c.Offers = n
		if err := json.Unmarshal([]byte(po[pOfferMix].Value), &c.Mix); err != nil {
			t.Fatalf("%s: offerMix %q: %v", iri, po[pOfferMix].Value, err)
		}
		cells = append(cells, c)
	}
	return cells
}

var (
	region = vocab.RegionIRI
	z9312  = vocab.Zone("9312")
	z9315  = vocab.Zone("9315")
	m1805  = vocab.Metier("M1805")
	k2204  = vocab.Metier("K2204")
)

func TestFoldOfStreamedCells(t *testing.T) {
	for _, tc := range []struct {
		name string
		runs []run
		want Observations
	}{
		{
			name: "offer without commune counts in the region only",
			runs: []run{{source: "ft", offers: []offer{
				{id: "1", fiche: "M1805", posted: "2024-06-05T10:00:00Z", contract: "CDI", exp: "D", employer: "ACME", naf: "62.01Z", salary: "2500"},
			}}},
			want: Observations{
				Months:     []MonthObs{{region, m1805, "2024-06", 1}},
				Contracts:  []KeyObs{{region, m1805, "CDI", "2024-06/2024-06", 1}},
				Experience: []KeyObs{{region, m1805, "D", "2024-06/2024-06", 1}},
				Employers:  []EmployerObs{{region, m1805, "ACME", "2024-06/2024-06", "62.01Z", 1, false}},
				Salaries:   []SalaryObs{{region, m1805, "2024-06/2024-06", 1, 2500, 2500, 2500}},
			},
		},
		{
			name: "commune without zone counts in the region only",
			runs: []run{{source: "ft", offers: []offer{
				{id: "1", fiche: "M1805", posted: "2024-06-05T10:00:00Z", commune: "04001", contract: "CDD"},
			}}},
			want: Observations{
				Months:    []MonthObs{{region, m1805, "2024-06", 1}},
				Contracts: []KeyObs{{region, m1805, "CDD", "2024-06/2024-06", 1}},
			},
		},
		{
			name: "offer without fiche or date counts nowhere",
			runs: []run{{source: "ft", offers: []offer{
				{id: "1", posted: "2024-06-05T10:00:00Z", commune: "13001", contract: "CDD"},
				{id: "2", fiche: "M1805", commune: "13001", contract: "CDD"},
			}}},
			want: Observations{},
		},
		{
			name: "same offer in two records counts once",
			runs: []run{{source: "ft", offers: []offer{
				{id: "1", fiche: "M1805", posted: "2024-06-05T10:00:00Z", commune: "13001", contract: "CDI", exp: "E", employer: "ACME", naf: "62.01Z", salary: "3000"},
				{id: "2", fiche: "M1805", posted: "2024-06-06T10:00:00Z", commune: "13002", contract: "CDI", exp: "E", employer: "ACME", salary: "2000"},
				{id: "1", fiche: "M1805", posted: "2024-06-05T10:00:00Z", commune: "13001", contract: "CDI", exp: "E", employer: "ACME", naf: "62.01Z", salary: "3000"},
			}}},
			want: Observations{
				Months:     []MonthObs{{region, m1805, "2024-06", 2}, {z9312, m1805, "2024-06", 2}},
				Contracts:  []KeyObs{{region, m1805, "CDI", "2024-06/2024-06", 2}, {z9312, m1805, "CDI", "2024-06/2024-06", 2}},
				Experience: []KeyObs{{region, m1805, "E", "2024-06/2024-06", 2}, {z9312, m1805, "E", "2024-06/2024-06", 2}},
				// offer 2 has no NAF: offers-mix.ru's MAX is unbound
				Employers: []EmployerObs{{region, m1805, "ACME", "2024-06/2024-06", "", 2, false},
					{z9312, m1805, "ACME", "2024-06/2024-06", "", 2, false}},
				Salaries: []SalaryObs{{region, m1805, "2024-06/2024-06", 2, 2000, 2000, 3000},
					{z9312, m1805, "2024-06/2024-06", 2, 2000, 2000, 3000}},
			},
		},
		{
			// the second record moves the offer to Nice: as in the store, where both
			// records' triples are the offer's, it counts once in the region and once
			// in each zone
			name: "same offer in two records, in two zones",
			runs: []run{{source: "ft", offers: []offer{
				{id: "1", fiche: "M1805", posted: "2024-06-05T10:00:00Z", commune: "13001", contract: "CDI", employer: "ACME", naf: "62.01Z"},
				{id: "1", fiche: "M1805", posted: "2024-06-05T10:00:00Z", commune: "06088", contract: "CDI", employer: "ACME", naf: "62.01Z"},
			}}},
			want: Observations{
				Months:    []MonthObs{{region, m1805, "2024-06", 1}, {z9312, m1805, "2024-06", 1}, {z9315, m1805, "2024-06", 1}},
				Contracts: []KeyObs{{region, m1805, "CDI", "2024-06/2024-06", 1}, {z9312, m1805, "CDI", "2024-06/2024-06", 1}, {z9315, m1805, "CDI", "2024-06/2024-06", 1}},
				Employers: []EmployerObs{{region, m1805, "ACME", "2024-06/2024-06", "62.01Z", 1, false},
					{z9312, m1805, "ACME", "2024-06/2024-06", "62.01Z", 1, false},
					{z9315, m1805, "ACME", "2024-06/2024-06", "62.01Z", 1, false}},
			},
		},
		{
			// the second record changes the contract: the offer has both, as in the store
			name: "same offer in two records, two contracts",
			runs: []run{{source: "ft", offers: []offer{
				{id: "1", fiche: "M1805", posted: "2024-06-05T10:00:00Z", commune: "13001", contract: "CDD", exp: "D"},
				{id: "1", fiche: "M1805", posted: "2024-06-05T10:00:00Z", commune: "13001", contract: "CDI", exp: "D"},
			}}},
			want: Observations{
				Months: []MonthObs{{region, m1805, "2024-06", 1}, {z9312, m1805, "2024-06", 1}},
				Contracts: []KeyObs{{region, m1805, "CDD", "2024-06/2024-06", 1}, {region, m1805, "CDI", "2024-06/2024-06", 1},
					{z9312, m1805, "CDD", "2024-06/2024-06", 1}, {z9312, m1805, "CDI", "2024-06/2024-06", 1}},
				Experience: []KeyObs{{region, m1805, "D", "2024-06/2024-06", 1}, {z9312, m1805, "D", "2024-06/2024-06", 1}},
			},
		},
		{
			// the later records name a sector: the offer has one, its employer's NAF
			// is written; a contract added by the third counts once too
			name: "same offer in three records, the NAF in the later ones",
			runs: []run{{source: "ft", offers: []offer{
				{id: "1", fiche: "M1805", posted: "2024-06-05T10:00:00Z", commune: "13001", contract: "CDI", employer: "ACME"},
				{id: "1", fiche: "M1805", posted: "2024-06-05T10:00:00Z", commune: "13001", contract: "CDI", employer: "ACME", naf: "62.01Z"},
				{id: "1", fiche: "M1805", posted: "2024-06-05T10:00:00Z", commune: "13001", contract: "CDI", employer: "ACME", naf: "62.01Z"},
				{id: "2", fiche: "M1805", posted: "2024-06-05T10:00:00Z", commune: "13001", contract: "CDI", employer: "ACME", naf: "10.11Z"},
			}}},
			want: Observations{
				Months:    []MonthObs{{region, m1805, "2024-06", 2}, {z9312, m1805, "2024-06", 2}},
				Contracts: []KeyObs{{region, m1805, "CDI", "2024-06/2024-06", 2}, {z9312, m1805, "CDI", "2024-06/2024-06", 2}},
				Employers: []EmployerObs{{region, m1805, "ACME", "2024-06/2024-06", "62.01Z", 2, false},
					{z9312, m1805, "ACME", "2024-06/2024-06", "62.01Z", 2, false}},
			},
		},
		{
			name: "several months, two sources, one synthetic",
			runs: []run{
				{source: "ft", offers: []offer{
					{id: "1", fiche: "M1805", posted: "2024-06-05T10:00:00Z", commune: "13001", contract: "CDI", employer: "ACME", naf: "62.01Z", salary: "3000"},
					{id: "2", fiche: "M1805", posted: "2024-08-01T00:00:00Z", commune: "13001", contract: "CDD", employer: "ACME", naf: "47.11A", salary: "2000"},
				}},
				{source: "synth", synthetic: true, offers: []offer{
					{id: "1", fiche: "M1805", posted: "2024-07-31T23:59:59Z", commune: "13002", contract: "CDI", employer: "ACME", naf: "10.11Z"},
					{id: "2", fiche: "K2204", posted: "2024-07-01T00:00:00Z", commune: "06088", contract: "CDI", employer: "Nettoyage & Co", salary: "1800"},
				}},
			},
			want: Observations{
				Months: []MonthObs{{region, k2204, "2024-07", 1}, {region, m1805, "2024-06", 1}, {region, m1805, "2024-07", 1}, {region, m1805, "2024-08", 1},
					{z9312, m1805, "2024-06", 1}, {z9312, m1805, "2024-07", 1}, {z9312, m1805, "2024-08", 1}, {z9315, k2204, "2024-07", 1}},
				Contracts: []KeyObs{{region, k2204, "CDI", "2024-07/2024-07", 1}, {region, m1805, "CDD", "2024-08/2024-08", 1}, {region, m1805, "CDI", "2024-06/2024-07", 2},
					{z9312, m1805, "CDD", "2024-08/2024-08", 1}, {z9312, m1805, "CDI", "2024-06/2024-07", 2}, {z9315, k2204, "CDI", "2024-07/2024-07", 1}},
				Employers: []EmployerObs{{region, k2204, "Nettoyage & Co", "2024-07/2024-07", "", 1, true}, {region, m1805, "ACME", "2024-06/2024-08", "62.01Z", 3, true},
					{z9312, m1805, "ACME", "2024-06/2024-08", "62.01Z", 3, true}, {z9315, k2204, "Nettoyage & Co", "2024-07/2024-07", "", 1, true}},
				Salaries: []SalaryObs{{region, k2204, "2024-07/2024-07", 1, 1800, 1800, 1800}, {region, m1805, "2024-06/2024-08", 2, 2000, 2000, 3000},
					{z9312, m1805, "2024-06/2024-08", 2, 2000, 2000, 3000}, {z9315, k2204, "2024-07/2024-07", 1, 1800, 1800, 1800}},
			},
		},
		{
			name: "salaries rounded to 10 euros, halves up; nearest-rank quartiles; offers without salary left out",
			runs: []run{{source: "ft", offers: []offer{
				{id: "1", fiche: "M1805", posted: "2024-06-05T10:00:00Z", salary: "1845"},    // 1850
				{id: "2", fiche: "M1805", posted: "2024-06-05T10:00:00Z", salary: "1844.99"}, // 1840
				{id: "3", fiche: "M1805", posted: "2024-06-05T10:00:00Z", salary: "1835.50"}, // 1840
				{id: "4", fiche: "M1805", posted: "2024-06-05T10:00:00Z", salary: "4005.0"},  // 4010
				{id: "5", fiche: "M1805", posted: "2024-06-05T10:00:00Z"},
			}}},
			want: Observations{
				Months:   []MonthObs{{region, m1805, "2024-06", 5}},
				Salaries: []SalaryObs{{region, m1805, "2024-06/2024-06", 4, 1840, 1840, 1850}},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Fold(cellsOf(t, testZones, tc.runs...))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Fold:\n%s", diffObs(got, tc.want))
			}
		})
	}
}

// diffObs lists the observations only one side has.
func diffObs(got, want Observations) string {
	lines := func(o Observations) map[string]bool {
		m := map[string]bool{}
		add := func(ds string, v any) { m[fmt.Sprintf("%s %+v", ds, v)] = true }
		for _, x := range o.Months {
			add("offres", x)
		}
		for _, x := range o.Contracts {
			add("contrats", x)
		}
		for _, x := range o.Experience {
			add("experience", x)
		}
		for _, x := range o.Employers {
			add("employeurs", x)
		}
		for _, x := range o.Salaries {
			add("salaires", x)
		}
		return m
	}
	g, w := lines(got), lines(want)
	var b strings.Builder
	for l := range g {
		if !w[l] {
			b.WriteString("  unexpected " + l + "\n")
		}
	}
	for l := range w {
		if !g[l] {
			b.WriteString("  missing    " + l + "\n")
		}
	}
	if b.Len() == 0 {
		return fmt.Sprintf("  same observations, different order or empty vs nil slices:\n  got  %+v\n  want %+v", got, want)
	}
	return b.String()
}

// TestRegionEmployerFilter: at the region level an employer is kept with n ≥ 2 or
// when its fiche has at most 10 employers there; zones keep every employer.
func TestRegionEmployerFilter(t *testing.T) {
	for _, tc := range []struct {
		name      string
		employers int // one-offer employers besides "Big" (2 offers)
		wantOne   bool
	}{
		{"10 employers: all kept", 9, true},
		{"11 employers: one-offer employers dropped", 10, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			offers := []offer{
				{id: "b1", fiche: "M1805", posted: "2024-06-01T00:00:00Z", commune: "13001", employer: "Big"},
				{id: "b2", fiche: "M1805", posted: "2024-07-01T00:00:00Z", commune: "13001", employer: "Big"},
			}
			for i := range tc.employers {
				offers = append(offers, offer{id: fmt.Sprint("o", i), fiche: "M1805", posted: "2024-06-01T00:00:00Z", commune: "13001", employer: fmt.Sprint("E", i)})
			}
			got := Fold(cellsOf(t, testZones, run{source: "ft", offers: offers}))
			var atRegion, atZone []string
			for _, e := range got.Employers {
				switch e.Area {
				case region:
					atRegion = append(atRegion, e.Name)
				case z9312:
					atZone = append(atZone, e.Name)
				}
			}
			if len(atZone) != tc.employers+1 {
				t.Errorf("zone: %d employers %v, want all %d", len(atZone), atZone, tc.employers+1)
			}
			want := []string{"Big"}
			if tc.wantOne {
				want = atZone
			}
			if !reflect.DeepEqual(atRegion, want) {
				t.Errorf("region: %v, want %v", atRegion, want)
			}
		})
	}
}

// TestEmployerNAF: the greatest NAF of an employer's offers, none when one of them
// has none.
func TestEmployerNAF(t *testing.T) {
	got := Fold(cellsOf(t, testZones, run{source: "ft", offers: []offer{
		{id: "1", fiche: "M1805", posted: "2024-06-01T00:00:00Z", employer: "ACME", naf: "10.11Z"},
		{id: "2", fiche: "M1805", posted: "2024-06-02T00:00:00Z", employer: "ACME", naf: "62.01Z"},
		{id: "3", fiche: "M1805", posted: "2024-07-02T00:00:00Z", employer: "ACME", naf: "47.11A"},
		{id: "4", fiche: "M1805", posted: "2024-07-02T00:00:00Z", employer: "Anonyme SA"},
	}}))
	want := []EmployerObs{{region, m1805, "ACME", "2024-06/2024-07", "62.01Z", 3, false}, {region, m1805, "Anonyme SA", "2024-07/2024-07", "", 1, false}}
	if !reflect.DeepEqual(got.Employers, want) {
		t.Errorf("employers %+v, want %+v", got.Employers, want)
	}
	// One offer without NAF, in another month than the others: offers-mix.ru's
	// MAX(?offerNaf) meets an unbound value and is unbound, so is Fold's.
	got = Fold(cellsOf(t, testZones, run{source: "ft", offers: []offer{
		{id: "1", fiche: "M1805", posted: "2024-06-01T00:00:00Z", employer: "ACME", naf: "10.11Z"},
		{id: "2", fiche: "M1805", posted: "2024-06-02T00:00:00Z", employer: "ACME", naf: "62.01Z"},
		{id: "3", fiche: "M1805", posted: "2024-07-02T00:00:00Z", employer: "ACME"},
	}}))
	want = []EmployerObs{{region, m1805, "ACME", "2024-06/2024-07", "", 3, false}}
	if !reflect.DeepEqual(got.Employers, want) {
		t.Errorf("with an offer without NAF: employers %+v, want %+v", got.Employers, want)
	}
}

func TestRoundSalary(t *testing.T) {
	dec := "http://www.w3.org/2001/XMLSchema#decimal"
	for _, tc := range []struct {
		lex, datatype string
		want          int64
		ok            bool
	}{
		{"1845", dec, 1850, true},
		{"1845.00", dec, 1850, true},
		{"1844.999", dec, 1840, true},
		{"1835.5", dec, 1840, true},
		{"1834.99", dec, 1830, true},
		{"5", dec, 10, true},
		{"4.9", dec, 0, true},
		{".5", dec, 0, true},
		{"0", dec, 0, true},
		{"+2000.", dec, 2000, true},
		{"-15", dec, -10, true},   // -1.5 rounds to -1 (towards +∞)
		{"-15.5", dec, -20, true}, // -1.55 → -2
		{"-14.9", dec, -10, true},
		{"-0.0", dec, 0, true},
		{"1845", "http://www.w3.org/2001/XMLSchema#integer", 1850, true},
		{"1.845E3", xsdDouble, 1850, true},
		{"", dec, 0, false},
		{".", dec, 0, false},
		{"1e3", dec, 0, false},
		{"12a", dec, 0, false},
		{"99999999999999999999", dec, 0, false},
		{"NaN", xsdDouble, 0, false},
	} {
		got, ok := roundSalary(ntriples.NewTyped(tc.lex, tc.datatype))
		if got != tc.want || ok != tc.ok {
			t.Errorf("roundSalary(%q^^%s) = %d, %v; want %d, %v", tc.lex, tc.datatype, got, ok, tc.want, tc.ok)
		}
	}
}

// TestWriteObservation checks one observation triple by triple: the RDF shape of the
// package comment, the JSON with sorted keys and employers.
func TestWriteObservation(t *testing.T) {
	a := NewOffers("ft", false, testZones)
	for _, o := range []offer{
		{id: "1", fiche: "M1805", posted: "2024-06-05T10:00:00Z", commune: "06088", contract: "CDI", exp: "E", employer: "Zeta & fils", naf: "62.01Z", salary: "3005.0"},
		{id: "2", fiche: "M1805", posted: "2024-06-07T10:00:00Z", commune: "06088", contract: "CDD", exp: "E", employer: "Alpha", salary: "2995"},
	} {
		a.Record(o.triples("ft"))
	}
	var got []string
	if err := a.Write("2024-06", func(s, p, o ntriples.Term) error {
		if s.Value == ObservationIRI("ft", z9315, "2024-06", m1805) {
			got = append(got, p.Value+" "+o.String())
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		rdfType + " <" + qbObs + ">",
		qbDS + " <" + vocab.ID + "dataset/offres>",
		pRefArea + " <" + z9315 + ">",
		pOccupation + " <" + m1805 + ">",
		pRefPeriod + ` "2024-06"`,
		pOfferCount + ` "2"^^<` + xsdInt + ">",
		pOfferMix + ` "{\"contracts\":{\"CDD\":1,\"CDI\":1},\"experience\":{\"E\":2},\"employers\":[{\"name\":\"Alpha\",\"n\":1},{\"name\":\"Zeta & fils\",\"n\":1,\"naf\":\"62.01Z\"}],\"salaries\":{\"3000\":1,\"3010\":1}}"^^<` + rdfJSON + ">",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("observation:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if ObservationIRI("ft", z9315, "2024-06", m1805) != vocab.ID+"obs/offres/ft/9315/2024-06/M1805" {
		t.Errorf("ObservationIRI = %s", ObservationIRI("ft", z9315, "2024-06", m1805))
	}
	if got := a.Months(); !reflect.DeepEqual(got, []string{"2024-06"}) {
		t.Errorf("Months = %v", got)
	}
	var n int
	if err := a.Write("2024-07", func(s, p, o ntriples.Term) error { n++; return nil }); err != nil || n != 0 {
		t.Errorf("Write of a month without offers: %d triples, %v", n, err)
	}
}

// TestBusyCell: a cell with more employers and salary values than the short lists
// hold before they are indexed counts them all, once each.
func TestBusyCell(t *testing.T) {
	var offers []offer
	for i := range 60 {
		// employers E0..E29 with two offers each; salaries 1000, 1010, … 1590
		offers = append(offers, offer{id: fmt.Sprint(i), fiche: "M1805", posted: "2024-06-01T00:00:00Z", commune: "13001",
			employer: fmt.Sprintf("E%02d", i%30), naf: fmt.Sprintf("%02d.00Z", i), salary: fmt.Sprint(1000 + 10*i), contract: fmt.Sprint("C", i%20)})
	}
	offers = append(offers, offers[:25]...) // repeated records
	cells := cellsOf(t, testZones, run{source: "ft", offers: offers})
	if len(cells) != 2 {
		t.Fatalf("%d cells, want 2", len(cells))
	}
	for _, c := range cells {
		if c.Offers != 60 || len(c.Mix.Employers) != 30 || len(c.Mix.Salaries) != 60 || len(c.Mix.Contracts) != 20 {
			t.Errorf("%s: %d offers, %d employers, %d salaries, %d contracts; want 60, 30, 60, 20",
				c.Area, c.Offers, len(c.Mix.Employers), len(c.Mix.Salaries), len(c.Mix.Contracts))
		}
		for i, e := range c.Mix.Employers {
			if want := (Employer{Name: fmt.Sprintf("E%02d", i), Offers: 2, NAF: fmt.Sprintf("%02d.00Z", i+30)}); e != want {
				t.Errorf("%s: employer %+v, want %+v", c.Area, e, want)
			}
		}
		for s, n := range c.Mix.Salaries {
			if n != 1 {
				t.Errorf("%s: salary %s: %d offers, want 1", c.Area, s, n)
			}
		}
		for k, n := range c.Mix.Contracts {
			if n != 3 {
				t.Errorf("%s: contract %s: %d offers, want 3", c.Area, k, n)
			}
		}
	}
}

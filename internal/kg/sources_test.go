package kg

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/kg/kgtest"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
	"github.com/openemploi360/openemploi/internal/vocab"
)

func val(p *float64) float64 {
	if p == nil {
		return -1
	}
	return *p
}

func TestSources(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		kgtest.Load(t, c)
		k := mustKG(t, c)
		ctx := context.Background()
		m1811, m1805 := vocab.Metier("M1811"), vocab.Metier("M1805")
		mars, nice := vocab.Zone("9312"), vocab.Zone("9315")

		t.Run("Labels", func(t *testing.T) {
			ls, err := k.Labels(ctx)
			if err != nil {
				t.Fatal(err)
			}
			// 3 fiches + 5 appellations × (long + short label), one short label equal to its long one
			if len(ls) != 12 {
				t.Errorf("got %d labels: %+v", len(ls), ls)
			}
		})
		t.Run("SkillIndex", func(t *testing.T) {
			s, err := k.SkillIndex(ctx)
			if err != nil || len(s) != 6 {
				t.Fatalf("%d skills, %v", len(s), err)
			}
		})
		t.Run("Zones", func(t *testing.T) {
			zs, err := k.Zones(ctx)
			if err != nil || len(zs) != 2 {
				t.Fatalf("%+v %v", zs, err)
			}
			if zs[0].Code != "9312" || zs[0].Label != "Marseille" || val(zs[0].Population) != 917000 || zs[0].Communes != 2 || zs[0].Graph != vocab.Graph("geo") {
				t.Errorf("zone = %+v", zs[0])
			}
		})
		t.Run("Communes", func(t *testing.T) {
			cs, err := k.Communes(ctx)
			if err != nil || len(cs) != 5 { // 4 communes + an arrondissement municipal
				t.Fatalf("%+v %v", cs, err)
			}
		})
		t.Run("Life", func(t *testing.T) {
			l, err := k.Life(ctx, []string{mars, nice})
			if err != nil {
				t.Fatal(err)
			}
			m := l[mars]
			if m == nil || m.Price == nil || m.Rent == nil || m.Unemployment == nil || m.Population == nil || m.Stations == nil {
				t.Fatalf("marseille = %+v", m)
			}
			// (3600×9000 + 3300×700) / 9700 = 3578.35, unrounded: rounding is the section's
			if v := val(m.Price.Value); v < 3578.34 || v > 3578.36 || m.Price.N != 9700 || m.Price.Graph != vocab.Graph("dvf") {
				t.Errorf("price = %+v", m.Price)
			}
			if val(m.Unemployment.Value) != 10.1 || m.Unemployment.Period != "2023-T3" {
				t.Errorf("unemployment = %+v", m.Unemployment)
			}
			// (14.2×870000 + 12.9×47000) / 917000 = 14.133…
			if v := val(m.Rent.Value); v < 14.13 || v > 14.14 {
				t.Errorf("rent = %+v", m.Rent)
			}
			if val(m.Population.Value) != 917000 {
				t.Errorf("population = %+v", m.Population)
			}
			if m.Stations.Count != 2 || len(m.Stations.Names) != 2 {
				t.Errorf("stations = %+v", m.Stations)
			}
			fams := map[string]float64{}
			for _, a := range m.Amenities {
				fams[a.Family] = a.Count
			}
			// 1 800 Santé amenities over 917 000 inhabitants make the 19.6 per 10 000 of the section
			if len(fams) != 2 || fams["Santé"] != 1800 {
				t.Errorf("amenities = %+v", m.Amenities)
			}
			n := l[nice]
			if n == nil || n.Price == nil || n.Price.N != 5200 || n.Stations == nil || n.Stations.Count != 1 {
				t.Errorf("nice = %+v", n)
			}
		})
		t.Run("Market", func(t *testing.T) {
			ms, err := k.Market(ctx, []string{m1811}, []string{mars, vocab.RegionIRI})
			if err != nil || len(ms) != 2 {
				t.Fatalf("%+v %v", ms, err)
			}
			m := ms[0]
			if m.Area != mars || len(m.Months) != 6 || m.Months[5].Month != "2025-01" || m.Months[5].Count != 3 {
				t.Errorf("months = %+v", m.Months)
			}
			if m.Salary.N != 9 || val(m.Salary.Median) != 4400 || val(m.Salary.Q1) != 4100 || val(m.Salary.Q3) != 4700 {
				t.Errorf("salary = %+v", m.Salary)
			}
			total := 0
			for _, s := range m.Contracts {
				total += s.Count
			}
			if total != 11 || len(m.Employers) != 3 || len(m.Experience) != 3 {
				t.Errorf("mix = %+v %+v %+v", m.Contracts, m.Employers, m.Experience)
			}
		})
		t.Run("TopMetiers", func(t *testing.T) {
			top, err := k.TopMetiers(ctx, []string{nice}, "2024-11", 10)
			if err != nil {
				t.Fatal(err)
			}
			l := top[nice]
			if len(l) != 2 || l[0].Metier.Code != "M1805" || l[0].Offers != 4 || l[1].Offers != 2 {
				t.Errorf("top = %+v", l)
			}
		})
		t.Run("Tension", func(t *testing.T) {
			obs, err := k.Tension(ctx, []string{m1811, m1805}, []string{mars, nice})
			if err != nil {
				t.Fatal(err)
			}
			var got []diagnostic.TensionObs
			for _, o := range obs {
				if o.Metier == m1811 && o.Zone == mars {
					got = append(got, o)
				}
				if o.Metier == m1811 && o.Zone == nice {
					t.Errorf("tension invented for a bassin without data: %+v", o)
				}
			}
			// the weight of the bassin: Marseille's communes in it and their inhabitants
			if len(got) == 1 && (got[0].Communes != 2 || got[0].Population != 917000) {
				t.Errorf("weight = %d communes, %v inhabitants; want 2, 917000", got[0].Communes, got[0].Population)
			}
			if len(got) != 1 || val(got[0].Indicator) != 4 || val(got[0].Hiring) != 5 || got[0].Communes < 1 || got[0].Via != "" ||
				got[0].Graph != vocab.Graph("tension") {
				t.Errorf("tension = %+v", got)
			}
		})
		t.Run("TensionThroughROMEv3", func(t *testing.T) {
			// A ROME 4 fiche with no v3 twin reads the BMO figures of its parent v3 code,
			// and says so in a note.
			const v3 = "https://data.dataregionsud.fr/openemploi/id/rome-v3/M1805"
			const g = "<https://data.dataregionsud.fr/openemploi/graph/rome-v3>"
			m1899 := vocab.Metier("M1899")
			nq := "<" + v3 + "> <http://www.w3.org/2004/02/skos/core#closeMatch> <" + m1899 + "> " + g + " .\n" +
				"<" + v3 + "> <http://www.w3.org/2004/02/skos/core#exactMatch> <" + m1805 + "> " + g + " .\n" +
				// queries read a graph through its current version named in oeg:meta
				g + " <http://www.w3.org/ns/dcat#hasCurrentVersion> " + g + " <https://data.dataregionsud.fr/openemploi/graph/meta> .\n"
			if err := c.LoadQuads(ctx, strings.NewReader(nq)); err != nil {
				t.Fatal(err)
			}
			obs, err := k.Tension(ctx, []string{m1899, m1805}, []string{mars})
			if err != nil {
				t.Fatal(err)
			}
			var via, own *diagnostic.TensionObs
			for i, o := range obs {
				switch o.Metier {
				case m1899:
					via = &obs[i]
				case m1805:
					own = &obs[i]
				}
			}
			if via == nil || own == nil {
				t.Fatalf("tension: via v3 %+v, own %+v", via, own)
			}
			if val(via.Indicator) != val(own.Indicator) || via.Via != m1805 {
				t.Errorf("via v3 = %+v, want the figures of M1805 and Via naming it", via)
			}
			if own.Via != "" {
				t.Errorf("a fiche with its own figures has Via %q", own.Via)
			}
		})
		t.Run("Trainings", func(t *testing.T) {
			tr, err := k.Trainings(ctx, []string{m1811}, []string{mars, nice}, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
			if err != nil {
				t.Fatal(err)
			}
			if l := tr[[2]string{m1811, mars}]; len(l) != 1 || l[0].Start != "2025-03-03" || l[0].Provider != "Campus Sud Numérique" || l[0].Commune != "Marseille" {
				t.Errorf("trainings = %+v", l)
			}
			tr, _ = k.Trainings(ctx, []string{m1811}, []string{mars}, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
			if len(tr[[2]string{m1811, mars}]) != 0 {
				t.Error("past session returned")
			}
		})
		t.Run("Companies", func(t *testing.T) {
			obs, err := k.Companies(ctx, []string{m1811}, []string{mars})
			if err != nil {
				t.Fatal(err)
			}
			etabs := map[string]bool{}
			weighted := false
			for _, o := range obs {
				etabs[o.IRI] = true
				if o.Metier != m1811 || o.Zone != mars || o.Name == "" || o.NAF == "" || o.Graph != vocab.Graph("sirene") {
					t.Errorf("observation = %+v", o)
				}
				if o.Weight != nil && *o.Weight == 0.6 && o.NAF == "62.01Z" {
					weighted = true
				}
			}
			if len(etabs) != 2 || !weighted {
				t.Errorf("companies = %+v", obs)
			}
		})
		t.Run("Sources", func(t *testing.T) {
			s, err := k.Sources(ctx)
			if err != nil || len(s) != 23 { // 17 graphs of the fixture, 6 month graphs of its offers
				t.Fatalf("%d sources, %v", len(s), err)
			}
			by := map[string]diagnostic.SourceInfo{}
			for _, src := range s {
				by[src.IRI] = src
			}
			// the data's own date and coverage, beside the import date
			if g := by[vocab.Graph("geo")]; g.Issued != "2026-01-01" || g.Modified == "" {
				t.Errorf("geo = %+v", g)
			}
			if c := by[vocab.Graph("chomage")]; c.Issued != "2023-12-30" || c.Temporal != (diagnostic.Span{From: "2003-T1", To: "2023-T3"}) {
				t.Errorf("chomage = %+v", c)
			}
			// a month graph of the offers aggregates is a source like any other, synthetic
			// as the offers it is computed from
			if d := by[vocab.DerivedMonthGraph("offres-synth", "2024-08")]; !d.Synthetic || d.Triples == nil || *d.Triples == 0 ||
				d.Title != "Agrégats des offres d'emploi (2024-08) — Offres synthétiques 2024-08" {
				t.Errorf("month graph of the aggregates = %+v", d)
			}
		})
		t.Run("DescribeMonthGraph", func(t *testing.T) {
			lg := vocab.DerivedMonthGraph("offres-synth", "2024-08")
			var b bytes.Buffer
			if err := k.DescribeGraph(ctx, lg, &b); err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{
				"<" + lg + "> <http://www.w3.org/ns/dcat#hasCurrentVersion> <" + vocab.VersionGraph(lg, kgtest.Run) + ">",
				"<" + lg + "> <http://www.w3.org/ns/prov#wasDerivedFrom> <" + vocab.Graph("offres-synth", "2024-08") + ">",
			} {
				if !strings.Contains(b.String(), want) {
					t.Errorf("description of %s lacks %s:\n%s", lg, want, b.String())
				}
			}
		})
		t.Run("Describe", func(t *testing.T) {
			var b bytes.Buffer
			if err := k.Describe(ctx, m1811, &b); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), `"Data engineer"@fr`) || !strings.Contains(b.String(), `"Développeur / Développeuse informatique"@fr`) {
				t.Errorf("describe = %s", b.String())
			}
		})
	})
}

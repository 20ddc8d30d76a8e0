package kg

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/openemploi360/openemploi/internal/kg/kgtest"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
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
		m1811, m1805 := MetierIRI("M1811"), MetierIRI("M1805")
		mars, nice := ZoneIRI("9312"), ZoneIRI("9315")

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
			if zs[0].Code != "9312" || zs[0].Label != "Marseille" || val(zs[0].Population.Value) != 917000 || zs[0].Communes != 2 {
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
			// (3600×9000 + 3300×700) / 9700 = 3578.35
			if val(m.PricePerSqm.Value) != 3578 || *m.PricePerSqm.N != 9700 {
				t.Errorf("price = %+v", m.PricePerSqm)
			}
			if val(m.UnemploymentRate.Value) != 10.1 || m.UnemploymentRate.Period != "2023-T3" {
				t.Errorf("unemployment = %+v", m.UnemploymentRate)
			}
			// (14.2×870000 + 12.9×47000) / 917000 = 14.13
			if val(m.RentPerSqm.Value) != 14.13 {
				t.Errorf("rent = %+v", m.RentPerSqm)
			}
			if val(m.Stations.Value) != 2 || len(m.StationNames) != 2 {
				t.Errorf("stations = %+v %v", m.Stations, m.StationNames)
			}
			if len(m.Amenities) != 2 || m.Amenities[1].Family != "Santé" || val(m.Amenities[1].Per10k.Value) != 19.6 {
				t.Errorf("amenities = %+v", m.Amenities)
			}
			n := l[nice]
			if n.PricePerSqm.N == nil || *n.PricePerSqm.N != 5200 || val(n.Stations.Value) != 1 {
				t.Errorf("nice = %+v", n)
			}
		})
		t.Run("Market", func(t *testing.T) {
			ms, err := k.Market(ctx, []string{m1811}, []string{mars, Region})
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
			ts, err := k.Tension(ctx, []string{m1811, m1805}, []string{mars, nice})
			if err != nil {
				t.Fatal(err)
			}
			if tt := ts[[2]string{m1811, mars}]; tt == nil || val(tt.Indicator.Value) != 4 || val(tt.Components["hiringIntensity"].Value) != 5 ||
				val(tt.Components["jobSeekersMean"].Value) != 8.3 || len(tt.Bassins) != 1 {
				t.Errorf("tension = %+v", tt)
			}
			if ts[[2]string{m1811, nice}] != nil {
				t.Error("tension invented for a bassin without data")
			}
		})
		t.Run("TensionThroughROMEv3", func(t *testing.T) {
			// A ROME 4 fiche with no v3 twin reads the BMO figures of its parent v3 code,
			// and says so in a note.
			const v3 = "https://data.dataregionsud.fr/openemploi/id/rome-v3/M1805"
			const g = "<https://data.dataregionsud.fr/openemploi/graph/rome-v3>"
			m1899 := MetierIRI("M1899")
			nq := "<" + v3 + "> <http://www.w3.org/2004/02/skos/core#closeMatch> <" + m1899 + "> " + g + " .\n" +
				"<" + v3 + "> <http://www.w3.org/2004/02/skos/core#exactMatch> <" + m1805 + "> " + g + " .\n" +
				// queries read a graph through its current version named in oeg:meta
				g + " <http://www.w3.org/ns/dcat#hasCurrentVersion> " + g + " <https://data.dataregionsud.fr/openemploi/graph/meta> .\n"
			if err := c.LoadQuads(ctx, strings.NewReader(nq)); err != nil {
				t.Fatal(err)
			}
			ts, err := k.Tension(ctx, []string{m1899, m1805}, []string{mars})
			if err != nil {
				t.Fatal(err)
			}
			via, own := ts[[2]string{m1899, mars}], ts[[2]string{m1805, mars}]
			if via == nil || own == nil {
				t.Fatalf("tension: via v3 %+v, own %+v", via, own)
			}
			if val(via.Indicator.Value) != val(own.Indicator.Value) || !strings.Contains(via.Indicator.Note, "M1805") {
				t.Errorf("via v3 = %+v (note %q), want the figures of M1805 with a note naming it", via.Indicator, via.Indicator.Note)
			}
			if own.Indicator.Note != "" {
				t.Errorf("a fiche with its own figures got a note: %q", own.Indicator.Note)
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
			cs, err := k.Companies(ctx, []string{m1811}, []string{mars})
			if err != nil {
				t.Fatal(err)
			}
			l := cs[[2]string{m1811, mars}]
			if len(l) != 2 || !strings.Contains(l[0].Why, "0.60") || l[0].NAF != "62.01Z" {
				t.Errorf("companies = %+v", l)
			}
		})
		t.Run("Sources", func(t *testing.T) {
			s, err := k.Sources(ctx)
			if err != nil || len(s) != 17 {
				t.Fatalf("%d sources, %v", len(s), err)
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

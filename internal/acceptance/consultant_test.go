package acceptance

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/diagnostic"
)

// Issue 10: the five skills a practising data engineer types for M1811 all resolve,
// and the skills light is not red.
func (w *world) dataEngineerProfile(t *testing.T) {
	typed := []string{"python", "SQL", "gestion de bases de données", "apache spark", "modélisation de données"}
	p := &diagnostic.Profile{}
	for _, s := range typed {
		p.Skills = append(p.Skills, diagnostic.SkillInput{Label: s, Level: 4})
	}
	d := w.run(t, diagnostic.Request{Metiers: []string{dataEngineer}, Zones: []string{zoneMarseille}, Profile: p})
	// The resolutions come with the skills engine (branch skills): read them by name
	// so that this test compiles before it lands.
	res := reflect.ValueOf(d).Elem().FieldByName("ProfileSkills")
	if !res.IsValid() {
		if os.Getenv("CI") == "true" {
			t.Fatal("the diagnostic returns no ProfileSkills: the skills engine (branch skills, issue 10) is not integrated")
		}
		t.Skip("depends on the skills engine (branch skills, issue 10): the diagnostic returns no ProfileSkills yet")
	}
	if res.Len() != len(typed) {
		t.Fatalf("%d resolutions for %d typed skills", res.Len(), len(typed))
	}
	for i := range res.Len() {
		r := res.Index(i)
		if !r.FieldByName("Recognised").Bool() {
			t.Errorf("%q not recognised: %s", typed[i], r.FieldByName("Note").String())
			continue
		}
		// the fiche lists every one of these skills: resolved to an item elsewhere in
		// the referential ("SQL" → "PL/SQL") is the very failure of issue 10
		if tier := r.FieldByName("Tier").String(); tier != "fiche" {
			t.Errorf("%q resolved to %q outside the M1811 fiche (tier %s)", typed[i], r.FieldByName("Matched").String(), tier)
		}
		t.Logf("%q → %q (tier %s, score %.2f)", typed[i], r.FieldByName("Matched").String(), r.FieldByName("Tier").String(), r.FieldByName("Score").Float())
	}
	c := cellOf(t, d, dataEngineer, zoneMarseille)
	for _, l := range c.Lights {
		if l.Axis == diagnostic.AxisSkills {
			if l.Color == diagnostic.Red || l.Color == diagnostic.Unknown {
				t.Errorf("skills light %s: %s (match %s)", l.Color, l.Explanation, val(c.Match))
			}
			t.Logf("skills light %s: %s", l.Color, l.Explanation)
		}
	}
	if m := d.Metiers[0].Match; m.Value == nil {
		t.Errorf("no match: %s", m.Note)
	}
}

// ConsultantView prints what a consultant reads for M1811 in Marseille, Nice and
// Toulon, and checks that every number shown has its date (a period, or the source's
// date).
func (w *world) consultantView(t *testing.T) {
	d := w.run(t, diagnostic.Request{Metiers: []string{dataEngineer}, Zones: demoZones})
	var b strings.Builder
	undated := func(where string, f diagnostic.Figure) {
		if f.Value != nil && f.Period == "" {
			t.Errorf("%s: %s shown without a date", where, val(f))
		}
	}
	syn := func(f diagnostic.Figure) string {
		if f.Synthetic {
			return " [synthétique]"
		}
		return ""
	}
	fig := func(f diagnostic.Figure) string {
		s := val(f)
		if f.Value != nil {
			s += " " + f.Unit
			if f.N != nil {
				s += fmt.Sprintf(" (n=%d)", *f.N)
			}
			s += " — " + f.Period + syn(f)
			if f.Note != "" {
				s += " — " + f.Note
			}
		}
		return s
	}
	fmt.Fprintf(&b, "\n%s — %s (données %s)\n", dataEngineer, d.Metiers[0].Label, d.DataVersion)
	for _, z := range d.Zones {
		c := cellOf(t, d, dataEngineer, z.Code)
		where := dataEngineer + " × " + z.Label
		fmt.Fprintf(&b, "\n== %s (%s)%s\n", z.Label, z.Code, map[bool]string{true: " — " + z.Note}[z.Interregional])
		fmt.Fprintf(&b, "  Population : %s\n", fig(z.Life.Population))
		fmt.Fprintf(&b, "  Chômage : %s\n", fig(z.Life.UnemploymentRate))
		fmt.Fprintf(&b, "  Prix m² : %s ; loyer m² : %s\n", fig(z.Life.PricePerSqm), fig(z.Life.RentPerSqm))
		fmt.Fprintf(&b, "  Gares : %s\n", fig(z.Life.Stations))
		for _, f := range []diagnostic.Figure{z.Life.Population, z.Life.UnemploymentRate, z.Life.PricePerSqm, z.Life.RentPerSqm, z.Life.Stations} {
			undated(where, f)
		}
		for _, a := range z.Life.Amenities {
			fmt.Fprintf(&b, "  Équipements %s : %s ; %s\n", a.Family, fig(a.Count), fig(a.Per10k))
			undated(where+" "+a.Family, a.Count)
			undated(where+" "+a.Family+" /10 000", a.Per10k)
		}
		var months []string
		for _, f := range c.Market.OffersByMonth {
			months = append(months, f.Period+":"+val(f))
			undated(where+" offres", f)
		}
		fmt.Fprintf(&b, "  Offres par mois : %s%s\n", strings.Join(months, " "), syn(c.Market.OffersByMonth[0]))
		fmt.Fprintf(&b, "  Offres/mois (3 derniers) : %s\n  Tendance : %s\n", fig(c.Market.PerMonth), fig(c.Market.Trend))
		fmt.Fprintf(&b, "  Salaire q1/médiane/q3 : %s / %s / %s\n", val(c.Salary.Q1), fig(c.Salary.Median), val(c.Salary.Q3))
		for _, f := range []diagnostic.Figure{c.Market.PerMonth, c.Market.Trend, c.Salary.Q1, c.Salary.Median, c.Salary.Q3} {
			undated(where, f)
		}
		for _, s := range c.Market.Contracts {
			fmt.Fprintf(&b, "  Contrat %s : %d (%s)\n", s.Code, s.Count, val(s.Share))
		}
		if tn := c.Tension; tn != nil {
			fmt.Fprintf(&b, "  Tension : %s ; %s ; bassins %d\n", fig(tn.Indicator), tn.WeightedBy, len(tn.Bassins))
			undated(where+" tension", tn.Indicator)
		} else {
			fmt.Fprintf(&b, "  Tension : aucune\n")
		}
		if tw := c.TrainingWindow; tw != nil {
			fmt.Fprintf(&b, "  Formations (%d) : %s\n", len(c.Trainings), tw.Note)
		}
		for i, tr := range c.Trainings {
			if i == 3 {
				break
			}
			fmt.Fprintf(&b, "    %s — %s à %s (passée %v, synthétique %v)\n", tr.Start, tr.Name, tr.Commune, tr.Past, tr.Synthetic)
		}
		fmt.Fprintf(&b, "  Entreprises (%d) : %s\n", len(c.Companies), c.CompaniesNote)
		for i, co := range c.Companies {
			if i == 3 {
				break
			}
			fmt.Fprintf(&b, "    %s — %s (synthétique %v)\n", co.Name, co.Why, co.Synthetic)
		}
		for _, l := range c.Lights {
			fmt.Fprintf(&b, "  Feu %s : %s — %s\n", l.Axis, l.Color, l.Explanation)
		}
		if c.Score != nil {
			fmt.Fprintf(&b, "  Score : %.0f/100 (%d axes connus sur %d)\n", *c.Score, c.Coverage.Known, c.Coverage.Of)
		}
	}
	fmt.Fprintf(&b, "\nSources :\n")
	for _, s := range d.Sources {
		fmt.Fprintf(&b, "  %s — données %s %s–%s, importé %s, synthétique %v\n", s.Title, s.Issued, s.Temporal.From, s.Temporal.To, s.Modified, s.Synthetic)
	}
	t.Log(b.String())
}

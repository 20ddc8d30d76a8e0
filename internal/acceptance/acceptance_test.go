package acceptance

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/storetest"
	"github.com/openemploi360/openemploi/internal/vocab"
)

// TestIssue11 loads the sample once per store kind and checks each "Done when" item of
// issue 11 in its own subtest, then issue 10's data-engineer profile.
func TestIssue11(t *testing.T) {
	for _, kind := range storetest.Kinds() {
		t.Run(kind, func(t *testing.T) {
			w := load(t, kind)
			t.Run("01_Amenities", w.amenities)
			t.Run("02_TrainingsAndCompanies", w.trainingsAndCompanies)
			t.Run("03_Pay", w.pay)
			t.Run("04_Trends", w.trends)
			t.Run("05_RegionCountsOffersWithoutCommune", w.regionCounts)
			t.Run("06_AppellationFicheWins", w.appellationFiche)
			t.Run("07_Tension", w.tension)
			t.Run("08_SourcesDated", w.sourcesDated)
			t.Run("09_ScoresCoverage", w.scores)
			t.Run("10_SyntheticFlagged", w.synthetic)
			t.Run("11_Interregional", w.interregional)
			t.Run("Issue10_DataEngineerProfile", w.dataEngineerProfile)
			t.Run("ConsultantView", w.consultantView)
		})
	}
}

func (w *world) run(t *testing.T, req diagnostic.Request) *diagnostic.Diagnostic {
	t.Helper()
	d, err := w.svc.Run(context.Background(), req)
	if err != nil {
		t.Fatalf("diagnostic %v × %v: %v", req.Metiers, req.Zones, err)
	}
	return d
}

func cellOf(t *testing.T, d *diagnostic.Diagnostic, metier, zone string) *diagnostic.Cell {
	t.Helper()
	for i := range d.Cells {
		if c := &d.Cells[i]; c.Metier.Code == metier && c.Zone.Code == zone {
			return c
		}
	}
	t.Fatalf("no cell %s × %s in the diagnostic", metier, zone)
	return nil
}

func val(f diagnostic.Figure) string {
	if f.Value == nil {
		return "null (" + f.Note + ")"
	}
	return fmt.Sprintf("%g", *f.Value)
}

// zoneSet returns the communes of a zone d'emploi per the INSEE composition file.
func (w *world) inZone(t *testing.T, zone string) func(string) bool {
	zoneOf := zoneOfCommune(t, w.root)
	return func(c string) bool { return c != "" && zoneOf[c] == zone }
}

// 1. Marseille shows transport and education amenities in the hundreds, and every
// equipment type of the BPE sample lands in a family: the families' counts add up to
// the file's own total for the zone's communes, family by family.
func (w *world) amenities(t *testing.T) {
	zr, err := w.svc.Zone(context.Background(), zoneMarseille)
	if err != nil {
		t.Fatal(err)
	}
	// Expected, from the files: label → INSEE type code (the 2013 varmod's TYPEQU
	// labels, the code list the mapping reads, then the 2013-2018 varmod of the
	// sample), code → sub-domain (its first two characters) → family. What does not
	// depend on these lists: the families must add up to the file's own total.
	codeOf := map[string]string{}
	readCSV(t, filepath.Join(w.root, "testdata/sample/bpe_equipements/varmod_bpe1318_typequ.csv"), ';', func(r map[string]string) {
		if r["COD_VAR"] == "TYPEQU" {
			codeOf[strings.TrimSpace(r["LIB_MOD"])] = r["COD_MOD"]
		}
	})
	readCSV(t, filepath.Join(w.root, "mappings/bpe-types-2013.csv"), ';', func(r map[string]string) {
		codeOf[strings.TrimSpace(r["label"])] = r["typequ"]
	})
	familyOf := map[string]string{}
	readCSV(t, filepath.Join(w.root, "mappings/bpe-families.csv"), ';', func(r map[string]string) {
		familyOf[r["subdomain"]] = r["family"]
	})
	inZone := w.inZone(t, zoneMarseille)
	want := map[string]float64{}
	var wantTotal, fileTotal float64
	unknown := map[string]bool{}
	head := readCSV(t, filepath.Join(w.root, "testdata/sample/bpe_equipements/bpe2013_nb_equipements_par_type_communes_paca.csv"), ',', func(r map[string]string) {
		if !inZone(r["depcom"]) {
			return
		}
		fileTotal += num(r["Total de nb_equip"])
		for label, v := range r {
			if label == "depcom" || label == "Total de nb_equip" || v == "" {
				continue
			}
			code := codeOf[label]
			fam := ""
			if len(code) >= 2 {
				fam = familyOf[code[:2]]
			}
			if fam == "" {
				unknown[label] = true
				continue
			}
			want[fam] += num(v)
			wantTotal += num(v)
		}
	})
	if len(head) < 100 {
		t.Fatalf("BPE sample: %d columns, want one per type", len(head))
	}
	if len(unknown) > 0 {
		t.Errorf("BPE types of the sample without a code and family in the code lists: %v", unknown)
	}
	if wantTotal != fileTotal || fileTotal == 0 {
		t.Errorf("Marseille: the types add up to %g, the file's total says %g", wantTotal, fileTotal)
	}
	got := map[string]float64{}
	var gotTotal float64
	for _, a := range zr.Life.Amenities {
		if a.Count.Value == nil {
			t.Errorf("amenity family %q: count null (%s)", a.Family, a.Count.Note)
			continue
		}
		got[a.Family] = *a.Count.Value
		gotTotal += *a.Count.Value
		if a.Count.Period == "" {
			t.Errorf("amenity family %q: no period", a.Family)
		}
		if a.Per10k.Value != nil && a.Per10k.Note == "" {
			t.Errorf("amenity family %q: per 10 000 inhabitants without saying which population", a.Family)
		}
	}
	for _, fam := range []string{"Transports et déplacements", "Enseignement"} {
		if got[fam] < 100 {
			t.Errorf("Marseille %q = %g amenities, want hundreds (file: %g)", fam, got[fam], want[fam])
		}
	}
	for fam, n := range want {
		if got[fam] != n {
			t.Errorf("Marseille %q = %g, the BPE file gives %g", fam, got[fam], n)
		}
	}
	for fam, n := range got {
		if _, ok := want[fam]; !ok {
			t.Errorf("Marseille %q = %g, a family the BPE file does not give the zone", fam, n)
		}
	}
	if gotTotal != fileTotal {
		t.Errorf("Marseille: %g amenities over all families, the BPE file's total is %g (types lost)", gotTotal, fileTotal)
	}
}

func num(s string) float64 {
	var f float64
	fmt.Sscan(strings.TrimSpace(s), &f)
	return f
}

// 2. M1811 shows trainings (upcoming or, when none, recent; with the date the data
// runs to) and companies (with why) in Marseille, Nice and Toulon.
func (w *world) trainingsAndCompanies(t *testing.T) {
	d := w.run(t, diagnostic.Request{Metiers: []string{dataEngineer}, Zones: demoZones})
	lheo := append([]string{}, w.synthFiles["formations-synth"]...)
	for _, s := range w.cat.Sources {
		if s.Name == "formations-lheo" {
			for _, p := range s.Sample {
				lheo = append(lheo, filepath.Join(w.root, p))
			}
		}
	}
	dataUntil := latestSessionStart(t, lheo...)
	offers := readOffers(t, w.root)
	app := appellationFiches(t, w.root)
	for _, z := range demoZones {
		c := cellOf(t, d, dataEngineer, z)
		t.Run(z, func(t *testing.T) {
			tw := c.TrainingWindow
			switch {
			case tw == nil:
				t.Fatal("no training window")
			case tw.DataUntil != dataUntil:
				t.Errorf("training data runs to %q, the LHEO files to %q", tw.DataUntil, dataUntil)
			case !strings.Contains(tw.Note, "jusqu'au "+frDate(dataUntil)):
				t.Errorf("the note does not say up to which day the data runs (%s): %q", frDate(dataUntil), tw.Note)
			}
			if len(c.Trainings) == 0 {
				t.Errorf("no training listed (window %+v)", tw)
			}
			for _, tr := range c.Trainings {
				if tw != nil && !tr.Past && tr.Start < tw.From {
					t.Errorf("training %q starts %s, before the window %s, and is not marked past", tr.Name, tr.Start, tw.From)
				}
				if tr.Past && (tw == nil || !tw.Recent) {
					t.Errorf("past training %q listed while upcoming ones exist", tr.Name)
				}
				if tr.Name == "" || tr.Start == "" {
					t.Errorf("training without name or start: %+v", tr)
				}
			}
			if len(c.Companies) == 0 {
				t.Fatalf("no company listed: %q", c.CompaniesNote)
			}
			listed := map[string]diagnostic.Company{}
			for _, co := range c.Companies {
				listed[strings.ToLower(co.Name)] = co
				if co.Why == "" {
					t.Errorf("company %q: no reason given", co.Name)
				}
			}
			// every real employer of the fiche's offers in the zone is among them when
			// the list has room for them all
			inZone := w.inZone(t, z)
			real := map[string]int{}
			for _, o := range offers {
				if ficheOf(o, app) == dataEngineer && inZone(o.LieuTravail.Commune) && o.Entreprise.Nom != "" {
					real[strings.ToLower(o.Entreprise.Nom)]++
				}
			}
			for name, n := range real {
				co, ok := listed[name]
				if !ok {
					// left out only when the list is full of employers of as many offers
					if last := c.Companies[len(c.Companies)-1]; last.Offers < n || len(c.Companies) < 10 {
						t.Errorf("real employer %q (%d offer(s) of %s in the zone) not listed, yet the list ends at %q with %d; note %q", name, n, dataEngineer, last.Name, last.Offers, c.CompaniesNote)
					}
					continue
				}
				if co.Offers < n {
					t.Errorf("employer %q: %d offers listed, the file has %d", name, co.Offers, n)
				}
				// the synthetic set generates employers of its own names: one named in
				// the real file is real, though the aggregates mix both
				if co.Synthetic {
					t.Errorf("real employer %q flagged synthetic", name)
				}
			}
			if c.CompaniesNote == "" || strings.Contains(strings.ToLower(c.CompaniesNote), "indisponible") {
				t.Errorf("companies note %q", c.CompaniesNote)
			}
		})
	}
}

// allZones lists the zones d'emploi of the region.
func (w *world) allZones(t *testing.T) []diagnostic.Zone {
	zs, err := w.svc.Zones(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(zs) < 15 {
		t.Fatalf("%d zones d'emploi, PACA has 18", len(zs))
	}
	return zs
}

// eachCell runs the diagnostic for every fiche × (region and every zone), four by
// four, and calls f on each cell.
func (w *world) eachCell(t *testing.T, fiches []string, f func(c *diagnostic.Cell)) {
	t.Helper()
	var zones [][]string
	zones = append(zones, nil) // the region
	var batch []string
	for _, z := range w.allZones(t) {
		if batch = append(batch, z.Code); len(batch) == diagnostic.MaxZones {
			zones, batch = append(zones, batch), nil
		}
	}
	if len(batch) > 0 {
		zones = append(zones, batch)
	}
	for i := 0; i < len(fiches); i += diagnostic.MaxMetiers {
		ms := fiches[i:min(i+diagnostic.MaxMetiers, len(fiches))]
		for _, zs := range zones {
			d := w.run(t, diagnostic.Request{Metiers: ms, Zones: zs})
			for j := range d.Cells {
				f(&d.Cells[j])
			}
		}
	}
}

// 3. No salary quartile above 15 000 €/month (nor below 1 000: a gross monthly
// full-time equivalent under the minimum wage's half is a parsing error) for any
// métier × zone, and quartiles only with n ≥ pay.min_salary_n.
func (w *world) pay(t *testing.T) {
	offers := readOffers(t, w.root)
	fiches := fichesWithOffers(offers, appellationFiches(t, w.root))
	minN := w.svc.Thresholds().Pay.MinSalaryN
	cells, withPay := 0, 0
	w.eachCell(t, fiches, func(c *diagnostic.Cell) {
		cells++
		s := c.Salary
		for name, f := range map[string]diagnostic.Figure{"q1": s.Q1, "median": s.Median, "q3": s.Q3} {
			if f.Value == nil {
				continue
			}
			if *f.Value > 15000 || *f.Value < 1000 {
				t.Errorf("%s × %s: %s = %g €/month (n=%d), outside 1 000–15 000", c.Metier.Code, c.Zone.Code, name, *f.Value, deref(f.N))
			}
			if f.N == nil || *f.N < minN {
				t.Errorf("%s × %s: %s = %g shown on n=%d offers, the minimum is %d", c.Metier.Code, c.Zone.Code, name, *f.Value, deref(f.N), minN)
			}
			if f.Period == "" {
				t.Errorf("%s × %s: %s without a period", c.Metier.Code, c.Zone.Code, name)
			}
		}
		if s.Median.Value != nil {
			withPay++
			if !(*s.Q1.Value <= *s.Median.Value && *s.Median.Value <= *s.Q3.Value) {
				t.Errorf("%s × %s: quartiles out of order %g / %g / %g", c.Metier.Code, c.Zone.Code, *s.Q1.Value, *s.Median.Value, *s.Q3.Value)
			}
		} else if s.Median.Note == "" {
			t.Errorf("%s × %s: no median and no note", c.Metier.Code, c.Zone.Code)
		}
	})
	if withPay == 0 {
		t.Errorf("no cell of %d has salary quartiles: the check above checked nothing", cells)
	}
	t.Logf("%d cells (%d fiches × region and zones), %d with quartiles", cells, len(fiches), withPay)
}

func deref(p *int) int {
	if p == nil {
		return -1
	}
	return *p
}

// 4. A trend is given only when each 3-month window holds market.min_trend_offers
// offers; otherwise it is null with a note. Checked for every fiche with offers in the
// region and every zone, the windows recounted from the months the answer lists.
func (w *world) trends(t *testing.T) {
	offers := readOffers(t, w.root)
	fiches := fichesWithOffers(offers, appellationFiches(t, w.root))
	minT := w.svc.Thresholds().Market.MinTrendOffers
	var withTrend, nullTrend int
	w.eachCell(t, fiches, func(c *diagnostic.Cell) {
		m := c.Market
		if len(m.OffersByMonth) != 6 {
			t.Errorf("%s × %s: %d months, want 6", c.Metier.Code, c.Zone.Code, len(m.OffersByMonth))
			return
		}
		var prev, last float64
		for i, f := range m.OffersByMonth {
			if i < 3 {
				prev += *f.Value
			} else {
				last += *f.Value
			}
		}
		tr := m.Trend
		if tr.Value != nil {
			withTrend++
			if prev < float64(minT) || last < float64(minT) {
				t.Errorf("%s × %s: trend %+g %% on %g vs %g offers (minimum %d each side)", c.Metier.Code, c.Zone.Code, *tr.Value, prev, last, minT)
			}
			if want := math.Round((last-prev)/prev*1000) / 10; math.Abs(want-*tr.Value) > 0.05 {
				t.Errorf("%s × %s: trend %g %%, the months give %g %%", c.Metier.Code, c.Zone.Code, *tr.Value, want)
			}
		} else {
			nullTrend++
			if tr.Note == "" {
				t.Errorf("%s × %s: null trend without a note (%g vs %g)", c.Metier.Code, c.Zone.Code, prev, last)
			}
			if prev >= float64(minT) && last >= float64(minT) {
				t.Errorf("%s × %s: trend null on %g vs %g offers, both above the minimum %d", c.Metier.Code, c.Zone.Code, prev, last, minT)
			}
		}
	})
	if nullTrend == 0 || withTrend == 0 {
		t.Errorf("%d trends given, %d null: the sample should exercise both", withTrend, nullTrend)
	}
}

// monthsOf returns the months and counts the answer gives for a cell.
func monthsOf(c *diagnostic.Cell) map[string]int {
	out := map[string]int{}
	for _, f := range c.Market.OffersByMonth {
		if f.Value != nil {
			out[f.Period] = int(*f.Value)
		}
	}
	return out
}

// compareMonths compares the answer's six months with the recount.
func compareMonths(t *testing.T, what string, c *diagnostic.Cell, want map[string]int) {
	t.Helper()
	got := monthsOf(c)
	var months []string
	for m := range got {
		months = append(months, m)
	}
	sort.Strings(months)
	var gs, ws []string
	bad := false
	for _, m := range months {
		gs = append(gs, fmt.Sprintf("%s:%d", m, got[m]))
		ws = append(ws, fmt.Sprintf("%s:%d", m, want[m]))
		if got[m] != want[m] {
			bad = true
		}
	}
	if bad || len(months) != 6 {
		t.Errorf("%s: offers by month %v, the offers file gives %v", what, gs, ws)
	}
}

// 5. The region's monthly counts of M1801 include the offers without a commune.
func (w *world) regionCounts(t *testing.T) {
	offers := readOffers(t, w.root)
	app := appellationFiches(t, w.root)
	noCommune := 0
	for _, o := range offers {
		if ficheOf(o, app) == "M1801" && o.LieuTravail.Commune == "" {
			noCommune++
		}
	}
	if noCommune == 0 {
		t.Fatal("the sample has no M1801 offer without a commune: the check would check nothing")
	}
	d := w.run(t, diagnostic.Request{Metiers: []string{"M1801"}})
	compareMonths(t, fmt.Sprintf("M1801 × region (%d offers without a commune)", noCommune), cellOf(t, d, "M1801", vocab.RegionCode), monthly(offers, app, "M1801", nil))
}

// 6. An offer whose appellation belongs to another fiche counts under the
// appellation's fiche: H1501 and H1534, region and Marseille, recounted from the file.
func (w *world) appellationFiche(t *testing.T) {
	offers := readOffers(t, w.root)
	app := appellationFiches(t, w.root)
	moved := 0
	for _, o := range offers {
		if o.RomeCode == "H1501" && ficheOf(o, app) == "H1534" {
			moved++
		}
	}
	if moved == 0 {
		t.Fatal("no H1501 offer names an H1534 appellation in the sample: the check would check nothing")
	}
	d := w.run(t, diagnostic.Request{Metiers: []string{"H1501", "H1534"}, Zones: []string{zoneMarseille}})
	d2 := w.run(t, diagnostic.Request{Metiers: []string{"H1501", "H1534"}})
	for _, fiche := range []string{"H1501", "H1534"} {
		noCommune := monthly(offers, app, fiche, func(c string) bool { return c == "" })
		compareMonths(t, fmt.Sprintf("%s × region (offers without a commune by month: %v, item 5)", fiche, noCommune), cellOf(t, d2, fiche, vocab.RegionCode), monthly(offers, app, fiche, nil))
		compareMonths(t, fiche+" × Marseille", cellOf(t, d, fiche, zoneMarseille), monthly(offers, app, fiche, w.inZone(t, zoneMarseille)))
	}
	t.Logf("%d H1501 offers name an H1534 appellation", moved)
}

// 7. Tension: units in French, the weighting said, and the ROME v3 parent named beside
// the figures when BMO published them for it.
func (w *world) tension(t *testing.T) {
	published := map[string]bool{}
	readCSV(t, filepath.Join(w.root, "testdata/sample/tension_bassins_emploi/tensions_rome_bassin_2021_paca.csv"), ';', func(r map[string]string) {
		for k, v := range r {
			if strings.Contains(strings.ToLower(k), "rome") && len(v) == 5 {
				published[v] = true
			}
		}
	})
	if len(published) == 0 {
		t.Fatal("no ROME code read from the tension file")
	}
	metiers := []string{dataEngineer, "M1801", "K2303", "H1501"}
	d := w.run(t, diagnostic.Request{Metiers: metiers, Zones: append(append([]string{}, demoZones...), zoneAvignon)})
	seen := 0
	for _, c := range d.Cells {
		tn := c.Tension
		where := c.Metier.Code + " × " + c.Zone.Label
		if tn == nil {
			t.Errorf("%s: no tension section; a zone without BMO figures must say why", where)
			continue
		}
		if tn.Indicator.Value == nil {
			// BMO publishes nothing for the métier (nor its v3 parent) in the zone's
			// bassins: the figure is unknown, says why, and names its source.
			if !strings.Contains(tn.Indicator.Note, "BMO") || tn.Indicator.Source == "" || len(tn.Components) != 0 {
				t.Errorf("%s: unknown tension without its reason or source: %+v", where, tn.Indicator)
			}
			continue
		}
		seen++
		figs := map[string]diagnostic.Figure{"indicator": tn.Indicator}
		for k, f := range tn.Components {
			figs[k] = f
		}
		for name, f := range figs {
			if f.Value == nil {
				continue
			}
			if f.Unit == "" || strings.Contains(f.Unit, "class 1") || (name != "demandRatio" && !hasFrench(f.Unit)) {
				t.Errorf("%s: %s unit %q, want French", where, name, f.Unit)
			}
			if f.Period == "" {
				t.Errorf("%s: %s without period", where, name)
			}
			if tn.Via != "" && !strings.Contains(f.Note, "ROME v3 "+tn.Via) {
				t.Errorf("%s: %s from the ROME v3 fiche %s, the note does not say it: %q", where, name, tn.Via, f.Note)
			}
		}
		if tn.WeightedBy == "" {
			t.Errorf("%s: weighting not said", where)
		}
		if len(tn.Bassins) > 1 && !strings.Contains(tn.WeightedBy, "pondérée") {
			t.Errorf("%s: %d bassins, weighting %q", where, len(tn.Bassins), tn.WeightedBy)
		}
		if published[c.Metier.Code] && tn.Via != "" {
			t.Errorf("%s: BMO publishes %s itself, yet read through %s", where, c.Metier.Code, tn.Via)
		}
		if !published[c.Metier.Code] && tn.Via == "" {
			t.Errorf("%s: BMO does not publish %s, yet no ROME v3 parent is named", where, c.Metier.Code)
		}
	}
	if seen == 0 {
		t.Error("no tension figure for M1811, M1801, K2303, H1501 in Marseille, Nice, Toulon, Avignon")
	}
}

// hasFrench reports whether a unit is written in French words (an accent or a French
// word of the units used).
func hasFrench(s string) bool {
	for _, w := range []string{"é", "è", "offres", "classe", "demandeurs", "par an", "habitants"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// 8. Every source states the date of its data (issued, as the catalog gives it, or a
// temporal coverage) besides the import date; population and stations have a period.
func (w *world) sourcesDated(t *testing.T) {
	issued := map[string]string{}
	for _, s := range w.cat.Sources {
		issued[s.Graph] = s.Issued
	}
	srcs, err := w.svc.Sources(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	d := w.run(t, diagnostic.Request{Metiers: []string{dataEngineer}, Zones: demoZones})
	if len(d.Sources) < 5 {
		t.Errorf("the diagnostic names %d sources", len(d.Sources))
	}
	for _, s := range append(srcs, d.Sources...) {
		if s.Modified == "" {
			t.Errorf("source %s: no import date", s.IRI)
		}
		if s.Issued == "" && s.Temporal.From == "" && s.Temporal.To == "" {
			t.Errorf("source %s (%s): no date of the data (issued or temporal)", s.IRI, s.Title)
		}
		if want := issued[s.IRI]; want != "" && !strings.HasPrefix(s.Issued, want) {
			t.Errorf("source %s: issued %q, the catalog says %q", s.IRI, s.Issued, want)
		}
		if s.Issued != "" && s.Modified != "" && s.Issued == s.Modified {
			t.Errorf("source %s: the data's date is the import date %q", s.IRI, s.Modified)
		}
	}
	for _, z := range d.Zones {
		if f := z.Life.Population; f.Value == nil || f.Period == "" {
			t.Errorf("%s: population %s, period %q", z.Label, val(f), f.Period)
		}
		if f := z.Life.Stations; f.Value == nil || f.Period == "" {
			t.Errorf("%s: stations %s, period %q", z.Label, val(f), f.Period)
		}
		for _, a := range z.Life.Amenities {
			if a.Per10k.Value != nil && !strings.Contains(a.Per10k.Note, "population") {
				t.Errorf("%s: %s per 10 000 inhabitants does not say which population: %q", z.Label, a.Family, a.Per10k.Note)
			}
		}
	}
}

// 9. Every score carries its coverage; a pair with fewer known axes ranks below a
// better covered one.
func (w *world) scores(t *testing.T) {
	d := w.run(t, diagnostic.Request{Metiers: []string{dataEngineer, "M1801", "K2303", "H1534"}, Zones: []string{zoneMarseille, zoneNice, zoneToulon, "9307"}})
	if len(d.Ranking) < 2 {
		t.Fatalf("ranking of %d pairs", len(d.Ranking))
	}
	for _, c := range d.Cells {
		if c.Score == nil {
			continue
		}
		known := 0
		for _, l := range c.Lights {
			if l.Color != diagnostic.Unknown {
				known++
			}
		}
		if c.Coverage.Of != len(c.Lights) || c.Coverage.Known != known || c.Coverage.Of != 5 {
			t.Errorf("%s × %s: coverage %d/%d, the lights give %d/%d", c.Metier.Code, c.Zone.Code, c.Coverage.Known, c.Coverage.Of, known, len(c.Lights))
		}
	}
	distinct := map[int]bool{}
	for i, r := range d.Ranking {
		distinct[r.Coverage.Known] = true
		if r.Coverage.Of == 0 {
			t.Errorf("rank %d (%s × %s): no coverage", i+1, r.Metier.Code, r.Zone.Code)
		}
		if i > 0 {
			p := d.Ranking[i-1]
			if p.Coverage.Known < r.Coverage.Known {
				t.Errorf("rank %d %s × %s (%d/5, %g) above rank %d %s × %s (%d/5, %g)", i, p.Metier.Code, p.Zone.Code, p.Coverage.Known, p.Score, i+1, r.Metier.Code, r.Zone.Code, r.Coverage.Known, r.Score)
			}
		}
	}
	if d.RankingRule == "" {
		t.Error("the ranking rule is not stated")
	}
	if len(distinct) < 2 {
		t.Logf("every pair has the same coverage: the order rule is not exercised (%v)", distinct)
	}
}

// 10. Every figure computed from synthetic graphs says so, and figures from real data
// only do not.
func (w *world) synthetic(t *testing.T) {
	synth := map[string]bool{}
	srcs, err := w.svc.Sources(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range srcs {
		if s.Synthetic {
			synth[s.IRI] = true
		}
	}
	for _, g := range []string{vocab.Graph("offres-synth"), vocab.Graph("formations-synth")} {
		found := false
		for s := range synth {
			if s == g || strings.HasPrefix(s, g+"/") {
				found = true
			}
		}
		if !found {
			t.Errorf("graph %s is not marked synthetic in the sources (%v)", g, synth)
		}
	}
	d := w.run(t, diagnostic.Request{Metiers: []string{dataEngineer}, Zones: demoZones})
	c := cellOf(t, d, dataEngineer, zoneMarseille)
	// the market of M1811 holds synthetic offers in these zones
	for _, f := range append([]diagnostic.Figure{c.Market.PerMonth, c.Salary.Median}, c.Market.OffersByMonth...) {
		if f.Value != nil && !f.Synthetic {
			t.Errorf("M1811 × Marseille: market figure %s (%s, %s) built on synthetic offers not flagged", val(f), f.Unit, f.Period)
		}
	}
	for _, tr := range c.Trainings {
		isSynth := strings.Contains(tr.Name, "SYNTHÉTIQUE")
		if tr.Synthetic != isSynth {
			t.Errorf("training %q: Synthetic=%v", tr.Name, tr.Synthetic)
		}
	}
	for _, co := range c.Companies {
		if strings.Contains(strings.ToLower(co.Name), "synthétique") && !co.Synthetic {
			t.Errorf("company %q: not flagged synthetic", co.Name)
		}
	}
	// real-only figures: the zone's life context and the tension
	for _, z := range d.Zones {
		l := z.Life
		for name, f := range map[string]diagnostic.Figure{"population": l.Population, "unemployment": l.UnemploymentRate, "price": l.PricePerSqm, "rent": l.RentPerSqm, "stations": l.Stations} {
			if f.Synthetic {
				t.Errorf("%s: %s %s flagged synthetic, its source %s is real", z.Label, name, val(f), f.Source)
			}
		}
		for _, a := range l.Amenities {
			if a.Count.Synthetic {
				t.Errorf("%s: amenities %s flagged synthetic", z.Label, a.Family)
			}
		}
	}
	if tn := c.Tension; tn != nil && tn.Indicator.Synthetic {
		t.Errorf("M1811 × Marseille: tension flagged synthetic, its source %s is real", tn.Indicator.Source)
	}
	// every flagged figure has a synthetic source, and every figure of a synthetic
	// source is flagged
	for _, cc := range d.Cells {
		for _, f := range allFigures(&cc) {
			if f.Source != "" && synthSource(synth, f.Source) != f.Synthetic && !(f.Source == vocab.DerivedGraph && f.Synthetic) {
				t.Errorf("%s × %s: figure %s (%s) from %s: Synthetic=%v", cc.Metier.Code, cc.Zone.Code, val(f), f.Unit, f.Source, f.Synthetic)
			}
		}
	}
}

func synthSource(synth map[string]bool, g string) bool {
	for s := range synth {
		if g == s || strings.HasPrefix(g, s+"/") {
			return true
		}
	}
	return false
}

func allFigures(c *diagnostic.Cell) []diagnostic.Figure {
	l := append([]diagnostic.Figure{c.Market.PerMonth, c.Market.Trend, c.Salary.Q1, c.Salary.Median, c.Salary.Q3, c.Match}, c.Market.OffersByMonth...)
	for _, s := range append(append([]diagnostic.Share{}, c.Market.Contracts...), c.Market.Experience...) {
		l = append(l, s.Share)
	}
	if c.Tension != nil {
		l = append(l, c.Tension.Indicator)
		for _, f := range c.Tension.Components {
			l = append(l, f)
		}
	}
	return l
}

// 11. Interregional zones (Avignon) say on their figures that only the region's
// communes are counted; a zone wholly in the region does not.
func (w *world) interregional(t *testing.T) {
	ctx := context.Background()
	zr, err := w.svc.Zone(ctx, zoneAvignon)
	if err != nil {
		t.Fatal(err)
	}
	if !zr.Interregional || zr.Note == "" {
		t.Fatalf("Avignon: interregional=%v note=%q", zr.Interregional, zr.Note)
	}
	for name, f := range map[string]diagnostic.Figure{"population": zr.Life.Population, "stations": zr.Life.Stations} {
		if f.Value != nil && !strings.Contains(f.Note, zr.Note) {
			t.Errorf("Avignon %s %s: note %q lacks %q", name, val(f), f.Note, zr.Note)
		}
	}
	for _, a := range zr.Life.Amenities {
		if !strings.Contains(a.Count.Note, zr.Note) {
			t.Errorf("Avignon amenities %s: note %q lacks the zone's", a.Family, a.Count.Note)
		}
	}
	d := w.run(t, diagnostic.Request{Metiers: []string{"M1801"}, Zones: []string{zoneAvignon, zoneMarseille}})
	c := cellOf(t, d, "M1801", zoneAvignon)
	for _, f := range append([]diagnostic.Figure{c.Market.PerMonth}, c.Market.OffersByMonth...) {
		if !strings.Contains(f.Note, zr.Note) {
			t.Errorf("M1801 × Avignon: %s %s: note %q lacks the zone's", f.Period, val(f), f.Note)
		}
	}
	m := cellOf(t, d, "M1801", zoneMarseille)
	if m.Zone.Interregional || strings.Contains(m.Market.PerMonth.Note, zr.Note) {
		t.Errorf("Marseille said interregional: %+v / %q", m.Zone.Interregional, m.Market.PerMonth.Note)
	}
	for _, z := range w.allZones(t) {
		if strings.HasPrefix(z.Code, "00") && !z.Interregional {
			t.Errorf("zone %s %s (INSEE code of an interregional zone) not said interregional", z.Code, z.Label)
		}
	}
}

package diagnostic

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// Sizes of the lists in a diagnostic.
const (
	topCompanies    = 10 // the original showed "top 10" but at most 9
	topMetiers      = 10
	maxTrainings    = 10
	maxCompanies    = 10
	nearbyPerMetier = 3
)

// monthsBack returns the month n months before "YYYY-MM".
func monthsBack(month string, n int) string {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return month
	}
	return t.AddDate(0, -n, 0).Format("2006-01")
}

func (s *Service) run(ctx context.Context, ix *index, n *normalised) (*Diagnostic, error) {
	now := s.now()
	d := &Diagnostic{GeneratedAt: now.UTC().Truncate(time.Second), DataVersion: ix.version, ThresholdsVersion: s.th.Version, Level: n.Level}

	metierIRIs := make([]string, len(n.Metiers))
	for i, m := range n.Metiers {
		metierIRIs[i] = m.IRI
	}
	zones := n.Zones
	if len(zones) == 0 {
		zones = []Zone{RegionZone}
	}
	zoneIRIs := make([]string, 0, len(zones))
	realZones := []string{}
	for _, z := range zones {
		zoneIRIs = append(zoneIRIs, z.IRI)
		if z.IRI != RegionZone.IRI {
			realZones = append(realZones, z.IRI)
		}
	}

	// The fiches come first: they are read once per data version (so usually from
	// memory) and name the nearby métiers whose market is read with the others'.
	latest, sources := ix.latest, ix.sources
	fiches := make([]*Metier, len(n.Metiers))
	var fns []func() error
	for i, m := range n.Metiers {
		fns = append(fns, func() (err error) { fiches[i], err = ix.metier(ctx, s.src, m.Code); return })
	}
	if err := parallel(fns...); err != nil {
		return nil, err
	}
	nearCodes := []string{}
	seenNear := map[string]bool{}
	for _, f := range fiches {
		seenNear[f.Code] = true
	}
	for _, f := range fiches {
		for k, mo := range f.Mobilities {
			if k == nearbyPerMetier {
				break
			}
			if !seenNear[mo.Code] {
				seenNear[mo.Code] = true
				nearCodes = append(nearCodes, mo.Code)
			}
		}
	}
	marketMetiers := append([]string{}, metierIRIs...)
	for _, c := range nearCodes {
		marketMetiers = append(marketMetiers, "https://data.dataregionsud.fr/openemploi/id/rome/"+c)
	}
	if n.Spouse != nil {
		marketMetiers = append(marketMetiers, n.Spouse.IRI)
	}
	areas := append([]string{}, zoneIRIs...)
	if n.Current != nil {
		marketMetiers = append(marketMetiers, n.Current.Metier.IRI)
		areas = append(areas, n.Current.Zone.IRI)
	}

	// Then every store query of the request at once: one round trip of latency.
	nearFiches := make([]*Metier, len(nearCodes))
	var (
		life      map[string]*Life
		tension   map[[2]string]*Tension
		trainings map[[2]string][]Training
		companies map[[2]string][]Company
		market    []MarketStats
		top       map[string][]ZoneMetier
		regionSes int
	)
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	horizonDay := day.AddDate(0, s.th.Training.HorizonMonths, 0)
	fns = []func() error{
		func() (err error) { regionSes, err = ix.sessionCount(ctx, s.src, day, horizonDay); return },
		func() (err error) { life, err = ix.lifeOf(ctx, s.src, realZones); return },
		func() (err error) { tension, err = s.src.Tension(ctx, metierIRIs, realZones); return },
		func() (err error) {
			trainings, err = s.src.Trainings(ctx, metierIRIs, realZones, now)
			return
		},
		func() (err error) { companies, err = s.src.Companies(ctx, metierIRIs, realZones); return },
		func() (err error) { market, err = s.src.Market(ctx, dedup(marketMetiers), dedup(areas)); return },
		func() (err error) { top, err = ix.topOf(ctx, s.src, zoneIRIs); return },
	}
	for i, c := range nearCodes {
		fns = append(fns, func() (err error) { nearFiches[i], err = ix.metier(ctx, s.src, c); return })
	}
	if err := parallel(fns...); err != nil {
		return nil, err
	}
	byCell := map[[2]string]*MarketStats{}
	for i := range market {
		byCell[[2]string{market[i].Metier, market[i].Area}] = &market[i]
	}

	// Métiers: skills against the profile, nearby métiers.
	for i, f := range fiches {
		mr := MetierReport{Metier: *f, Match: Missing("%", f.Graph, "aucune compétence dans le profil")}
		if n.Skills != nil && len(n.Skills) > 0 {
			mr.Owned, mr.Missing, mr.Match = matchSkills(f, n.Skills)
		}
		for _, nf := range nearFiches {
			if !hasMobility(f, nf.Code) {
				continue
			}
			mr.Nearby = append(mr.Nearby, s.nearby(f, nf, n, byCell, zoneIRIs, latest))
		}
		sort.SliceStable(mr.Nearby, func(a, b int) bool { return mr.Nearby[a].Score > mr.Nearby[b].Score })
		_ = i
		d.Metiers = append(d.Metiers, mr)
	}

	// Zones and their life context.
	for _, z := range n.Zones {
		zr := ZoneReport{Zone: z}
		if l := life[z.IRI]; l != nil {
			zr.Life = *l
		}
		d.Zones = append(d.Zones, zr)
	}

	trainingLoaded := false
	for _, src := range sources {
		if strings.Contains(src.IRI, "/graph/formations-") {
			trainingLoaded = true
		}
	}

	// Cells.
	for mi, m := range n.Metiers {
		for _, z := range zones {
			c := s.cell(m, z, byCell[[2]string{m.IRI, z.IRI}], latest, n)
			c.TopMetiersFrom(top[z.IRI])
			if z.IRI != RegionZone.IRI {
				c.Tension = tension[[2]string{m.IRI, z.IRI}]
				c.Trainings = capList(trainings[[2]string{m.IRI, z.IRI}], maxTrainings)
				c.Companies = mergeCompanies(companies[[2]string{m.IRI, z.IRI}], c.Market.TopCompanies, maxCompanies)
			}
			if n.Skills != nil && len(n.Skills) > 0 {
				c.Owned, c.Missing, c.Match = d.Metiers[mi].Owned, d.Metiers[mi].Missing, d.Metiers[mi].Match
			} else {
				c.Match = d.Metiers[mi].Match
			}
			if n.Spouse != nil {
				f := s.perMonth(byCell[[2]string{n.Spouse.IRI, z.IRI}], latest)
				c.Spouse = &f
			}
			var unemployment Figure
			if l := life[z.IRI]; l != nil {
				unemployment = l.UnemploymentRate
			} else {
				unemployment = Missing("%", "", "aucune zone choisie : le cadre de vie se lit par zone d'emploi")
			}
			upcoming := 0
			horizon := now.AddDate(0, s.th.Training.HorizonMonths, 0).Format(time.DateOnly)
			for _, t := range c.Trainings {
				if t.Start <= horizon {
					upcoming++
				}
			}
			c.Lights = []Light{
				s.th.marketLight(c.Market.PerMonth, c.Market.Trend),
				s.th.payLight(salaryStats(byCell[[2]string{m.IRI, z.IRI}]), n.Income),
				s.th.skillsLight(c.Match),
				s.th.trainingLight(upcoming, trainingLoaded && z.IRI != RegionZone.IRI, regionSes),
				s.th.lifeLight(unemployment),
			}
			if sc, ok := s.th.score(c.Lights); ok {
				c.Score = &sc
			}
			d.Cells = append(d.Cells, c)
		}
	}
	if cur := n.Current; cur != nil {
		c := s.cell(cur.Metier, cur.Zone, byCell[[2]string{cur.Metier.IRI, cur.Zone.IRI}], latest, n)
		d.Current = &c
	}
	d.Ranking = rank(d.Cells)
	d.Sources = usedSources(sources, d)
	return d, nil
}

func dedup(l []string) []string {
	seen := map[string]bool{}
	out := l[:0:0]
	for _, s := range l {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func capList[T any](l []T, n int) []T {
	if len(l) > n {
		return l[:n]
	}
	return l
}

func hasMobility(f *Metier, code string) bool {
	for _, m := range f.Mobilities {
		if m.Code == code {
			return true
		}
	}
	return false
}

func salaryStats(ms *MarketStats) SalaryStats {
	if ms == nil {
		return SalaryStats{}
	}
	return ms.Salary
}

// perMonth is the average number of offers per month over the latest 3 months.
func (s *Service) perMonth(ms *MarketStats, latest string) Figure {
	if latest == "" {
		return Missing("offers/month", "", "aucune offre d'emploi chargée")
	}
	from := monthsBack(latest, 2)
	sum := 0
	if ms != nil {
		for _, mc := range ms.Months {
			if mc.Month >= from && mc.Month <= latest {
				sum += mc.Count
			}
		}
	}
	return Figure{Value: Num(math.Round(float64(sum)/3*100) / 100), Unit: "offers/month", Period: from + "/" + latest, N: Count(sum), Source: derivedGraph}
}

const derivedGraph = "https://data.dataregionsud.fr/openemploi/graph/derived"

func (s *Service) cell(m MetierRef, z Zone, ms *MarketStats, latest string, n *normalised) Cell {
	c := Cell{Metier: m, Zone: z}
	mk := &c.Market
	if latest == "" {
		mk.PerMonth = Missing("offers/month", "", "aucune offre d'emploi chargée")
		mk.Trend = Missing("%", "", "aucune offre d'emploi chargée")
	} else {
		counts := map[string]int{}
		if ms != nil {
			for _, mc := range ms.Months {
				counts[mc.Month] = mc.Count
			}
		}
		var last3, prev3 int
		for i := 5; i >= 0; i-- {
			month := monthsBack(latest, i)
			k := counts[month] // no aggregate for a month means no offer posted: a real 0
			mk.OffersByMonth = append(mk.OffersByMonth, Figure{Value: Num(float64(k)), Unit: "offers", Period: month, Source: derivedGraph})
			if i < 3 {
				last3 += k
			} else {
				prev3 += k
			}
		}
		mk.PerMonth = s.perMonth(ms, latest)
		period := monthsBack(latest, 5) + "/" + latest
		if prev3 == 0 {
			mk.Trend = Figure{Unit: "%", Period: period, N: Count(last3), Source: derivedGraph, Note: "aucune offre les 3 mois précédents pour comparer"}
		} else {
			mk.Trend = Figure{Value: Num(math.Round(float64(last3-prev3)/float64(prev3)*1000) / 10), Unit: "%", Period: period, N: Count(last3 + prev3), Source: derivedGraph}
		}
	}
	if ms != nil {
		mk.Contracts = shares(ms.Contracts, contractLabels)
		mk.Experience = shares(ms.Experience, experienceLabels)
		mk.TopCompanies = capList(ms.Employers, topCompanies)
		for i := range mk.TopCompanies {
			mk.TopCompanies[i].Why = fmt.Sprintf("%d offre(s) publiée(s) pour ce métier dans la zone", mk.TopCompanies[i].Offers)
		}
	}
	st := salaryStats(ms)
	note := "aucune offre n'indique de salaire pour ce métier ici"
	fig := func(v *float64) Figure {
		if v == nil || st.N == 0 {
			return Figure{Unit: "EUR/month", Period: st.Period, N: Count(st.N), Source: derivedGraph, Note: note}
		}
		return Figure{Value: v, Unit: "EUR/month", Period: st.Period, N: Count(st.N), Source: derivedGraph}
	}
	c.Salary = Salary{Median: fig(st.Median), Q1: fig(st.Q1), Q3: fig(st.Q3)}
	if inc := n.Income; inc != nil && st.Median != nil && (inc.WishedMin != nil || inc.WishedMax != nil) {
		switch {
		case inc.WishedMin != nil && *st.Median < *inc.WishedMin:
			c.Salary.VsWished = "below"
		case inc.WishedMax != nil && *st.Median > *inc.WishedMax:
			c.Salary.VsWished = "above"
		default:
			c.Salary.VsWished = "within"
		}
	}
	return c
}

// labelled fills the labels of top métiers from the index.
func (ix *index) labelled(l []ZoneMetier) []ZoneMetier {
	out := make([]ZoneMetier, len(l))
	for i, zm := range l {
		if ref, ok := ix.fiches[zm.Metier.Code]; ok {
			zm.Metier = ref
		}
		out[i] = zm
	}
	return out
}

// TopMetiersFrom sets the zone's top métiers.
func (c *Cell) TopMetiersFrom(l []ZoneMetier) { c.Market.TopMetiers = l }

var contractLabels = map[string]string{
	"CDI": "Contrat à durée indéterminée", "CDD": "Contrat à durée déterminée", "MIS": "Mission intérimaire",
	"SAI": "Contrat travail saisonnier", "LIB": "Profession libérale", "FRA": "Franchise", "CCE": "Profession commerciale",
	"REP": "Reprise d'entreprise", "DDI": "CDD insertion", "DIN": "CDI intérimaire", "TTI": "Contrat travail temporaire insertion",
}

var experienceLabels = map[string]string{"D": "Débutant accepté", "E": "Expérience exigée", "S": "Expérience souhaitée"}

func shares(l []Share, labels map[string]string) []Share {
	total := 0
	for _, s := range l {
		total += s.Count
	}
	out := make([]Share, len(l))
	for i, s := range l {
		s.Label = labels[s.Code]
		if total > 0 {
			s.Share = Figure{Value: Num(math.Round(float64(s.Count)/float64(total)*1000) / 1000), Unit: "fraction", N: Count(total), Source: derivedGraph}
		}
		out[i] = s
	}
	return out
}

// matchSkills splits a fiche's skills into owned and missing and computes the match:
// each owned skill counts level/5, over all of the fiche's skills.
func matchSkills(f *Metier, levels map[string]int) (owned, missing []SkillLevel, match Figure) {
	var sum float64
	for _, sk := range f.Skills {
		if lv, ok := levels[sk.Code]; ok {
			owned = append(owned, SkillLevel{Skill: sk, Level: lv})
			sum += float64(lv) / 5
		} else {
			missing = append(missing, SkillLevel{Skill: sk})
		}
	}
	if len(f.Skills) == 0 {
		return owned, missing, Missing("%", f.Graph, "la fiche ne liste aucune compétence")
	}
	return owned, missing, Figure{Value: Num(math.Round(sum/float64(len(f.Skills))*1000) / 10), Unit: "%", N: Count(len(f.Skills)), Source: f.Graph}
}

func (s *Service) nearby(f, nf *Metier, n *normalised, byCell map[[2]string]*MarketStats, areas []string, latest string) Nearby {
	nb := Nearby{Metier: MetierRef{IRI: nf.IRI, Code: nf.Code, Label: nf.Label, Executive: nf.Executive}}
	for _, mo := range f.Mobilities {
		if mo.Code == nf.Code {
			nb.Rank = mo.Rank
		}
	}
	own := map[string]bool{}
	for _, sk := range f.Skills {
		own[sk.Code] = true
	}
	shared := 0
	for _, sk := range nf.Skills {
		if own[sk.Code] {
			shared++
		}
	}
	if len(nf.Skills) > 0 {
		nb.Overlap = Figure{Value: Num(math.Round(float64(shared)/float64(len(nf.Skills))*1000) / 10), Unit: "%", N: Count(len(nf.Skills)), Source: nf.Graph}
	} else {
		nb.Overlap = Missing("%", nf.Graph, "la fiche ne liste aucune compétence")
	}
	total, sum := 0.0, 0
	for _, a := range areas {
		f := s.perMonth(byCell[[2]string{nf.IRI, a}], latest)
		if f.Known() {
			total += *f.Value
			sum += *f.N
		}
	}
	if latest != "" {
		nb.Offers = Figure{Value: Num(math.Round(total*100) / 100), Unit: "offers/month", Period: monthsBack(latest, 2) + "/" + latest, N: Count(sum), Source: derivedGraph}
	} else {
		nb.Offers = Missing("offers/month", "", "aucune offre d'emploi chargée")
	}
	if len(n.Skills) > 0 {
		_, _, nb.Owned = matchSkills(nf, n.Skills)
	}
	// Score: skill overlap first, then the market of the requested zones, then the
	// profile's fit; the ROME rank breaks ties.
	ov := 0.0
	if nb.Overlap.Known() {
		ov = *nb.Overlap.Value / 100
	}
	score := 50*ov + 30*math.Min(total/5, 1)
	if nb.Owned.Known() {
		score += 20 * *nb.Owned.Value / 100
	}
	nb.Score = math.Round(score*10) / 10
	via := "mobilité proposée par le ROME"
	if nb.Rank > 0 {
		via += fmt.Sprintf(" (rang %d)", nb.Rank)
	}
	if nb.Overlap.Known() {
		via += fmt.Sprintf(", %s %% de compétences communes", fmtNum(*nb.Overlap.Value))
	}
	if latest != "" {
		via += fmt.Sprintf(", %s offre(s) par mois dans les zones choisies", fmtNum(math.Round(total*10)/10))
	}
	nb.Via = via
	return nb
}

// mergeCompanies lists employers seen in recent offers first (they hire now), then
// establishments of related sectors, without duplicates by name.
func mergeCompanies(etabs, employers []Company, max int) []Company {
	seen := map[string]bool{}
	var out []Company
	for _, l := range [][]Company{employers, etabs} {
		for _, c := range l {
			k := strings.ToLower(c.Name)
			if seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, c)
		}
	}
	return capList(out, max)
}

// rank orders the cells by score and says why in French.
func rank(cells []Cell) []Rank {
	var out []Rank
	for _, c := range cells {
		if c.Score == nil {
			continue
		}
		var good, bad []string
		for _, l := range c.Lights {
			switch l.Color {
			case Green:
				good = append(good, axisFR[l.Axis])
			case Red:
				bad = append(bad, axisFR[l.Axis])
			}
		}
		reason := fmt.Sprintf("%s à %s : score %s/100", c.Metier.Label, c.Zone.Label, fmtNum(*c.Score))
		if len(good) > 0 {
			reason += ", points forts : " + strings.Join(good, ", ")
		}
		if len(bad) > 0 {
			reason += ", points faibles : " + strings.Join(bad, ", ")
		}
		out = append(out, Rank{Metier: c.Metier, Zone: c.Zone, Score: *c.Score, Reason: reason + "."})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	return out
}

var axisFR = map[string]string{AxisMarket: "marché", AxisPay: "salaire", AxisSkills: "compétences", AxisTraining: "formation", AxisLife: "cadre de vie"}

// usedSources keeps the sources a diagnostic cites.
func usedSources(all []SourceInfo, d *Diagnostic) []SourceInfo {
	used := map[string]bool{derivedGraph: true}
	add := func(f Figure) {
		if f.Source != "" {
			used[f.Source] = true
		}
	}
	for _, m := range d.Metiers {
		used[m.Graph] = true
	}
	for _, z := range d.Zones {
		used[z.Graph] = true
		l := z.Life
		for _, f := range []Figure{l.PricePerSqm, l.RentPerSqm, l.UnemploymentRate, l.Population, l.Stations} {
			add(f)
		}
		for _, a := range l.Amenities {
			add(a.Count)
		}
	}
	for _, c := range d.Cells {
		if c.Tension != nil {
			add(c.Tension.Indicator)
		}
		for _, t := range c.Trainings {
			used[t.Source] = true
		}
		for _, co := range c.Companies {
			used[co.Source] = true
		}
	}
	var out []SourceInfo
	for _, s := range all {
		// the offers behind the derived aggregates are cited through their monthly graphs
		if used[s.IRI] || strings.Contains(s.IRI, "/graph/offres-") {
			out = append(out, s)
		}
	}
	return out
}

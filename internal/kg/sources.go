package kg

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/sparqlq"
)

// Labels reads the fiche and appellation labels for the free-text index.
func (k *KG) Labels(ctx context.Context) ([]diagnostic.Label, error) {
	rows, err := k.selectRows(ctx, "labels", nil)
	if err != nil {
		return nil, err
	}
	var out []diagnostic.Label
	seenFiche := map[string]bool{}
	seenApp := map[string]bool{}
	for _, r := range rows {
		ref := diagnostic.MetierRef{IRI: r.str("fiche"), Code: r.str("code"), Label: r.str("label"), Executive: r.boolp("executive")}
		if !seenFiche[ref.IRI] {
			seenFiche[ref.IRI] = true
			out = append(out, diagnostic.Label{Text: ref.Label, Metier: ref})
		}
		if !r.has("app") {
			continue
		}
		for _, text := range []string{r.str("appLabel"), r.str("appAlt")} {
			key := r.str("app") + "\x00" + text
			if text == "" || seenApp[key] {
				continue
			}
			seenApp[key] = true
			out = append(out, diagnostic.Label{Text: text, Appellation: r.str("appCode"), Metier: ref})
		}
	}
	return out, nil
}

// SkillIndex reads every skill item.
func (k *KG) SkillIndex(ctx context.Context) ([]diagnostic.Skill, error) {
	rows, err := k.selectRows(ctx, "skills-index", nil)
	if err != nil {
		return nil, err
	}
	out := make([]diagnostic.Skill, 0, len(rows))
	seen := map[string]bool{}
	for _, r := range rows {
		if seen[r.str("item")] {
			continue
		}
		seen[r.str("item")] = true
		out = append(out, diagnostic.Skill{IRI: r.str("item"), Code: r.str("code"), Label: r.str("label"), Kind: r.str("kind"), Category: r.str("category")})
	}
	return out, nil
}

// Zones reads the zones d'emploi with their population and commune count.
func (k *KG) Zones(ctx context.Context) ([]diagnostic.Zone, error) {
	rows, err := k.selectRows(ctx, "zones", nil)
	if err != nil {
		return nil, err
	}
	out := make([]diagnostic.Zone, 0, len(rows))
	for _, r := range rows {
		z := diagnostic.Zone{IRI: r.str("zone"), Code: r.str("code"), Label: r.str("label"), Communes: r.int("communes"), Graph: r.str("g")}
		if p := r.float("population"); p != nil && z.Communes > 0 {
			z.Population = diagnostic.Figure{Value: p, Unit: "inhabitants", Source: z.Graph, N: diagnostic.Count(z.Communes)}
		} else {
			z.Population = diagnostic.Missing("inhabitants", z.Graph, "population des communes inconnue pour cette zone")
		}
		out = append(out, z)
	}
	return out, nil
}

// Communes reads the communes with their zone code.
func (k *KG) Communes(ctx context.Context) ([]diagnostic.Commune, error) {
	rows, err := k.selectRows(ctx, "communes", nil)
	if err != nil {
		return nil, err
	}
	out := make([]diagnostic.Commune, 0, len(rows))
	for _, r := range rows {
		out = append(out, diagnostic.Commune{IRI: r.str("commune"), Code: r.str("code"), Name: r.str("name"), Zone: r.str("zoneCode")})
	}
	return out, nil
}

// Life reads the life-context indicators of zones (IRIs).
func (k *KG) Life(ctx context.Context, zones []string) (map[string]*diagnostic.Life, error) {
	out := map[string]*diagnostic.Life{}
	if len(zones) == 0 {
		return out, nil
	}
	rows, err := k.selectRows(ctx, "life", sparqlq.Args{"zones": zones})
	if err != nil {
		return nil, err
	}
	for _, z := range zones {
		out[z] = &diagnostic.Life{
			PricePerSqm:      diagnostic.Missing("EUR/m2", "", "aucune vente immobilière enregistrée dans cette zone"),
			RentPerSqm:       diagnostic.Missing("EUR/m2/month", "", "aucun indicateur de loyer pour cette zone"),
			UnemploymentRate: diagnostic.Missing("%", "", "aucun taux de chômage pour cette zone"),
			Population:       diagnostic.Missing("inhabitants", "", "population des communes inconnue pour cette zone"),
			Stations:         diagnostic.Missing("stations", "", "aucune donnée de gares chargée"),
		}
	}
	amen := map[string]map[string]diagnostic.Figure{}
	for _, r := range rows {
		l := out[r.str("zone")]
		if l == nil {
			continue
		}
		g := r.str("g")
		switch r.str("part") {
		case "unemployment":
			l.UnemploymentRate = diagnostic.Figure{Value: round(r.float("value"), 1), Unit: "%", Period: r.str("period"), Source: g}
		case "price":
			l.PricePerSqm = diagnostic.Figure{Value: round(r.float("value"), 0), Unit: "EUR/m2", Period: r.str("period"), N: intp(r.int("n")), Source: g}
		case "rent":
			l.RentPerSqm = diagnostic.Figure{Value: round(r.float("value"), 2), Unit: "EUR/m2/month", Period: r.str("period"), N: intp(r.int("n")), Source: g}
		case "population":
			l.Population = diagnostic.Figure{Value: r.float("n"), Unit: "inhabitants", Source: g}
		case "stations":
			l.Stations = diagnostic.Figure{Value: r.float("n"), Unit: "stations", Source: g}
			if names := r.str("names"); names != "" {
				l.StationNames = strings.Split(names, " | ")
				sort.Strings(l.StationNames)
			}
		case "amenity":
			if amen[r.str("zone")] == nil {
				amen[r.str("zone")] = map[string]diagnostic.Figure{}
			}
			amen[r.str("zone")][r.str("family")] = diagnostic.Figure{Value: r.float("n"), Unit: "amenities", Period: r.str("period"), Source: g}
		}
	}
	for z, fams := range amen {
		l := out[z]
		names := make([]string, 0, len(fams))
		for f := range fams {
			names = append(names, f)
		}
		sort.Strings(names)
		for _, f := range names {
			c := fams[f]
			per := diagnostic.Figure{Unit: "per 10000 inhabitants", Period: c.Period, Source: c.Source}
			if l.Population.Known() && *l.Population.Value > 0 {
				per.Value = round(diagnostic.Num(*c.Value*10000 / *l.Population.Value), 1)
				per.N = intp(int(*c.Value))
			} else {
				per.Note = "population inconnue"
			}
			l.Amenities = append(l.Amenities, diagnostic.Amenity{Family: f, Per10k: per, Count: c})
		}
	}
	// A station count of 0 is a fact once the station graph is loaded; the query only
	// returns zones with stations, so say 0 for the others when any zone has one.
	for _, l := range out {
		if !l.Stations.Known() {
			for _, o := range out {
				if o.Stations.Known() {
					l.Stations = diagnostic.Figure{Value: diagnostic.Num(0), Unit: "stations", Source: o.Stations.Source}
					break
				}
			}
		}
	}
	return out, nil
}

func intp(n int) *int { return &n }

func round(v *float64, digits int) *float64 {
	if v == nil {
		return nil
	}
	p := 1.0
	for range digits {
		p *= 10
	}
	r := float64(int64(*v*p+0.5*sign(*v))) / p
	return &r
}

func sign(v float64) float64 {
	if v < 0 {
		return -1
	}
	return 1
}

// Market reads the derived offer aggregates for métiers × areas (IRIs).
func (k *KG) Market(ctx context.Context, metiers, areas []string) ([]diagnostic.MarketStats, error) {
	if len(metiers) == 0 || len(areas) == 0 {
		return nil, nil
	}
	rows, err := k.selectRows(ctx, "market", sparqlq.Args{"metiers": metiers, "areas": areas})
	if err != nil {
		return nil, err
	}
	byKey := map[[2]string]*diagnostic.MarketStats{}
	var order [][2]string
	for _, m := range metiers {
		for _, a := range areas {
			key := [2]string{m, a}
			byKey[key] = &diagnostic.MarketStats{Metier: m, Area: a, Source: Derived}
			order = append(order, key)
		}
	}
	contracts := map[[2]string]map[string]int{}
	for _, r := range rows {
		key := [2]string{r.str("fiche"), r.str("area")}
		ms := byKey[key]
		if ms == nil {
			continue
		}
		n := r.int("n")
		switch r.str("part") {
		case "month":
			ms.Months = append(ms.Months, diagnostic.MonthCount{Month: r.str("key"), Count: n})
		case "contract":
			ms.Contracts = append(ms.Contracts, diagnostic.Share{Code: r.str("key"), Count: n})
			if contracts[key] == nil {
				contracts[key] = map[string]int{}
			}
		case "experience":
			ms.Experience = append(ms.Experience, diagnostic.Share{Code: r.str("key"), Count: n})
		case "employer":
			ms.Employers = append(ms.Employers, diagnostic.Company{Name: r.str("key"), Offers: n, Source: Derived})
		case "salary":
			ms.Salary = diagnostic.SalaryStats{Q1: r.float("q1"), Median: r.float("median"), Q3: r.float("q3"), N: n, Period: r.str("period")}
		}
	}
	out := make([]diagnostic.MarketStats, 0, len(order))
	for _, key := range order {
		ms := byKey[key]
		sort.Slice(ms.Months, func(i, j int) bool { return ms.Months[i].Month < ms.Months[j].Month })
		for _, l := range [][]diagnostic.Share{ms.Contracts, ms.Experience} {
			sort.Slice(l, func(i, j int) bool {
				if l[i].Count != l[j].Count {
					return l[i].Count > l[j].Count
				}
				return l[i].Code < l[j].Code
			})
		}
		sort.Slice(ms.Employers, func(i, j int) bool {
			if ms.Employers[i].Offers != ms.Employers[j].Offers {
				return ms.Employers[i].Offers > ms.Employers[j].Offers
			}
			return ms.Employers[i].Name < ms.Employers[j].Name
		})
		out = append(out, *ms)
	}
	return out, nil
}

// TopMetiers reads the métiers with most offers in each area since a month; only IRI
// and code are set, the caller knows the labels.
func (k *KG) TopMetiers(ctx context.Context, areas []string, since string, limit int) (map[string][]diagnostic.ZoneMetier, error) {
	out := map[string][]diagnostic.ZoneMetier{}
	if len(areas) == 0 {
		return out, nil
	}
	rows, err := k.selectRows(ctx, "top-metiers", sparqlq.Args{"areas": areas, "since": since})
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		a := r.str("area")
		if len(out[a]) >= limit {
			continue
		}
		iri := r.str("fiche")
		out[a] = append(out[a], diagnostic.ZoneMetier{
			Metier: diagnostic.MetierRef{IRI: iri, Code: iri[strings.LastIndex(iri, "/")+1:]},
			Offers: r.int("n"),
		})
	}
	return out, nil
}

// Tension reads BMO tension (classes 1–5), averaging the bassins that overlap each zone
// weighted by how many of the zone's communes they hold.
func (k *KG) Tension(ctx context.Context, metiers, zones []string) (map[[2]string]*diagnostic.Tension, error) {
	out := map[[2]string]*diagnostic.Tension{}
	if len(metiers) == 0 || len(zones) == 0 {
		return out, nil
	}
	rows, err := k.selectRows(ctx, "tension", sparqlq.Args{"metiers": metiers, "zones": zones})
	if err != nil {
		return nil, err
	}
	type acc struct {
		sum, w, hsum, hw, dsum, dw, osum, ow, jsum, jw float64
		period, g, via                                 string
		bassins                                        []string
	}
	accs := map[[2]string]*acc{}
	for _, r := range rows {
		key := [2]string{r.str("fiche"), r.str("zone")}
		a := accs[key]
		if a == nil {
			a = &acc{}
			accs[key] = a
		}
		w := float64(r.int("communes"))
		if v := r.float("indicator"); v != nil {
			a.sum += *v * w
			a.w += w
		}
		if v := r.float("hiring"); v != nil {
			a.hsum += *v * w
			a.hw += w
		}
		if v := r.float("demand"); v != nil {
			a.dsum += *v * w
			a.dw += w
		}
		if v := r.float("offersMean"); v != nil {
			a.osum += *v * w
			a.ow += w
		}
		if v := r.float("seekersMean"); v != nil {
			a.jsum += *v * w
			a.jw += w
		}
		a.period, a.g, a.via = r.str("period"), r.str("g"), r.str("via")
		a.bassins = append(a.bassins, r.str("bassin"))
	}
	for key, a := range accs {
		t := &diagnostic.Tension{Components: map[string]diagnostic.Figure{}, Bassins: a.bassins}
		sort.Strings(t.Bassins)
		n := len(a.bassins)
		t.Indicator = diagnostic.Figure{Value: round(diagnostic.Num(a.sum/a.w), 2), Unit: "class 1-5", Period: a.period, N: &n, Source: a.g}
		if a.via != "" {
			// Said on the figure: the number is the parent ROME v3 fiche's, not this one's.
			t.Indicator.Note = "publié pour la fiche ROME v3 " + strings.TrimPrefix(a.via, "https://data.dataregionsud.fr/openemploi/id/rome/") + ", dont est issue cette fiche ROME 4"
		}
		if a.hw > 0 {
			t.Components["hiringIntensity"] = diagnostic.Figure{Value: round(diagnostic.Num(a.hsum/a.hw), 2), Unit: "class 1-5", Period: a.period, Source: a.g}
		}
		if a.ow > 0 {
			t.Components["offersRegisteredMean"] = diagnostic.Figure{Value: round(diagnostic.Num(a.osum/a.ow), 1), Unit: "offers (yearly mean)", Period: a.period, Source: a.g}
		}
		if a.jw > 0 {
			t.Components["jobSeekersMean"] = diagnostic.Figure{Value: round(diagnostic.Num(a.jsum/a.jw), 1), Unit: "job seekers (yearly mean)", Period: a.period, Source: a.g}
		}
		if a.dw > 0 {
			t.Components["demandRatio"] = diagnostic.Figure{Value: round(diagnostic.Num(a.dsum/a.dw), 2), Unit: "ratio", Period: a.period, Source: a.g}
		}
		out[key] = t
	}
	return out, nil
}

// Trainings reads sessions starting from a day in the zones for the métiers.
func (k *KG) Trainings(ctx context.Context, metiers, zones []string, from time.Time) (map[[2]string][]diagnostic.Training, error) {
	out := map[[2]string][]diagnostic.Training{}
	if len(metiers) == 0 || len(zones) == 0 {
		return out, nil
	}
	rows, err := k.selectRows(ctx, "trainings", sparqlq.Args{"metiers": metiers, "zones": zones, "from": from})
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		key := [2]string{r.str("fiche"), r.str("zone")}
		out[key] = append(out[key], diagnostic.Training{
			IRI: r.str("session"), Name: r.str("name"), Start: r.str("start"), Commune: r.str("commune"),
			Provider: r.str("provider"), Formacode: r.str("formacode"), Covers: []string{r.str("fiche")}, Source: r.str("g"),
		})
	}
	return out, nil
}

// Companies reads establishments of the zones in sectors linked to the métiers, the
// heaviest affinity first.
func (k *KG) Companies(ctx context.Context, metiers, zones []string) (map[[2]string][]diagnostic.Company, error) {
	out := map[[2]string][]diagnostic.Company{}
	if len(metiers) == 0 || len(zones) == 0 {
		return out, nil
	}
	rows, err := k.selectRows(ctx, "companies", sparqlq.Args{"metiers": metiers, "zones": zones})
	if err != nil {
		return nil, err
	}
	type cand struct {
		c diagnostic.Company
		w float64
	}
	best := map[[2]string]map[string]*cand{}
	for _, r := range rows {
		key := [2]string{r.str("fiche"), r.str("zone")}
		if best[key] == nil {
			best[key] = map[string]*cand{}
		}
		w := 0.0
		why := fmt.Sprintf("secteur %s (%s) associé au métier dans le ROME", r.str("naf"), r.str("nafLabel"))
		if v := r.float("weight"); v != nil {
			w = *v
			why = fmt.Sprintf("secteur %s (%s) : affinité métier–secteur %.2f d'après les embauches", r.str("naf"), r.str("nafLabel"), w)
		}
		if b := r.str("band"); b != "" {
			why += ", effectif " + b
		}
		e := r.str("etab")
		if c, ok := best[key][e]; ok && c.w >= w {
			continue
		}
		best[key][e] = &cand{c: diagnostic.Company{Name: r.str("name"), IRI: e, NAF: r.str("naf"), Why: why, Source: r.str("g")}, w: w}
	}
	for key, m := range best {
		l := make([]*cand, 0, len(m))
		for _, c := range m {
			l = append(l, c)
		}
		sort.Slice(l, func(i, j int) bool {
			if l[i].w != l[j].w {
				return l[i].w > l[j].w
			}
			return l[i].c.Name < l[j].c.Name
		})
		for _, c := range l {
			out[key] = append(out[key], c.c)
		}
	}
	return out, nil
}

// Sources reads the graph descriptions of oeg:meta.
func (k *KG) Sources(ctx context.Context) ([]diagnostic.SourceInfo, error) {
	rows, err := k.selectRows(ctx, "sources", nil)
	if err != nil {
		return nil, err
	}
	var out []diagnostic.SourceInfo
	seen := map[string]bool{}
	for _, r := range rows {
		if seen[r.str("graph")] {
			continue
		}
		seen[r.str("graph")] = true
		s := diagnostic.SourceInfo{IRI: r.str("graph"), Title: r.str("title"), Publisher: r.str("publisher"),
			License: r.str("license"), Modified: r.str("modified"), Synthetic: r.str("synthetic") == "true" || r.str("synthetic") == "1"}
		if r.has("triples") {
			n := int64(r.int("triples"))
			s.Triples = &n
		}
		out = append(out, s)
	}
	return out, nil
}

// LatestMonth reads the latest month of the offer aggregates.
func (k *KG) LatestMonth(ctx context.Context) (string, error) {
	rows, err := k.selectRows(ctx, "latest-month", nil)
	if err != nil || len(rows) == 0 {
		return "", err
	}
	return rows[0].str("month"), nil
}

// SessionCount counts the training sessions of the region starting in [from, until]
// (diagnostic.SessionCounter): the coverage behind the training light.
func (k *KG) SessionCount(ctx context.Context, from, until time.Time) (int, error) {
	rows, err := k.selectRows(ctx, "session-count", sparqlq.Args{"from": from, "until": until})
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	return rows[0].int("n"), nil
}

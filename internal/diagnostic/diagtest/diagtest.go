// Package diagtest is an in-memory diagnostic.Source for tests of the diagnostic and of
// the layers above it (HTTP handlers, golden files) that must run without a store. It
// is a fake, not a mock: it answers from a small, consistent data set shaped like what
// internal/kg reads from the knowledge graph — two métiers (M1811 Data engineer with
// its appellations, skills of the three ROME kinds and a mobility to M1805), two zones
// d'emploi (9312 Marseille, 9301 Aix-en-Provence) with their communes and life
// context, six months of offers ending in January 2025, BMO tension, training sessions,
// establishments and the graph descriptions (the trainings are synthetic).
//
// The figures are invented for tests; they are plausible, not real.
package diagtest

import (
	"context"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"

	"github.com/openemploi360/openemploi/internal/apperr"
	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/vocab"
)

// Codes of the fake's data, for tests that name them.
const (
	DataEngineer = "M1811"
	Developer    = "M1805"
	Marseille    = "9312"
	Aix          = "9301"
	// LatestMonth is the latest month of offers; a test clock after it (Now) keeps
	// the market windows and the training horizon stable.
	LatestMonth = "2025-01"
)

// Now is the clock the fake's data is written for: the day after the latest month.
func Now() time.Time { return time.Date(2025, 2, 1, 9, 0, 0, 0, time.UTC) }

// Fake is an in-memory diagnostic.Source. Its exported fields can be changed by a test
// before use (not concurrently with a diagnostic).
type Fake struct {
	// Version is what DataVersion answers: change it to simulate an import.
	Version string
	// Latest is what LatestMonth answers ("" simulates a graph without offers).
	Latest string
	// Err, when set, is returned by every method: a store that is down.
	Err error

	mu    sync.Mutex // the service calls a source concurrently
	calls map[string]int

	metiers   map[string]*diagnostic.Metier
	zones     []diagnostic.Zone
	communes  []diagnostic.Commune
	skills    []diagnostic.Skill
	life      map[string]*diagnostic.Life
	market    map[[2]string]diagnostic.MarketStats
	top       map[string][]diagnostic.ZoneMetier
	tension   map[[2]string]*diagnostic.Tension
	trainings map[[2]string][]diagnostic.Training
	companies map[[2]string][]diagnostic.Company
	sources   []diagnostic.SourceInfo
}

var _ diagnostic.Source = (*Fake)(nil)

// Calls returns how many times a method was called, by its name in lower case
// ("version", "metier", "labels", "market", "life", …).
func (f *Fake) Calls(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[method]
}

func (f *Fake) count(name string) error {
	f.mu.Lock()
	f.calls[name]++
	f.mu.Unlock()
	return f.Err
}

// graph names of the fake's sources.
var (
	gROME      = vocab.Graph("rome4")
	gGeo       = vocab.Graph("geo")
	gDVF       = vocab.Graph("dvf")
	gLoyers    = vocab.Graph("loyers")
	gChomage   = vocab.Graph("chomage")
	gBPE       = vocab.Graph("bpe")
	gGares     = vocab.Graph("gares")
	gTension   = vocab.Graph("tension")
	gTrainings = vocab.Graph("formations-synth")
	gSirene    = vocab.Graph("sirene")
	gROMENAF   = vocab.Graph("rome-naf")
)

// New returns a fake holding the data set described in the package comment.
func New() *Fake {
	yes := true
	no := false
	sk := func(code, label, kind, cat string) diagnostic.Skill {
		return diagnostic.Skill{IRI: vocab.Item(code), Code: code, Label: label, Kind: kind, Category: cat}
	}
	arch := sk("100023", "Concevoir une architecture de données", diagnostic.SavoirFaire, "Conception")
	python := sk("100024", "Langage Python", diagnostic.Savoir, "Langages informatiques")
	sql := sk("100025", "SQL", diagnostic.Savoir, "Langages informatiques")
	orga := sk("100026", "Sens de l'organisation", diagnostic.SavoirEtre, "Savoir-être professionnels")
	dev := sk("100027", "Développer une application", diagnostic.SavoirFaire, "Développement")
	app := func(code, label, short string, exec *bool) diagnostic.Appellation {
		return diagnostic.Appellation{IRI: vocab.IRI("rome-appellation", code), Code: code, Label: label, ShortLabel: short, Executive: exec}
	}
	m1811, m1805 := vocab.Metier(DataEngineer), vocab.Metier(Developer)
	mars, aix, region := vocab.Zone(Marseille), vocab.Zone(Aix), vocab.RegionIRI

	f := &Fake{
		Version: "v1",
		Latest:  LatestMonth,
		calls:   map[string]int{},
		metiers: map[string]*diagnostic.Metier{
			DataEngineer: {IRI: m1811, Code: DataEngineer, Label: "Data engineer", Executive: &yes, Graph: gROME,
				Appellations: []diagnostic.Appellation{
					app("404278", "Data engineer", "Data engineer", &yes),
					app("38971", "Ingénieur / Ingénieure big data", "Ingénieur big data", &yes),
				},
				Skills:     []diagnostic.Skill{orga, arch, python, sql},
				Mobilities: []diagnostic.Mobility{{IRI: m1805, Code: Developer, Label: "Développeur / Développeuse informatique", Rank: 1}}},
			Developer: {IRI: m1805, Code: Developer, Label: "Développeur / Développeuse informatique", Executive: &no, Graph: gROME,
				Appellations: []diagnostic.Appellation{app("38965", "Développeur / Développeuse web", "Développeur web", &no)},
				Skills:       []diagnostic.Skill{orga, dev, python, sql}},
		},
		zones: []diagnostic.Zone{
			{IRI: mars, Code: Marseille, Label: "Marseille", Communes: 2, Graph: gGeo,
				Population: diagnostic.Figure{Value: diagnostic.Num(917000), Unit: "inhabitants", N: diagnostic.Count(2), Source: gGeo}},
			{IRI: aix, Code: Aix, Label: "Aix-en-Provence", Communes: 2, Graph: gGeo,
				Population: diagnostic.Figure{Value: diagnostic.Num(182000), Unit: "inhabitants", N: diagnostic.Count(2), Source: gGeo}},
		},
		communes: []diagnostic.Commune{
			{IRI: vocab.Commune("13001"), Code: "13001", Name: "Aix-en-Provence", Zone: Aix},
			{IRI: vocab.Commune("13005"), Code: "13005", Name: "Aubagne", Zone: Marseille},
			{IRI: vocab.Commune("13055"), Code: "13055", Name: "Marseille", Zone: Marseille},
			{IRI: vocab.Commune("13117"), Code: "13117", Name: "Vitrolles", Zone: Aix},
		},
		skills: []diagnostic.Skill{arch, python, sql, orga, dev},
		life: map[string]*diagnostic.Life{
			mars: {
				PricePerSqm:      diagnostic.Figure{Value: diagnostic.Num(3578), Unit: "EUR/m2", Period: "2023", N: diagnostic.Count(9700), Source: gDVF},
				RentPerSqm:       diagnostic.Figure{Value: diagnostic.Num(13.45), Unit: "EUR/m2/month", Period: "2023", N: diagnostic.Count(2), Source: gLoyers},
				UnemploymentRate: diagnostic.Figure{Value: diagnostic.Num(10.1), Unit: "%", Period: "2024-T2", Source: gChomage},
				Population:       diagnostic.Figure{Value: diagnostic.Num(917000), Unit: "inhabitants", Source: gGeo},
				Amenities: []diagnostic.Amenity{
					amenity("commerce", 7336, 917000, "2023"),
					amenity("sante", 4585, 917000, "2023"),
					amenity("transport", 92, 917000, "2023"),
				},
				Stations:     diagnostic.Figure{Value: diagnostic.Num(3), Unit: "stations", Source: gGares},
				StationNames: []string{"Aubagne", "Marseille-Blancarde", "Marseille-Saint-Charles"},
			},
			aix: {
				PricePerSqm:      diagnostic.Figure{Value: diagnostic.Num(4420), Unit: "EUR/m2", Period: "2023", N: diagnostic.Count(2100), Source: gDVF},
				RentPerSqm:       diagnostic.Figure{Value: diagnostic.Num(15.1), Unit: "EUR/m2/month", Period: "2023", N: diagnostic.Count(2), Source: gLoyers},
				UnemploymentRate: diagnostic.Figure{Value: diagnostic.Num(7.2), Unit: "%", Period: "2024-T2", Source: gChomage},
				Population:       diagnostic.Figure{Value: diagnostic.Num(182000), Unit: "inhabitants", Source: gGeo},
				Amenities: []diagnostic.Amenity{
					amenity("commerce", 1501, 182000, "2023"),
					amenity("sante", 819, 182000, "2023"),
				},
				Stations:     diagnostic.Figure{Value: diagnostic.Num(2), Unit: "stations", Source: gGares},
				StationNames: []string{"Aix-en-Provence", "Aix-en-Provence TGV"},
			},
		},
		market: map[[2]string]diagnostic.MarketStats{
			{m1811, mars}: market(m1811, mars, []int{2, 2, 2, 5, 5, 5},
				[]diagnostic.Share{{Code: "CDI", Count: 16}, {Code: "CDD", Count: 3}, {Code: "MIS", Count: 2}},
				[]diagnostic.Share{{Code: "E", Count: 12}, {Code: "S", Count: 6}, {Code: "D", Count: 3}},
				[]diagnostic.Company{{Name: "CAPGEMINI TECHNOLOGY SERVICES", Offers: 4}, {Name: "SOPRA STERIA GROUP", Offers: 3}, {Name: "CMA CGM", Offers: 2}, {Name: "ONEPOINT", Offers: 1}},
				diagnostic.SalaryStats{Q1: diagnostic.Num(3800), Median: diagnostic.Num(4200), Q3: diagnostic.Num(4800), N: 12, Period: "2024-08/2025-01"}),
			// One offer, no salary stated, nothing in the previous window: the sparse case.
			{m1811, aix}: market(m1811, aix, []int{0, 0, 0, 0, 1, 0},
				[]diagnostic.Share{{Code: "CDI", Count: 1}}, []diagnostic.Share{{Code: "E", Count: 1}},
				[]diagnostic.Company{{Name: "ONEPOINT", Offers: 1}}, diagnostic.SalaryStats{}),
			{m1811, region}: market(m1811, region, []int{4, 3, 3, 7, 8, 6},
				[]diagnostic.Share{{Code: "CDI", Count: 24}, {Code: "CDD", Count: 5}, {Code: "MIS", Count: 2}},
				[]diagnostic.Share{{Code: "E", Count: 17}, {Code: "S", Count: 9}, {Code: "D", Count: 5}},
				[]diagnostic.Company{{Name: "CAPGEMINI TECHNOLOGY SERVICES", Offers: 5}, {Name: "SOPRA STERIA GROUP", Offers: 4}, {Name: "CMA CGM", Offers: 2}},
				diagnostic.SalaryStats{Q1: diagnostic.Num(3700), Median: diagnostic.Num(4100), Q3: diagnostic.Num(4700), N: 18, Period: "2024-08/2025-01"}),
			{m1805, mars}: market(m1805, mars, []int{3, 4, 4, 6, 5, 7},
				[]diagnostic.Share{{Code: "CDI", Count: 20}, {Code: "CDD", Count: 6}, {Code: "MIS", Count: 3}},
				[]diagnostic.Share{{Code: "D", Count: 11}, {Code: "E", Count: 10}, {Code: "S", Count: 8}},
				[]diagnostic.Company{{Name: "SOPRA STERIA GROUP", Offers: 5}, {Name: "ACCENTURE", Offers: 3}},
				diagnostic.SalaryStats{Q1: diagnostic.Num(2900), Median: diagnostic.Num(3300), Q3: diagnostic.Num(3800), N: 20, Period: "2024-08/2025-01"}),
			{m1805, aix}: market(m1805, aix, []int{1, 2, 1, 2, 3, 2},
				[]diagnostic.Share{{Code: "CDI", Count: 9}, {Code: "CDD", Count: 2}}, []diagnostic.Share{{Code: "E", Count: 6}, {Code: "D", Count: 5}},
				[]diagnostic.Company{{Name: "ONEPOINT", Offers: 2}},
				diagnostic.SalaryStats{Q1: diagnostic.Num(2800), Median: diagnostic.Num(3150), Q3: diagnostic.Num(3500), N: 7, Period: "2024-08/2025-01"}),
			{m1805, region}: market(m1805, region, []int{6, 8, 7, 11, 12, 14},
				[]diagnostic.Share{{Code: "CDI", Count: 41}, {Code: "CDD", Count: 11}, {Code: "MIS", Count: 6}},
				[]diagnostic.Share{{Code: "D", Count: 22}, {Code: "E", Count: 20}, {Code: "S", Count: 16}},
				[]diagnostic.Company{{Name: "SOPRA STERIA GROUP", Offers: 8}, {Name: "ACCENTURE", Offers: 4}, {Name: "ONEPOINT", Offers: 3}},
				diagnostic.SalaryStats{Q1: diagnostic.Num(2850), Median: diagnostic.Num(3250), Q3: diagnostic.Num(3750), N: 31, Period: "2024-08/2025-01"}),
		},
		top: map[string][]diagnostic.ZoneMetier{
			mars:   {{Metier: diagnostic.MetierRef{IRI: m1805, Code: Developer}, Offers: 18}, {Metier: diagnostic.MetierRef{IRI: m1811, Code: DataEngineer}, Offers: 15}},
			aix:    {{Metier: diagnostic.MetierRef{IRI: m1805, Code: Developer}, Offers: 7}, {Metier: diagnostic.MetierRef{IRI: m1811, Code: DataEngineer}, Offers: 1}},
			region: {{Metier: diagnostic.MetierRef{IRI: m1805, Code: Developer}, Offers: 37}, {Metier: diagnostic.MetierRef{IRI: m1811, Code: DataEngineer}, Offers: 21}},
		},
		tension: map[[2]string]*diagnostic.Tension{
			// M1811 has no ROME v3 twin: BMO publishes its parent M1805's figures.
			{m1811, mars}: tension(3.4, 3, 0.85, 42.5, 310.2, Developer, "9313"),
			{m1811, aix}:  tension(3.1, 3, 0.7, 18, 96.4, Developer, "9301"),
			{m1805, mars}: tension(3.4, 3, 0.85, 42.5, 310.2, "", "9313"),
			{m1805, aix}:  tension(3.1, 3, 0.7, 18, 96.4, "", "9301"),
		},
		trainings: map[[2]string][]diagnostic.Training{
			{m1811, mars}: {
				training("S1", "Data engineer - parcours certifiant", "2025-03-03", "Marseille", "Campus Sud Numérique", m1811, "31054"),
				training("S3", "Data engineer - parcours certifiant", "2025-09-15", "Marseille", "Campus Sud Numérique", m1811, "31054"),
			},
			{m1805, mars}: {training("S4", "Développeur web et web mobile", "2025-04-07", "Aubagne", "Ecole du numérique Provence", m1805, "31088")},
			{m1805, aix}:  {training("S5", "Concepteur développeur d'applications", "2025-05-12", "Aix-en-Provence", "Campus Sud Numérique", m1805, "31054")},
		},
		companies: map[[2]string][]diagnostic.Company{
			{m1811, mars}: {
				company("CAPGEMINI TECHNOLOGY SERVICES", "75000000000011", "62.02A", "Conseil en systèmes et logiciels informatiques", 0.6, "250 à 499 salariés"),
				company("NEXTDATA MEDITERRANEE", "75000000000029", "62.01Z", "Programmation informatique", 0.45, "10 à 19 salariés"),
			},
			{m1811, aix}:  {company("PROVENCE ANALYTICS", "75000000000037", "62.01Z", "Programmation informatique", 0.45, "")},
			{m1805, mars}: {company("NEXTDATA MEDITERRANEE", "75000000000029", "62.01Z", "Programmation informatique", 0.7, "10 à 19 salariés")},
		},
		sources: []diagnostic.SourceInfo{
			source(gROME, "ROME 4.0", "France Travail", 1_200_000, false),
			source(gGeo, "Communes et zones d'emploi 2020", "Insee", 41_000, false),
			source(gDVF, "Demandes de valeurs foncières", "DGFiP", 12_000, false),
			source(gLoyers, "Carte des loyers", "Ministère de la Transition écologique", 9_500, false),
			source(gChomage, "Taux de chômage localisé", "Insee", 3_100, false),
			source(gBPE, "Base permanente des équipements", "Insee", 160_000, false),
			source(gGares, "Gares de voyageurs", "SNCF", 2_400, false),
			source(gTension, "Besoins en main-d'œuvre", "France Travail", 88_000, false),
			source(gTrainings, "Offre de formation (synthétique)", "Open Emploi 360", 1_900, true),
			source(gSirene, "Sirene établissements", "Insee", 240_000, false),
			source(gROMENAF, "ROME ↔ NAF", "La Bonne Boîte", 5_200, false),
			source(vocab.Graph("offres-ft", "2025-01"), "Offres d'emploi France Travail (2025-01)", "France Travail", 64_000, false),
		},
	}
	return f
}

func amenity(family string, n, population float64, period string) diagnostic.Amenity {
	per := float64(int64(n*10000/population*10+0.5)) / 10
	return diagnostic.Amenity{Family: family,
		Per10k: diagnostic.Figure{Value: &per, Unit: "per 10000 inhabitants", Period: period, N: diagnostic.Count(int(n)), Source: gBPE},
		Count:  diagnostic.Figure{Value: diagnostic.Num(n), Unit: "amenities", Period: period, Source: gBPE}}
}

// market builds the aggregates of six months ending in LatestMonth.
func market(metier, area string, months []int, contracts, experience []diagnostic.Share, employers []diagnostic.Company, salary diagnostic.SalaryStats) diagnostic.MarketStats {
	ms := diagnostic.MarketStats{Metier: metier, Area: area, Contracts: contracts, Experience: experience, Salary: salary, Source: vocab.DerivedGraph}
	for i, n := range months {
		if n == 0 {
			continue // the aggregates hold no observation for a month without offers
		}
		t := time.Date(2024, time.Month(8+i), 1, 0, 0, 0, 0, time.UTC)
		ms.Months = append(ms.Months, diagnostic.MonthCount{Month: t.Format("2006-01"), Count: n})
	}
	for _, e := range employers {
		e.Source = vocab.DerivedGraph
		ms.Employers = append(ms.Employers, e)
	}
	return ms
}

func tension(indicator, hiring, demand, offers, seekers float64, via, bassin string) *diagnostic.Tension {
	t := &diagnostic.Tension{
		Indicator: diagnostic.Figure{Value: diagnostic.Num(indicator), Unit: "class 1-5", Period: "2024", N: diagnostic.Count(1), Source: gTension},
		Components: map[string]diagnostic.Figure{
			"hiringIntensity":      {Value: diagnostic.Num(hiring), Unit: "class 1-5", Period: "2024", Source: gTension},
			"demandRatio":          {Value: diagnostic.Num(demand), Unit: "ratio", Period: "2024", Source: gTension},
			"offersRegisteredMean": {Value: diagnostic.Num(offers), Unit: "offers (yearly mean)", Period: "2024", Source: gTension},
			"jobSeekersMean":       {Value: diagnostic.Num(seekers), Unit: "job seekers (yearly mean)", Period: "2024", Source: gTension},
		},
		Bassins: []string{vocab.IRI(vocab.KindBassin, bassin)},
	}
	if via != "" {
		t.Indicator.Note = "publié pour la fiche ROME v3 " + via + ", dont est issue cette fiche ROME 4"
	}
	return t
}

func training(id, name, start, commune, provider, metier, formacode string) diagnostic.Training {
	return diagnostic.Training{IRI: vocab.IRI(vocab.KindSession, id), Name: name, Start: start, Commune: commune,
		Provider: provider, Covers: []string{metier}, Formacode: formacode, Source: gTrainings}
}

func company(name, siret, naf, nafLabel string, weight float64, band string) diagnostic.Company {
	why := fmt.Sprintf("secteur %s (%s) : affinité métier–secteur %.2f d'après les embauches", naf, nafLabel, weight)
	if band != "" {
		why += ", effectif " + band
	}
	return diagnostic.Company{Name: name, IRI: vocab.IRI("etablissement", siret), NAF: naf, Why: why, Source: gSirene}
}

func source(g, title, publisher string, triples int64, synthetic bool) diagnostic.SourceInfo {
	return diagnostic.SourceInfo{IRI: g, Title: title, Publisher: publisher, License: "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
		Modified: "2026-11-23T07:00:00Z", Triples: &triples, Synthetic: synthetic}
}

// DataVersion returns Version.
func (f *Fake) DataVersion(context.Context) (string, error) {
	if err := f.count("version"); err != nil {
		return "", err
	}
	return f.Version, nil
}

// Metier returns a copy of a fiche, or a NotFound error.
func (f *Fake) Metier(_ context.Context, code string) (*diagnostic.Metier, error) {
	if err := f.count("metier"); err != nil {
		return nil, err
	}
	if m, ok := f.metiers[code]; ok {
		c := *m
		return &c, nil
	}
	return nil, &apperr.Error{Op: "diagtest metier", Kind: apperr.NotFound, Field: "code", Message: "no métier with ROME code " + code}
}

// Labels returns the fiches' and appellations' labels, fiches in code order.
func (f *Fake) Labels(context.Context) ([]diagnostic.Label, error) {
	if err := f.count("labels"); err != nil {
		return nil, err
	}
	codes := make([]string, 0, len(f.metiers))
	for c := range f.metiers {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	var out []diagnostic.Label
	for _, c := range codes {
		m := f.metiers[c]
		ref := diagnostic.MetierRef{IRI: m.IRI, Code: m.Code, Label: m.Label, Executive: m.Executive}
		out = append(out, diagnostic.Label{Text: m.Label, Metier: ref})
		for _, a := range m.Appellations {
			out = append(out, diagnostic.Label{Text: a.Label, Appellation: a.Code, Metier: ref})
			if a.ShortLabel != "" && a.ShortLabel != a.Label {
				out = append(out, diagnostic.Label{Text: a.ShortLabel, Appellation: a.Code, Metier: ref})
			}
		}
	}
	return out, nil
}

// SkillIndex returns every skill.
func (f *Fake) SkillIndex(context.Context) ([]diagnostic.Skill, error) {
	if err := f.count("skills"); err != nil {
		return nil, err
	}
	return append([]diagnostic.Skill(nil), f.skills...), nil
}

// Zones returns the two zones.
func (f *Fake) Zones(context.Context) ([]diagnostic.Zone, error) {
	if err := f.count("zones"); err != nil {
		return nil, err
	}
	return append([]diagnostic.Zone(nil), f.zones...), nil
}

// Communes returns the communes with their zone.
func (f *Fake) Communes(context.Context) ([]diagnostic.Commune, error) {
	if err := f.count("communes"); err != nil {
		return nil, err
	}
	return append([]diagnostic.Commune(nil), f.communes...), nil
}

// Life returns the life context of the known zones among zones.
func (f *Fake) Life(_ context.Context, zones []string) (map[string]*diagnostic.Life, error) {
	if err := f.count("life"); err != nil {
		return nil, err
	}
	out := map[string]*diagnostic.Life{}
	for _, z := range zones {
		if l, ok := f.life[z]; ok {
			c := *l
			out[z] = &c
		}
	}
	return out, nil
}

// Market returns the aggregates of métiers × areas that have any.
func (f *Fake) Market(_ context.Context, metiers, areas []string) ([]diagnostic.MarketStats, error) {
	if err := f.count("market"); err != nil {
		return nil, err
	}
	var out []diagnostic.MarketStats
	for _, m := range metiers {
		for _, a := range areas {
			if ms, ok := f.market[[2]string{m, a}]; ok {
				out = append(out, ms)
			}
		}
	}
	return out, nil
}

// TopMetiers returns the métiers with most offers of each area (IRI and code only,
// as the knowledge graph does).
func (f *Fake) TopMetiers(_ context.Context, areas []string, _ string, limit int) (map[string][]diagnostic.ZoneMetier, error) {
	if err := f.count("top"); err != nil {
		return nil, err
	}
	out := map[string][]diagnostic.ZoneMetier{}
	for _, a := range areas {
		l := f.top[a]
		if len(l) > limit {
			l = l[:limit]
		}
		if l != nil {
			out[a] = append([]diagnostic.ZoneMetier(nil), l...)
		}
	}
	return out, nil
}

// Tension returns the BMO tension of métiers × zones.
func (f *Fake) Tension(_ context.Context, metiers, zones []string) (map[[2]string]*diagnostic.Tension, error) {
	if err := f.count("tension"); err != nil {
		return nil, err
	}
	out := map[[2]string]*diagnostic.Tension{}
	for _, m := range metiers {
		for _, z := range zones {
			if t, ok := f.tension[[2]string{m, z}]; ok {
				out[[2]string{m, z}] = t
			}
		}
	}
	return out, nil
}

// Trainings returns the sessions of métiers × zones starting on or after from.
func (f *Fake) Trainings(_ context.Context, metiers, zones []string, from time.Time) (map[[2]string][]diagnostic.Training, error) {
	if err := f.count("trainings"); err != nil {
		return nil, err
	}
	day := from.Format(time.DateOnly)
	out := map[[2]string][]diagnostic.Training{}
	for _, m := range metiers {
		for _, z := range zones {
			for _, t := range f.trainings[[2]string{m, z}] {
				if t.Start >= day {
					out[[2]string{m, z}] = append(out[[2]string{m, z}], t)
				}
			}
		}
	}
	return out, nil
}

// SessionCount counts the sessions starting in [from, until] across the region.
func (f *Fake) SessionCount(_ context.Context, from, until time.Time) (int, error) {
	if err := f.count("sessions"); err != nil {
		return 0, err
	}
	lo, hi := from.Format(time.DateOnly), until.Format(time.DateOnly)
	seen := map[string]bool{}
	for _, l := range f.trainings {
		for _, t := range l {
			if t.Start >= lo && t.Start <= hi {
				seen[t.IRI] = true
			}
		}
	}
	return len(seen), nil
}

// Companies returns the establishments of sectors linked to métiers × zones.
func (f *Fake) Companies(_ context.Context, metiers, zones []string) (map[[2]string][]diagnostic.Company, error) {
	if err := f.count("companies"); err != nil {
		return nil, err
	}
	out := map[[2]string][]diagnostic.Company{}
	for _, m := range metiers {
		for _, z := range zones {
			if l, ok := f.companies[[2]string{m, z}]; ok {
				out[[2]string{m, z}] = append([]diagnostic.Company(nil), l...)
			}
		}
	}
	return out, nil
}

// Sources returns the graph descriptions.
func (f *Fake) Sources(context.Context) ([]diagnostic.SourceInfo, error) {
	if err := f.count("sources"); err != nil {
		return nil, err
	}
	return append([]diagnostic.SourceInfo(nil), f.sources...), nil
}

// LatestMonth returns Latest.
func (f *Fake) LatestMonth(context.Context) (string, error) {
	if err := f.count("latest"); err != nil {
		return "", err
	}
	return f.Latest, nil
}

// Describe writes, as N-Triples, the label of a métier or zone of the fake; nothing for
// another IRI (as the knowledge graph answers an empty description).
func (f *Fake) Describe(_ context.Context, iri string, w io.Writer) error {
	if err := f.count("describe"); err != nil {
		return err
	}
	const prefLabel = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
	for _, m := range f.metiers {
		if m.IRI == iri {
			_, err := fmt.Fprintf(w, "<%s> %s %q@fr .\n<%s> <http://www.w3.org/2004/02/skos/core#notation> %q .\n", iri, prefLabel, m.Label, iri, m.Code)
			return err
		}
	}
	for _, z := range f.zones {
		if z.IRI == iri {
			_, err := fmt.Fprintf(w, "<%s> <http://www.w3.org/2000/01/rdf-schema#label> %q@fr .\n", iri, z.Label)
			return err
		}
	}
	return nil
}

// DescribeGraph writes, as N-Triples, the title of one of the fake's graphs.
func (f *Fake) DescribeGraph(_ context.Context, graph string, w io.Writer) error {
	if err := f.count("describe-graph"); err != nil {
		return err
	}
	for _, s := range f.sources {
		if s.IRI == graph {
			_, err := fmt.Fprintf(w, "<%s> <http://purl.org/dc/terms/title> %q@fr .\n", graph, s.Title)
			return err
		}
	}
	return nil
}

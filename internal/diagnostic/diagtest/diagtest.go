// Package diagtest is an in-memory diagnostic.Source for tests of the diagnostic and of
// the layers above it (HTTP handlers, golden files) that must run without a store. It
// is a fake, not a mock: it answers from a small, consistent data set shaped like what
// internal/kg reads from the knowledge graph — two métiers (M1811 Data engineer with
// its appellations, skills of the three ROME kinds and a mobility to M1805), two zones
// d'emploi (9312 Marseille, 9301 Aix-en-Provence) with their communes and life
// context, an interregional zone (0053 Avignon, one commune in the region), six months of offers ending in January 2025, BMO tension, training sessions,
// establishments and the graph descriptions (the trainings are synthetic).
//
// The figures are invented for tests; they are plausible, not real.
package diagtest

import (
	"context"
	"fmt"
	"io"
	"slices"
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
	Avignon      = "0053" // interregional: the region holds part of it
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
	zones     []diagnostic.ZoneObs
	communes  []diagnostic.Commune
	skills    []diagnostic.Skill
	life      map[string]*diagnostic.LifeObs
	market    map[[2]string]diagnostic.MarketStats
	top       map[string][]diagnostic.ZoneMetier
	tension   []diagnostic.TensionObs
	trainings map[[2]string][]diagnostic.Training
	companies []diagnostic.EstablishmentObs
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
		return diagnostic.Appellation{IRI: vocab.Appellation(code), Code: code, Label: label, ShortLabel: short, Executive: exec}
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
		zones: []diagnostic.ZoneObs{
			{IRI: mars, Code: Marseille, Label: "Marseille", Communes: 2, Graph: gGeo, Population: diagnostic.Num(917000)},
			{IRI: aix, Code: Aix, Label: "Aix-en-Provence", Communes: 2, Graph: gGeo, Population: diagnostic.Num(182000)},
			// an interregional zone: the region's data holds one of its 36 communes
			{IRI: vocab.Zone(Avignon), Code: Avignon, Label: "Avignon", Communes: 1, TotalCommunes: 36, Graph: gGeo, Population: diagnostic.Num(91000)},
		},
		communes: []diagnostic.Commune{
			{IRI: vocab.Commune("13001"), Code: "13001", Name: "Aix-en-Provence", Zone: Aix},
			{IRI: vocab.Commune("13005"), Code: "13005", Name: "Aubagne", Zone: Marseille},
			{IRI: vocab.Commune("13055"), Code: "13055", Name: "Marseille", Zone: Marseille},
			{IRI: vocab.Commune("13117"), Code: "13117", Name: "Vitrolles", Zone: Aix},
			{IRI: vocab.Commune("84007"), Code: "84007", Name: "Avignon", Zone: Avignon},
		},
		skills: []diagnostic.Skill{arch, python, sql, orga, dev},
		life: map[string]*diagnostic.LifeObs{
			mars: {
				Price:        &diagnostic.Measure{Value: diagnostic.Num(3578.35), N: 9700, Period: "2023", Graph: gDVF},
				Rent:         &diagnostic.Measure{Value: diagnostic.Num(13.4512), N: 2, Period: "2023", Graph: gLoyers},
				Unemployment: &diagnostic.Measure{Value: diagnostic.Num(10.1), Period: "2024-T2", Graph: gChomage},
				Population:   &diagnostic.Measure{Value: diagnostic.Num(917000), Graph: gGeo},
				Amenities: []diagnostic.AmenityObs{
					{Family: "sante", Count: 4585, Period: "2023", Graph: gBPE},
					{Family: "commerce", Count: 7336, Period: "2023", Graph: gBPE},
					{Family: "transport", Count: 92, Period: "2023", Graph: gBPE},
				},
				Stations: &diagnostic.StationsObs{Count: 3, Names: []string{"Marseille-Saint-Charles", "Aubagne", "Marseille-Blancarde"}, Graph: gGares},
			},
			aix: {
				Price:        &diagnostic.Measure{Value: diagnostic.Num(4420.2), N: 2100, Period: "2023", Graph: gDVF},
				Rent:         &diagnostic.Measure{Value: diagnostic.Num(15.1), N: 2, Period: "2023", Graph: gLoyers},
				Unemployment: &diagnostic.Measure{Value: diagnostic.Num(7.2), Period: "2024-T2", Graph: gChomage},
				Population:   &diagnostic.Measure{Value: diagnostic.Num(182000), Graph: gGeo},
				Amenities: []diagnostic.AmenityObs{
					{Family: "commerce", Count: 1501, Period: "2023", Graph: gBPE},
					{Family: "sante", Count: 819, Period: "2023", Graph: gBPE},
				},
				Stations: &diagnostic.StationsObs{Count: 2, Names: []string{"Aix-en-Provence TGV", "Aix-en-Provence"}, Graph: gGares},
			},
		},
		market: map[[2]string]diagnostic.MarketStats{
			{m1811, mars}: market(m1811, mars, []int{2, 2, 2, 5, 5, 5},
				[]diagnostic.Share{{Code: "CDI", Count: 16}, {Code: "CDD", Count: 3}, {Code: "MIS", Count: 2}},
				[]diagnostic.Share{{Code: "E", Count: 12}, {Code: "S", Count: 6}, {Code: "D", Count: 3}},
				// one-offer employers are ranked by the affinity of their sector, then size
				[]diagnostic.Company{{Name: "CAPGEMINI TECHNOLOGY SERVICES", NAF: "62.02A", Offers: 4}, {Name: "SOPRA STERIA GROUP", NAF: "62.02A", Offers: 3},
					{Name: "CMA CGM", NAF: "52.29B", Offers: 2}, {Name: "ONEPOINT", Offers: 1}, {Name: "NEXTDATA MEDITERRANEE", NAF: "62.01Z", Offers: 1}},
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
		tension: []diagnostic.TensionObs{
			// M1811 has no ROME v3 twin: BMO publishes its parent M1805's figures.
			tension(m1811, mars, "9313", 2, 917000, 3.4, 3, 0.85, 42.5, 310.2, Developer),
			tension(m1811, aix, "9301", 1, 143000, 3.1, 3, 0.7, 18, 96.4, Developer),
			// Vitrolles lies in another bassin: Aix's figure is weighted by inhabitants
			tension(m1811, aix, "9306", 1, 39000, 2, 2, 0.5, 30, 150, Developer),
			tension(m1805, mars, "9313", 2, 917000, 3.4, 3, 0.85, 42.5, 310.2, ""),
			tension(m1805, aix, "9301", 1, 143000, 3.1, 3, 0.7, 18, 96.4, ""),
			tension(m1805, aix, "9306", 1, 39000, 2, 2, 0.5, 30, 150, ""),
		},
		trainings: map[[2]string][]diagnostic.Training{
			{m1811, mars}: {
				training("S1", "Data engineer - parcours certifiant", "2025-03-03", "Marseille", "Campus Sud Numérique", m1811, "31054"),
				training("S3", "Data engineer - parcours certifiant", "2025-09-15", "Marseille", "Campus Sud Numérique", m1811, "31054"),
			},
			// only a past session: the section shows it as recent
			{m1811, aix}:  {training("S2", "Data engineer - parcours certifiant", "2024-10-07", "Vitrolles", "Campus Sud Numérique", m1811, "31054")},
			{m1805, mars}: {training("S4", "Développeur web et web mobile", "2025-04-07", "Aubagne", "Ecole du numérique Provence", m1805, "31088")},
			{m1805, aix}:  {training("S5", "Concepteur développeur d'applications", "2025-05-12", "Aix-en-Provence", "Campus Sud Numérique", m1805, "31054")},
		},
		companies: []diagnostic.EstablishmentObs{
			company(m1811, mars, "CAPGEMINI TECHNOLOGY SERVICES", "75000000000011", "62.02A", "Conseil en systèmes et logiciels informatiques", 0.6, "32"),
			company(m1811, mars, "NEXTDATA MEDITERRANEE", "75000000000029", "62.01Z", "Programmation informatique", 0.45, "11"),
			company(m1811, aix, "PROVENCE ANALYTICS", "75000000000037", "62.01Z", "Programmation informatique", 0.45, ""),
			company(m1805, mars, "NEXTDATA MEDITERRANEE", "75000000000029", "62.01Z", "Programmation informatique", 0.7, "11"),
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
			// the generator's offers, loaded beside the real ones as in the demo: the
			// aggregates, and every market figure, are then partly synthetic
			source(vocab.Graph("offres-synth", "2025-01"), "Offres d'emploi SYNTHÉTIQUES (2025-01)", "Open Emploi 360 (données synthétiques)", 94_000, true),
		},
	}
	return f
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

func tension(metier, zone, bassin string, communes int, population float64, indicator, hiring, demand, offers, seekers float64, via string) diagnostic.TensionObs {
	o := diagnostic.TensionObs{Metier: metier, Zone: zone, Bassin: vocab.IRI(vocab.KindBassin, bassin), Communes: communes, Population: population,
		Indicator: diagnostic.Num(indicator), Hiring: diagnostic.Num(hiring), Demand: diagnostic.Num(demand),
		OffersMean: diagnostic.Num(offers), SeekersMean: diagnostic.Num(seekers), Period: "2024", Graph: gTension}
	if via != "" {
		o.Via = vocab.Metier(via)
	}
	return o
}

func training(id, name, start, commune, provider, metier, formacode string) diagnostic.Training {
	return diagnostic.Training{IRI: vocab.IRI(vocab.KindSession, id), Name: name, Start: start, Commune: commune,
		Provider: provider, Covers: []string{metier}, Formacode: formacode, Source: gTrainings}
}

func company(metier, zone, name, siret, naf, nafLabel string, weight float64, band string) diagnostic.EstablishmentObs {
	return diagnostic.EstablishmentObs{Metier: metier, Zone: zone, IRI: vocab.IRI("etablissement", siret), Name: name,
		NAF: naf, NAFLabel: nafLabel, Weight: &weight, Band: band, Graph: gSirene}
}

func source(g, title, publisher string, triples int64, synthetic bool) diagnostic.SourceInfo {
	return diagnostic.SourceInfo{IRI: g, Title: title, Publisher: publisher, License: "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
		Modified: "2026-11-23T07:00:00Z", Issued: issued[g], Triples: &triples, Synthetic: synthetic}
}

// issued is the date of each source's data, as the catalog gives it (the fake's own
// choice for a few; the others are left unknown, as a source may be).
var issued = map[string]string{
	gROME: "2025-09-18", gGeo: "2026-01-01", gChomage: "2023-12-30", gBPE: "2013-01-01", gGares: "2026-03-23",
	gTension: "2021-12-31", gTrainings: "2025-01-31", vocab.Graph("offres-ft", "2025-01"): "2025-01-12",
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
func (f *Fake) Zones(context.Context) ([]diagnostic.ZoneObs, error) {
	if err := f.count("zones"); err != nil {
		return nil, err
	}
	return append([]diagnostic.ZoneObs(nil), f.zones...), nil
}

// Communes returns the communes with their zone.
func (f *Fake) Communes(context.Context) ([]diagnostic.Commune, error) {
	if err := f.count("communes"); err != nil {
		return nil, err
	}
	return append([]diagnostic.Commune(nil), f.communes...), nil
}

// Life returns the observations of the zones asked, an empty one for a zone the fake
// does not know (as the knowledge graph answers).
func (f *Fake) Life(_ context.Context, zones []string) (map[string]*diagnostic.LifeObs, error) {
	if err := f.count("life"); err != nil {
		return nil, err
	}
	out := map[string]*diagnostic.LifeObs{}
	for _, z := range zones {
		out[z] = &diagnostic.LifeObs{}
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

// Tension returns the BMO observations of métiers × zones.
func (f *Fake) Tension(_ context.Context, metiers, zones []string) ([]diagnostic.TensionObs, error) {
	if err := f.count("tension"); err != nil {
		return nil, err
	}
	var out []diagnostic.TensionObs
	for _, o := range f.tension {
		if slices.Contains(metiers, o.Metier) && slices.Contains(zones, o.Zone) {
			out = append(out, o)
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

// TrainingSpan returns the first and last session start of all the fake's sessions.
func (f *Fake) TrainingSpan(context.Context) (diagnostic.TrainingSpan, error) {
	if err := f.count("span"); err != nil {
		return diagnostic.TrainingSpan{}, err
	}
	var s diagnostic.TrainingSpan
	for _, l := range f.trainings {
		for _, t := range l {
			if s.First == "" || t.Start < s.First {
				s.First = t.Start
			}
			if t.Start > s.Last {
				s.Last = t.Start
			}
			s.Sessions++
		}
	}
	return s, nil
}

// Companies returns the establishments of sectors linked to métiers × zones.
func (f *Fake) Companies(_ context.Context, metiers, zones []string) ([]diagnostic.EstablishmentObs, error) {
	if err := f.count("companies"); err != nil {
		return nil, err
	}
	var out []diagnostic.EstablishmentObs
	for _, o := range f.companies {
		if slices.Contains(metiers, o.Metier) && slices.Contains(zones, o.Zone) {
			out = append(out, o)
		}
	}
	return out, nil
}

// Affinities returns the NAF sub-classes the métiers hire in.
func (f *Fake) Affinities(_ context.Context, metiers []string) ([]diagnostic.AffinityObs, error) {
	if err := f.count("affinities"); err != nil {
		return nil, err
	}
	var out []diagnostic.AffinityObs
	for _, m := range metiers {
		for _, a := range []struct {
			naf, label string
			w          float64
		}{{"62.02A", "Conseil en systèmes et logiciels informatiques", 0.6}, {"62.01Z", "Programmation informatique", 0.45}, {"52.29B", "Affrètement et organisation des transports", 0.1}} {
			out = append(out, diagnostic.AffinityObs{Metier: m, NAF: a.naf, NAFLabel: a.label, Weight: a.w, Graph: gROMENAF})
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

package diagnostic

import (
	"context"
	"sync"
	"time"

	"github.com/openemploi360/openemploi/internal/apperr"
)

// fakeSource is an in-memory Source (a fake, not a mock: it answers from data).
type fakeSource struct {
	mu       sync.Mutex // the service calls a source concurrently
	version  string
	calls    map[string]int
	metiers  map[string]*Metier
	zones    []Zone
	communes []Commune
	skills   []Skill
	life     map[string]*Life
	market   map[[2]string]MarketStats
	latest   string
	sources  []SourceInfo
}

const (
	iriM1 = "https://data.dataregionsud.fr/openemploi/id/rome/M1811"
	iriM2 = "https://data.dataregionsud.fr/openemploi/id/rome/M1805"
	iriZ1 = "https://data.dataregionsud.fr/openemploi/id/ze2020/9312"
	iriZ2 = "https://data.dataregionsud.fr/openemploi/id/ze2020/9301"
)

func newFake() *fakeSource {
	yes := true
	sk := func(code, label, kind string) Skill {
		return Skill{IRI: "https://data.dataregionsud.fr/openemploi/id/rome-item/" + code, Code: code, Label: label, Kind: kind}
	}
	s1, s2, s3, s4 := sk("1", "SQL", Savoir), sk("2", "Langage Python", Savoir), sk("3", "Concevoir une architecture de données", SavoirFaire), sk("4", "Développer une application", SavoirFaire)
	return &fakeSource{
		version: "v1",
		calls:   map[string]int{},
		metiers: map[string]*Metier{
			"M1811": {IRI: iriM1, Code: "M1811", Label: "Data engineer", Executive: &yes, Graph: "g:rome4",
				Appellations: []Appellation{{Code: "38971", Label: "Ingénieur / Ingénieure big data"}},
				Skills:       []Skill{s1, s2, s3}, Mobilities: []Mobility{{IRI: iriM2, Code: "M1805", Label: "Développeur / Développeuse informatique", Rank: 1}}},
			"M1805": {IRI: iriM2, Code: "M1805", Label: "Développeur / Développeuse informatique", Graph: "g:rome4",
				Skills: []Skill{s1, s2, s4}},
		},
		zones:    []Zone{{IRI: iriZ1, Code: "9312", Label: "Marseille"}, {IRI: iriZ2, Code: "9301", Label: "Aix-en-Provence"}},
		communes: []Commune{{Code: "13055", Name: "Marseille", Zone: "9312"}, {Code: "13001", Name: "Aix-en-Provence", Zone: "9301"}, {Code: "13005", Name: "Aubagne", Zone: "9312"}},
		skills:   []Skill{s1, s2, s3, s4},
		life:     map[string]*Life{iriZ1: {UnemploymentRate: Figure{Value: Num(10.1), Unit: "%"}}},
		market: map[[2]string]MarketStats{
			{iriM1, iriZ1}: {Metier: iriM1, Area: iriZ1, Months: []MonthCount{{"2024-08", 2}, {"2024-09", 2}, {"2024-10", 2}, {"2024-11", 5}, {"2024-12", 5}, {"2025-01", 5}},
				Salary: SalaryStats{Q1: Num(3800), Median: Num(4200), Q3: Num(4800), N: 12, Period: "2024-08/2025-01"}},
			{iriM1, iriZ2}: {Metier: iriM1, Area: iriZ2, Months: []MonthCount{{"2024-12", 1}}}, // no salary stated, no offer in the previous window
		},
		latest:  "2025-01",
		sources: []SourceInfo{{IRI: "g:rome4", Title: "ROME"}},
	}
}

func (f *fakeSource) DataVersion(context.Context) (string, error) {
	f.count("version")
	return f.version, nil
}
func (f *fakeSource) Metier(_ context.Context, code string) (*Metier, error) {
	f.count("metier")
	if m, ok := f.metiers[code]; ok {
		c := *m
		return &c, nil
	}
	return nil, apperr.E("fake", apperr.NotFound, "no métier")
}
func (f *fakeSource) Labels(context.Context) ([]Label, error) {
	f.count("labels")
	var out []Label
	for _, m := range f.metiers {
		ref := MetierRef{IRI: m.IRI, Code: m.Code, Label: m.Label, Executive: m.Executive}
		out = append(out, Label{Text: m.Label, Metier: ref})
		for _, a := range m.Appellations {
			out = append(out, Label{Text: a.Label, Appellation: a.Code, Metier: ref})
		}
	}
	return out, nil
}
func (f *fakeSource) SkillIndex(context.Context) ([]Skill, error) { return f.skills, nil }
func (f *fakeSource) Zones(context.Context) ([]Zone, error)       { return f.zones, nil }
func (f *fakeSource) Communes(context.Context) ([]Commune, error) { return f.communes, nil }
func (f *fakeSource) Life(_ context.Context, zones []string) (map[string]*Life, error) {
	out := map[string]*Life{}
	for _, z := range zones {
		if l, ok := f.life[z]; ok {
			out[z] = l
		}
	}
	return out, nil
}
func (f *fakeSource) Market(_ context.Context, metiers, areas []string) ([]MarketStats, error) {
	f.count("market")
	var out []MarketStats
	for _, m := range metiers {
		for _, a := range areas {
			if ms, ok := f.market[[2]string{m, a}]; ok {
				out = append(out, ms)
			}
		}
	}
	return out, nil
}
func (f *fakeSource) TopMetiers(context.Context, []string, string, int) (map[string][]ZoneMetier, error) {
	return nil, nil
}
func (f *fakeSource) Tension(context.Context, []string, []string) (map[[2]string]*Tension, error) {
	return nil, nil
}
func (f *fakeSource) Trainings(context.Context, []string, []string, time.Time) (map[[2]string][]Training, error) {
	return nil, nil
}
func (f *fakeSource) Companies(context.Context, []string, []string) (map[[2]string][]Company, error) {
	return nil, nil
}
func (f *fakeSource) Sources(context.Context) ([]SourceInfo, error) { return f.sources, nil }
func (f *fakeSource) LatestMonth(context.Context) (string, error)   { return f.latest, nil }

func (f *fakeSource) count(name string) {
	f.mu.Lock()
	f.calls[name]++
	f.mu.Unlock()
}

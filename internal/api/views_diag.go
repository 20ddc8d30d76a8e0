package api

import (
	"time"

	"github.com/openemploi360/openemploi/internal/diagnostic"
)

// figureView is a Figure: value null with a note when the data is missing, never 0.
type figureView struct {
	Type   string   `json:"@type,omitempty"`
	Value  *float64 `json:"value"`
	Unit   string   `json:"unit,omitempty"`
	Period string   `json:"period,omitempty"`
	N      *int     `json:"n,omitempty"`
	Source string   `json:"source,omitempty"`
	Note   string   `json:"note,omitempty"`
	// Synthetic is sent only when true, like note only when there is one: a figure
	// without it rests on no synthetic graph.
	Synthetic bool `json:"synthetic,omitempty"`
}

func fig(f diagnostic.Figure) *figureView {
	return &figureView{Value: f.Value, Unit: f.Unit, Period: f.Period, N: f.N, Source: f.Source, Note: f.Note, Synthetic: f.Synthetic}
}

type refView struct {
	ID        string `json:"@id"`
	Type      string `json:"@type,omitempty"`
	Code      string `json:"code,omitempty"`
	Label     string `json:"label,omitempty"`
	Executive *bool  `json:"executive,omitempty"`
}

func metierRef(m diagnostic.MetierRef) refView {
	return refView{ID: m.IRI, Type: "Occupation", Code: m.Code, Label: m.Label, Executive: m.Executive}
}

type diagnosticView struct {
	Context           string       `json:"@context"`
	Type              string       `json:"@type"`
	GeneratedAt       string       `json:"generatedAt"`
	DataVersion       string       `json:"dataVersion"`
	ThresholdsVersion string       `json:"thresholdsVersion"`
	Level             string       `json:"level"`
	Metiers           []diagMetier `json:"metiers"`
	Zones             []zoneView   `json:"zones"`
	Cells             []cellView   `json:"cells"`
	Current           *cellView    `json:"current,omitempty"`
	Ranking           []rankView   `json:"ranking"`
	RankingRule       string       `json:"rankingRule,omitempty"`
	Sources           []sourceView `json:"sources"`
}

type diagMetier struct {
	ID           string            `json:"@id"`
	Type         string            `json:"@type"`
	Code         string            `json:"code"`
	Label        string            `json:"label"`
	Executive    *bool             `json:"executive,omitempty"`
	Skills       *skillGroupsView  `json:"skills"`
	Owned        []skillView       `json:"owned,omitempty"`
	Missing      []skillView       `json:"missing,omitempty"`
	Match        *figureView       `json:"match"`
	Nearby       []nearbyView      `json:"nearby"`
	Appellations []appellationView `json:"appellations"`
}

type nearbyView struct {
	refView
	MobilityRank int         `json:"mobilityRank,omitempty"`
	Overlap      *figureView `json:"overlap"`
	Offers       *figureView `json:"offersPerMonth"`
	Owned        *figureView `json:"match,omitempty"`
	Score        float64     `json:"score"`
	Via          string      `json:"via"`
}

type zoneView struct {
	Context    string    `json:"@context,omitempty"`
	ID         string    `json:"@id"`
	Type       string    `json:"@type"`
	Code       string    `json:"code"`
	Label      string    `json:"label"`
	Population *float64  `json:"population,omitempty"`
	Communes   int       `json:"communes,omitempty"`
	Life       *lifeView `json:"life,omitempty"`
	Source     string    `json:"source,omitempty"`
	// Interregional marks a zone straddling regions, whose figures count only its
	// communes of the region; note says so in French.
	Interregional bool   `json:"interregional,omitempty"`
	Note          string `json:"note,omitempty"`
}

type lifeView struct {
	PricePerSqm      *figureView   `json:"pricePerSqm"`
	RentPerSqm       *figureView   `json:"rentPerSqm"`
	UnemploymentRate *figureView   `json:"unemployment"`
	Population       *figureView   `json:"populationFigure"`
	Amenities        []amenityView `json:"amenities"`
	Stations         *figureView   `json:"stations"`
	StationNames     []string      `json:"stationNames,omitempty"`
}

type amenityView struct {
	Family string      `json:"family"`
	Per10k *figureView `json:"per10k"`
	Count  *figureView `json:"count"`
}

func newLifeView(l diagnostic.Life) *lifeView {
	v := &lifeView{PricePerSqm: fig(l.PricePerSqm), RentPerSqm: fig(l.RentPerSqm), UnemploymentRate: fig(l.UnemploymentRate),
		Population: fig(l.Population), Stations: fig(l.Stations), StationNames: l.StationNames, Amenities: []amenityView{}}
	for _, a := range l.Amenities {
		v.Amenities = append(v.Amenities, amenityView{Family: a.Family, Per10k: fig(a.Per10k), Count: fig(a.Count)})
	}
	return v
}

func newZoneView(z diagnostic.Zone, life *diagnostic.Life) zoneView {
	v := zoneView{ID: z.IRI, Type: "ZoneDEmploi2020", Code: z.Code, Label: z.Label, Population: z.Population.Value, Communes: z.Communes, Source: z.Graph,
		Interregional: z.Interregional, Note: z.Note}
	if life != nil {
		v.Life = newLifeView(*life)
	}
	return v
}

type shareView struct {
	Code  string      `json:"code"`
	Label string      `json:"label,omitempty"`
	Count int         `json:"offers"`
	Share *figureView `json:"share"`
}

type companyView struct {
	ID        string   `json:"@id,omitempty"`
	Name      string   `json:"name"`
	NAF       string   `json:"naf,omitempty"`
	Offers    int      `json:"offers,omitempty"`
	Affinity  *float64 `json:"affinity,omitempty"`
	Size      string   `json:"size,omitempty"`
	Why       string   `json:"why"`
	Source    string   `json:"source,omitempty"`
	Synthetic bool     `json:"synthetic,omitempty"`
}

type marketView struct {
	OffersByMonth []*figureView   `json:"offersByMonth"`
	PerMonth      *figureView     `json:"offersPerMonth"`
	Trend         *figureView     `json:"trend"`
	Contracts     []shareView     `json:"contracts"`
	Experience    []shareView     `json:"experience"`
	TopCompanies  []companyView   `json:"topCompanies"`
	TopMetiers    []topMetierView `json:"topMetiers"`
}

type topMetierView struct {
	refView
	Offers int `json:"offers"`
}

type salaryView struct {
	Median   *figureView `json:"median"`
	Q1       *figureView `json:"q1"`
	Q3       *figureView `json:"q3"`
	VsWished string      `json:"vsWished,omitempty"`
}

type tensionView struct {
	Indicator    *figureView            `json:"indicator"`
	Components   map[string]*figureView `json:"components"`
	Bassins      []string               `json:"bassins"`
	WeightedBy   string                 `json:"weightedBy,omitempty"`
	RomeV3Parent string                 `json:"romeV3Parent,omitempty"`
}

type trainingView struct {
	ID        string   `json:"@id"`
	Type      string   `json:"@type"`
	Name      string   `json:"name"`
	Start     string   `json:"start"`
	Commune   string   `json:"communeName"`
	Provider  string   `json:"providerName,omitempty"`
	Formacode string   `json:"formacode,omitempty"`
	Covers    []string `json:"covers"`
	Source    string   `json:"source"`
	Past      bool     `json:"past,omitempty"`
	Synthetic bool     `json:"synthetic,omitempty"`
}

// trainingWindowView says which sessions a cell lists (from–until, or the recent past
// when recent is true) and up to which day the training data runs.
type trainingWindowView struct {
	From      string `json:"from"`
	Until     string `json:"until"`
	DataUntil string `json:"dataUntil,omitempty"`
	Recent    bool   `json:"recent"`
	Note      string `json:"note,omitempty"`
}

// coverageView is how many axes a score rests on out of all.
type coverageView struct {
	Known int `json:"known"`
	Of    int `json:"of"`
}

type lightView struct {
	Axis        string         `json:"axis"`
	Color       string         `json:"color"`
	Rule        string         `json:"rule"`
	Inputs      map[string]any `json:"inputs"`
	Thresholds  map[string]any `json:"thresholds"`
	Explanation string         `json:"explanation"`
}

type cellView struct {
	Type           string              `json:"@type"`
	Metier         string              `json:"metier"`
	Zone           string              `json:"zone"`
	Market         marketView          `json:"market"`
	Salary         salaryView          `json:"salary"`
	Tension        *tensionView        `json:"tension"`
	Skills         *cellSkillsView     `json:"skills"`
	Trainings      []trainingView      `json:"trainings"`
	TrainingWindow *trainingWindowView `json:"trainingWindow,omitempty"`
	Companies      []companyView       `json:"companies"`
	CompaniesNote  string              `json:"companiesNote,omitempty"`
	Spouse         *figureView         `json:"spouseMarket,omitempty"`
	Lights         []lightView         `json:"lights"`
	Score          *float64            `json:"score"`
	// Coverage is absent only on a cell without lights (the current situation), whose
	// score is null too.
	Coverage *coverageView          `json:"coverage,omitempty"`
	Extra    map[string]*figureView `json:"extra,omitempty"`
}

type cellSkillsView struct {
	Owned   []skillView `json:"owned"`
	Missing []skillView `json:"missing"`
	Match   *figureView `json:"match"`
}

type rankView struct {
	Metier   string       `json:"metier"`
	Zone     string       `json:"zone"`
	Score    float64      `json:"score"`
	Coverage coverageView `json:"coverage"`
	Reason   string       `json:"reason"`
}

// sourceView is a named graph: issued and temporal are the data's own date and period
// as its publisher gives them, modified the time it was imported; lastChecked and
// lastChanged (on /api/sources only) when a refresh last looked at its source and last
// found new data.
type sourceView struct {
	ID          string      `json:"@id"`
	Type        string      `json:"@type"`
	Title       string      `json:"title"`
	Publisher   string      `json:"publisher,omitempty"`
	License     string      `json:"license,omitempty"`
	Issued      string      `json:"issued,omitempty"`
	Temporal    *periodView `json:"temporal,omitempty"`
	Modified    string      `json:"modified,omitempty"`
	LastChecked string      `json:"lastChecked,omitempty"`
	LastChanged string      `json:"lastChanged,omitempty"`
	Triples     *int64      `json:"triples,omitempty"`
	Synthetic   bool        `json:"synthetic"`
}

// periodView is a period, each end a date or a period as the data writes it ("2024-06").
type periodView struct {
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
}

func newSourceView(s diagnostic.SourceInfo) sourceView {
	v := sourceView{ID: s.IRI, Type: "Dataset", Title: s.Title, Publisher: s.Publisher, License: s.License, Issued: s.Issued,
		Modified: s.Modified, Triples: s.Triples, Synthetic: s.Synthetic}
	if s.Temporal != (diagnostic.Span{}) {
		v.Temporal = &periodView{Start: s.Temporal.From, End: s.Temporal.To}
	}
	return v
}

func skillLevels(l []diagnostic.SkillLevel) []skillView {
	out := []skillView{}
	for _, s := range l {
		v := skillView{ID: s.IRI, Type: "Skill", Code: s.Code, Label: s.Label, Kind: s.Kind, Category: s.Category}
		if s.Level > 0 {
			lv := s.Level
			v.Level = &lv
		}
		out = append(out, v)
	}
	return out
}

func companies(l []diagnostic.Company) []companyView {
	out := []companyView{}
	for _, c := range l {
		out = append(out, companyView{ID: c.IRI, Name: c.Name, NAF: c.NAF, Offers: c.Offers, Affinity: c.Affinity, Size: c.Size,
			Why: c.Why, Source: c.Source, Synthetic: c.Synthetic})
	}
	return out
}

func newCellView(c diagnostic.Cell) cellView {
	v := cellView{Type: "DiagnosticCell", Metier: c.Metier.IRI, Zone: c.Zone.IRI, Score: c.Score,
		Trainings: []trainingView{}, Companies: companies(c.Companies), CompaniesNote: c.CompaniesNote, Lights: []lightView{}}
	if c.Coverage.Of > 0 {
		v.Coverage = &coverageView{Known: c.Coverage.Known, Of: c.Coverage.Of}
	}
	if w := c.TrainingWindow; w != nil {
		v.TrainingWindow = &trainingWindowView{From: w.From, Until: w.Until, DataUntil: w.DataUntil, Recent: w.Recent, Note: w.Note}
	}
	if len(c.Extra) > 0 {
		v.Extra = map[string]*figureView{}
		for k, f := range c.Extra {
			v.Extra[k] = fig(f)
		}
	}
	m := &v.Market
	m.OffersByMonth = []*figureView{}
	for _, f := range c.Market.OffersByMonth {
		m.OffersByMonth = append(m.OffersByMonth, fig(f))
	}
	m.PerMonth, m.Trend = fig(c.Market.PerMonth), fig(c.Market.Trend)
	for _, l := range []struct {
		in  []diagnostic.Share
		out *[]shareView
	}{{c.Market.Contracts, &m.Contracts}, {c.Market.Experience, &m.Experience}} {
		*l.out = []shareView{}
		for _, s := range l.in {
			sv := shareView{Code: s.Code, Label: s.Label, Count: s.Count}
			if s.Share.Known() {
				sv.Share = fig(s.Share)
			}
			*l.out = append(*l.out, sv)
		}
	}
	m.TopCompanies = companies(c.Market.TopCompanies)
	m.TopMetiers = []topMetierView{}
	for _, t := range c.Market.TopMetiers {
		m.TopMetiers = append(m.TopMetiers, topMetierView{refView: metierRef(t.Metier), Offers: t.Offers})
	}
	v.Salary = salaryView{Median: fig(c.Salary.Median), Q1: fig(c.Salary.Q1), Q3: fig(c.Salary.Q3), VsWished: c.Salary.VsWished}
	if t := c.Tension; t != nil {
		tv := &tensionView{Indicator: fig(t.Indicator), Components: map[string]*figureView{}, Bassins: t.Bassins,
			WeightedBy: t.WeightedBy, RomeV3Parent: t.Via}
		for k, f := range t.Components {
			tv.Components[k] = fig(f)
		}
		v.Tension = tv
	}
	// Always an object (a JSON-LD @nest cannot be null): empty lists and a null match
	// with its note when there is no profile.
	v.Skills = &cellSkillsView{Owned: skillLevels(c.Owned), Missing: skillLevels(c.Missing), Match: fig(c.Match)}
	for _, t := range c.Trainings {
		v.Trainings = append(v.Trainings, trainingView{ID: t.IRI, Type: "TrainingSession", Name: t.Name, Start: t.Start, Commune: t.Commune,
			Provider: t.Provider, Formacode: t.Formacode, Covers: t.Covers, Source: t.Source, Past: t.Past, Synthetic: t.Synthetic})
	}
	if c.Spouse != nil {
		v.Spouse = fig(*c.Spouse)
	}
	for _, l := range c.Lights {
		v.Lights = append(v.Lights, lightView{Axis: l.Axis, Color: l.Color, Rule: l.Rule, Inputs: l.Inputs, Thresholds: l.Thresholds, Explanation: l.Explanation})
	}
	return v
}

func newDiagnosticView(d *diagnostic.Diagnostic) diagnosticView {
	v := diagnosticView{Context: contextPath, Type: "Diagnostic", GeneratedAt: d.GeneratedAt.UTC().Format(time.RFC3339),
		DataVersion: d.DataVersion, ThresholdsVersion: d.ThresholdsVersion, Level: d.Level, RankingRule: d.RankingRule,
		Metiers: []diagMetier{}, Zones: []zoneView{}, Cells: []cellView{}, Ranking: []rankView{}, Sources: []sourceView{}}
	profile := d.Level == diagnostic.LevelProfile
	for _, m := range d.Metiers {
		mv := diagMetier{ID: m.IRI, Type: "Occupation", Code: m.Code, Label: m.Label, Executive: m.Executive, Skills: skillGroups(m.Skills),
			Match: fig(m.Match), Nearby: []nearbyView{}, Appellations: newMetierView(&m.Metier).Appellations}
		if profile {
			mv.Owned, mv.Missing = skillLevels(m.Owned), skillLevels(m.Missing)
		}
		for _, nb := range m.Nearby {
			nv := nearbyView{refView: metierRef(nb.Metier), MobilityRank: nb.Rank, Overlap: fig(nb.Overlap), Offers: fig(nb.Offers), Score: nb.Score, Via: nb.Via}
			if nb.Owned.Known() {
				nv.Owned = fig(nb.Owned)
			}
			mv.Nearby = append(mv.Nearby, nv)
		}
		v.Metiers = append(v.Metiers, mv)
	}
	for _, z := range d.Zones {
		life := z.Life
		v.Zones = append(v.Zones, newZoneView(z.Zone, &life))
	}
	for _, c := range d.Cells {
		v.Cells = append(v.Cells, newCellView(c))
	}
	if d.Current != nil {
		cv := newCellView(*d.Current)
		v.Current = &cv
	}
	for _, r := range d.Ranking {
		v.Ranking = append(v.Ranking, rankView{Metier: r.Metier.IRI, Zone: r.Zone.IRI, Score: r.Score,
			Coverage: coverageView{Known: r.Coverage.Known, Of: r.Coverage.Of}, Reason: r.Reason})
	}
	for _, s := range d.Sources {
		v.Sources = append(v.Sources, newSourceView(s))
	}
	return v
}

// Package diagnostic is the domain of Open Emploi 360's 360° diagnostic: métiers, zones
// d'emploi, sourced figures, the rules that turn figures into lights, and the service
// that assembles a diagnostic for up to four métiers × four zones and an optional
// skills profile. It knows nothing of HTTP, SPARQL or JSON-LD: the data comes through
// the Source interface (implemented by internal/kg over the triple store) and the HTTP
// layer (internal/api) renders the result.
package diagnostic

import (
	"context"
	"time"
)

// Figure is one sourced number. A missing value is Value == nil with a Note saying
// why, never 0: the original application averaged missing salaries as 0.
type Figure struct {
	Value  *float64
	Unit   string // "EUR/month", "offers/month", "%", "EUR/m2", "count", "ratio"
	Period string // "2024-11/2025-01", "2023-T3", "2019"
	N      *int   // sample size behind the value, when it is a statistic over items
	Source string // IRI of the named graph the value comes from
	Note   string // why Value is nil, or a caveat
}

// Known reports whether the figure has a value.
func (f Figure) Known() bool { return f.Value != nil }

// Num returns a pointer to v, for building figures.
func Num(v float64) *float64 { return &v }

// Count returns a pointer to n.
func Count(n int) *int { return &n }

// Missing is a figure with no value and the reason.
func Missing(unit, source, note string) Figure {
	return Figure{Unit: unit, Source: source, Note: note}
}

// Metier is a ROME 4 fiche with its referential content.
type Metier struct {
	IRI, Code, Label string
	Executive        *bool
	Graph            string // the graph it was read from
	Appellations     []Appellation
	Skills           []Skill
	Mobilities       []Mobility
}

// Appellation is a job title attached to a fiche.
type Appellation struct {
	IRI, Code, Label, ShortLabel string
	Executive                    *bool
}

// Skill kinds of the ROME 4 referential (oep:skillKind).
const (
	SavoirFaire = "savoir-faire"
	SavoirEtre  = "savoir-etre"
	Savoir      = "savoir"
)

// Skill is a ROME 4 item (compétence or savoir).
type Skill struct {
	IRI, Code, Label, Kind, Category string
}

// Mobility is a link to a nearby fiche (ROME mobilités), ranked by the referential.
type Mobility struct {
	IRI, Code, Label string
	Rank             int // 0 when not given
}

// MetierRef is the short form of a métier in lists.
type MetierRef struct {
	IRI, Code, Label string
	Executive        *bool
}

// Label is one searchable label of the referential: a fiche's own label or one of its
// appellations'.
type Label struct {
	Text        string // as written
	Appellation string // appellation code, "" for the fiche's own label
	Metier      MetierRef
}

// Zone is a zone d'emploi 2020.
type Zone struct {
	IRI, Code, Label string
	Population       Figure
	Communes         int
	Graph            string
}

// Commune is used to resolve a commune code or name to its zone.
type Commune struct {
	IRI, Code, Name, Zone string // Zone is the zone's code
}

// Amenity is the number of amenities of one family per 10 000 inhabitants.
type Amenity struct {
	Family string
	Per10k Figure
	Count  Figure
}

// Life is the life context of a zone.
type Life struct {
	PricePerSqm      Figure
	RentPerSqm       Figure
	UnemploymentRate Figure
	Population       Figure
	Amenities        []Amenity
	Stations         Figure
	StationNames     []string
}

// Share is one category of a breakdown (contract, experience).
type Share struct {
	Code, Label string
	Count       int
	Share       Figure // fraction 0–1 of the offers
}

// Company is an employer seen in offers, or an establishment likely to hire.
type Company struct {
	Name   string
	IRI    string // establishment IRI when known
	NAF    string
	Offers int
	Why    string // French
	Source string
}

// MarketStats are what the derived aggregates say about one métier in one area.
type MarketStats struct {
	Area, Metier string // IRIs
	Months       []MonthCount
	Contracts    []Share
	Experience   []Share
	Employers    []Company
	Salary       SalaryStats
	Source       string // graph of the aggregates (oeg:derived)
}

// MonthCount is the number of offers posted in one month ("2025-01").
type MonthCount struct {
	Month string
	Count int
}

// SalaryStats are quartiles of monthly gross salary offered.
type SalaryStats struct {
	Q1, Median, Q3 *float64
	N              int
	Period         string
}

// Tension is the BMO recruitment tension of a métier in a zone.
type Tension struct {
	Indicator  Figure
	Components map[string]Figure // hiringIntensity, demandRatio
	Bassins    []string
}

// Training is a training session of a formation covering a métier.
type Training struct {
	IRI, Name, Start, Commune, Provider string
	Covers                              []string // métier IRIs
	Formacode                           string
	Source                              string
}

// SourceInfo describes one named graph (from oeg:meta).
type SourceInfo struct {
	IRI, Title, Publisher, License, Modified string
	Triples                                  *int64
	Synthetic                                bool
}

// ZoneMetier is a métier's offer count in a zone (top métiers of a zone).
type ZoneMetier struct {
	Metier MetierRef
	Offers int
}

// Source is what the diagnostic needs from the knowledge graph. Every method takes
// IRIs or codes already validated by the caller; a métier or zone absent from the
// graph yields an apperr NotFound from Metier and Zone, and empty results elsewhere.
// SessionCounter is what a Source may also offer: how many training sessions start
// in a period anywhere in the region. Without it the training graphs are taken as
// covering the region (the light is red when no session is found).
type SessionCounter interface {
	SessionCount(ctx context.Context, from, until time.Time) (int, error)
}

type Source interface {
	// DataVersion changes whenever an import changes any graph (oeg:meta dates).
	DataVersion(ctx context.Context) (string, error)
	Metier(ctx context.Context, code string) (*Metier, error)
	Labels(ctx context.Context) ([]Label, error)
	SkillIndex(ctx context.Context) ([]Skill, error)
	Zones(ctx context.Context) ([]Zone, error)
	Communes(ctx context.Context) ([]Commune, error)
	Life(ctx context.Context, zones []string) (map[string]*Life, error)
	Market(ctx context.Context, metiers, areas []string) ([]MarketStats, error)
	TopMetiers(ctx context.Context, areas []string, since string, limit int) (map[string][]ZoneMetier, error)
	Tension(ctx context.Context, metiers, zones []string) (map[[2]string]*Tension, error)
	Trainings(ctx context.Context, metiers, zones []string, from time.Time) (map[[2]string][]Training, error)
	Companies(ctx context.Context, metiers, zones []string) (map[[2]string][]Company, error)
	Sources(ctx context.Context) ([]SourceInfo, error)
	// LatestMonth is the latest month ("2025-01") with offers in the derived
	// aggregates, "" when there are none: market windows end there, not at today.
	LatestMonth(ctx context.Context) (string, error)
}

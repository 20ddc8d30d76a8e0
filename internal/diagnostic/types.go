// Package diagnostic is the domain of Open Emploi 360's 360° diagnostic: métiers, zones
// d'emploi, sourced figures, the rules that turn figures into lights, and the service
// that assembles a diagnostic for up to four métiers × four zones and an optional
// skills profile. It knows nothing of HTTP, SPARQL or JSON-LD: the data comes through
// the role interfaces each section declares (united in Source, implemented by
// internal/kg over the triple store, and by diagtest in memory) and the HTTP layer
// (internal/api) renders the result. doc/architecture.md walks through the layers.
package diagnostic

// Figure is one sourced number. A missing value is Value == nil with a Note saying
// why, never 0: the original application averaged missing salaries as 0.
type Figure struct {
	Value  *float64
	Unit   string // "EUR/month", "offers/month", "%", "EUR/m2", "count", "ratio"
	Period string // "2024-11/2025-01", "2023-T3", "2019"
	N      *int   // sample size behind the value, when it is a statistic over items
	Source string // IRI of the named graph the value comes from
	Note   string // why Value is nil, or a caveat
	// Synthetic is true when the value is computed wholly or partly from synthetic
	// graphs (generated test data, labelled so in oeg:meta).
	Synthetic bool
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

// ZoneObs is a zone d'emploi as the referential describes it.
type ZoneObs struct {
	IRI, Code, Label string
	Population       *float64 // inhabitants, sum of its communes; nil when unknown
	Communes         int      // how many communes it has in the region's data
	TotalCommunes    int      // how many the whole zone has, 0 when not stated
	Graph            string
}

// Zone is a zone d'emploi 2020.
type Zone struct {
	IRI, Code, Label string
	Population       Figure
	Communes         int
	Graph            string
	// Interregional is true for a zone straddling regions: the region's data holds
	// only its communes of the region, and Note says so on each figure summed over them.
	Interregional bool
	Note          string // French
}

// Commune is used to resolve a commune code or name to its zone.
type Commune struct {
	IRI, Code, Name, Zone string // Zone is the zone's code
}

// Share is one category of a breakdown (contract, experience).
type Share struct {
	Code, Label string
	Count       int
	Share       Figure // fraction 0–1 of the offers
}

// SourceInfo describes one named graph (from oeg:meta).
type SourceInfo struct {
	IRI, Title, Publisher, License string
	Modified                       string // when it was imported
	Issued                         string // the date of the data as its publisher gives it, "" when unknown
	Temporal                       Span   // the period the data covers, when known
	Triples                        *int64
	Synthetic                      bool
}

// Span is a period, each end a date or a period as the data writes it ("2024-06").
type Span struct {
	From, To string
}

// ZoneMetier is a métier's offer count in a zone (top métiers of a zone).
type ZoneMetier struct {
	Metier MetierRef
	Offers int
}

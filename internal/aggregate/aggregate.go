// Package aggregate computes the offers aggregates while the offers are mapped, one
// month at a time, so that an import's cost is proportional to what it brings (issue
// 12): the import feeds it the quads of each mapped record, and it writes, for each
// month posted, one observation per area × métier into the companion graph
// oeg:derived/<source>/<YYYY-MM> (vocab.DerivedMonthGraph), which goes live with the
// offers of that month. The diagnostic reads the live month graphs and Fold combines
// them into exactly what the reference definitions queries/derived/*.ru compute over
// every live offer (tested on the sample).
//
// # What a month graph holds
//
// For each area (the zone d'emploi of the offer's commune, and the region
// oeid:region/93 for every offer, with or without a commune) and each fiche
// (schema:occupationalCategory) with offers posted that month:
//
//	oeid:obs/offres/<source>/<area code>/<YYYY-MM>/<fiche code>
//	    a qb:Observation ;
//	    qb:dataSet oeid:dataset/offres ;
//	    oep:refArea <area> ; oep:occupation <fiche> ; oep:refPeriod "YYYY-MM" ;
//	    oep:offerCount n ;                       # distinct offers, xsd:integer
//	    oep:offerMix "{…}"^^rdf:JSON .           # the breakdowns, Mix as JSON
//
// The breakdowns (contracts, experience, employers, salaries) ride in one JSON literal
// rather than one observation per key: at PACA volume most cells hold one or two
// offers, and one observation per (cell, key) made the aggregates as large as the
// offers themselves (790 k triples for 992 k quads of offers in one month), which is
// what made an import cost twice a plain upload. At that volume a month graph holds
// ~13 700 observations (96 k triples) for 992 k quads of offers (BenchmarkMonthGraphs).
//
// # What a record must hold
//
// Record reads an offer and its employer's name from the same record: the offers
// mappings (offres-ft, offres-apec) map the employer node from the offer's own
// logical source. An employer mapped in a pass of its own would reach Record in
// records without the offer, and be missed.
//
// # Exactness
//
// Fold equals the reference definitions, value for value, whenever each offer is
// recorded under one source and one month, which every source guarantees (the
// offer's IRI names its source, its month is its date's). Records that repeat an
// offer within a month count it once per group, as COUNT(DISTINCT ?offer) does: an
// identical repeat changes nothing, and a repeat that differs counts the offer again
// only in the groups it adds (another zone, another contract, a NAF where the first
// had none). Two cases stay apart from the store's, where the repeats' triples merge
// into one offer: repeats that differ in two dimensions at once (the store also
// counts the crossed combinations, say the first record's zone with the second's
// contract), and two different salaries for one offer (the store counts the offer
// once in n, the histogram here twice). A salary that is not a number is left out
// (the shapes reject it before).
package aggregate

// Zones maps a commune IRI to the IRI of its zone d'emploi, as the live geo graph
// says (read once per import).
type Zones map[string]string

// Mix is the breakdown of the offers of one cell (source × area × fiche × month),
// stored as the oep:offerMix JSON literal. Counts are of distinct offers.
type Mix struct {
	// Contracts counts offers by schema:employmentType (CDI, CDD, MIS…).
	Contracts map[string]int64 `json:"contracts,omitempty"`
	// Experience counts offers by oep:experienceRequired (D, E, S).
	Experience map[string]int64 `json:"experience,omitempty"`
	// Employers lists every hiring organisation (schema:hiringOrganization/schema:name)
	// of the cell, sorted by name.
	Employers []Employer `json:"employers,omitempty"`
	// Salaries is the histogram of oep:monthlyGrossSalary rounded to 10 euros as
	// salaries-by-zone.ru rounds it (ROUND(s/10)*10): the rounded value, in euros as a
	// decimal integer string, → offers.
	Salaries map[string]int64 `json:"salaries,omitempty"`
}

// Employer is one hiring organisation of a cell.
type Employer struct {
	Name   string `json:"name"`
	Offers int64  `json:"n"`
	// NAF is the greatest oep:naf of its offers in the cell (MAX, as offers-mix.ru),
	// "" when one of them has none: offers-mix.ru's MAX(?offerNaf) is unbound then (an
	// unbound value is an error to MAX, on Fuseki and Oxigraph alike), and Fold keeps
	// it so over the months.
	NAF string `json:"naf,omitempty"`
}

// CellMonth is one observation of a month graph, as the diagnostic reads it.
type CellMonth struct {
	Source string // the source whose month graph holds it (offres-ft, offres-synth…)
	Area   string // zone d'emploi or region IRI
	Fiche  string // ROME fiche IRI
	Month  string // YYYY-MM
	Offers int64
	Mix    Mix
	// Synthetic is true when the month graph's source is synthetic (oep:synthetic of
	// the logical graph in oeg:meta).
	Synthetic bool
}

// Observations is what queries/derived/*.ru write into oeg:derived, one slice per
// dataset, each sorted by area, fiche then key.
type Observations struct {
	Months     []MonthObs    // oeid:dataset/offres
	Contracts  []KeyObs      // oeid:dataset/offres-contrats
	Experience []KeyObs      // oeid:dataset/offres-experience
	Employers  []EmployerObs // oeid:dataset/offres-employeurs (with the region-level filter)
	Salaries   []SalaryObs   // oeid:dataset/offres-salaires
}

// MonthObs is an offers count of one area × fiche × month.
type MonthObs struct {
	Area, Fiche, Month string
	Offers             int64
}

// KeyObs is an offers count of one area × fiche × key over every month; Period is
// "YYYY-MM/YYYY-MM", the first and last month posted.
type KeyObs struct {
	Area, Fiche, Key, Period string
	Offers                   int64
}

// EmployerObs is an employer of one area × fiche over every month.
type EmployerObs struct {
	Area, Fiche, Name, Period, NAF string
	Offers                         int64
	Synthetic                      bool
}

// SalaryObs are the quartiles (nearest rank, on salaries rounded to 10 euros) of one
// area × fiche over every month; N counts the offers with a salary.
type SalaryObs struct {
	Area, Fiche, Period string
	N                   int64
	Q1, Median, Q3      float64
}

package diagnostic

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// CompanySource reads who hires for a métier in a zone (queries/companies.rq,
// company-affinity.rq); the employers of the offers come with the market aggregates.
type CompanySource interface {
	// Companies returns one observation per establishment of a zone whose NAF sector
	// is linked to a métier, for métiers × zones (IRIs); an establishment linked
	// several ways comes once per link.
	Companies(ctx context.Context, metiers, zones []string) ([]EstablishmentObs, error)
	// Affinities returns, for métiers (IRIs), the NAF sub-classes they hire in with
	// the ROME↔NAF affinity measured on hirings.
	Affinities(ctx context.Context, metiers []string) ([]AffinityObs, error)
}

// EstablishmentObs is an active establishment of a zone in a sector linked to a métier.
type EstablishmentObs struct {
	Metier, Zone string // IRIs
	IRI, Name    string
	NAF          string // sub-class code ("62.01Z")
	NAFLabel     string
	// Weight is the ROME↔NAF affinity measured on hirings; nil when the link is the
	// referential's NAF division of the fiche.
	Weight *float64
	Band   string // headcount band as published (INSEE code "12" or "20-49"), "" when unknown
	Graph  string
}

// AffinityObs is how much a métier hires in one NAF sub-class.
type AffinityObs struct {
	Metier        string // IRI
	NAF, NAFLabel string
	Weight        float64
	Graph         string
}

// Company is an employer seen in offers, or an establishment likely to hire.
type Company struct {
	Name     string
	IRI      string // establishment IRI when known
	NAF      string
	Offers   int
	Affinity *float64 // ROME↔NAF affinity of its sector with the métier, when known
	Size     string   // headcount band in French ("20 à 49 salariés"), when Sirene has it
	Why      string   // French: why it is listed
	Source   string
	// Synthetic is true when the company comes from a synthetic graph (an employer
	// of generated offers).
	Synthetic bool
	// OriginKnown says Synthetic was stated for this company itself (the aggregates
	// record whether any of an employer's offers is synthetic), so the flag of the
	// graph it was read from, which mixes real and generated offers, does not
	// override it: a real employer stays real beside generated ones.
	OriginKnown bool
}

const maxCompanies = 10

type companiesUnit struct{ src CompanySource }

func (companiesUnit) Name() string { return "companies" }

func (u companiesUnit) Fetch(ctx context.Context, q *Query) (Assemble, error) {
	zones := q.RealZones()
	var (
		obs    []EstablishmentObs
		aff    []AffinityObs
		byCell map[[2]string]*MarketStats
	)
	err := parallel(
		func() (err error) {
			if len(zones) > 0 { // establishments are read by zone, not for the whole region
				obs, err = u.src.Companies(ctx, q.MetierIRIs(), zones)
			}
			return
		},
		func() (err error) { aff, err = u.src.Affinities(ctx, q.MetierIRIs()); return },
		func() (err error) { byCell, err = q.marketStats(ctx); return },
	)
	if err != nil {
		return nil, err
	}
	etabs := map[[2]string][]EstablishmentObs{}
	for _, o := range obs {
		k := [2]string{o.Metier, o.Zone}
		etabs[k] = append(etabs[k], o)
	}
	affinity := map[string]map[string]AffinityObs{}
	for _, a := range aff {
		if affinity[a.Metier] == nil {
			affinity[a.Metier] = map[string]AffinityObs{}
		}
		affinity[a.Metier][a.NAF] = a
	}
	return func(d *Diagnostic) {
		for i := range d.Cells {
			c := &d.Cells[i]
			key := [2]string{c.Metier.IRI, c.Zone.IRI}
			var employers []Company
			if ms := byCell[key]; ms != nil {
				employers = ms.Employers
			}
			where := "dans la zone"
			if isRegion(c.Zone) {
				where = "dans la région"
			}
			c.Companies, c.CompaniesNote = assembleCompanies(employers, etabs[key], affinity[c.Metier.IRI], where)
			if isRegion(c.Zone) {
				// the aggregates keep, for the whole region, the employers of at least 2
				// offers when a métier has more than 10 (queries/derived/offers-mix.ru)
				c.CompaniesNote += " Pour toute la région, seuls les employeurs d'au moins 2 offres sont retenus quand le métier en compte plus de 10 ; choisissez une zone pour voir tous ses employeurs et les établissements des secteurs qui recrutent."
			}
		}
	}, nil
}

// candidate is an employer or an establishment with what ranks it.
type candidate struct {
	Company
	label   string  // NAF label
	weight  float64 // affinity, -1 when unknown
	rome    bool    // linked through the referential's NAF division, no measured affinity
	size    int     // lower bound of the headcount band, -1 when unknown
	matched bool    // an establishment already merged into an employer
}

// assembleCompanies lists who hires for a métier in a zone: the employers of its
// offers and the establishments of sectors linked to it, each once (an employer and an
// establishment of the same name are one company), ranked by offers, then by the
// affinity of their sector with the métier, then by size, then by name. Each says why
// it is listed; the note says how many there are and the rule, or why there is none.
// where places the offers in French ("dans la zone").
func assembleCompanies(employers []Company, etabs []EstablishmentObs, aff map[string]AffinityObs, where string) ([]Company, string) {
	// establishments: once each, by their strongest link
	byIRI := map[string]*candidate{}
	var order []string
	for _, o := range etabs {
		c := &candidate{Company: Company{Name: o.Name, IRI: o.IRI, NAF: o.NAF, Source: o.Graph}, label: o.NAFLabel, weight: -1, rome: o.Weight == nil}
		if o.Weight != nil {
			c.weight = *o.Weight
		}
		c.size, c.Size = headcount(o.Band)
		if prev, ok := byIRI[o.IRI]; ok {
			if prev.weight >= c.weight {
				continue
			}
		} else {
			order = append(order, o.IRI)
		}
		byIRI[o.IRI] = c
	}
	byName := map[string]*candidate{}
	for _, iri := range order {
		c := byIRI[iri]
		if k := fold(c.Name); byName[k] == nil {
			byName[k] = c
		}
	}
	var all []*candidate
	for _, e := range employers {
		c := &candidate{Company: e, weight: -1, size: -1}
		if et := byName[fold(e.Name)]; et != nil && !et.matched {
			et.matched = true
			c.IRI, c.Size, c.size = et.IRI, et.Size, et.size
			if c.NAF == "" {
				c.NAF, c.label, c.weight, c.rome = et.NAF, et.label, et.weight, et.rome
			}
		}
		if a, ok := aff[c.NAF]; ok && c.weight < 0 {
			c.weight, c.label = a.Weight, a.NAFLabel
		}
		all = append(all, c)
	}
	for _, iri := range order {
		if c := byIRI[iri]; !c.matched {
			all = append(all, c)
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		a, b := all[i], all[j]
		switch {
		case a.Offers != b.Offers:
			return a.Offers > b.Offers
		case a.weight != b.weight:
			return a.weight > b.weight
		case a.size != b.size:
			return a.size > b.size
		case a.Synthetic != b.Synthetic:
			return !a.Synthetic // at a tie, a real employer before a generated one
		case a.Name != b.Name:
			return a.Name < b.Name
		}
		return a.IRI < b.IRI
	})
	out := make([]Company, 0, min(len(all), maxCompanies))
	for _, c := range capList(all, maxCompanies) {
		co := c.Company
		if c.weight >= 0 {
			co.Affinity = Num(c.weight)
		}
		co.Why = why(c, where)
		out = append(out, co)
	}
	withOffers := 0
	for _, c := range all {
		if c.Offers > 0 {
			withOffers++
		}
	}
	var note string
	switch {
	case len(all) == 0:
		note = fmt.Sprintf("Aucun employeur nommé dans les offres de ce métier %s, et aucun établissement d'un secteur qui recrute pour ce métier dans Sirene.", where)
	default:
		var counts []string
		if withOffers > 0 {
			counts = append(counts, fmt.Sprintf("%d employeur(s) ayant publié des offres pour ce métier %s", withOffers, where))
		}
		if n := len(all) - withOffers; n > 0 {
			counts = append(counts, fmt.Sprintf("%d établissement(s) d'un secteur qui recrute pour ce métier", n))
		}
		note = strings.Join(counts, " et ")
		if len(all) > maxCompanies {
			note += fmt.Sprintf(" ; les %d premiers", maxCompanies)
		}
		note += ", classés par nombre d'offres, puis affinité de leur secteur avec le métier, puis effectif."
	}
	return out, note
}

// why says in French why a company is listed.
func why(c *candidate, where string) string {
	var parts []string
	if c.Offers > 0 {
		parts = append(parts, fmt.Sprintf("%d offre(s) publiée(s) pour ce métier %s", c.Offers, where))
	} else {
		parts = append(parts, "établissement d'un secteur qui recrute pour ce métier")
	}
	sector := ""
	if c.NAF != "" {
		sector = "secteur " + c.NAF
		if c.label != "" {
			sector += " (" + c.label + ")"
		}
	}
	switch {
	case c.weight >= 0:
		parts = append(parts, fmt.Sprintf("%s : affinité métier–secteur %.2f d'après les embauches", sector, c.weight))
	case c.rome && sector != "":
		parts = append(parts, sector+" associé au métier dans le ROME")
	case sector != "":
		parts = append(parts, sector)
	}
	if c.Size != "" {
		parts = append(parts, "effectif "+c.Size)
	}
	return strings.Join(parts, " ; ")
}

// headcounts are the INSEE headcount bands of Sirene (tranche d'effectifs): code →
// lower bound and French label.
var headcounts = map[string]struct {
	min   int
	label string
}{
	"00": {0, "0 salarié"}, "01": {1, "1 ou 2 salariés"}, "02": {3, "3 à 5 salariés"}, "03": {6, "6 à 9 salariés"},
	"11": {10, "10 à 19 salariés"}, "12": {20, "20 à 49 salariés"}, "21": {50, "50 à 99 salariés"},
	"22": {100, "100 à 199 salariés"}, "31": {200, "200 à 249 salariés"}, "32": {250, "250 à 499 salariés"},
	"41": {500, "500 à 999 salariés"}, "42": {1000, "1 000 à 1 999 salariés"}, "51": {2000, "2 000 à 4 999 salariés"},
	"52": {5000, "5 000 à 9 999 salariés"}, "53": {10000, "10 000 salariés et plus"},
}

// headcount reads a band as published: an INSEE code ("12"), or a range written
// "20-49"; "NN" (no employee stated) and an empty band are unknown (-1, "").
func headcount(band string) (int, string) {
	band = strings.TrimSpace(band)
	if h, ok := headcounts[band]; ok {
		return h.min, h.label
	}
	if lo, hi, ok := strings.Cut(band, "-"); ok {
		a, errA := strconv.Atoi(strings.TrimSpace(lo))
		b, errB := strconv.Atoi(strings.TrimSpace(hi))
		if errA == nil && errB == nil {
			return a, fmt.Sprintf("%d à %d salariés", a, b)
		}
	}
	if band == "" || band == "NN" {
		return -1, ""
	}
	return -1, band
}

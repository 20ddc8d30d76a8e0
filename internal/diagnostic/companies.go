package diagnostic

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// CompanySource reads establishments likely to hire for a métier (queries/companies.rq).
type CompanySource interface {
	// Companies returns one observation per establishment of a zone whose NAF sector
	// is linked to a métier, for métiers × zones (IRIs); an establishment linked
	// several ways comes once per link.
	Companies(ctx context.Context, metiers, zones []string) ([]EstablishmentObs, error)
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
	Band   string // headcount band as published, "" when unknown
	Graph  string
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

const maxCompanies = 10

type companiesUnit struct{ src CompanySource }

func (companiesUnit) Name() string { return "companies" }

func (u companiesUnit) Fetch(ctx context.Context, q *Query) (Assemble, error) {
	zones := q.RealZones()
	if len(zones) == 0 {
		return nil, nil // establishments are listed by zone, not for the whole region
	}
	var (
		obs    []EstablishmentObs
		byCell map[[2]string]*MarketStats
	)
	err := parallel(
		func() (err error) { obs, err = u.src.Companies(ctx, q.MetierIRIs(), zones); return },
		func() (err error) { byCell, err = q.marketStats(ctx); return },
	)
	if err != nil {
		return nil, err
	}
	etabs := assembleEstablishments(obs)
	return func(d *Diagnostic) {
		for i := range d.Cells {
			c := &d.Cells[i]
			if isRegion(c.Zone) {
				continue
			}
			key := [2]string{c.Metier.IRI, c.Zone.IRI}
			var hiring []Company
			if ms := byCell[key]; ms != nil {
				hiring = employers(ms)
			}
			c.Companies = mergeCompanies(etabs[key], hiring, maxCompanies)
		}
	}, nil
}

// assembleEstablishments keeps each establishment once per métier × zone, by its
// strongest link, says why it is listed, and orders them by affinity then name.
func assembleEstablishments(obs []EstablishmentObs) map[[2]string][]Company {
	type cand struct {
		c Company
		w float64
	}
	best := map[[2]string]map[string]*cand{}
	for _, o := range obs {
		key := [2]string{o.Metier, o.Zone}
		if best[key] == nil {
			best[key] = map[string]*cand{}
		}
		w := 0.0
		why := fmt.Sprintf("secteur %s (%s) associé au métier dans le ROME", o.NAF, o.NAFLabel)
		if o.Weight != nil {
			w = *o.Weight
			why = fmt.Sprintf("secteur %s (%s) : affinité métier–secteur %.2f d'après les embauches", o.NAF, o.NAFLabel, w)
		}
		if o.Band != "" {
			why += ", effectif " + o.Band
		}
		if c, ok := best[key][o.IRI]; ok && c.w >= w {
			continue
		}
		best[key][o.IRI] = &cand{c: Company{Name: o.Name, IRI: o.IRI, NAF: o.NAF, Why: why, Source: o.Graph}, w: w}
	}
	out := map[[2]string][]Company{}
	for key, m := range best {
		l := make([]*cand, 0, len(m))
		for _, c := range m {
			l = append(l, c)
		}
		sort.Slice(l, func(i, j int) bool {
			if l[i].w != l[j].w {
				return l[i].w > l[j].w
			}
			if l[i].c.Name != l[j].c.Name {
				return l[i].c.Name < l[j].c.Name
			}
			return l[i].c.IRI < l[j].c.IRI
		})
		for _, c := range l {
			out[key] = append(out[key], c.c)
		}
	}
	return out
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

package aggregate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"slices"
	"strconv"
	"strings"

	"github.com/openemploi360/openemploi/internal/ntriples"
	"github.com/openemploi360/openemploi/internal/vocab"
)

// The terms the aggregates read and write that are not ours (vocab has our own).
const (
	rdfType  = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
	rdfJSON  = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON"
	xsdInt   = "http://www.w3.org/2001/XMLSchema#integer"
	qbObs    = "http://purl.org/linked-data/cube#Observation"
	qbDS     = "http://purl.org/linked-data/cube#dataSet"
	schemaNS = "http://schema.org/"
)

var (
	pOccupationalCategory = schemaNS + "occupationalCategory"
	pDatePosted           = schemaNS + "datePosted"
	pEmploymentType       = schemaNS + "employmentType"
	pHiringOrganization   = schemaNS + "hiringOrganization"
	pName                 = schemaNS + "name"
	cJobOffer             = vocab.Property("JobOffer")
	pCommune              = vocab.Property("commune")
	pExperienceRequired   = vocab.Property("experienceRequired")
	pNAF                  = vocab.Property("naf")
	pMonthlyGrossSalary   = vocab.Property("monthlyGrossSalary")
	pRefArea              = vocab.Property("refArea")
	pOccupation           = vocab.Property("occupation")
	pRefPeriod            = vocab.Property("refPeriod")
	pOfferCount           = vocab.Property("offerCount")
	pOfferMix             = vocab.Property("offerMix")
	datasetOffers         = vocab.IRI(vocab.KindDataset, "offres")
)

// Offers accumulates the aggregates of the offers of one import run, month by
// month. It is not safe for concurrent use.
//
// Memory: per month, one entry per distinct offer (its IRI's 64-bit hash → the
// fingerprints of its first record, 16 bytes), and per cell (area × fiche) its
// counts; strings (fiches, areas, keys, employer names, NAF codes) are interned once
// per run.
type Offers struct {
	source    string
	synthetic bool
	zones     Zones
	seed      maphash.Seed
	region    uint32

	ids  map[string]uint32 // interned strings; 0 is ""
	strs []string
	// salaries rounded to 10 euros, interned likewise (0 is unused)
	salaryIDs map[int64]uint32
	salaries  []int64
	mon       map[string]*month

	// scratch of Record, reused from record to record
	offers                                        []offerVals
	areaBuf, zoneBuf                              []uint32
	ficheIDs, contractIDs, expIDs, empIDs, salIDs []uint32
}

// month is the state of one month posted.
type month struct {
	// seen holds, for each offer already recorded this month (its IRI hashed), the
	// fingerprints of its first record (see fingerprint): a second record of the same
	// offer counts it again only in the groups where it differs.
	seen  map[uint64]uint64
	index map[cellKey]int32 // → cells
	cells []cell
}

type cellKey struct{ area, fiche uint32 }

// offerVals are the values one record gives an offer (term values, not copies).
type offerVals struct {
	subj                                ntriples.Term
	fiches, months, communes, contracts []string
	experience, nafs, employers         []string
	salaries                            []int64 // rounded to 10 euros
	orgs                                []ntriples.Term
}

// NewOffers returns an aggregator for one run of source, whose offers are synthetic
// or not, reading communes' zones from zones.
func NewOffers(source string, synthetic bool, zones Zones) *Offers {
	a := &Offers{source: source, synthetic: synthetic, zones: zones, seed: maphash.MakeSeed(),
		ids: map[string]uint32{"": 0}, strs: []string{""}, salaryIDs: map[int64]uint32{}, salaries: []int64{0},
		mon: map[string]*month{}}
	a.region = a.intern(vocab.RegionIRI)
	return a
}

func (a *Offers) salaryID(s int64) uint32 {
	if id, ok := a.salaryIDs[s]; ok {
		return id
	}
	id := uint32(len(a.salaries))
	a.salaryIDs[s] = id
	a.salaries = append(a.salaries, s)
	return id
}

func (a *Offers) intern(s string) uint32 {
	if id, ok := a.ids[s]; ok {
		return id
	}
	s = strings.Clone(s) // the record's strings are the mapper's, reused
	id := uint32(len(a.strs))
	a.ids[s] = id
	a.strs = append(a.strs, s)
	return id
}

// Record takes the triples of one mapped record (blank nodes already skolemised by
// the caller; the slice is reused after the call). Offers are recognised by
// rdf:type oep:JobOffer; the organisation named by schema:hiringOrganization is looked
// up among the same record's triples.
//
// An offer counts as the reference definitions count it: it needs a fiche
// (schema:occupationalCategory) and a date (schema:datePosted, month = its first 7
// characters); it counts in the zone of each of its communes that has one, and in
// the region in every case; breakdown keys are lexical forms.
func (a *Offers) Record(triples []ntriples.Triple) {
	a.offers = a.offers[:0]
	for _, t := range triples {
		if t.P.Value == rdfType && t.O.Kind == ntriples.IRI && t.O.Value == cJobOffer && t.P.Kind == ntriples.IRI {
			if !slices.ContainsFunc(a.offers, func(o offerVals) bool { return sameNode(o.subj, t.S) }) {
				a.offers = append(a.offers, a.newOfferVals(t.S))
			}
		}
	}
	if len(a.offers) == 0 {
		return
	}
	for _, t := range triples {
		for i := range a.offers {
			o := &a.offers[i]
			if !sameNode(o.subj, t.S) {
				continue
			}
			switch t.P.Value {
			case pOccupationalCategory:
				o.fiches = addUniq(o.fiches, t.O.Value)
			case pDatePosted:
				o.months = addUniq(o.months, firstRunes(t.O.Value, 7))
			case pCommune:
				o.communes = addUniq(o.communes, t.O.Value)
			case pEmploymentType:
				o.contracts = addUniq(o.contracts, t.O.Value)
			case pExperienceRequired:
				o.experience = addUniq(o.experience, t.O.Value)
			case pNAF:
				o.nafs = addUniq(o.nafs, t.O.Value)
			case pMonthlyGrossSalary:
				if s, ok := roundSalary(t.O); ok {
					o.salaries = addUniq(o.salaries, s)
				}
			case pHiringOrganization:
				if !slices.ContainsFunc(o.orgs, func(x ntriples.Term) bool { return sameNode(x, t.O) }) {
					o.orgs = append(o.orgs, t.O)
				}
			}
		}
	}
	for i := range a.offers {
		o := &a.offers[i]
		for _, org := range o.orgs {
			for _, t := range triples {
				if t.P.Value == pName && sameNode(t.S, org) {
					o.employers = addUniq(o.employers, t.O.Value)
				}
			}
		}
		a.add(o)
	}
}

// newOfferVals returns the scratch values of one offer, reusing the slices of the
// previous records.
func (a *Offers) newOfferVals(s ntriples.Term) offerVals {
	n := len(a.offers)
	if n < cap(a.offers) {
		o := a.offers[:n+1][n]
		o.subj = s
		o.fiches, o.months, o.communes, o.contracts = o.fiches[:0], o.months[:0], o.communes[:0], o.contracts[:0]
		o.experience, o.nafs, o.salaries, o.employers = o.experience[:0], o.nafs[:0], o.salaries[:0], o.employers[:0]
		o.orgs = o.orgs[:0]
		return o
	}
	return offerVals{subj: s}
}

// Fingerprints of an offer's record, one field per dimension (the month is the map
// the offer is recorded in). Each field hashes the set of the record's values of that
// dimension; the NAF field is 0 when the record has none.
const (
	fpFiche    uint64 = 1<<12 - 1
	fpZone            = (1<<10 - 1) << 12
	fpContract        = (1<<8 - 1) << 22
	fpExp             = (1<<8 - 1) << 30
	fpEmployer        = (1<<10 - 1) << 38
	fpSalary          = (1<<10 - 1) << 48
	fpNAF             = (1<<6 - 1) << 58
)

func (a *Offers) fingerprint(o *offerVals, zones []uint32) uint64 {
	set := func(vals []string) uint64 {
		var h uint64
		for _, v := range vals {
			h += maphash.String(a.seed, v) // order-free: the values are distinct
		}
		return h
	}
	var hz, hs uint64
	for _, z := range zones {
		hz += maphash.String(a.seed, a.strs[z])
	}
	for _, v := range o.salaries {
		hs += maphash.Comparable(a.seed, v)
	}
	fp := set(o.fiches)&fpFiche | hz<<12&fpZone | set(o.contracts)<<22&fpContract |
		set(o.experience)<<30&fpExp | set(o.employers)<<38&fpEmployer | hs<<48&fpSalary
	if len(o.nafs) > 0 {
		fp |= max(set(o.nafs)<<58&fpNAF, 1<<58)
	}
	return fp
}

// add counts one recorded offer.
func (a *Offers) add(o *offerVals) {
	if len(o.fiches) == 0 || len(o.months) == 0 {
		return // the reference definitions need both
	}
	a.areaBuf, a.zoneBuf = append(a.areaBuf[:0], a.region), a.zoneBuf[:0]
	for _, c := range o.communes {
		if z, ok := a.zones[c]; ok {
			id := a.intern(z)
			if !slices.Contains(a.areaBuf, id) {
				a.areaBuf = append(a.areaBuf, id)
				a.zoneBuf = append(a.zoneBuf, id)
			}
		}
	}
	areas := a.areaBuf
	fp := a.fingerprint(o, a.zoneBuf)
	// every value interned once, not once per cell
	a.ficheIDs, a.contractIDs = a.internAll(a.ficheIDs, o.fiches), a.internAll(a.contractIDs, o.contracts)
	a.expIDs, a.empIDs = a.internAll(a.expIDs, o.experience), a.internAll(a.empIDs, o.employers)
	a.salIDs = a.salIDs[:0]
	for _, v := range o.salaries {
		a.salIDs = append(a.salIDs, a.salaryID(v))
	}
	var naf uint32 // the record's greatest NAF
	for _, v := range o.nafs {
		if v > a.strs[naf] {
			naf = a.intern(v)
		}
	}
	key := maphash.String(a.seed, o.subj.Value)
	for _, m := range o.months {
		st := a.mon[m]
		if st == nil {
			st = &month{seen: map[uint64]uint64{}, index: map[cellKey]int32{}}
			a.mon[strings.Clone(m)] = st
		}
		prev, dup := st.seen[key]
		if !dup {
			st.seen[key] = fp
		} else if prev&fpNAF == 0 && fp&fpNAF != 0 {
			// below, the groups of the first record lose its missing NAF; a third
			// record must not take it away again
			st.seen[key] = prev | fp&fpNAF
		}
		// counted reports whether the first record of the offer already counted it in
		// the group of the dimensions of mask.
		counted := func(mask uint64) bool { return dup && prev&mask == fp&mask }
		for _, fid := range a.ficheIDs {
			for _, area := range areas {
				base := fpFiche
				if area != a.region {
					base |= fpZone
				}
				k := cellKey{area, fid}
				i, ok := st.index[k]
				if !ok {
					i = int32(len(st.cells))
					st.index[k] = i
					st.cells = append(st.cells, cell{})
				}
				c := &st.cells[i]
				if !counted(base) {
					c.offers++
				}
				if !counted(base | fpContract) {
					for _, id := range a.contractIDs {
						c.contracts.add(id)
					}
				}
				if !counted(base | fpExp) {
					for _, id := range a.expIDs {
						c.experience.add(id)
					}
				}
				again := counted(base | fpEmployer)
				// the first record had no NAF, this one has: the offer has one now
				gotNAF := again && prev&fpNAF == 0 && len(o.nafs) > 0
				for _, id := range a.empIDs {
					e := c.employers.get(id)
					switch {
					case !again:
						e.n++
						if len(o.nafs) == 0 {
							e.noNAF++
						}
					case gotNAF && e.noNAF > 0:
						e.noNAF--
					}
					if naf != 0 && a.strs[naf] > a.strs[e.naf] {
						e.naf = naf
					}
				}
				if !counted(base | fpSalary) {
					for _, id := range a.salIDs {
						c.salaries.add(id)
					}
				}
			}
		}
	}
}

func (a *Offers) internAll(dst []uint32, vals []string) []uint32 {
	dst = dst[:0]
	for _, v := range vals {
		dst = append(dst, a.intern(v))
	}
	return dst
}

// Months returns the months with offers, sorted.
func (a *Offers) Months() []string {
	out := make([]string, 0, len(a.mon))
	for m := range a.mon {
		out = append(out, m)
	}
	slices.Sort(out)
	return out
}

// Write emits the observations of month (see the package comment), in a stable order:
// by area, then fiche. A month without offers emits nothing.
func (a *Offers) Write(month string, emit func(s, p, o ntriples.Term) error) error {
	st := a.mon[month]
	if st == nil {
		return nil
	}
	keys := make([]cellKey, 0, len(st.index))
	for k := range st.index {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y cellKey) int {
		if c := strings.Compare(a.strs[x.area], a.strs[y.area]); c != 0 {
			return c
		}
		return strings.Compare(a.strs[x.fiche], a.strs[y.fiche])
	})
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // employer names keep their "&"
	typ, ds := ntriples.NewIRI(rdfType), ntriples.NewIRI(qbDS)
	obsClass, dataset := ntriples.NewIRI(qbObs), ntriples.NewIRI(datasetOffers)
	refArea, occupation, refPeriod := ntriples.NewIRI(pRefArea), ntriples.NewIRI(pOccupation), ntriples.NewIRI(pRefPeriod)
	offerCount, offerMix := ntriples.NewIRI(pOfferCount), ntriples.NewIRI(pOfferMix)
	period := ntriples.NewLiteral(month)
	for _, k := range keys {
		c := &st.cells[st.index[k]]
		area, fiche := a.strs[k.area], a.strs[k.fiche]
		obs := ntriples.NewIRI(ObservationIRI(a.source, area, month, fiche))
		buf.Reset()
		if err := enc.Encode(a.mix(c)); err != nil {
			return fmt.Errorf("aggregate: %s %s %s %s: offerMix: %w", a.source, month, area, fiche, err)
		}
		mix := bytes.TrimRight(buf.Bytes(), "\n")
		for _, t := range [...]ntriples.Triple{
			{S: obs, P: typ, O: obsClass},
			{S: obs, P: ds, O: dataset},
			{S: obs, P: refArea, O: ntriples.NewIRI(area)},
			{S: obs, P: occupation, O: ntriples.NewIRI(fiche)},
			{S: obs, P: refPeriod, O: period},
			{S: obs, P: offerCount, O: ntriples.NewTyped(strconv.FormatInt(c.offers, 10), xsdInt)},
			{S: obs, P: offerMix, O: ntriples.NewTyped(string(mix), rdfJSON)},
		} {
			if err := emit(t.S, t.P, t.O); err != nil {
				return fmt.Errorf("aggregate: write %s %s: %w", a.source, month, err)
			}
		}
	}
	return nil
}

// ObservationIRI is the IRI of the observation of one month graph's cell:
// oeid:obs/offres/<source>/<area code>/<month>/<fiche code>, the codes being the last
// path segments of the area's and the fiche's IRIs, as offers-by-zone.ru names its
// observations (REPLACE(STR(?area), "^.*/", "")).
func ObservationIRI(source, area, month, fiche string) string {
	return vocab.IRI(vocab.KindObservation, "offres/"+source+"/"+lastSegment(area)+"/"+month+"/"+lastSegment(fiche))
}

func lastSegment(iri string) string { return iri[strings.LastIndexByte(iri, '/')+1:] }

// mix is the breakdown of a cell as written (Employers sorted by name).
func (a *Offers) mix(c *cell) Mix {
	var m Mix
	strMap := func(in counter) map[string]int64 {
		if len(in.kv) == 0 {
			return nil
		}
		out := make(map[string]int64, len(in.kv))
		for _, e := range in.kv {
			out[a.strs[e.key]] = int64(e.n)
		}
		return out
	}
	m.Contracts, m.Experience = strMap(c.contracts), strMap(c.experience)
	for _, e := range c.employers.l {
		naf := a.strs[e.naf]
		if e.noNAF > 0 {
			naf = ""
		}
		m.Employers = append(m.Employers, Employer{Name: a.strs[e.name], Offers: int64(e.n), NAF: naf})
	}
	slices.SortFunc(m.Employers, func(x, y Employer) int { return strings.Compare(x.Name, y.Name) })
	if len(c.salaries.kv) > 0 {
		m.Salaries = make(map[string]int64, len(c.salaries.kv))
		for _, e := range c.salaries.kv {
			m.Salaries[strconv.FormatInt(a.salaries[e.key], 10)] = int64(e.n)
		}
	}
	return m
}

func sameNode(x, y ntriples.Term) bool { return x.Kind == y.Kind && x.Value == y.Value }

func addUniq[T comparable](l []T, v T) []T {
	if slices.Contains(l, v) {
		return l
	}
	return append(l, v)
}

// firstRunes is SUBSTR(s, 1, n): the first n characters (not bytes).
func firstRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

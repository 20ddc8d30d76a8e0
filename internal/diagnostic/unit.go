package diagnostic

import (
	"context"
	"sync"
	"time"

	"github.com/openemploi360/openemploi/internal/vocab"
)

// A Unit is one section of the diagnostic (market, pay, tension, skills, trainings,
// companies, nearby métiers, life context). Each lives in its own file, named like its
// query (queries/<name>.rq), its reader in internal/kg and its view in internal/api,
// and holds three things: the small role interface of what it reads from the
// knowledge graph, a pure function from those observations to figures and notes, and
// its light rule when it has one.
//
// A diagnostic runs in three steps: the request is resolved into a Query; every unit's
// Fetch runs at once (one round trip of latency for the whole request); then each
// returned Assemble runs, in the order of the units, and writes its section into the
// Diagnostic. Lights are appended in that order too. Ranking comes last.
type Unit interface {
	// Name names the section, as its files do in every layer ("market").
	Name() string
	// Fetch reads what the section needs for q. It runs concurrently with the other
	// units' fetches and must not touch the Diagnostic; it returns the assembly to
	// run once every fetch is done (nil when the section has nothing to write).
	Fetch(ctx context.Context, q *Query) (Assemble, error)
}

// Assemble writes a section into the diagnostic: figures, notes, lights. It reads only
// what its Fetch captured and q; the service runs the assemblies one after another.
type Assemble func(d *Diagnostic)

// Query is a request resolved against the referential: the plan every unit reads.
// It holds the profile for the duration of one diagnostic only.
type Query struct {
	Level   string
	Now     time.Time
	Latest  string      // latest month of offers in the aggregates, "" when none
	Metiers []MetierRef // the requested métiers, in order
	Fiches  []*Metier   // their fiches, in the same order
	Zones   []Zone      // the zones of the cells: the requested ones, or the region alone
	Current *Cell       // the current situation (métier and zone set), nil when not given
	Skills  map[string]int
	Income  *Income
	Spouse  *MetierRef
	Sources []SourceInfo // descriptions of the live graphs

	th     *Thresholds
	ix     *index
	src    Source
	market sharedMarket
}

// MetierIRIs returns the IRIs of the requested métiers.
func (q *Query) MetierIRIs() []string {
	out := make([]string, len(q.Metiers))
	for i, m := range q.Metiers {
		out[i] = m.IRI
	}
	return out
}

// ZoneIRIs returns the IRIs of the cells' zones (the region's when no zone was given).
func (q *Query) ZoneIRIs() []string {
	out := make([]string, len(q.Zones))
	for i, z := range q.Zones {
		out[i] = z.IRI
	}
	return out
}

// RealZones returns the IRIs of the requested zones d'emploi: empty when the cells are
// the region's. Zone-level sections (tension, trainings, companies, life) read these.
func (q *Query) RealZones() []string {
	out := []string{}
	for _, z := range q.Zones {
		if !isRegion(z) {
			out = append(out, z.IRI)
		}
	}
	return out
}

func isRegion(z Zone) bool { return z.IRI == vocab.RegionIRI }

// cellIndex returns the position in d.Cells of métier i in zone j.
func (q *Query) cellIndex(i, j int) int { return i*len(q.Zones) + j }

// sharedMarket is the market aggregates of a request, read once for every unit that
// needs them (market, pay, companies, nearby métiers): one query for the requested,
// nearby, spouse's and current métiers × the cells' and current zones.
type sharedMarket struct {
	metiers, areas []string
	once           sync.Once
	byCell         map[[2]string]*MarketStats
	err            error
}

// marketStats returns the request's market aggregates by [métier, area] IRIs, reading
// them on the first call; a cell without aggregates is absent (nil).
func (q *Query) marketStats(ctx context.Context) (map[[2]string]*MarketStats, error) {
	m := &q.market
	m.once.Do(func() {
		l, err := q.src.Market(ctx, m.metiers, m.areas)
		if err != nil {
			m.err = err
			return
		}
		m.byCell = make(map[[2]string]*MarketStats, len(l))
		for i := range l {
			m.byCell[[2]string{l[i].Metier, l[i].Area}] = &l[i]
		}
	})
	return m.byCell, m.err
}

// units are the built-in sections, in the order they assemble (and so the order of
// the lights: market, pay, skills, training, life).
func (s *Service) units() []Unit {
	return append([]Unit{
		marketUnit{s.src},
		payUnit{},
		tensionUnit{s.src},
		skillsUnit{},
		trainingsUnit{s.src},
		companiesUnit{s.src},
		nearbyUnit{},
		lifeUnit{},
	}, s.extra...)
}

// resolve reads what the plan depends on: the requested fiches (usually from the
// per-version index), which name the nearby métiers whose market is read with the
// others'.
func (s *Service) resolve(ctx context.Context, ix *index, n *normalised) (*Query, error) {
	q := &Query{Level: n.Level, Now: s.now(), Latest: ix.latest, Metiers: n.Metiers, Skills: n.Skills, Income: n.Income,
		Spouse: n.Spouse, Sources: ix.sources, th: s.th, ix: ix, src: s.src}
	q.Zones = n.Zones
	if len(q.Zones) == 0 {
		q.Zones = []Zone{RegionZone}
	}
	q.Fiches = make([]*Metier, len(n.Metiers))
	var fns []func() error
	for i, m := range n.Metiers {
		fns = append(fns, func() (err error) { q.Fiches[i], err = ix.metier(ctx, s.src, m.Code); return })
	}
	if err := parallel(fns...); err != nil {
		return nil, err
	}
	q.market.metiers = q.MetierIRIs()
	for _, c := range nearbyCodes(q.Fiches) {
		q.market.metiers = append(q.market.metiers, vocab.Metier(c))
	}
	if n.Spouse != nil {
		q.market.metiers = append(q.market.metiers, n.Spouse.IRI)
	}
	q.market.areas = q.ZoneIRIs()
	if c := n.Current; c != nil {
		q.Current = &Cell{Metier: c.Metier, Zone: c.Zone}
		q.market.metiers = append(q.market.metiers, c.Metier.IRI)
		q.market.areas = append(q.market.areas, c.Zone.IRI)
	}
	q.market.metiers, q.market.areas = dedup(q.market.metiers), dedup(q.market.areas)
	return q, nil
}

// run computes a diagnostic: resolve → fetch every unit at once → assemble each → rank
// (and flag what rests on synthetic graphs).
func (s *Service) run(ctx context.Context, ix *index, n *normalised) (*Diagnostic, error) {
	q, err := s.resolve(ctx, ix, n)
	if err != nil {
		return nil, err
	}
	units := s.units()
	assemble := make([]Assemble, len(units))
	fns := make([]func() error, len(units))
	for i, u := range units {
		fns[i] = func() (err error) { assemble[i], err = u.Fetch(ctx, q); return }
	}
	if err := parallel(fns...); err != nil {
		return nil, err
	}
	d := skeleton(q)
	for _, a := range assemble {
		if a != nil {
			a(d)
		}
	}
	for i := range d.Zones {
		partialZone(d.Zones[i].Zone, &d.Zones[i].Life, nil)
	}
	for i := range d.Cells {
		partialZone(d.Cells[i].Zone, nil, &d.Cells[i])
	}
	if c := d.Current; c != nil {
		partialZone(c.Zone, nil, c)
	}
	rankCells(s.th, d)
	markSynthetic(d, syntheticGraphs(q.Sources))
	d.Sources = usedSources(q.Sources, d)
	return d, nil
}

// skeleton is the diagnostic before any section: the métiers, zones and cells.
func skeleton(q *Query) *Diagnostic {
	d := &Diagnostic{GeneratedAt: q.Now.UTC().Truncate(time.Second), DataVersion: q.ix.version, ThresholdsVersion: q.th.Version, Level: q.Level}
	for _, f := range q.Fiches {
		d.Metiers = append(d.Metiers, MetierReport{Metier: *f})
	}
	for _, z := range q.Zones {
		if !isRegion(z) {
			d.Zones = append(d.Zones, ZoneReport{Zone: z})
		}
	}
	for _, m := range q.Metiers {
		for _, z := range q.Zones {
			d.Cells = append(d.Cells, Cell{Metier: m, Zone: z})
		}
	}
	if q.Current != nil {
		c := *q.Current
		d.Current = &c
	}
	return d
}

func dedup(l []string) []string {
	seen := map[string]bool{}
	out := l[:0:0]
	for _, s := range l {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func capList[T any](l []T, n int) []T {
	if len(l) > n {
		return l[:n]
	}
	return l
}

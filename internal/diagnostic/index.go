package diagnostic

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/openemploi360/openemploi/internal/apperr"
	"github.com/openemploi360/openemploi/internal/vocab"
)

// Referential is what the service matches requests against and describes métiers
// and zones with (queries/labels.rq, skills-index.rq, zones.rq, communes.rq,
// metier.rq, data-version.rq), read once per data version.
type Referential interface {
	// DataVersion changes whenever an import changes any graph (oeg:meta dates).
	DataVersion(ctx context.Context) (string, error)
	// Metier returns a fiche by ROME code; apperr NotFound when there is none.
	Metier(ctx context.Context, code string) (*Metier, error)
	// Labels returns the fiches' and appellations' labels, for the free-text index.
	Labels(ctx context.Context) ([]Label, error)
	// SkillIndex returns every skill item of the referential.
	SkillIndex(ctx context.Context) ([]Skill, error)
	// Zones returns the zones d'emploi.
	Zones(ctx context.Context) ([]ZoneObs, error)
	// Communes returns the communes with the code of their zone.
	Communes(ctx context.Context) ([]Commune, error)
}

// Catalog describes the live graphs (queries/sources.rq over oeg:meta).
type Catalog interface {
	Sources(ctx context.Context) ([]SourceInfo, error)
}

var (
	romeCodeRe    = regexp.MustCompile(`^[A-N][0-9]{4}$`)
	appCodeRe     = regexp.MustCompile(`^[0-9]{4,7}$`)
	zoneCodeRe    = regexp.MustCompile(`^[0-9]{4}$`)
	communeCodeRe = regexp.MustCompile(`^(?:[0-9]{5}|2[AB][0-9]{3})$`)
)

// index holds what the service matches user input against, loaded once per data
// version: the referential's labels, skills, zones and communes.
type index struct {
	version  string
	labels   []foldedLabel
	fiches   map[string]MetierRef // by code
	apps     map[string]MetierRef // appellation code → fiche
	skills   []foldedSkill
	skillsBy map[string]Skill // by code
	zones    []Zone
	zoneBy   map[string]Zone // by code
	zoneName map[string]string
	communes map[string]Commune // by code
	commName map[string][]Commune
	latest   string            // latest month of offers in the aggregates
	span     TrainingSpan      // extent of the training data
	vintage  map[string]string // graph → the date its data describes (vintages)
	sources  []SourceInfo      // oeg:meta

	// What changes only with the data version, read on first use: fiches, the life
	// context and the top métiers of zones.
	mu     sync.Mutex
	sheets map[string]*Metier
	lives  map[string]*Life
	tops   map[string][]ZoneMetier
	counts map[string]int // region's training sessions by "from/until" days
}

// sessionCount returns how many training sessions start in [from, until] in the
// region, read once per data version and day.
func (ix *index) sessionCount(ctx context.Context, src TrainingSource, from, until time.Time) (int, error) {
	key := from.Format(time.DateOnly) + "/" + until.Format(time.DateOnly)
	ix.mu.Lock()
	n, ok := ix.counts[key]
	ix.mu.Unlock()
	if ok {
		return n, nil
	}
	n, err := src.SessionCount(ctx, from, until)
	if err != nil {
		return 0, err
	}
	ix.mu.Lock()
	ix.counts[key] = n
	ix.mu.Unlock()
	return n, nil
}

// readThrough returns the values of keys from cache, fetching only the missing ones in
// one call and remembering them (a nil value too: a key without data is known to have
// none). The lock is not held during fetch, so store round trips run in parallel.
func readThrough[V any](mu *sync.Mutex, cache map[string]V, keys []string, fetch func([]string) (map[string]V, error)) (map[string]V, error) {
	out, missing := map[string]V{}, []string{}
	mu.Lock()
	for _, k := range keys {
		if v, ok := cache[k]; ok {
			out[k] = v
		} else {
			missing = append(missing, k)
		}
	}
	mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	got, err := fetch(missing)
	if err != nil {
		return nil, err
	}
	mu.Lock()
	for _, k := range missing {
		cache[k] = got[k]
		out[k] = got[k]
	}
	mu.Unlock()
	return out, nil
}

// lifeOf returns the life context of zones, reading only those not seen yet.
func (ix *index) lifeOf(ctx context.Context, src LifeSource, zones []string) (map[string]*Life, error) {
	return readThrough(&ix.mu, ix.lives, zones, func(missing []string) (map[string]*Life, error) {
		obs, err := src.Life(ctx, missing)
		if err != nil {
			return nil, err
		}
		return assembleLife(missing, obs, ix.vintage), nil
	})
}

// topOf returns the top métiers of areas over the latest 3 months, reading only the
// areas not seen yet.
func (ix *index) topOf(ctx context.Context, src MarketSource, areas []string) (map[string][]ZoneMetier, error) {
	if ix.latest == "" {
		return map[string][]ZoneMetier{}, nil
	}
	return readThrough(&ix.mu, ix.tops, areas, func(missing []string) (map[string][]ZoneMetier, error) {
		got, err := src.TopMetiers(ctx, missing, monthsBack(ix.latest, 2), topMetiers)
		if err != nil {
			return nil, err
		}
		out := make(map[string][]ZoneMetier, len(missing))
		for _, a := range missing {
			out[a] = ix.labelled(got[a])
		}
		return out, nil
	})
}

// metier returns a fiche, read once per data version.
func (ix *index) metier(ctx context.Context, src Referential, code string) (*Metier, error) {
	ix.mu.Lock()
	m, ok := ix.sheets[code]
	ix.mu.Unlock()
	if ok {
		return m, nil
	}
	m, err := src.Metier(ctx, code)
	if err != nil {
		return nil, err
	}
	ix.mu.Lock()
	ix.sheets[code] = m
	ix.mu.Unlock()
	return m, nil
}

type foldedLabel struct {
	Label
	fold string
	toks []string
}

type foldedSkill struct {
	Skill
	fold string
	toks []string
}

type indexCache struct {
	mu  sync.Mutex
	cur *index
}

// get returns the index of the current data version, loading it when the version
// changed. Loads are serialised: a burst of requests after an import loads once.
func (c *indexCache) get(ctx context.Context, src Source) (*index, error) {
	v, err := src.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur != nil && c.cur.version == v {
		return c.cur, nil
	}
	ix, err := loadIndex(ctx, src, v)
	if err != nil {
		return nil, err
	}
	c.cur = ix
	return ix, nil
}

func loadIndex(ctx context.Context, src Source, version string) (*index, error) {
	ix := &index{version: version, fiches: map[string]MetierRef{}, apps: map[string]MetierRef{}, skillsBy: map[string]Skill{},
		zoneBy: map[string]Zone{}, zoneName: map[string]string{}, communes: map[string]Commune{}, commName: map[string][]Commune{},
		sheets: map[string]*Metier{}, lives: map[string]*Life{}, tops: map[string][]ZoneMetier{}, counts: map[string]int{}}
	var (
		labels   []Label
		skills   []Skill
		zones    []ZoneObs
		communes []Commune
	)
	err := parallel(
		func() (err error) { labels, err = src.Labels(ctx); return },
		func() (err error) { skills, err = src.SkillIndex(ctx); return },
		func() (err error) { zones, err = src.Zones(ctx); return },
		func() (err error) { communes, err = src.Communes(ctx); return },
		func() (err error) { ix.latest, err = src.LatestMonth(ctx); return },
		func() (err error) { ix.sources, err = src.Sources(ctx); return },
		func() (err error) { ix.span, err = src.TrainingSpan(ctx); return },
	)
	if err != nil {
		return nil, err
	}
	for _, l := range labels {
		f := fold(l.Text)
		ix.labels = append(ix.labels, foldedLabel{Label: l, fold: f, toks: tokens(f)})
		ix.fiches[l.Metier.Code] = l.Metier
		if l.Appellation != "" {
			ix.apps[l.Appellation] = l.Metier
		}
	}
	for _, s := range skills {
		f := fold(s.Label)
		ix.skills = append(ix.skills, foldedSkill{Skill: s, fold: f, toks: tokens(f)})
		ix.skillsBy[s.Code] = s
	}
	ix.sources = completeSources(ix.sources)
	ix.vintage = vintages(ix.sources)
	for _, o := range zones {
		z := zoneOf(o, ix.vintage[o.Graph])
		ix.zones = append(ix.zones, z)
		ix.zoneBy[z.Code] = z
		ix.zoneName[fold(z.Label)] = z.Code
	}
	for _, c := range communes {
		ix.communes[c.Code] = c
		f := fold(c.Name)
		ix.commName[f] = append(ix.commName[f], c)
	}
	return ix, nil
}

// zoneOf is a zone of the referential with its population as a figure, dated by the
// vintage of the geography graph.
func zoneOf(o ZoneObs, vintage string) Zone {
	z := Zone{IRI: o.IRI, Code: o.Code, Label: o.Label, Communes: o.Communes, Graph: o.Graph}
	if vocab.InterregionalZone(o.Code) || (o.TotalCommunes > o.Communes && o.Communes > 0) {
		z.Interregional = true
		z.Note = fmt.Sprintf("zone d'emploi interrégionale : seules ses communes de %s sont comptées (%d)", vocab.RegionLabel, o.Communes)
		if o.TotalCommunes > 0 {
			z.Note = fmt.Sprintf("zone d'emploi interrégionale : seules ses communes de %s sont comptées (%d sur %d)", vocab.RegionLabel, o.Communes, o.TotalCommunes)
		}
	}
	if o.Population != nil && o.Communes > 0 {
		z.Population = Figure{Value: o.Population, Unit: "inhabitants", Period: vintage, Source: o.Graph, N: Count(o.Communes)}
	} else {
		z.Population = Missing("inhabitants", o.Graph, "population des communes inconnue pour cette zone")
	}
	z.Population.Note = withNote(z.Population.Note, z.Note)
	return z
}

// withNote adds a caveat to a figure's note.
func withNote(note, caveat string) string {
	switch {
	case caveat == "":
		return note
	case note == "":
		return caveat
	}
	return note + " ; " + caveat
}

// partialZone says, on each figure summed over the communes of an interregional zone,
// that only the region's communes are counted: the life context (not the
// unemployment rate, which INSEE publishes for the whole zone) and a cell's market,
// pay and tension.
func partialZone(z Zone, l *Life, c *Cell) {
	if !z.Interregional {
		return
	}
	note := func(f *Figure) { f.Note = withNote(f.Note, z.Note) }
	if l != nil {
		for _, f := range []*Figure{&l.PricePerSqm, &l.RentPerSqm, &l.Population, &l.Stations} {
			note(f)
		}
		for i := range l.Amenities {
			note(&l.Amenities[i].Count)
			note(&l.Amenities[i].Per10k)
		}
	}
	if c != nil {
		m := &c.Market
		for i := range m.OffersByMonth {
			note(&m.OffersByMonth[i])
		}
		for _, f := range []*Figure{&m.PerMonth, &m.Trend, &c.Salary.Median, &c.Salary.Q1, &c.Salary.Q3} {
			note(f)
		}
		if c.Spouse != nil {
			note(c.Spouse)
		}
		if t := c.Tension; t != nil {
			note(&t.Indicator)
			for k, f := range t.Components {
				note(&f)
				t.Components[k] = f
			}
		}
	}
}

// MetierMatch is a search hit.
type MetierMatch struct {
	Metier             MetierRef
	MatchedAppellation string // the appellation label that matched, "" when the fiche's own label did
	Score              float64
}

// search finds fiches whose label or an appellation matches q.
func (ix *index) search(q string, limit int) []MetierMatch {
	qf := fold(q)
	qt := tokens(qf)
	best := map[string]MetierMatch{}
	// A typed code finds its fiche first: "M1811", or an appellation's code.
	if m, ok := ix.fiches[strings.ToUpper(strings.TrimSpace(q))]; ok {
		best[m.Code] = MetierMatch{Metier: m, Score: 1000}
	} else if m, ok := ix.apps[strings.TrimSpace(q)]; ok {
		best[m.Code] = MetierMatch{Metier: m, Score: 1000}
	}
	for _, l := range ix.labels {
		s := matchScore(qt, l.toks, qf, l.fold)
		if s <= 0 {
			continue
		}
		if l.Appellation == "" {
			s += 0.5 // the fiche's own label wins a tie
		}
		if b, ok := best[l.Metier.Code]; ok && b.Score >= s {
			continue
		}
		m := MetierMatch{Metier: l.Metier, Score: s}
		if l.Appellation != "" {
			m.MatchedAppellation = l.Text
		}
		best[l.Metier.Code] = m
	}
	out := make([]MetierMatch, 0, len(best))
	for _, m := range best {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Metier.Code < out[j].Metier.Code
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// resolveMetier turns a ROME code, an appellation code or free text into a fiche.
func (ix *index) resolveMetier(field, in string) (MetierRef, error) {
	in = strings.TrimSpace(in)
	switch {
	case in == "":
		return MetierRef{}, apperr.Field("diagnostic", field, "empty métier")
	case romeCodeRe.MatchString(strings.ToUpper(in)):
		if m, ok := ix.fiches[strings.ToUpper(in)]; ok {
			return m, nil
		}
		return MetierRef{}, &apperr.Error{Op: "diagnostic", Kind: apperr.NotFound, Field: field, Message: "no métier with this ROME code"}
	case appCodeRe.MatchString(in):
		if m, ok := ix.apps[in]; ok {
			return m, nil
		}
		return MetierRef{}, &apperr.Error{Op: "diagnostic", Kind: apperr.NotFound, Field: field, Message: "no appellation with this code"}
	}
	hits := ix.search(in, 1)
	if len(hits) == 0 {
		return MetierRef{}, &apperr.Error{Op: "diagnostic", Kind: apperr.NotFound, Field: field, Message: "no métier or appellation matches this text"}
	}
	return hits[0].Metier, nil
}

// resolveZone turns a zone code, a zone name, a commune code or a commune name into a zone.
func (ix *index) resolveZone(field, in string) (Zone, error) {
	in = strings.TrimSpace(in)
	notFound := func(msg string) (Zone, error) {
		return Zone{}, &apperr.Error{Op: "diagnostic", Kind: apperr.NotFound, Field: field, Message: msg}
	}
	switch {
	case in == "":
		return Zone{}, apperr.Field("diagnostic", field, "empty zone")
	case zoneCodeRe.MatchString(in):
		if z, ok := ix.zoneBy[in]; ok {
			return z, nil
		}
		return notFound("no zone d'emploi with this code")
	case communeCodeRe.MatchString(strings.ToUpper(in)):
		if c, ok := ix.communes[strings.ToUpper(in)]; ok {
			if z, ok := ix.zoneBy[c.Zone]; ok {
				return z, nil
			}
		}
		return notFound("no commune with this INSEE code in a known zone d'emploi")
	}
	f := fold(in)
	if code, ok := ix.zoneName[f]; ok {
		return ix.zoneBy[code], nil
	}
	if cs := ix.commName[f]; len(cs) > 0 {
		if z, ok := ix.zoneBy[cs[0].Zone]; ok {
			return z, nil
		}
	}
	// a unique zone whose name starts with the text ("aix" → Aix-en-Provence)
	var found []Zone
	for _, z := range ix.zones {
		if strings.HasPrefix(fold(z.Label), f) {
			found = append(found, z)
		}
	}
	if len(found) == 1 {
		return found[0], nil
	}
	if len(found) > 1 {
		return Zone{}, apperr.Field("diagnostic", field, "several zones d'emploi match this name; give its code")
	}
	return notFound("no zone d'emploi or commune with this name")
}

// resolveSkill finds a referential skill by code or by label (folded, exact then prefix).
func (ix *index) resolveSkill(code, label string) (Skill, bool) {
	if code != "" {
		s, ok := ix.skillsBy[code]
		return s, ok
	}
	f := fold(label)
	if f == "" {
		return Skill{}, false
	}
	for _, s := range ix.skills {
		if s.fold == f {
			return s.Skill, true
		}
	}
	// Otherwise the shortest label containing every word of the input as a whole word:
	// a profile's "python" is the skill "Langage Python", but "pyt" is nothing.
	q := tokens(f)
	var best Skill
	bestLen := -1
	for _, s := range ix.skills {
		if containsWords(s.toks, q) && (bestLen < 0 || len(s.toks) < bestLen) {
			best, bestLen = s.Skill, len(s.toks)
		}
	}
	return best, bestLen >= 0
}

func containsWords(label, words []string) bool {
	for _, w := range words {
		found := false
		for _, l := range label {
			if l == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return len(words) > 0
}

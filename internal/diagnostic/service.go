package diagnostic

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/openemploi360/openemploi/internal/apperr"
	"github.com/openemploi360/openemploi/internal/vocab"
)

// Limits of one request: the original application only hinted at four.
const (
	MaxMetiers = 4
	MaxZones   = 4
	MaxSkills  = 200
)

// Source is everything the diagnostic reads from the knowledge graph: the union of the
// role interfaces the sections declare, each in its own file. Every method takes IRIs
// or codes already validated by the caller; a métier absent from the graph yields an
// apperr NotFound from Metier, and empty results elsewhere. internal/kg implements it
// over the triple store, diagtest in memory.
type Source interface {
	Referential
	Catalog
	MarketSource
	TensionSource
	TrainingSource
	CompanySource
	LifeSource
}

// Options tune the service; the zero value is the documented default.
type Options struct {
	Thresholds *Thresholds      // nil: the embedded thresholds.yaml
	Now        func() time.Time // nil: time.Now; tests fix it so goldens are stable
	CacheSize  int              // diagnostics kept; 0 means 256, <0 disables the cache
	// OnCache, when set, is told of each lookup of the diagnostic cache (name
	// "diagnostic") and whether it hit, for the operations metrics; nothing of the
	// request is passed.
	OnCache func(cache string, hit bool)
	// Units are sections added after the built-in ones (doc/architecture.md): each
	// reads through its own role interface and writes its figures into the cells.
	Units []Unit
}

// Service assembles diagnostics from a Source.
type Service struct {
	src     Source
	extra   []Unit
	th      *Thresholds
	now     func() time.Time
	index   indexCache
	cache   *cache
	onCache func(cache string, hit bool)

	warmed atomic.Value // string: the data version last warmed
}

// NewService returns a service reading from src.
func NewService(src Source, opt Options) (*Service, error) {
	if src == nil {
		return nil, errors.New("diagnostic.NewService: nil source")
	}
	th := opt.Thresholds
	if th == nil {
		var err error
		if th, err = DefaultThresholds(); err != nil {
			return nil, err
		}
	}
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	size := opt.CacheSize
	if size == 0 {
		size = 256
	}
	return &Service{src: src, extra: opt.Units, th: th, now: now, cache: newCache(size), onCache: opt.OnCache}, nil
}

// Thresholds returns the thresholds in use.
func (s *Service) Thresholds() *Thresholds { return s.th }

// Place is a métier and a zone, each as typed by the user (code, label or name).
type Place struct {
	Metier, Zone string
}

// Income is in euros gross per month.
type Income struct {
	Current, WishedMin, WishedMax *float64
}

// SkillInput is a profile skill, by referential code or by label, rated 1–5.
type SkillInput struct {
	Code, Label string
	Level       int
}

// Profile is what a person says about themselves. It is used for one response and
// never stored, logged or echoed in an error.
type Profile struct {
	Skills       []SkillInput
	Income       *Income
	SpouseMetier string
}

// Request is a diagnostic request as typed by the user.
type Request struct {
	Metiers []string // ROME codes, appellation codes or free text; 1–4
	Zones   []string // zone codes or names, commune codes or names; 0–4
	Current *Place
	Profile *Profile
}

// Levels of detail, from the inputs given.
const (
	LevelMetier  = "metier"  // métiers only: referential and regional market
	LevelZones   = "zones"   // métiers × zones
	LevelProfile = "profile" // plus a profile
)

// Diagnostic is the answer.
type Diagnostic struct {
	GeneratedAt       time.Time
	DataVersion       string
	ThresholdsVersion string
	Level             string
	Metiers           []MetierReport
	Zones             []ZoneReport
	Cells             []Cell
	Current           *Cell
	Ranking           []Rank
	RankingRule       string // French: how the pairs are ordered
	Sources           []SourceInfo
}

// MetierReport is a métier with its skills (owned/missing when a profile is given)
// and nearby métiers.
type MetierReport struct {
	Metier
	Owned, Missing []SkillLevel
	Match          Figure
	Nearby         []Nearby
}

// SkillLevel is a skill with the level the profile gives it (0 when missing).
type SkillLevel struct {
	Skill
	Level int
}

// Nearby is a métier close to a requested one.
type Nearby struct {
	Metier  MetierRef
	Rank    int    // ROME mobilité rank, 0 when not ranked
	Overlap Figure // share of the nearby fiche's skills shared with the requested one
	Offers  Figure // offers per month in the requested zones (or region), latest 3 months
	Owned   Figure // share of the nearby fiche's skills the profile owns, when a profile is given
	Score   float64
	Via     string // French: why it is proposed
}

// ZoneReport is a zone with its life context.
type ZoneReport struct {
	Zone
	Life Life
}

// Market is the job market of one cell.
type Market struct {
	OffersByMonth []Figure
	PerMonth      Figure // average of the latest 3 months
	Trend         Figure // % change, latest 3 months vs the 3 before
	Contracts     []Share
	Experience    []Share
	TopCompanies  []Company
	TopMetiers    []ZoneMetier
}

// Salary is the offered pay of one cell.
type Salary struct {
	Median, Q1, Q3 Figure
	VsWished       string // below, within, above, or "" without a wished range
}

// Cell is one métier in one zone (or in the region when no zone is given).
type Cell struct {
	Metier    MetierRef
	Zone      Zone // IRI is the region's when no zone was given
	Market    Market
	Salary    Salary
	Tension   *Tension
	Owned     []SkillLevel
	Missing   []SkillLevel
	Match     Figure
	Trainings []Training
	// TrainingWindow says which sessions Trainings lists and up to which day the
	// training data runs; nil for the region's cells.
	TrainingWindow *TrainingWindow
	Companies      []Company
	// CompaniesNote says how many employers and establishments there are and how
	// they are ranked, or why there is none (French).
	CompaniesNote string
	Spouse        *Figure // spouse's métier offers per month in the zone
	Lights        []Light
	Score         *float64
	// Coverage is how many of the lights the score rests on: a score over two known
	// axes is not worth one over five.
	Coverage Coverage
	// Extra holds the figures of sections added without a field of their own
	// (Options.Units), by section name: a new section starts here and gets a typed
	// field when it grows past one figure per cell (doc/architecture.md).
	Extra map[string]Figure
}

// Rank is one pair in the ranking.
type Rank struct {
	Metier   MetierRef
	Zone     Zone
	Score    float64
	Coverage Coverage
	Reason   string // French
}

// Coverage is how many axes of a score are known (a light not unknown) out of all.
type Coverage struct {
	Known, Of int
}

// RegionZone stands for the whole region when no zone is given.
var RegionZone = Zone{IRI: vocab.RegionIRI, Code: vocab.RegionCode, Label: vocab.RegionLabel}

// Search finds métiers by label or appellation, accent- and case-insensitive.
func (s *Service) Search(ctx context.Context, q string, limit int) ([]MetierMatch, error) {
	ix, err := s.index.get(ctx, s.src)
	if err != nil {
		return nil, err
	}
	return ix.search(q, limit), nil
}

// Metier returns a fiche by ROME code, read once per data version.
func (s *Service) Metier(ctx context.Context, code string) (*Metier, error) {
	ix, err := s.index.get(ctx, s.src)
	if err != nil {
		return nil, err
	}
	return ix.metier(ctx, s.src, code)
}

// Zones lists the zones d'emploi.
func (s *Service) Zones(ctx context.Context) ([]Zone, error) {
	ix, err := s.index.get(ctx, s.src)
	if err != nil {
		return nil, err
	}
	return ix.zones, nil
}

// Zone returns one zone (by code, name or commune) with its life context.
func (s *Service) Zone(ctx context.Context, in string) (*ZoneReport, error) {
	ix, err := s.index.get(ctx, s.src)
	if err != nil {
		return nil, err
	}
	z, err := ix.resolveZone("code", in)
	if err != nil {
		return nil, err
	}
	life, err := ix.lifeOf(ctx, s.src, []string{z.IRI})
	if err != nil {
		return nil, err
	}
	zr := &ZoneReport{Zone: z}
	if l := life[z.IRI]; l != nil {
		zr.Life = *l
		zr.Life.Amenities = append([]Amenity(nil), l.Amenities...) // the cache's is shared
	}
	partialZone(z, &zr.Life, nil)
	markSynthetic(zr, syntheticGraphs(ix.sources))
	return zr, nil
}

// SkillMatch is a referential skill found in a text.
type SkillMatch struct {
	Skill
	Matched string // the fragment of the input that matched
}

// SuggestSkills proposes referential skills whose label appears in a CV text or in a
// list of aptitude labels (Carto.net export). Nothing of the input is kept.
func (s *Service) SuggestSkills(ctx context.Context, text string, aptitudes []string, limit int) ([]SkillMatch, error) {
	ix, err := s.index.get(ctx, s.src)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []SkillMatch
	for _, a := range aptitudes {
		if sk, ok := ix.resolveSkill("", a); ok && !seen[sk.Code] {
			seen[sk.Code] = true
			out = append(out, SkillMatch{Skill: sk, Matched: a})
		}
	}
	if text != "" {
		// A skill is found in free text when its whole folded label occurs as words in
		// the folded text; short labels ("SQL") need the exact word.
		ft := " " + fold(text) + " "
		for _, sk := range ix.skills {
			if seen[sk.Code] || sk.fold == "" {
				continue
			}
			if strings.Contains(ft, " "+sk.fold+" ") {
				seen[sk.Code] = true
				out = append(out, SkillMatch{Skill: sk.Skill, Matched: sk.Label})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Label < out[j].Label })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// Run computes a diagnostic, from the cache when the same request was answered on the
// same data version.
func (s *Service) Run(ctx context.Context, req Request) (*Diagnostic, error) {
	if err := validate(req); err != nil {
		return nil, err
	}
	ix, err := s.index.get(ctx, s.src)
	if err != nil {
		return nil, err
	}
	n, err := s.normalise(ix, req)
	if err != nil {
		return nil, err
	}
	key := s.cache.key(ix.version, s.th.Version, n)
	d := s.cache.get(key)
	if s.onCache != nil && key != "" {
		s.onCache("diagnostic", d != nil)
	}
	if d != nil {
		return d, nil
	}
	d, err = s.run(ctx, ix, n)
	if err != nil {
		return nil, err
	}
	s.cache.put(key, d)
	return d, nil
}

func validate(req Request) error {
	switch {
	case len(req.Metiers) == 0:
		return apperr.Field("diagnostic", "metiers", "give at least one métier")
	case len(req.Metiers) > MaxMetiers:
		return apperr.Field("diagnostic", "metiers", "at most %d métiers", MaxMetiers)
	case len(req.Zones) > MaxZones:
		return apperr.Field("diagnostic", "zones", "at most %d zones", MaxZones)
	}
	if p := req.Profile; p != nil {
		if len(p.Skills) > MaxSkills {
			return apperr.Field("diagnostic", "profile/skills", "at most %d skills", MaxSkills)
		}
		for i, sk := range p.Skills {
			if sk.Level < 1 || sk.Level > 5 {
				return apperr.Field("diagnostic", fmt.Sprintf("profile/skills/%d/level", i), "a level is 1 to 5")
			}
			if sk.Code == "" && strings.TrimSpace(sk.Label) == "" {
				return apperr.Field("diagnostic", fmt.Sprintf("profile/skills/%d", i), "a skill needs a code or a label")
			}
		}
		if inc := p.Income; inc != nil {
			for name, v := range map[string]*float64{"current": inc.Current, "wishedMin": inc.WishedMin, "wishedMax": inc.WishedMax} {
				if v != nil && (math.IsNaN(*v) || *v < 0 || *v > 1e6) {
					return apperr.Field("diagnostic", "profile/income/"+name, "a monthly gross income in euros, 0 to 1 000 000")
				}
			}
			if inc.WishedMin != nil && inc.WishedMax != nil && *inc.WishedMin > *inc.WishedMax {
				return apperr.Field("diagnostic", "profile/income/wishedMax", "the wished maximum is below the minimum")
			}
		}
	}
	return nil
}

// normalised is a request resolved against the referential: what the cache keys on.
type normalised struct {
	Metiers []MetierRef
	Zones   []Zone
	Current *struct {
		Metier MetierRef
		Zone   Zone
	}
	Skills map[string]int // skill code → level
	Income *Income
	Spouse *MetierRef
	Level  string
}

func (s *Service) normalise(ix *index, req Request) (*normalised, error) {
	n := &normalised{Level: LevelMetier}
	seen := map[string]bool{}
	for i, m := range req.Metiers {
		ref, err := ix.resolveMetier(fmt.Sprintf("metiers/%d", i), m)
		if err != nil {
			return nil, err
		}
		if !seen[ref.Code] {
			seen[ref.Code] = true
			n.Metiers = append(n.Metiers, ref)
		}
	}
	seenZ := map[string]bool{}
	for i, z := range req.Zones {
		zone, err := ix.resolveZone(fmt.Sprintf("zones/%d", i), z)
		if err != nil {
			return nil, err
		}
		if !seenZ[zone.Code] {
			seenZ[zone.Code] = true
			n.Zones = append(n.Zones, zone)
		}
	}
	if len(n.Zones) > 0 {
		n.Level = LevelZones
	}
	if c := req.Current; c != nil && c.Metier != "" && c.Zone != "" {
		m, err := ix.resolveMetier("current/metier", c.Metier)
		if err != nil {
			return nil, err
		}
		z, err := ix.resolveZone("current/zone", c.Zone)
		if err != nil {
			return nil, err
		}
		n.Current = &struct {
			Metier MetierRef
			Zone   Zone
		}{m, z}
	}
	if p := req.Profile; p != nil {
		if len(p.Skills) > 0 || p.Income != nil || p.SpouseMetier != "" {
			n.Level = LevelProfile
		}
		n.Skills = map[string]int{}
		for i, sk := range p.Skills {
			found, ok := ix.resolveSkill(sk.Code, sk.Label)
			if !ok {
				if sk.Code != "" {
					// Only the position is named: the label may be personal.
					return nil, &apperr.Error{Op: "diagnostic", Kind: apperr.NotFound, Field: fmt.Sprintf("profile/skills/%d/code", i), Message: "no skill with this code"}
				}
				continue // an unmatched free label is ignored, not an error
			}
			if sk.Level > n.Skills[found.Code] {
				n.Skills[found.Code] = sk.Level
			}
		}
		n.Income = p.Income
		if p.SpouseMetier != "" {
			m, err := ix.resolveMetier("profile/spouseMetier", p.SpouseMetier)
			if err != nil {
				return nil, err
			}
			n.Spouse = &m
		}
	}
	return n, nil
}

// Warm loads what a data version needs before the first diagnostic: the label, skill,
// zone and commune indexes, and the life context and top métiers of every zone and of
// the region. A server calls it at startup and again when the data version changes
// (WarmLoop), so no user pays the per-version load. It returns the version warmed.
func (s *Service) Warm(ctx context.Context) (string, error) {
	ix, err := s.index.get(ctx, s.src)
	if err != nil {
		return "", err
	}
	zones := make([]string, 0, len(ix.zones))
	for _, z := range ix.zones {
		zones = append(zones, z.IRI)
	}
	err = parallel(
		func() error { _, err := ix.lifeOf(ctx, s.src, zones); return err },
		func() error { _, err := ix.topOf(ctx, s.src, append(zones, RegionZone.IRI)); return err },
		func() error {
			from, until := trainingWindow(s.now(), ix.latest, s.th)
			_, err := ix.sessionCount(ctx, s.src, from, until)
			return err
		},
	)
	if err != nil {
		return "", err
	}
	s.warmed.Store(ix.version)
	return ix.version, nil
}

// Warmed reports whether the data version last seen has been warmed.
func (s *Service) Warmed() bool {
	v, _ := s.warmed.Load().(string)
	return v != ""
}

// WarmLoop warms at once, then checks the data version every interval and warms again
// when it changed, until ctx ends. Failures are passed to onErr (a store that is down
// at startup is retried at the next tick).
func (s *Service) WarmLoop(ctx context.Context, interval time.Duration, onDone func(version string, took time.Duration), onErr func(error)) {
	last := ""
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		v, err := s.src.DataVersion(ctx)
		if err == nil && v != last {
			start := time.Now()
			v, err = s.Warm(ctx)
			if err == nil {
				last = v
				if onDone != nil {
					onDone(v, time.Since(start))
				}
			}
		}
		if err != nil && ctx.Err() == nil && onErr != nil {
			onErr(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

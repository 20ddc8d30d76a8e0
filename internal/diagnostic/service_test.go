package diagnostic_test

import (
	"context"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/apperr"
	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/diagnostic/diagtest"
)

func mustService(t *testing.T, f *diagtest.Fake) *diagnostic.Service {
	t.Helper()
	s, err := diagnostic.NewService(f, diagnostic.Options{Now: diagtest.Now})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSearch(t *testing.T) {
	s := mustService(t, diagtest.New())
	ctx := context.Background()
	for _, tc := range []struct {
		q, code, matched string
	}{
		{"data eng", "M1811", ""},
		{"DATA ENGINEER", "M1811", ""},
		{"ingenieur big", "M1811", "Ingénieur big data"}, // the short label is the closer match
		{"ingenieure big", "M1811", "Ingénieur / Ingénieure big data"},
		{"developpeuse", "M1805", ""},
		{"m1805", "M1805", ""},
		{"38971", "M1811", ""},
	} {
		t.Run(tc.q, func(t *testing.T) {
			hits, err := s.Search(ctx, tc.q, 5)
			if err != nil || len(hits) == 0 {
				t.Fatalf("%v %v", hits, err)
			}
			if hits[0].Metier.Code != tc.code || hits[0].MatchedAppellation != tc.matched {
				t.Errorf("first hit %+v", hits[0])
			}
		})
	}
	if hits, _ := s.Search(ctx, "boulanger", 5); len(hits) != 0 {
		t.Errorf("unrelated hits: %+v", hits)
	}
}

func TestResolveZone(t *testing.T) {
	f := diagtest.New()
	for _, tc := range []struct {
		in, code string
		kind     apperr.Kind
	}{
		{"9312", "9312", 0},
		{"marseille", "9312", 0},
		{"Aix-en-Provence", "9301", 0},
		{"aix", "9301", 0},
		{"13005", "9312", 0},   // commune code → its zone
		{"AUBAGNE", "9312", 0}, // commune name → its zone
		{"0000", "", apperr.NotFound},
		{"Atlantis", "", apperr.NotFound},
		{"", "", apperr.Invalid},
	} {
		t.Run(tc.in, func(t *testing.T) {
			z, err := diagnostic.ResolveZone(f, "zones/0", tc.in)
			if tc.code == "" {
				if !apperr.Is(err, tc.kind) {
					t.Fatalf("err = %v, want kind %v", err, tc.kind)
				}
				return
			}
			if err != nil || z.Code != tc.code {
				t.Fatalf("%+v %v", z, err)
			}
		})
	}
}

func TestValidateLimits(t *testing.T) {
	s := mustService(t, diagtest.New())
	ctx := context.Background()
	five := []string{"M1811", "M1805", "M1811", "M1805", "M1811"}
	for _, tc := range []struct {
		name  string
		req   diagnostic.Request
		field string
	}{
		{"NoMetier", diagnostic.Request{}, "metiers"},
		{"FiveMetiers", diagnostic.Request{Metiers: five}, "metiers"},
		{"FiveZones", diagnostic.Request{Metiers: five[:1], Zones: []string{"9312", "9312", "9312", "9312", "9312"}}, "zones"},
		{"Level0", diagnostic.Request{Metiers: five[:1], Profile: &diagnostic.Profile{Skills: []diagnostic.SkillInput{{Code: "1", Level: 0}}}}, "profile/skills/0/level"},
		{"NegativeIncome", diagnostic.Request{Metiers: five[:1], Profile: &diagnostic.Profile{Income: &diagnostic.Income{Current: diagnostic.Num(-1)}}}, "profile/income/current"},
		{"UnknownMetier", diagnostic.Request{Metiers: []string{"A1101"}}, "metiers/0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Run(ctx, tc.req)
			_, field := apperr.Public(err)
			if err == nil || field != tc.field {
				t.Fatalf("err = %v (field %q), want field %q", err, field, tc.field)
			}
		})
	}
}

func TestRunLevelsAndFigures(t *testing.T) {
	f := diagtest.New()
	s := mustService(t, f)
	ctx := context.Background()

	d, err := s.Run(ctx, diagnostic.Request{Metiers: []string{"M1811"}})
	if err != nil {
		t.Fatal(err)
	}
	if d.Level != diagnostic.LevelMetier || len(d.Cells) != 1 || d.Cells[0].Zone.IRI != diagnostic.RegionZone.IRI {
		t.Fatalf("métier-only diagnostic: level %s, %d cells", d.Level, len(d.Cells))
	}

	d, err = s.Run(ctx, diagnostic.Request{Metiers: []string{"data engineer"}, Zones: []string{"Marseille", "13001"},
		Profile: &diagnostic.Profile{Skills: []diagnostic.SkillInput{{Label: "sql", Level: 5}, {Code: "100024", Level: 3}}, Income: &diagnostic.Income{WishedMin: diagnostic.Num(4000), WishedMax: diagnostic.Num(5000)}}})
	if err != nil {
		t.Fatal(err)
	}
	if d.Level != diagnostic.LevelProfile || len(d.Cells) != 2 {
		t.Fatalf("level %s, %d cells", d.Level, len(d.Cells))
	}
	mars, aix := d.Cells[0], d.Cells[1]
	// 5+5+5 over the latest 3 months; 2+2+2 the 3 before: +150 %.
	if *mars.Market.PerMonth.Value != 5 || *mars.Market.Trend.Value != 150 || len(mars.Market.OffersByMonth) != 6 {
		t.Errorf("market = %+v", mars.Market)
	}
	if mars.Salary.VsWished != "within" || *mars.Salary.Median.Value != 4200 {
		t.Errorf("salary = %+v", mars.Salary)
	}
	// SQL 5/5 + Python 3/5 over 4 skills = 40 %.
	if !mars.Match.Known() || *mars.Match.Value != 40 || len(mars.Owned) != 2 || len(mars.Missing) != 2 {
		t.Errorf("skills = %+v owned %v missing %v", mars.Match, mars.Owned, mars.Missing)
	}
	// Missing salaries are null with a note, never 0 (the original app's bug).
	if aix.Salary.Median.Value != nil || aix.Salary.Median.Note == "" {
		t.Errorf("missing salary rendered as %+v", aix.Salary.Median)
	}
	// A market with no offer in the previous window has no trend.
	if aix.Market.Trend.Value != nil || aix.Market.Trend.Note == "" {
		t.Errorf("trend = %+v", aix.Market.Trend)
	}
	colors := map[string]string{}
	for _, l := range mars.Lights {
		colors[l.Axis] = l.Color
		if l.Explanation == "" || l.Rule == "" {
			t.Errorf("light %s without rule or explanation", l.Axis)
		}
	}
	if colors[diagnostic.AxisMarket] != diagnostic.Green || colors[diagnostic.AxisPay] != diagnostic.Green || colors[diagnostic.AxisSkills] != diagnostic.Amber || colors[diagnostic.AxisLife] != diagnostic.Amber || colors[diagnostic.AxisTraining] != diagnostic.Green {
		t.Errorf("lights = %v", colors)
	}
	if len(d.Ranking) != 2 || d.Ranking[0].Zone.Code != "9312" || !strings.Contains(d.Ranking[0].Reason, "Marseille") {
		t.Errorf("ranking = %+v", d.Ranking)
	}
	if len(d.Metiers[0].Nearby) != 1 || d.Metiers[0].Nearby[0].Metier.Code != "M1805" || *d.Metiers[0].Nearby[0].Overlap.Value != 75 {
		t.Errorf("nearby = %+v", d.Metiers[0].Nearby)
	}
}

func TestCache(t *testing.T) {
	f := diagtest.New()
	s := mustService(t, f)
	ctx := context.Background()
	req := diagnostic.Request{Metiers: []string{"M1811"}, Zones: []string{"9312"}}
	d1, _ := s.Run(ctx, req)
	calls := f.Calls("market")
	d2, _ := s.Run(ctx, diagnostic.Request{Metiers: []string{"m1811"}, Zones: []string{"Marseille"}}) // same once normalised
	if d2 != d1 || f.Calls("market") != calls {
		t.Error("same normalised request not served from the cache")
	}
	f.Version = "v2" // an import
	d3, _ := s.Run(ctx, req)
	if d3 == d1 || f.Calls("market") == calls {
		t.Error("a new data version was served from the cache")
	}
	if f.Calls("labels") != 2 {
		t.Errorf("label index loaded %d times, want once per data version", f.Calls("labels"))
	}
}

func TestResolveSkill(t *testing.T) {
	f := diagtest.New()
	for _, tc := range []struct{ code, label, want string }{
		{"100024", "", "100024"},
		{"", "sql", "100025"},
		{"", "PYTHON", "100024"},
		{"", "architecture données", "100023"},
		{"", "pyt", ""},
		{"", "cobol", ""},
		{"99", "", ""},
	} {
		got, ok, err := diagnostic.ResolveSkill(f, tc.code, tc.label)
		if err != nil {
			t.Fatal(err)
		}
		if (tc.want == "") == ok || (ok && got.Code != tc.want) {
			t.Errorf("resolveSkill(%q, %q) = %q %v, want %q", tc.code, tc.label, got.Code, ok, tc.want)
		}
	}
}

func TestSuggestSkills(t *testing.T) {
	s := mustService(t, diagtest.New())
	got, err := s.SuggestSkills(context.Background(), "Expérience en SQL, langage PYTHON et MySQL.", []string{"concevoir une architecture de donnees"}, 10)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	for _, g := range got {
		codes[g.Code] = true
	}
	if len(got) != 3 || !codes["100025"] || !codes["100024"] || !codes["100023"] {
		t.Errorf("suggested %+v", got)
	}
}

func TestWarmLoadsBeforeTheFirstRequest(t *testing.T) {
	f := diagtest.New()
	s, err := diagnostic.NewService(f, diagnostic.Options{Now: diagtest.Now})
	if err != nil {
		t.Fatal(err)
	}
	if s.Warmed() {
		t.Fatal("Warmed before any warm-up")
	}
	v, err := s.Warm(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if v != f.Version || !s.Warmed() {
		t.Fatalf("Warm = %q, Warmed %v; want %q, true", v, s.Warmed(), f.Version)
	}
	labels := f.Calls("labels")
	if _, err := s.Run(context.Background(), diagnostic.Request{Metiers: []string{"M1811"}, Zones: []string{"9312"}}); err != nil {
		t.Fatal(err)
	}
	if f.Calls("labels") != labels {
		t.Errorf("the first request loaded the label index again (%d → %d loads)", labels, f.Calls("labels"))
	}
	f.Version = "v2"
	if _, err := s.Warm(context.Background()); err != nil {
		t.Fatal(err)
	}
	if f.Calls("labels") != labels+1 {
		t.Errorf("a new data version was not warmed: %d label loads, want %d", f.Calls("labels"), labels+1)
	}
}

// TestConcurrentRuns: diagnostics run at once share the per-version caches (fiches,
// life context, top métiers); marking a diagnostic (synthetic, interregional) must not
// write into them. Run with -race.
func TestConcurrentRuns(t *testing.T) {
	s, err := diagnostic.NewService(diagtest.New(), diagnostic.Options{Now: diagtest.Now, CacheSize: -1})
	if err != nil {
		t.Fatal(err)
	}
	reqs := []diagnostic.Request{
		{Metiers: []string{"M1811"}, Zones: []string{"9312", "9301"}},
		{Metiers: []string{"M1805", "M1811"}, Zones: []string{"9312", "0053"}},
		{Metiers: []string{"M1805"}},
	}
	errs := make(chan error, 12)
	for i := range 12 {
		go func() {
			_, err := s.Run(context.Background(), reqs[i%len(reqs)])
			errs <- err
		}()
	}
	for range 12 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	z, err := s.Zone(context.Background(), "9312")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range z.Life.Amenities {
		if a.Per10k.Synthetic || strings.Contains(a.Per10k.Note, "interrégionale") {
			t.Errorf("the cached life context of Marseille was marked: %+v", a.Per10k)
		}
	}
}

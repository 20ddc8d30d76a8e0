package diagnostic

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/openemploi360/openemploi/internal/apperr"
)

func mustService(t *testing.T, f *fakeSource) *Service {
	t.Helper()
	s, err := NewService(f, Options{Now: func() time.Time { return time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Ingénieur·e  Big-Data": "ingenieur e big data",
		"ŒUVRE d'Art":           "oeuvre d art",
		"  C++ / C#  ":          "c++ c#",
		"DÉVELOPPEUR":           "developpeur",
	} {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSearch(t *testing.T) {
	s := mustService(t, newFake())
	ctx := context.Background()
	for _, tc := range []struct {
		q, code, matched string
	}{
		{"data eng", "M1811", ""},
		{"DATA ENGINEER", "M1811", ""},
		{"ingenieur big", "M1811", "Ingénieur / Ingénieure big data"},
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
	ix, err := loadIndex(context.Background(), newFake(), "v")
	if err != nil {
		t.Fatal(err)
	}
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
			z, err := ix.resolveZone("zones/0", tc.in)
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
	s := mustService(t, newFake())
	ctx := context.Background()
	five := []string{"M1811", "M1805", "M1811", "M1805", "M1811"}
	for _, tc := range []struct {
		name  string
		req   Request
		field string
	}{
		{"NoMetier", Request{}, "metiers"},
		{"FiveMetiers", Request{Metiers: five}, "metiers"},
		{"FiveZones", Request{Metiers: five[:1], Zones: []string{"9312", "9312", "9312", "9312", "9312"}}, "zones"},
		{"Level0", Request{Metiers: five[:1], Profile: &Profile{Skills: []SkillInput{{Code: "1", Level: 0}}}}, "profile/skills/0/level"},
		{"NegativeIncome", Request{Metiers: five[:1], Profile: &Profile{Income: &Income{Current: Num(-1)}}}, "profile/income/current"},
		{"UnknownMetier", Request{Metiers: []string{"A1101"}}, "metiers/0"},
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
	f := newFake()
	s := mustService(t, f)
	ctx := context.Background()

	d, err := s.Run(ctx, Request{Metiers: []string{"M1811"}})
	if err != nil {
		t.Fatal(err)
	}
	if d.Level != LevelMetier || len(d.Cells) != 1 || d.Cells[0].Zone.IRI != RegionZone.IRI {
		t.Fatalf("métier-only diagnostic: level %s, %d cells", d.Level, len(d.Cells))
	}

	d, err = s.Run(ctx, Request{Metiers: []string{"data engineer"}, Zones: []string{"Marseille", "13001"},
		Profile: &Profile{Skills: []SkillInput{{Label: "sql", Level: 5}, {Code: "2", Level: 3}}, Income: &Income{WishedMin: Num(4000), WishedMax: Num(5000)}}})
	if err != nil {
		t.Fatal(err)
	}
	if d.Level != LevelProfile || len(d.Cells) != 2 {
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
	// SQL 5/5 + Python 3/5 over 3 skills = 53.3 %.
	if !mars.Match.Known() || *mars.Match.Value != 53.3 || len(mars.Owned) != 2 || len(mars.Missing) != 1 {
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
	if colors[AxisMarket] != Green || colors[AxisPay] != Green || colors[AxisSkills] != Amber || colors[AxisLife] != Amber || colors[AxisTraining] != Unknown {
		t.Errorf("lights = %v", colors)
	}
	if len(d.Ranking) != 2 || d.Ranking[0].Zone.Code != "9312" || !strings.Contains(d.Ranking[0].Reason, "Marseille") {
		t.Errorf("ranking = %+v", d.Ranking)
	}
	if len(d.Metiers[0].Nearby) != 1 || d.Metiers[0].Nearby[0].Metier.Code != "M1805" || *d.Metiers[0].Nearby[0].Overlap.Value != 66.7 {
		t.Errorf("nearby = %+v", d.Metiers[0].Nearby)
	}
}

func TestCache(t *testing.T) {
	f := newFake()
	s := mustService(t, f)
	ctx := context.Background()
	req := Request{Metiers: []string{"M1811"}, Zones: []string{"9312"}}
	d1, _ := s.Run(ctx, req)
	calls := f.calls["market"]
	d2, _ := s.Run(ctx, Request{Metiers: []string{"m1811"}, Zones: []string{"Marseille"}}) // same once normalised
	if d2 != d1 || f.calls["market"] != calls {
		t.Error("same normalised request not served from the cache")
	}
	f.version = "v2" // an import
	d3, _ := s.Run(ctx, req)
	if d3 == d1 || f.calls["market"] == calls {
		t.Error("a new data version was served from the cache")
	}
	if f.calls["labels"] != 2 {
		t.Errorf("label index loaded %d times, want once per data version", f.calls["labels"])
	}
}

func TestCacheBoundedAndKeyOpaque(t *testing.T) {
	c := newCache(2)
	n := &normalised{Skills: map[string]int{"canary-skill": 3}, Income: &Income{Current: Num(4321.77)}}
	k := c.key("v", "t", n)
	b, _ := json.Marshal(n)
	if strings.Contains(k, "canary") || strings.Contains(k, "4321") || len(k) != 64 || strings.Contains(string(b), k) {
		t.Errorf("cache key %q is not an opaque digest", k)
	}
	if other := newCache(2).key("v", "t", n); other == k {
		t.Error("keys do not depend on the per-process secret")
	}
	for i, key := range []string{"a", "b", "c"} {
		c.put(key, &Diagnostic{Level: string(rune('0' + i))})
	}
	if c.len() != 2 || c.get("a") != nil || c.get("c") == nil {
		t.Errorf("cache not bounded to 2 (len %d)", c.len())
	}
}

func TestThresholds(t *testing.T) {
	th, err := DefaultThresholds()
	if err != nil {
		t.Fatal(err)
	}
	if th.Version == "" {
		t.Fatal("no version")
	}
	for _, tc := range []struct {
		name string
		l    Light
		want string
	}{
		{"MarketGreen", th.marketLight(Figure{Value: Num(4)}, Figure{}), Green},
		{"MarketAmber", th.marketLight(Figure{Value: Num(1)}, Figure{}), Amber},
		{"MarketRed", th.marketLight(Figure{Value: Num(0.5)}, Figure{}), Red},
		{"MarketFalling", th.marketLight(Figure{Value: Num(6)}, Figure{Value: Num(-40)}), Amber},
		{"MarketUnknown", th.marketLight(Figure{}, Figure{}), Unknown},
		{"PayFewSalaries", th.payLight(SalaryStats{Median: Num(5000), N: 2}, &Income{WishedMin: Num(1)}), Unknown},
		{"PayWishedGreen", th.payLight(SalaryStats{Median: Num(4000), Q3: Num(4500), N: 10}, &Income{WishedMin: Num(4000)}), Green},
		{"PayWishedAmber", th.payLight(SalaryStats{Median: Num(3900), Q3: Num(4500), N: 10}, &Income{WishedMin: Num(4000)}), Amber},
		{"PayWishedRed", th.payLight(SalaryStats{Median: Num(3000), Q3: Num(3500), N: 10}, &Income{WishedMin: Num(4000)}), Red},
		{"PayCurrentAmber", th.payLight(SalaryStats{Median: Num(3200), Q3: Num(3500), N: 10}, &Income{Current: Num(3500)}), Amber},
		{"PayNoIncome", th.payLight(SalaryStats{Median: Num(3200), N: 10}, nil), Unknown},
		{"SkillsRed", th.skillsLight(Figure{Value: Num(39.9)}), Red},
		{"SkillsGreen", th.skillsLight(Figure{Value: Num(70)}), Green},
		{"TrainingAmber", th.trainingLight(1, true, -1), Amber},
		{"TrainingNotLoaded", th.trainingLight(0, false, -1), Unknown},
		{"TrainingNoneWithCoverage", th.trainingLight(0, true, th.Training.MinRegionSessions), Red},
		{"TrainingNoneCoverageUnknown", th.trainingLight(0, true, -1), Red},
		{"TrainingNoneThinData", th.trainingLight(0, true, th.Training.MinRegionSessions-1), Unknown},
		{"TrainingOneThinData", th.trainingLight(1, true, 3), Amber},
		{"LifeRed", th.lifeLight(Figure{Value: Num(12)}), Red},
		{"LifeGreen", th.lifeLight(Figure{Value: Num(8)}), Green},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.l.Color != tc.want {
				t.Errorf("color %s, want %s (%s)", tc.l.Color, tc.want, tc.l.Explanation)
			}
		})
	}
	if _, err := ParseThresholds([]byte("version: x\nmarket: {green_min_offers_per_month: 1, amber_min_offers_per_month: 2}")); err == nil {
		t.Error("inverted thresholds accepted")
	}
}

func TestResolveSkill(t *testing.T) {
	ix, err := loadIndex(context.Background(), newFake(), "v")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ code, label, want string }{
		{"2", "", "2"},
		{"", "sql", "1"},
		{"", "PYTHON", "2"},
		{"", "architecture données", "3"},
		{"", "pyt", ""},
		{"", "cobol", ""},
		{"99", "", ""},
	} {
		got, ok := ix.resolveSkill(tc.code, tc.label)
		if (tc.want == "") == ok || (ok && got.Code != tc.want) {
			t.Errorf("resolveSkill(%q, %q) = %q %v, want %q", tc.code, tc.label, got.Code, ok, tc.want)
		}
	}
}

func TestSuggestSkills(t *testing.T) {
	s := mustService(t, newFake())
	got, err := s.SuggestSkills(context.Background(), "Expérience en SQL, langage PYTHON et MySQL.", []string{"concevoir une architecture de donnees"}, 10)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	for _, g := range got {
		codes[g.Code] = true
	}
	if len(got) != 3 || !codes["1"] || !codes["2"] || !codes["3"] {
		t.Errorf("suggested %+v", got)
	}
}

func TestWarmLoadsBeforeTheFirstRequest(t *testing.T) {
	f := newFake()
	s, err := NewService(f, Options{Now: func() time.Time { return time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC) }})
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
	if v != f.version || !s.Warmed() {
		t.Fatalf("Warm = %q, Warmed %v; want %q, true", v, s.Warmed(), f.version)
	}
	labels := f.calls["labels"]
	if _, err := s.Run(context.Background(), Request{Metiers: []string{"M1811"}, Zones: []string{"9312"}}); err != nil {
		t.Fatal(err)
	}
	if f.calls["labels"] != labels {
		t.Errorf("the first request loaded the label index again (%d → %d loads)", labels, f.calls["labels"])
	}
	f.version = "v2"
	if _, err := s.Warm(context.Background()); err != nil {
		t.Fatal(err)
	}
	if f.calls["labels"] != labels+1 {
		t.Errorf("a new data version was not warmed: %d label loads, want %d", f.calls["labels"], labels+1)
	}
}

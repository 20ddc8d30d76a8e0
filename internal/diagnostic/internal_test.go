package diagnostic

import (
	"encoding/json"
	"strings"
	"testing"
)

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

package diagnostic

import (
	"strings"
	"testing"
)

func TestRankCoverage(t *testing.T) {
	th, err := DefaultThresholds()
	if err != nil {
		t.Fatal(err)
	}
	lights := func(colors ...string) []Light {
		axes := []string{AxisMarket, AxisPay, AxisSkills, AxisTraining, AxisLife}
		var out []Light
		for i, c := range colors {
			out = append(out, Light{Axis: axes[i], Color: c})
		}
		return out
	}
	d := &Diagnostic{Cells: []Cell{
		// the case: 100/100 with three of five lights unknown
		{Metier: MetierRef{Label: "A"}, Zone: Zone{Label: "Thin"}, Lights: lights(Green, Green, Unknown, Unknown, Unknown)},
		{Metier: MetierRef{Label: "A"}, Zone: Zone{Label: "Full"}, Lights: lights(Green, Amber, Amber, Red, Green)},
		{Metier: MetierRef{Label: "A"}, Zone: Zone{Label: "Four"}, Lights: lights(Green, Green, Green, Unknown, Green)},
		{Metier: MetierRef{Label: "A"}, Zone: Zone{Label: "None"}, Lights: lights(Unknown, Unknown, Unknown, Unknown, Unknown)},
	}}
	rankCells(th, d)
	var got []string
	for _, r := range d.Ranking {
		got = append(got, r.Zone.Label)
	}
	if strings.Join(got, ",") != "Full,Four,Thin" {
		t.Errorf("ranking %v, want the better-covered pairs first", got)
	}
	thin := d.Cells[0]
	if *thin.Score != 100 || thin.Coverage != (Coverage{Known: 2, Of: 5}) {
		t.Errorf("thin cell: score %v, coverage %+v", *thin.Score, thin.Coverage)
	}
	if r := d.Ranking[2]; r.Coverage.Known != 2 || !strings.Contains(r.Reason, "score 100/100 sur 2 axes connus sur 5") {
		t.Errorf("reason %q", r.Reason)
	}
	if d.Cells[3].Score != nil || d.Cells[3].Coverage.Known != 0 || d.RankingRule == "" {
		t.Errorf("no known axis: score %v coverage %+v, rule %q", d.Cells[3].Score, d.Cells[3].Coverage, d.RankingRule)
	}
}

package mappings_test

import (
	"sort"
	"testing"

	"github.com/openemploi360/openemploi/mappings"
)

func TestScratch(t *testing.T) {
	srcs, err := mappings.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range srcs {
		if len(s.Sample) == 0 {
			continue
		}
		t.Run(s.Name, func(t *testing.T) {
			tl, st := runSource(t, s, s.Sample)
			t.Logf("records %d quads %d rejected %d default %d graphs %d", st.Records, st.Quads, st.Rejected, tl.defaultG, len(tl.graphs))
			var cl []string
			for c, m := range tl.byClass {
				cl = append(cl, c+"="+itoa(len(m)))
			}
			sort.Strings(cl)
			t.Log(cl)
			var ps []string
			for p, n := range tl.byPred {
				ps = append(ps, p+"="+itoa(n))
			}
			sort.Strings(ps)
			t.Log(ps)
			t.Log(tl.literals)
		})
	}
}

func itoa(n int) string { return fmtInt(n) }

package ingest

import (
	"math/rand/v2"
	"os"
	"testing"
)

// TestDistinctCounter compares the spilled count with a map, across run sizes that
// force zero, one and many spills, with duplicates inside and across runs.
func TestDistinctCounter(t *testing.T) {
	for _, tc := range []struct {
		name   string
		runLen int
		n      int
		space  uint64 // hashes drawn from [0, space): small spaces make duplicates
	}{
		{"in memory", 1 << 20, 5000, 1000},
		{"one spill exactly", 100, 100, 80},
		{"many spills, many duplicates", 64, 10_000, 500},
		{"many spills, few duplicates", 1000, 20_000, 1 << 40},
		{"empty", 10, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			d := newDistinctCounter(dir, "20261205T090000Z-0123456789ab")
			d.runLen = tc.runLen
			want := map[int]map[uint64]bool{}
			r := rand.New(rand.NewPCG(1, uint64(tc.n)))
			for range tc.n {
				target := r.IntN(3)
				h := r.Uint64N(tc.space)
				if want[target] == nil {
					want[target] = map[uint64]bool{}
				}
				want[target][h] = true
				if err := d.add(target, h); err != nil {
					t.Fatal(err)
				}
			}
			got, err := d.counts()
			if err != nil {
				t.Fatal(err)
			}
			for target := range 3 {
				if got[target] != int64(len(want[target])) {
					t.Errorf("target %d: %d distinct, want %d", target, got[target], len(want[target]))
				}
			}
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Errorf("runs left behind: %v", left)
			}
		})
	}
}

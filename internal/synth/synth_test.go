package synth_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"encoding/xml"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/openemploi360/openemploi/internal/synth"
)

var (
	refsOnce sync.Once
	refs     synth.Refs
	refsErr  error
)

func mustRefs(tb testing.TB) synth.Refs {
	tb.Helper()
	refsOnce.Do(func() { refs, refsErr = synth.LoadRefs("../../testdata/sample") })
	if refsErr != nil {
		tb.Fatal(refsErr)
	}
	return refs
}

func generate(tb testing.TB, o synth.Options) synth.Result {
	tb.Helper()
	if o.OutDir == "" {
		o.OutDir = tb.TempDir()
	}
	res, err := synth.Generate(context.Background(), o, mustRefs(tb))
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

// digest hashes every file of a result, in order.
func digest(t *testing.T, res synth.Result) string {
	t.Helper()
	h := sha256.New()
	for _, p := range append(append([]string(nil), res.OfferFiles...), res.TrainingFile) {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(h, filepath.Base(p))
		if _, err := io.Copy(h, f); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	return string(h.Sum(nil))
}

func TestDeterminism(t *testing.T) {
	small := synth.Options{Months: 2, OffersPerMonth: 500, Sessions: 100}
	a, b, c := small, small, small
	a.Seed, b.Seed, c.Seed = 7, 7, 8
	da, db, dc := digest(t, generate(t, a)), digest(t, generate(t, b)), digest(t, generate(t, c))
	t.Run("SameSeedSameBytes", func(t *testing.T) {
		if da != db {
			t.Error("two runs with seed 7 differ")
		}
	})
	t.Run("OtherSeedOtherBytes", func(t *testing.T) {
		if da == dc {
			t.Error("seeds 7 and 8 gave the same files")
		}
	})
}

type offerJSON struct {
	ID           string `json:"id"`
	DateCreation string `json:"dateCreation"`
	RomeCode     string `json:"romeCode"`
	TypeContrat  string `json:"typeContrat"`
	LieuTravail  struct {
		Commune string `json:"commune"`
	} `json:"lieuTravail"`
	Salaire map[string]string `json:"salaire"`
}

func readOffers(t *testing.T, path string) []offerJSON {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []offerJSON
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return out
}

func TestValidity(t *testing.T) {
	r := mustRefs(t)
	rome := map[string]bool{}
	for _, o := range r.Occupations {
		rome[o.Code] = true
	}
	commune := map[string]bool{}
	for _, c := range r.Communes {
		commune[c.Code] = true
	}
	res := generate(t, synth.Options{Seed: 1, Months: 3, EndMonth: "2025-01", OffersPerMonth: 2000, Sessions: 300})
	wantMonths := []string{"2024-11", "2024-12", "2025-01"}
	if len(res.OfferFiles) != len(wantMonths) {
		t.Fatalf("got %d offer files, want %d", len(res.OfferFiles), len(wantMonths))
	}
	ids := map[string]bool{}
	contracts := map[string]int{}
	withPay, total := 0, 0
	for i, p := range res.OfferFiles {
		if want := "offres-synth-" + wantMonths[i] + ".json"; filepath.Base(p) != want {
			t.Errorf("file %d is %s, want %s", i, filepath.Base(p), want)
		}
		offers := readOffers(t, p)
		if len(offers) != 2000 {
			t.Errorf("%s: %d offers, want 2000", p, len(offers))
		}
		for _, o := range offers {
			total++
			switch {
			case !strings.HasPrefix(o.ID, "SYN"):
				t.Fatalf("offer id %q is not prefixed SYN", o.ID)
			case ids[o.ID]:
				t.Fatalf("duplicate offer id %q", o.ID)
			case !rome[o.RomeCode]:
				t.Fatalf("offer %s: unknown ROME code %q", o.ID, o.RomeCode)
			case !commune[o.LieuTravail.Commune]:
				t.Fatalf("offer %s: unknown commune %q", o.ID, o.LieuTravail.Commune)
			case !strings.HasPrefix(o.DateCreation, wantMonths[i]):
				t.Fatalf("offer %s created %s, outside %s", o.ID, o.DateCreation, wantMonths[i])
			}
			ids[o.ID] = true
			contracts[o.TypeContrat]++
			if o.Salaire["libelle"] != "" {
				withPay++
			}
		}
	}
	t.Run("ContractMix", func(t *testing.T) {
		for _, c := range []string{"CDI", "CDD", "MIS"} {
			if contracts[c] == 0 {
				t.Errorf("no %s offer in %d", c, total)
			}
		}
		if contracts["CDI"] < contracts["CDD"] || contracts["CDD"] < contracts["LIB"] {
			t.Errorf("contract mix %v: want CDI > CDD > LIB", contracts)
		}
	})
	t.Run("PayOftenMissing", func(t *testing.T) {
		missing := 1 - float64(withPay)/float64(total)
		if missing < 0.3 || missing > 0.5 {
			t.Errorf("%.0f%% of offers without pay, want about 40%%", 100*missing)
		}
	})
	t.Run("TrainingsParse", func(t *testing.T) {
		b, err := os.ReadFile(res.TrainingFile)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Formations []struct {
				Rome    string `xml:"domaine-formation>code-ROME"`
				Actions []struct {
					Commune  string   `xml:"lieu-de-formation>coordonnees>adresse>code-INSEE-commune"`
					Sessions []string `xml:"session>periode>debut"`
				} `xml:"action"`
			} `xml:"offres>formation"`
		}
		if err := xml.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, f := range doc.Formations {
			if !rome[f.Rome] {
				t.Fatalf("training with unknown ROME %q", f.Rome)
			}
			for _, a := range f.Actions {
				if !commune[a.Commune] {
					t.Fatalf("action in unknown commune %q", a.Commune)
				}
				n += len(a.Sessions)
			}
		}
		if n != res.Sessions || n != 300 {
			t.Errorf("%d sessions in the file, result says %d, want 300", n, res.Sessions)
		}
	})
}

// TestCommunesFollowPopulation checks that the largest communes get a share
// of offers close to their share of population: within 5 standard
// deviations of the binomial count (a fixed seed makes this deterministic).
func TestCommunesFollowPopulation(t *testing.T) {
	r := mustRefs(t)
	const n = 20000
	res := generate(t, synth.Options{Seed: 3, Months: 1, OffersPerMonth: n, Sessions: 1})
	got := map[string]int{}
	for _, o := range readOffers(t, res.OfferFiles[0]) {
		got[o.LieuTravail.Commune]++
	}
	total := 0
	for _, c := range r.Communes {
		total += c.Population
	}
	cs := append([]synth.Commune(nil), r.Communes...)
	sort.Slice(cs, func(i, j int) bool { return cs[i].Population > cs[j].Population })
	for _, c := range cs[:10] {
		p := float64(c.Population) / float64(total)
		want := p * n
		sd := math.Sqrt(n * p * (1 - p))
		if d := math.Abs(float64(got[c.Code]) - want); d > 5*sd {
			t.Errorf("commune %s (%s): %d offers, expected %.0f ± %.0f", c.Code, c.Name, got[c.Code], want, 5*sd)
		}
	}
}

func TestOptionsErrors(t *testing.T) {
	for name, o := range map[string]synth.Options{
		"NoOutDir": {},
		"BadMonth": {OutDir: t.TempDir(), EndMonth: "janvier"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := synth.Generate(context.Background(), o, mustRefs(t)); err == nil {
				t.Error("want an error")
			}
		})
	}
	t.Run("EmptyRefs", func(t *testing.T) {
		if _, err := synth.Generate(context.Background(), synth.Options{OutDir: t.TempDir()}, synth.Refs{}); err == nil {
			t.Error("want an error")
		}
	})
}

// BenchmarkGenerate measures offers written per second (one month of 10 000
// offers and 1 000 sessions per iteration).
func BenchmarkGenerate(b *testing.B) {
	r := mustRefs(b)
	dir := b.TempDir()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		_, err := synth.Generate(context.Background(), synth.Options{OutDir: dir, Seed: uint64(i), Months: 1, OffersPerMonth: 10000, Sessions: 1000}, r)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*10000)/b.Elapsed().Seconds(), "offers/s")
}

// TestOccupationMix: the generated métier mix follows the real PACA sample,
// whose most frequent fiche must also lead here, and keeps executive fiches.
func TestOccupationMix(t *testing.T) {
	r := mustRefs(t)
	res := generate(t, synth.Options{Seed: 5, Months: 1, OffersPerMonth: 5000, Sessions: 1})
	got := map[string]int{}
	for _, o := range readOffers(t, res.OfferFiles[0]) {
		got[o.RomeCode]++
	}
	top, topReal, exec := "", "", 0
	realMax := 0
	for _, o := range r.Occupations {
		if got[o.Code] > got[top] {
			top = o.Code
		}
		if o.RealOffers > realMax {
			topReal, realMax = o.Code, o.RealOffers
		}
		if o.Executive {
			exec += got[o.Code]
		}
	}
	if top != topReal {
		t.Errorf("most generated fiche %s (%d offers), want the real sample's %s", top, got[top], topReal)
	}
	if exec == 0 {
		t.Error("no offer for an executive fiche")
	}
	if len(got) < 100 {
		t.Errorf("only %d distinct fiches in 5000 offers: the other métiers must keep a chance", len(got))
	}
	t.Logf("top %s: %d; executive fiches: %d of 5000; distinct fiches %d", top, got[top], exec, len(got))
}

package acceptance

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/openemploi360/openemploi/internal/cli"
	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/ingest"
	"github.com/openemploi360/openemploi/internal/kg"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
	"github.com/openemploi360/openemploi/internal/synth"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// The zones d'emploi of the demo and the métier the consultant looks at.
const (
	zoneMarseille = "9312"
	zoneNice      = "9315"
	zoneToulon    = "9318"
	zoneAvignon   = "0053" // interregional: PACA and Occitanie
	dataEngineer  = "M1811"
)

var demoZones = []string{zoneMarseille, zoneNice, zoneToulon}

// world is one store holding the bundled sample and the synthetic set, with the
// diagnostic service over it.
type world struct {
	kind string
	c    *store.Client
	kg   *kg.KG
	svc  *diagnostic.Service
	root string
	cat  *ingest.Catalog
	// synthFiles are the generated files, by catalog source.
	synthFiles map[string][]string
}

// load imports the ontology, every catalog source with its bundled sample, and the
// synthetic set into a fresh store of the kind, as `openemploi import --with-ontology --all --sample` then
// `openemploi import offres-synth|formations-synth` would.
func load(t *testing.T, kind string) *world {
	t.Helper()
	cfg := storetest.NewConfig(t, kind)
	c, err := store.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	root, err := storetest.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cat, err := ingest.LoadCatalog(filepath.Join(root, "mappings", "catalog.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// No SHACL validation (`--no-validate`): the mappings' and the validator's own
	// tests cover it, and on the shared in-memory Fuseki validating the 187 000 rows of
	// ROME 4 runs past its query timeout; OPENEMPLOI_ACCEPTANCE_VALIDATE=1 turns it on.
	im := &ingest.Importer{Store: c, Catalog: cat, TempDir: t.TempDir()}
	if os.Getenv("OPENEMPLOI_ACCEPTANCE_VALIDATE") == "1" {
		v, err := cli.NewValidator()
		if err != nil {
			t.Fatal(err)
		}
		im.Validator = v
	}
	start := time.Now()

	// The ontology through the command itself: its source description (title, dates)
	// lives in internal/cli, unexported.
	var out, errb bytes.Buffer
	cmd := cli.NewRoot(&out, &errb)
	cmd.SetArgs([]string{"ontology", "load", "--store", cfg.BaseURL, "--store-preset", string(cfg.Preset)})
	if err := cmd.ExecuteContext(ctx); err != nil {
		t.Fatalf("openemploi ontology load: %v\n%s", err, errb.String())
	}

	synthFiles := generateSynthetic(t, root)
	for _, src := range cat.Sources {
		var in []string
		for _, p := range src.Sample {
			in = append(in, filepath.Join(root, p))
		}
		if len(in) == 0 {
			in = synthFiles[src.Name]
		}
		if len(in) == 0 {
			continue
		}
		t0 := time.Now()
		res, err := im.Import(ctx, src, in)
		if err != nil {
			t.Fatalf("import %s: %v", src.Name, err)
		}
		if res.Rejected > 0 {
			t.Logf("import %s: %d rejected: %v", src.Name, res.Rejected, res.Rejects)
		}
		t.Logf("import %s: %d records in %s", src.Name, res.Records, time.Since(t0).Round(time.Millisecond))
	}
	t.Logf("%s: ontology, sample and synthetic set imported in %s", kind, time.Since(start).Round(time.Millisecond))

	k, err := kg.New(c)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := diagnostic.NewService(k, diagnostic.Options{CacheSize: -1})
	if err != nil {
		t.Fatal(err)
	}
	return &world{kind: kind, c: c, kg: k, svc: svc, root: root, cat: cat, synthFiles: synthFiles}
}

// generateSynthetic writes the small synthetic set, by catalog source: offers of the
// data engineer (M1811) in the three demo zones over the last two months of the real
// offers, and sessions of trainings for it there, from January to March 2025 so that
// some start after the offers end and some before. Only M1811 is generated so that the
// recounts of other fiches against the real file stay exact.
func generateSynthetic(t *testing.T, root string) map[string][]string {
	t.Helper()
	refs, err := synth.LoadRefs(filepath.Join(root, "testdata", "sample"))
	if err != nil {
		t.Fatal(err)
	}
	inZones := map[string]bool{}
	for code, z := range zoneOfCommune(t, root) {
		for _, d := range demoZones {
			if z == d {
				inZones[code] = true
			}
		}
	}
	var occ []synth.Occupation
	for _, o := range refs.Occupations {
		if o.Code == dataEngineer {
			occ = append(occ, o)
		}
	}
	var communes []synth.Commune
	for _, c := range refs.Communes {
		if inZones[c.Code] {
			communes = append(communes, c)
		}
	}
	if len(occ) != 1 || len(communes) == 0 {
		t.Fatalf("synthetic refs: %d fiches, %d communes in the demo zones", len(occ), len(communes))
	}
	refs = synth.Refs{Occupations: occ, Communes: communes}
	ctx := context.Background()
	offers, err := synth.Generate(ctx, synth.Options{OutDir: t.TempDir(), Seed: 11, Months: 2, EndMonth: "2025-01", OffersPerMonth: 60, Sessions: 1}, refs)
	if err != nil {
		t.Fatal(err)
	}
	sessions, err := synth.Generate(ctx, synth.Options{OutDir: t.TempDir(), Seed: 12, Months: 3, EndMonth: "2025-03", OffersPerMonth: 1, Sessions: 60}, refs)
	if err != nil {
		t.Fatal(err)
	}
	return map[string][]string{"offres-synth": offers.OfferFiles, "formations-synth": {sessions.TrainingFile}}
}

// zoneOfCommune reads which zone d'emploi each commune (and each Marseille
// arrondissement, through its parent commune) belongs to, from the INSEE files of the
// sample.
func zoneOfCommune(t *testing.T, root string) map[string]string {
	t.Helper()
	zone := map[string]string{}
	readCSV(t, filepath.Join(root, "testdata/sample/communes_paca/insee_ze2020_composition_communale_paca_2023.csv"), ',', func(r map[string]string) {
		zone[r["CODGEO"]] = r["ZE2020"]
	})
	readCSV(t, filepath.Join(root, "testdata/sample/communes_paca/communes_paca_jointure.csv"), ',', func(r map[string]string) {
		if _, ok := zone[r["code_insee"]]; !ok {
			if z, ok := zone[r["commune_parente"]]; ok {
				zone[r["code_insee"]] = z
			} else if r["ze2020"] != "" {
				zone[r["code_insee"]] = r["ze2020"]
			}
		}
	})
	return zone
}

func readCSV(t *testing.T, path string, sep rune, fn func(map[string]string)) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = sep
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil {
		t.Fatalf("%s: header: %v", path, err)
	}
	if len(head) > 0 {
		head[0] = trimBOM(head[0])
	}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s:%d: %v", path, line, err)
		}
		m := make(map[string]string, len(head))
		for i, h := range head {
			if i < len(rec) {
				m[h] = rec[i]
			}
		}
		fn(m)
	}
	return head
}

func trimBOM(s string) string {
	if len(s) >= 3 && s[:3] == "\xef\xbb\xbf" {
		return s[3:]
	}
	return s
}

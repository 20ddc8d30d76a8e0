package aggregate_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/openemploi360/openemploi/internal/aggregate"
	"github.com/openemploi360/openemploi/internal/ingest"
	"github.com/openemploi360/openemploi/internal/ntriples"
	"github.com/openemploi360/openemploi/internal/rml"
	"github.com/openemploi360/openemploi/internal/shacl"
	"github.com/openemploi360/openemploi/internal/sparqlq"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
	"github.com/openemploi360/openemploi/internal/synth"
	"github.com/openemploi360/openemploi/internal/vocab"
	"github.com/openemploi360/openemploi/queries"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// recordSink hands each mapped record's triples to an aggregator, as the import does.
type recordSink struct {
	agg *aggregate.Offers
	buf []ntriples.Triple
}

func (r *recordSink) Quad(s, p, o, g ntriples.Term) error {
	r.buf = append(r.buf, ntriples.Triple{S: s, P: p, O: o})
	return nil
}

func (r *recordSink) EndRecord(source, where string) error {
	r.agg.Record(r.buf)
	r.buf = r.buf[:0]
	return nil
}

// triplesSink keeps every triple of a mapping.
type triplesSink []ntriples.Triple

func (t *triplesSink) Quad(s, p, o, g ntriples.Term) error {
	*t = append(*t, ntriples.Triple{S: s, P: p, O: o})
	return nil
}

type input struct {
	src   ingest.Source
	files []string
}

// TestStreamedEqualsReference is the proof of issue 12's streamed aggregates: the
// bundled sample (geo, France Travail offers, the APEC format sample) and a small
// synthetic set with repeated records are imported the way imports have always been
// (graphs live in oeg:meta, then queries/derived/*.ru into oeg:derived); the same files,
// mapped record by record into aggregate.Offers, give month graphs that go through the
// store and back; Fold of those must equal, value for value, every observation the
// reference definitions wrote.
func TestStreamedEqualsReference(t *testing.T) {
	root, err := storetest.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := ingest.LoadCatalog(filepath.Join(root, "mappings", "catalog.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var inputs []input
	for _, name := range []string{"geo", "offres-ft", "offres-apec"} {
		src, err := cat.Source(name)
		if err != nil {
			t.Fatal(err)
		}
		in := input{src: src}
		for _, p := range src.Sample {
			in.files = append(in.files, filepath.Join(root, p))
		}
		inputs = append(inputs, in)
	}
	synthSrc, err := cat.Source("offres-synth")
	if err != nil {
		t.Fatal(err)
	}
	inputs = append(inputs, input{src: synthSrc, files: synthFiles(t, root)})

	zones := zonesOf(t, cat, inputs[0])
	if len(zones) < 900 {
		t.Fatalf("geo gives the zone of %d communes, want PACA's ~950", len(zones))
	}
	// The streamed month graphs, as N-Quads, and their names.
	var monthQuads bytes.Buffer
	var monthGraphs []string
	w := ntriples.NewWriter(&monthQuads)
	for _, in := range inputs[1:] {
		agg := aggregate.NewOffers(in.src.Name, in.src.Synthetic, zones)
		m, err := rml.LoadFile(cat.MappingPath(in.src))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Execute(context.Background(), rml.Options{Inputs: in.files, Params: in.src.Params}, &recordSink{agg: agg}); err != nil {
			t.Fatalf("map %s: %v", in.src.Name, err)
		}
		for _, month := range agg.Months() {
			g := ntriples.NewIRI(vocab.DerivedMonthGraph(in.src.Name, month))
			monthGraphs = append(monthGraphs, g.Value)
			if err := agg.Write(month, func(s, p, o ntriples.Term) error { return w.WriteQuad(s, p, o, g) }); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	q := loadQueries(t)
	shapes, err := shacl.Default()
	if err != nil {
		t.Fatal(err)
	}
	synthetic := map[string]bool{}
	for _, in := range inputs {
		synthetic[in.src.Name] = in.src.Synthetic
	}

	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		im := &ingest.Importer{Store: c, Catalog: cat, TempDir: t.TempDir()}
		for _, in := range inputs {
			src := in.src
			src.Aggregate = "" // this test streams the month graphs itself, below
			res, err := im.Import(ctx, src, in.files)
			if err != nil {
				t.Fatalf("import %s: %v", src.Name, err)
			}
			if res.Rejected > 0 {
				t.Fatalf("import %s: %d rejected: %v", src.Name, res.Rejected, res.Rejects)
			}
		}
		if err := runReference(ctx, c); err != nil {
			t.Fatal(err)
		}
		want := referenceObservations(t, ctx, c, q)

		if err := c.LoadQuads(ctx, bytes.NewReader(monthQuads.Bytes())); err != nil {
			t.Fatalf("load the month graphs: %v", err)
		}
		var cells []aggregate.CellMonth
		for _, g := range monthGraphs {
			cells = append(cells, monthCells(t, ctx, c, q, g, synthetic)...)
			// the month graphs conform to the shapes (oesh:Observation)
			rep, err := shapes.Validate(ctx, c, g, 5)
			if err != nil {
				t.Fatalf("validate %s: %v", g, err)
			}
			for _, v := range rep.Violations {
				t.Errorf("%s: %s %s: %s (value %s)", g, v.Focus, v.Path, v.Message, v.Value)
			}
		}
		got := aggregate.Fold(cells)

		// Not a vacuous comparison: every dataset has observations, of both
		// levels, and the region-level employer filter drops someone.
		for ds, n := range map[string]int{"offres": len(want.Months), "contrats": len(want.Contracts),
			"experience": len(want.Experience), "employeurs": len(want.Employers), "salaires": len(want.Salaries)} {
			if n < 20 {
				t.Errorf("the reference wrote only %d observations of %s", n, ds)
			}
		}
		regionEmployers := map[string]bool{}
		for _, c := range cells {
			if c.Area == vocab.RegionIRI {
				for _, e := range c.Mix.Employers {
					regionEmployers[c.Fiche+" "+e.Name] = true
				}
			}
		}
		kept := 0
		for _, e := range want.Employers {
			if e.Area == vocab.RegionIRI {
				kept++
			}
		}
		if kept == len(regionEmployers) {
			t.Errorf("the region-level employer filter drops none of the %d employers: not tested", kept)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Fold of the streamed month graphs differs from queries/derived/*.ru:\n%s", aggregate.DiffObs(got, want))
		}
		t.Logf("%d month graphs, %d cells; reference: %d months, %d contracts, %d experience, %d employers, %d salaries",
			len(monthGraphs), len(cells), len(want.Months), len(want.Contracts), len(want.Experience), len(want.Employers), len(want.Salaries))
	})
}

// synthFiles generates two months of synthetic offers and a third file that repeats
// some of their records, some unchanged and some moved to another commune, as two
// overlapping daily downloads would.
func synthFiles(t *testing.T, root string) []string {
	t.Helper()
	refs, err := synth.LoadRefs(filepath.Join(root, "testdata", "sample"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	res, err := synth.Generate(context.Background(), synth.Options{OutDir: dir, Seed: 7, Months: 2, EndMonth: "2025-01", OffersPerMonth: 400, Sessions: 1}, refs)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(res.OfferFiles[1])
	if err != nil {
		t.Fatal(err)
	}
	var offers []map[string]any
	if err := json.Unmarshal(b, &offers); err != nil {
		t.Fatal(err)
	}
	again := offers[:40]
	for i, o := range again[30:] {
		moved := map[string]any{}
		for k, v := range o {
			moved[k] = v
		}
		// the commune of another offer: another zone, most often
		moved["lieuTravail"] = offers[100+i]["lieuTravail"]
		again[30+i] = moved
	}
	out, err := json.Marshal(again)
	if err != nil {
		t.Fatal(err)
	}
	repeat := filepath.Join(dir, "offres-synth-repeat.json")
	if err := os.WriteFile(repeat, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return append(res.OfferFiles, repeat)
}

// zonesOf maps the geo sample and keeps oep:zoneEmploi: the commune → zone the import
// reads from the live geo graph.
func zonesOf(t testing.TB, cat *ingest.Catalog, geo input) aggregate.Zones {
	t.Helper()
	m, err := rml.LoadFile(cat.MappingPath(geo.src))
	if err != nil {
		t.Fatal(err)
	}
	var ts triplesSink
	if _, err := m.Execute(context.Background(), rml.Options{Inputs: geo.files, Params: geo.src.Params}, &ts); err != nil {
		t.Fatal(err)
	}
	zones := aggregate.Zones{}
	for _, tr := range ts {
		if tr.P.Value == vocab.Property("zoneEmploi") {
			zones[tr.S.Value] = tr.O.Value
		}
	}
	return zones
}

// runReference runs queries/derived/*.ru, the reference definitions, in name order.
func runReference(ctx context.Context, c *store.Client) error {
	files, err := fs.Glob(queries.FS, "derived/*.ru")
	if err != nil {
		return err
	}
	if len(files) != 3 {
		return &os.PathError{Op: "glob", Path: "derived/*.ru", Err: fs.ErrNotExist}
	}
	for _, f := range files {
		b, err := fs.ReadFile(queries.FS, f)
		if err != nil {
			return err
		}
		if err := c.Update(ctx, string(b)); err != nil {
			return err
		}
	}
	return nil
}

func loadQueries(t *testing.T) *sparqlq.Bank {
	t.Helper()
	b, err := sparqlq.Load(os.DirFS("testdata"), "*.rq")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func selectRows(t *testing.T, ctx context.Context, c *store.Client, q *sparqlq.Bank, name string, args sparqlq.Args) []map[string]string {
	t.Helper()
	text, err := q.Bind(name, args)
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Select(ctx, text)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var rows []map[string]string
	for _, sol := range res.Solutions() {
		row := map[string]string{}
		for v, term := range sol {
			row[v] = term.String()
		}
		rows = append(rows, row)
	}
	return rows
}

// referenceObservations reads what queries/derived/*.ru wrote into oeg:derived.
func referenceObservations(t *testing.T, ctx context.Context, c *store.Client, q *sparqlq.Bank) aggregate.Observations {
	t.Helper()
	rows := selectRows(t, ctx, c, q, "derived-observations", sparqlq.Args{"graph": vocab.DerivedGraph})
	var out aggregate.Observations
	seen := map[string]bool{}
	for _, r := range rows {
		if seen[r["obs"]] {
			t.Fatalf("observation %s read twice (a second value of one of its properties): %v", r["obs"], r)
		}
		seen[r["obs"]] = true
		num := func(v string) float64 {
			f, err := strconv.ParseFloat(r[v], 64)
			if err != nil {
				t.Fatalf("%s: ?%s %q: %v", r["obs"], v, r[v], err)
			}
			return f
		}
		var n int64
		if r["n"] != "" {
			n = int64(num("n"))
		}
		switch strings.TrimPrefix(r["ds"], vocab.ID+"dataset/") {
		case "offres":
			out.Months = append(out.Months, aggregate.MonthObs{Area: r["area"], Fiche: r["fiche"], Month: r["period"], Offers: n})
		case "offres-contrats":
			out.Contracts = append(out.Contracts, aggregate.KeyObs{Area: r["area"], Fiche: r["fiche"], Key: r["key"], Period: r["period"], Offers: n})
		case "offres-experience":
			out.Experience = append(out.Experience, aggregate.KeyObs{Area: r["area"], Fiche: r["fiche"], Key: r["key"], Period: r["period"], Offers: n})
		case "offres-employeurs":
			out.Employers = append(out.Employers, aggregate.EmployerObs{Area: r["area"], Fiche: r["fiche"], Name: r["key"], Period: r["period"],
				NAF: r["naf"], Offers: n, Synthetic: r["synthetic"] == "true"})
		case "offres-salaires":
			out.Salaries = append(out.Salaries, aggregate.SalaryObs{Area: r["area"], Fiche: r["fiche"], Period: r["period"],
				N: int64(num("salaryN")), Q1: num("q1"), Median: num("median"), Q3: num("q3")})
		default:
			t.Fatalf("observation %s of an unknown dataset %s", r["obs"], r["ds"])
		}
	}
	// the order Fold promises, for DeepEqual
	slices.SortFunc(out.Months, func(x, y aggregate.MonthObs) int {
		return cmp.Or(cmp.Compare(x.Area, y.Area), cmp.Compare(x.Fiche, y.Fiche), cmp.Compare(x.Month, y.Month))
	})
	for _, l := range [][]aggregate.KeyObs{out.Contracts, out.Experience} {
		slices.SortFunc(l, func(x, y aggregate.KeyObs) int {
			return cmp.Or(cmp.Compare(x.Area, y.Area), cmp.Compare(x.Fiche, y.Fiche), cmp.Compare(x.Key, y.Key))
		})
	}
	slices.SortFunc(out.Employers, func(x, y aggregate.EmployerObs) int {
		return cmp.Or(cmp.Compare(x.Area, y.Area), cmp.Compare(x.Fiche, y.Fiche), cmp.Compare(x.Name, y.Name))
	})
	slices.SortFunc(out.Salaries, func(x, y aggregate.SalaryObs) int {
		return cmp.Or(cmp.Compare(x.Area, y.Area), cmp.Compare(x.Fiche, y.Fiche))
	})
	return out
}

// monthCells reads one streamed month graph back from the store, as the diagnostic
// would: the source and month from the graph's name, synthetic from the catalog.
func monthCells(t *testing.T, ctx context.Context, c *store.Client, q *sparqlq.Bank, graph string, synthetic map[string]bool) []aggregate.CellMonth {
	t.Helper()
	source, month, ok := vocab.DerivedOf(graph)
	if !ok {
		t.Fatalf("%s is not a month graph", graph)
	}
	var cells []aggregate.CellMonth
	seen := map[string]bool{}
	for _, r := range selectRows(t, ctx, c, q, "month-cells", sparqlq.Args{"graph": graph}) {
		if seen[r["obs"]] {
			t.Fatalf("%s: observation %s read twice", graph, r["obs"])
		}
		seen[r["obs"]] = true
		if r["month"] != month {
			t.Errorf("%s: observation %s of month %s", graph, r["obs"], r["month"])
		}
		n, err := strconv.ParseInt(r["n"], 10, 64)
		if err != nil {
			t.Fatalf("%s: offerCount %q: %v", r["obs"], r["n"], err)
		}
		cell := aggregate.CellMonth{Source: source, Area: r["area"], Fiche: r["fiche"], Month: month, Offers: n, Synthetic: synthetic[source]}
		if err := json.Unmarshal([]byte(r["mix"]), &cell.Mix); err != nil {
			t.Fatalf("%s: offerMix %q: %v", r["obs"], r["mix"], err)
		}
		cells = append(cells, cell)
	}
	if len(cells) == 0 {
		t.Errorf("%s: no observation read back", graph)
	}
	return cells
}

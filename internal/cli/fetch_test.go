package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/openemploi360/openemploi/internal/fetch"
	"github.com/openemploi360/openemploi/internal/fetch/francetravail/fttest"
	"github.com/openemploi360/openemploi/internal/ntriples"
	"github.com/openemploi360/openemploi/internal/rml"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
	"github.com/openemploi360/openemploi/internal/vocab"
)

// storeArgs hands a test store to a command.
func storeArgs(cfg store.Config) []string {
	args := []string{"--store", cfg.BaseURL, "--store-preset", string(cfg.Preset)}
	for _, f := range []struct{ flag, v string }{{"--query-url", cfg.QueryURL}, {"--update-url", cfg.UpdateURL}, {"--gsp-url", cfg.GSPURL}} {
		if f.v != "" {
			args = append(args, f.flag, f.v)
		}
	}
	return args
}

func runCtx(ctx context.Context, args ...string) (string, string, error) {
	var out, errb bytes.Buffer
	root := NewRoot(&out, &errb)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	return out.String(), errb.String(), err
}

// offerIDs lists the offer identifiers in the live offres-ft graphs, one row per
// (graph, id), so an offer loaded twice shows twice.
func offerIDs(t *testing.T, c *store.Client) []string {
	t.Helper()
	const q = `PREFIX schema: <http://schema.org/>
SELECT ?g ?id WHERE { GRAPH ?g { ?o a schema:JobPosting ; schema:identifier ?id } FILTER(STRSTARTS(STR(?g), "https://data.dataregionsud.fr/openemploi/graph/offres-ft/")) }`
	res, err := c.Select(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, row := range res.Solutions() {
		// Imports load version graphs (oeg:offres-ft/2025-02/v/<run>); the month is the
		// logical graph's.
		g := row["g"].String()
		if logical, _, ok := vocab.VersionOf(g); ok {
			g = logical
		}
		month := strings.TrimPrefix(g, "https://data.dataregionsud.fr/openemploi/graph/offres-ft/")
		ids = append(ids, month+" "+row["id"].String())
	}
	sort.Strings(ids)
	return ids
}

// putReferentials types the fiches, appellations and communes the offres-ft
// mapping links the recorded offers to, as the rome4 and geo imports would (the
// mapping may classify an offer under its appellation's fiche rather than its
// romeCode, so the offers are mapped here to find them).
func putReferentials(t *testing.T, c *store.Client, srv *fttest.Server) {
	t.Helper()
	var arr bytes.Buffer
	arr.WriteByte('[')
	for i, o := range srv.Offers {
		if i > 0 {
			arr.WriteByte(',')
		}
		arr.Write(o.Raw)
	}
	arr.WriteByte(']')
	in := filepath.Join(t.TempDir(), "offres.json")
	if err := os.WriteFile(in, arr.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := rml.LoadFile("../../mappings/offres-ft.rml.ttl")
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]string{
		"http://schema.org/occupationalCategory": vocab.Property("Occupation"),
		vocab.Property("appellation"):            vocab.Property("Appellation"),
		vocab.Property("commune"):                "http://rdf.insee.fr/def/geo#Commune",
	}
	seen := map[string]bool{}
	var nt strings.Builder
	sink := sinkFunc(func(_, p, o, _ ntriples.Term) error {
		if class, ok := types[p.Value]; ok && !seen[o.Value] {
			seen[o.Value] = true
			nt.WriteString("<" + o.Value + "> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <" + class + "> .\n")
		}
		return nil
	})
	if _, err := m.Execute(context.Background(), rml.Options{Inputs: []string{in}, MaxRejects: -1}, sink); err != nil {
		t.Fatal(err)
	}
	if err := c.PutGraph(context.Background(), vocab.Graph("rome4"), strings.NewReader(nt.String())); err != nil {
		t.Fatal(err)
	}
}

type sinkFunc func(s, p, o, g ntriples.Term) error

func (f sinkFunc) Quad(s, p, o, g ntriples.Term) error { return f(s, p, o, g) }

// graphs lists the data graphs and their sizes; the metadata graph, where every
// refresh records its check, is left out.
func graphs(t *testing.T, c *store.Client) []store.GraphInfo {
	t.Helper()
	all, err := c.Graphs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var g []store.GraphInfo
	for _, x := range all {
		if x.IRI != vocab.MetaGraph {
			g = append(g, x)
		}
	}
	sort.Slice(g, func(i, j int) bool { return g[i].IRI < g[j].IRI })
	return g
}

// TestFetchOffersEndToEnd: six départements × three months from the replay server
// (the window of 13 split at the 1 150 cap, a 429 and a token expiry on the way) into a
// real store gives exactly the recorded offers, once each; a refresh with nothing new
// imports nothing; a fetch stopped midway (network, then a kill) leaves the store as it
// was, and running it again resumes.
func TestFetchOffersEndToEnd(t *testing.T) {
	for _, kind := range storetest.Kinds() {
		t.Run(kind, func(t *testing.T) { fetchOffersEndToEnd(t, kind) })
	}
}

func fetchOffersEndToEnd(t *testing.T, kind string) {
	{
		cfg := storetest.NewConfig(t, kind)
		c, err := store.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		srv := fttest.New(t)
		srv.FailAt(3, fttest.TooMany)
		srv.FailAt(8, fttest.ExpireToken)
		t.Setenv("OPENEMPLOI_FT_CLIENT_ID", fttest.ClientID)
		t.Setenv("OPENEMPLOI_FT_CLIENT_SECRET", fttest.ClientSecret)
		dir := t.TempDir()
		common := append([]string{"--api-url", srv.APIURL(), "--token-url", srv.TokenURL(), "--rate", "0", "--max-wait", "10ms",
			"--catalog", "../../mappings/catalog.yaml"}, storeArgs(cfg)...)
		fetchArgs := func(out, state string) []string {
			return append([]string{"fetch", "offres-ft", "--since", "2025-02-01", "--until", "2025-04-30", "--import",
				"--out", out, "--state", state}, common...)
		}

		// The offers' shapes check that their fiche and commune are typed somewhere in the
		// store. Importing the rome4 and geo samples takes minutes on a loaded Fuseki, so
		// the test puts in only that part of them: the type of each code the recorded
		// offers use.
		putReferentials(t, c, srv)

		stdout, stderr, err := runCtx(context.Background(), fetchArgs(filepath.Join(dir, "offres-ft"), filepath.Join(dir, "state.json"))...)
		if err != nil {
			t.Fatalf("fetch: %v\n%s\n%s\n%s", err, stdout, stderr, strings.Join(srv.Log, "\n"))
		}
		var want []string
		for _, o := range srv.Offers {
			want = append(want, o.Created.Format("2006-01")+" "+o.ID)
		}
		sort.Strings(want)
		got := offerIDs(t, c)
		if !slices.Equal(got, want) {
			t.Fatalf("store holds %d offer rows, want the %d recorded offers once each\n%s", len(got), len(want), stdout)
		}
		if !strings.Contains(stderr, "splitting") || !strings.Contains(stderr, "HTTP 429") || !strings.Contains(stderr, "token refused") {
			t.Errorf("the run did not go through a split, a 429 and a token renewal:\n%s", stderr)
		}
		if !strings.Contains(stdout, "imported offres_2025-02.json offres_2025-03.json offres_2025-04.json") {
			t.Errorf("summary: %s", stdout)
		}
		snapshot := graphs(t, c)

		// A refresh with nothing new: incremental from the latest offer loaded, nothing
		// imported, the store as it was; right after, the source is not due.
		refresh := append([]string{"refresh", "--sources", "offres-ft", "--dir", dir}, common...)
		stdout, stderr, err = runCtx(context.Background(), refresh...)
		if err != nil {
			t.Fatalf("refresh: %v\n%s\n%s", err, stdout, stderr)
		}
		if !strings.Contains(stdout, "offres-ft        unchanged") || strings.Contains(stdout, "imported") {
			t.Errorf("second refresh: %s", stdout)
		}
		if after := graphs(t, c); !slices.Equal(after, snapshot) {
			t.Errorf("a refresh with nothing new changed the store:\n%v\n%v", snapshot, after)
		}
		stdout, _, err = runCtx(context.Background(), refresh...)
		if err != nil || !strings.Contains(stdout, "not due") {
			t.Errorf("third refresh: %v %s", err, stdout)
		}
		st, err := os.ReadFile(filepath.Join(dir, "state.json"))
		if err != nil || !strings.Contains(string(st), `"lastOutcome": "unchanged"`) {
			t.Errorf("state: %v %s", err, st)
		}
		// What /api/sources reads: the check recorded in the store.
		meta, err := fetch.NewMeta(c)
		if err != nil {
			t.Fatal(err)
		}
		states, err := meta.RefreshStates(context.Background())
		if err != nil || len(states) != 1 || states[0].Source != "offres-ft" || states[0].Outcome != "unchanged" ||
			states[0].Checked.IsZero() || !states[0].Changed.IsZero() {
			t.Errorf("refresh state in the store: %+v, %v", states, err)
		}
		// The download is in the PROV description of each imported month file.
		const prov = `PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oep: <https://data.dataregionsud.fr/openemploi/def/>
SELECT ?name ?url WHERE { GRAPH <https://data.dataregionsud.fr/openemploi/graph/meta> {
  ?f oep:fileName ?name ; dcat:downloadURL ?url ; prov:generatedAtTime ?at } } ORDER BY ?name`
		res, err := c.Select(context.Background(), prov)
		if err != nil {
			t.Fatal(err)
		}
		var provs []string
		for _, row := range res.Solutions() {
			provs = append(provs, row["name"].String()+" "+row["url"].String())
		}
		wantProv := []string{"offres_2025-02.json " + srv.APIURL() + "/offres/search",
			"offres_2025-03.json " + srv.APIURL() + "/offres/search", "offres_2025-04.json " + srv.APIURL() + "/offres/search"}
		if !slices.Equal(provs, wantProv) {
			t.Errorf("PROV downloads: %v, want %v", provs, wantProv)
		}
		snapshot = graphs(t, c)

		// Stopped midway by the network: the store is unchanged, the error says so.
		out2, state2 := filepath.Join(dir, "again"), filepath.Join(dir, "state2.json")
		srv.FailFrom(srv.Searches()+12, fttest.DropConn)
		_, _, err = runCtx(context.Background(), fetchArgs(out2, state2)...)
		if err == nil || !strings.Contains(err.Error(), "the store is unchanged") {
			t.Fatalf("interrupted fetch: %v", err)
		}
		if after := graphs(t, c); !slices.Equal(after, snapshot) {
			t.Errorf("an interrupted fetch changed the store")
		}
		// Killed: the context ends while searching.
		srv.FailFrom(0, fttest.None)
		ctx, cancel := context.WithCancel(context.Background())
		stopAt := srv.Searches() + 6
		go func() {
			for srv.Searches() < stopAt {
				time.Sleep(time.Millisecond)
			}
			cancel()
		}()
		_, _, err = runCtx(ctx, fetchArgs(out2, state2)...)
		cancel()
		if err == nil {
			t.Fatal("killed fetch reported success")
		}
		if after := graphs(t, c); !slices.Equal(after, snapshot) {
			t.Errorf("a killed fetch changed the store")
		}
		if months, _ := filepath.Glob(filepath.Join(out2, "offres_*.json")); len(months) != 0 {
			t.Errorf("a killed fetch wrote month files %v", months)
		}
		// Run again: resumes and ends with the same offers, once each.
		stdout, stderr, err = runCtx(context.Background(), fetchArgs(out2, state2)...)
		if err != nil {
			t.Fatalf("resumed fetch: %v\n%s", err, stderr)
		}
		if !strings.Contains(stdout, "resumed") || strings.Contains(stdout, "(0 resumed)") {
			t.Errorf("nothing resumed: %s", stdout)
		}
		if got := offerIDs(t, c); !slices.Equal(got, want) {
			t.Errorf("after the resumed fetch the store holds %d offer rows, want %d", len(got), len(want))
		}
	}
}

func TestFetchOffresFTUsage(t *testing.T) {
	t.Setenv("OPENEMPLOI_FT_CLIENT_ID", "")
	t.Setenv("OPENEMPLOI_FT_CLIENT_SECRET", "")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"NoCredentials", []string{"fetch", "offres-ft", "--since", "2025-02-01"}, "OPENEMPLOI_FT_CLIENT_ID"},
		{"BadSince", []string{"fetch", "offres-ft", "--since", "February"}, "--since"},
		{"BadUntil", []string{"fetch", "offres-ft", "--since", "2025-02-01", "--until", "2025-13-01"}, "--until"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := run(t, tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}

func TestParseDay(t *testing.T) {
	for _, tc := range []struct {
		in   string
		end  bool
		want string
	}{
		{"2025-02-01", false, "2025-02-01T00:00:00Z"},
		{"2025-04-30", true, "2025-04-30T23:59:59Z"},
		{"2025-02-01T08:30:00+02:00", false, "2025-02-01T06:30:00Z"},
	} {
		got, err := parseDay(tc.in, tc.end)
		if err != nil || got.Format(time.RFC3339) != tc.want {
			t.Errorf("parseDay(%q, %v) = %s, %v; want %s", tc.in, tc.end, got.Format(time.RFC3339), err, tc.want)
		}
	}
}

package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openemploi360/openemploi/internal/ingest"
	"github.com/openemploi360/openemploi/internal/metrics"
	"github.com/openemploi360/openemploi/mappings"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestDue(t *testing.T) {
	at := time.Date(2025, 3, 10, 6, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		schedule string
		last     time.Time
		want     bool
	}{
		{"daily", time.Time{}, true},
		{"daily", at.Add(-23 * time.Hour), true}, // within the hour of slack
		{"daily", at.Add(-22 * time.Hour), false},
		{"weekly", at.AddDate(0, 0, -6), false},
		{"weekly", at.AddDate(0, 0, -7), true},
		{"monthly", at.AddDate(0, 0, -27), false},
		{"monthly", at.AddDate(0, -1, 0), true},
	} {
		if got := Due(tc.schedule, tc.last, at); got != tc.want {
			t.Errorf("Due(%s, last %s) = %v, want %v", tc.schedule, tc.last.Format(time.RFC3339), got, tc.want)
		}
	}
}

// fakeImporter records the imports asked; fail makes the next one fail.
type fakeImporter struct {
	calls [][]string
	fail  error
}

func (f *fakeImporter) Import(_ context.Context, src mappings.Source, files []string) (ingest.Result, error) {
	if f.fail != nil {
		err := f.fail
		f.fail = nil
		return ingest.Result{}, err
	}
	var names []string
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			return ingest.Result{}, err
		}
		names = append(names, filepath.Base(p)+"="+string(b))
	}
	f.calls = append(f.calls, names)
	return ingest.Result{Source: src.Name, Records: int64(len(files))}, nil
}

func TestRefreshDownloadSource(t *testing.T) {
	var body atomic.Value
	body.Store("v1")
	var gets atomic.Int32
	portalSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gets.Add(1)
		etag := `"` + body.Load().(string) + `"`
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Write([]byte(body.Load().(string)))
	}))
	defer portalSrv.Close()
	src := mappings.Source{Name: "gares", Fetch: &mappings.Fetch{Connector: "download", Schedule: "monthly", Checksum: "sha256",
		Files: []mappings.FetchFile{{URL: portalSrv.URL + "/exports/csv", Name: "gares_voyageurs_sncf_paca.csv", Format: "csv"}}}}
	other := mappings.Source{Name: "rome4"} // no fetch settings: never touched
	dir := t.TempDir()
	state, err := LoadState(filepath.Join(dir, "state.json"))
	if err != nil {
		t.Fatal(err)
	}
	im := &fakeImporter{}
	now := time.Date(2025, 5, 1, 3, 0, 0, 0, time.UTC)
	m := metrics.New()
	r := &Refresher{Sources: []mappings.Source{other, src}, State: state, Dir: dir, Importer: im, HTTP: portalSrv.Client(),
		Metrics: m, Now: func() time.Time { return now }}
	run := func(force bool) Outcome {
		t.Helper()
		r.Force = force
		outs, err := r.Run(context.Background(), nil)
		if len(outs) != 1 {
			t.Fatalf("outcomes %+v, %v", outs, err)
		}
		return outs[0]
	}

	if o := run(false); o.Outcome != metrics.OutcomeOK || len(im.calls) != 1 || im.calls[0][0] != "gares_voyageurs_sncf_paca.csv=v1" {
		t.Fatalf("first refresh: %+v, imports %v", o, im.calls)
	}
	// Not due a day later; due a month later, and unchanged (304): nothing imported.
	now = now.AddDate(0, 0, 1)
	if o := run(false); o.Outcome != "not due" {
		t.Errorf("a day later: %+v", o)
	}
	now = now.AddDate(0, 1, 0)
	if o := run(false); o.Outcome != metrics.OutcomeUnchanged || len(im.calls) != 1 || !strings.Contains(o.Detail, "1 not modified") {
		t.Errorf("unchanged: %+v, imports %d", o, len(im.calls))
	}
	// Changed, but the import fails: the state keeps the old checksum, so the next run
	// imports even though the portal now answers 304.
	body.Store("v2")
	im.fail = errors.New("store away")
	if o := run(true); o.Outcome != metrics.OutcomeError {
		t.Errorf("failed import: %+v", o)
	}
	if o := run(true); o.Outcome != metrics.OutcomeOK || len(im.calls) != 2 || im.calls[1][0] != "gares_voyageurs_sncf_paca.csv=v2" {
		t.Errorf("retry after a failed import: %+v, imports %v", o, im.calls)
	}
	st := state.Source("gares")
	if st.LastChanged != now || st.LastOutcome != metrics.OutcomeOK {
		t.Errorf("state %+v", st)
	}
	// The state survives a reload.
	again, err := LoadState(filepath.Join(dir, "state.json"))
	if err != nil || again.Source("gares").Imported["gares_voyageurs_sncf_paca.csv"] != st.Imported["gares_voyageurs_sncf_paca.csv"] {
		t.Errorf("reloaded state: %+v, %v", again.Sources["gares"], err)
	}
	if v := testutil.ToFloat64(m.Fetches.WithLabelValues("gares", metrics.OutcomeError)); v != 1 {
		t.Errorf("fetch errors counted %v, want 1", v)
	}
	if v := testutil.ToFloat64(m.LastRefreshSuccess.WithLabelValues("gares")); v != float64(now.Unix()) {
		t.Errorf("last refresh gauge %v", v)
	}
}

func TestRefreshPinnedChecksum(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("changed in place")) }))
	defer srv.Close()
	src := mappings.Source{Name: "bpe", Fetch: &mappings.Fetch{Connector: "download", Schedule: "monthly", Checksum: "pinned",
		Files: []mappings.FetchFile{{URL: srv.URL, Name: "bpe.csv", Format: "csv", SHA256: strings.Repeat("0", 64)}}}}
	dir := t.TempDir()
	state, _ := LoadState(filepath.Join(dir, "state.json"))
	im := &fakeImporter{}
	r := &Refresher{Sources: []mappings.Source{src}, State: state, Dir: dir, Importer: im, HTTP: srv.Client(), Metrics: metrics.New()}
	outs, err := r.Run(context.Background(), nil)
	if err == nil || len(outs) != 1 || !strings.Contains(outs[0].Err.Error(), "the publisher changed the file") || len(im.calls) != 0 {
		t.Errorf("pinned file changed: %+v, %v, imports %v", outs, err, im.calls)
	}
}

func TestRefreshUnknownSource(t *testing.T) {
	r := &Refresher{Sources: []mappings.Source{{Name: "rome4"}}, State: &State{Sources: map[string]*SourceState{}}}
	if _, err := r.Run(context.Background(), []string{"rome4"}); err == nil {
		t.Error("a source without fetch settings was accepted")
	}
}

// The catalog's fetch settings are valid and the offers are fetched daily.
func TestCatalogFetchSettings(t *testing.T) {
	srcs, err := mappings.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, s := range srcs {
		if s.Fetch != nil {
			got[s.Name] = s.Fetch.Connector + "/" + s.Fetch.Schedule
		}
	}
	if got["offres-ft"] != "francetravail/daily" || got["gares"] != "download/monthly" {
		t.Errorf("fetch settings: %v", got)
	}
	bad := []mappings.Fetch{
		{Connector: "download", Schedule: "hourly", Checksum: "sha256", Files: []mappings.FetchFile{{URL: "https://x", Name: "a.csv", Format: "csv"}}},
		{Connector: "download", Schedule: "daily", Checksum: "sha256"},
		{Connector: "download", Schedule: "daily", Checksum: "md5", Files: []mappings.FetchFile{{URL: "https://x", Name: "a.csv", Format: "csv"}}},
		{Connector: "download", Schedule: "daily", Checksum: "sha256", Files: []mappings.FetchFile{{URL: "ftp://x", Name: "a.csv", Format: "csv"}}},
		{Connector: "download", Schedule: "daily", Checksum: "sha256", Files: []mappings.FetchFile{{URL: "https://x", Name: "../a.csv", Format: "csv"}}},
		{Connector: "download", Schedule: "daily", Checksum: "pinned", Files: []mappings.FetchFile{{URL: "https://x", Name: "a.csv", Format: "csv"}}},
		{Connector: "scraper", Schedule: "daily"},
	}
	for i, f := range bad {
		if err := f.Check(); err == nil {
			t.Errorf("bad fetch settings %d accepted: %+v", i, f)
		}
	}
}

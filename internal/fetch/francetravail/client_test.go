package francetravail

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/openemploi360/openemploi/internal/fetch/francetravail/fttest"
)

var (
	feb1  = time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
	apr30 = time.Date(2025, 4, 30, 23, 59, 59, 0, time.UTC)
	deps  = []string{"04", "05", "06", "13", "83", "84"}
)

func newClient(t *testing.T, srv *fttest.Server, secret string) *Client {
	t.Helper()
	c, err := New(Config{
		APIURL: srv.APIURL(), TokenURL: srv.TokenURL(),
		ClientID: fttest.ClientID, ClientSecret: secret,
		MaxWait: 5 * time.Millisecond, // Retry-After: 1 is honoured up to this cap in tests
		Logf:    t.Logf,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// readMonths returns the ids in each month file of dir, failing on a duplicate.
func readMonths(t *testing.T, dir string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	paths, _ := filepath.Glob(filepath.Join(dir, "offres_*.json"))
	seen := map[string]bool{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var offers []struct {
			ID           string `json:"id"`
			DateCreation string `json:"dateCreation"`
		}
		if err := json.Unmarshal(b, &offers); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		m := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(p), "offres_"), ".json")
		for _, o := range offers {
			if seen[o.ID] {
				t.Errorf("offer %s twice in the month files", o.ID)
			}
			seen[o.ID] = true
			if !strings.HasPrefix(o.DateCreation, m) {
				t.Errorf("offer %s created %s is in the file of %s", o.ID, o.DateCreation, m)
			}
			out[m] = append(out[m], o.ID)
		}
		sort.Strings(out[m])
	}
	return out
}

// want is the recorded offers of the départements, by month.
func want(srv *fttest.Server, deps []string, from, to time.Time) map[string][]string {
	out := map[string][]string{}
	for _, d := range deps {
		for _, o := range srv.Select(d, from, to) {
			m := o.Created.Format("2006-01")
			out[m] = append(out[m], o.ID)
		}
	}
	for m := range out {
		sort.Strings(out[m])
	}
	return out
}

func equalMonths(t *testing.T, got, want map[string][]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("months: got %d, want %d", len(got), len(want))
	}
	for m, ids := range want {
		if !slices.Equal(got[m], ids) {
			t.Errorf("%s: got %d offers, want %d (first differences: %v)", m, len(got[m]), len(ids), firstDiff(got[m], ids))
		}
	}
}

func firstDiff(a, b []string) []string {
	var out []string
	in := map[string]bool{}
	for _, x := range a {
		in[x] = true
	}
	for _, x := range b {
		if !in[x] {
			out = append(out, "-"+x)
			if len(out) == 3 {
				break
			}
		}
	}
	return out
}

func TestFetchEveryRecordedOfferOnce(t *testing.T) {
	srv := fttest.New(t)
	// A 429, a 503, a token the server stops accepting and a body cut short, on the way.
	srv.FailAt(3, fttest.TooMany)
	srv.FailAt(5, fttest.Unavailable)
	srv.FailAt(8, fttest.ExpireToken)
	srv.FailAt(12, fttest.TruncateBody)
	srv.FailAt(14, fttest.DropConn)
	dir := t.TempDir()
	f := &Fetcher{Client: newClient(t, srv, fttest.ClientSecret), Dir: dir, Logf: t.Logf}
	res, err := f.Fetch(context.Background(), Run{Since: feb1, Until: apr30, Departements: deps})
	if err != nil {
		t.Fatalf("%v\n%s", err, strings.Join(srv.Log, "\n"))
	}
	w := want(srv, deps, feb1, apr30)
	equalMonths(t, readMonths(t, dir), w)
	if res.Unique != len(srv.Offers) {
		t.Errorf("unique offers = %d, want all %d recorded", res.Unique, len(srv.Offers))
	}
	if res.Renewals != 1 || srv.Tokens() != 2 {
		t.Errorf("token renewals = %d, tokens issued = %d; want 1 and 2 (one cached token, one after the 401)", res.Renewals, srv.Tokens())
	}
	// The dropped connection may be retried by net/http itself (an idempotent GET on a
	// reused connection), so it does not always count.
	if res.Retries < 3 {
		t.Errorf("retries = %d, want at least 3 (429, 503, truncated body)", res.Retries)
	}
	// Département 13 has more than 1 150 offers over the three months: its window split.
	if res.Windows <= len(deps) {
		t.Errorf("windows = %d: the window of 13 was not split", res.Windows)
	}
	if _, err := os.Stat(filepath.Join(dir, ".partial")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf(".partial still there after a complete run: %v", err)
	}
	if len(res.Months) != 3 || res.Months[0].Added != len(w["2025-02"]) {
		t.Errorf("months = %+v", res.Months)
	}

	// Same window again: nothing new, every month file byte for byte the same.
	before := sums(t, dir)
	res2, err := f.Fetch(context.Background(), Run{Since: feb1, Until: apr30, Departements: deps})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range res2.Months {
		if m.Added+m.Updated != 0 || m.SHA256 != before[m.Month] {
			t.Errorf("second fetch changed %s: %+v", m.Month, m)
		}
	}
}

func sums(t *testing.T, dir string) map[string]string {
	f := &Fetcher{Dir: dir}
	months, err := f.Months()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, m := range months {
		mf, err := f.merge(m, nil)
		if err != nil {
			t.Fatal(err)
		}
		out[m] = mf.SHA256
	}
	return out
}

func TestFetchStopsAndResumes(t *testing.T) {
	// The searches of a run from scratch, to compare a resumed run with.
	full := fttest.New(t)
	fr := &Fetcher{Client: newClient(t, full, fttest.ClientSecret), Dir: t.TempDir()}
	if _, err := fr.Fetch(context.Background(), Run{Since: feb1, Until: apr30, Departements: deps}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		fault fttest.Fault
		want  error
	}{
		{"network", fttest.DropConn, ErrTransient},
		{"truncated", fttest.TruncateBody, ErrTransient},
		{"validation", fttest.BadPage, ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := fttest.New(t)
			dir := t.TempDir()
			srv.FailFrom(20, tc.fault)
			f := &Fetcher{Client: newClient(t, srv, fttest.ClientSecret), Dir: dir, Logf: t.Logf}
			run := Run{Since: feb1, Until: apr30, Departements: deps}
			res, err := f.Fetch(context.Background(), run)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), "run again to resume") || res.Windows == 0 {
				t.Errorf("the error does not say what was fetched: %v (windows %d)", err, res.Windows)
			}
			if months, _ := f.Months(); len(months) != 0 {
				t.Errorf("a failed run wrote month files %v", months)
			}
			// Retry: the finished windows are not asked again.
			srv.FailFrom(0, fttest.None)
			first := srv.Searches()
			res2, err := f.Fetch(context.Background(), run)
			if err != nil {
				t.Fatal(err)
			}
			if res2.Resumed != res.Windows || res2.Resumed == 0 {
				t.Errorf("resumed %d windows, the failed run finished %d", res2.Resumed, res.Windows)
			}
			equalMonths(t, readMonths(t, dir), want(srv, deps, feb1, apr30))
			if again := srv.Searches() - first; again >= full.Searches() {
				t.Errorf("the retry made %d searches, a fresh run %d: nothing was resumed", again, full.Searches())
			}
		})
	}
}

func TestOpenEndedRunResumesItsOwnWindow(t *testing.T) {
	srv := fttest.New(t)
	dir := t.TempDir()
	srv.FailFrom(4, fttest.DropConn)
	f := &Fetcher{Client: newClient(t, srv, fttest.ClientSecret), Dir: dir}
	if _, err := f.Fetch(context.Background(), Run{Since: feb1, Until: apr30, Departements: deps, OpenEnded: true}); err == nil {
		t.Fatal("no error")
	}
	srv.FailFrom(0, fttest.None)
	res, err := f.Fetch(context.Background(), Run{Since: feb1, Until: apr30.Add(time.Hour), Departements: deps, OpenEnded: true})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Run.Until.Equal(apr30) || res.Resumed == 0 {
		t.Errorf("until = %s, resumed %d: want the interrupted run's window resumed", res.Run.Until, res.Resumed)
	}
}

func TestSecretNeverInErrors(t *testing.T) {
	srv := fttest.New(t)
	const secret = "s3cr3t-value-never-shown"
	f := &Fetcher{Client: newClient(t, srv, secret), Dir: t.TempDir()}
	_, err := f.Fetch(context.Background(), Run{Since: feb1, Until: apr30, Departements: deps})
	if err == nil {
		t.Fatal("a wrong secret was accepted")
	}
	if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), fttest.ClientID) {
		t.Errorf("error shows a credential: %v", err)
	}
	if !strings.Contains(err.Error(), "HTTP 401") {
		t.Errorf("error does not say why: %v", err)
	}
}

func TestNewRefusesMissingCredentials(t *testing.T) {
	if _, err := New(Config{ClientID: "x"}); err == nil {
		t.Error("no secret accepted")
	}
	if _, err := New(Config{ClientID: "x", ClientSecret: "y", APIURL: "ftp://x"}); err == nil {
		t.Error("ftp API URL accepted")
	}
}

func TestParseContentRange(t *testing.T) {
	for _, tc := range []struct {
		in                 string
		first, last, total int
		ok                 bool
	}{
		{"offres 0-149/3456", 0, 149, 3456, true},
		{"offres 150-299/300", 150, 299, 300, true},
		{"0-9/10", 0, 9, 10, true},
		{"offres 0-149", 0, 0, 0, false},
		{"offres 10-5/20", 0, 0, 0, false},
		{"offres 0-149/100", 0, 0, 0, false},
		{"offres a-b/c", 0, 0, 0, false},
	} {
		f, l, n, err := parseContentRange(tc.in)
		if (err == nil) != tc.ok || (tc.ok && (f != tc.first || l != tc.last || n != tc.total)) {
			t.Errorf("parseContentRange(%q) = %d, %d, %d, %v", tc.in, f, l, n, err)
		}
	}
}

func TestBackoff(t *testing.T) {
	c := &Client{cfg: Config{MaxWait: 10 * time.Second}}
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		attempt int
		header  string
		want    time.Duration
	}{
		{1, "3", 3 * time.Second},
		{1, "", time.Second},
		{3, "", 4 * time.Second},
		{6, "", 10 * time.Second},     // capped
		{1, "3600", 10 * time.Second}, // capped
		{1, now.Add(5 * time.Second).Format(http1123), 5 * time.Second},
		{2, "soon", 2 * time.Second},
	} {
		if got := c.backoff(tc.attempt, retryAfter(tc.header, now)); got != tc.want {
			t.Errorf("backoff(%d, Retry-After %q) = %s, want %s", tc.attempt, tc.header, got, tc.want)
		}
	}
}

const http1123 = "Mon, 02 Jan 2006 15:04:05 GMT"

func TestHalves(t *testing.T) {
	q := Query{"13", feb1, apr30}
	a, b, err := halves(q)
	if err != nil {
		t.Fatal(err)
	}
	if !a.From.Equal(q.From) || !b.To.Equal(q.To) || !b.From.Equal(a.To.Add(time.Second)) {
		t.Errorf("halves of %s: %s and %s", q, a, b)
	}
	if _, _, err := halves(Query{"13", feb1, feb1.Add(time.Second)}); err == nil {
		t.Error("a one-second window was split")
	}
}

package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/openemploi360/openemploi/internal/apperr"
	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
)

// TestProblems: each refusal is a problem naming the field, on the fake source.
func TestProblems(t *testing.T) {
	a := newFakeAPI(t)
	big := `{"metiers":["` + strings.Repeat("x", maxBody) + `"]}`
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		field                    string
	}{
		{"BadRomeCode", "GET", "/api/metiers/m1811", "", 400, "code"},
		{"UnknownMetier", "GET", "/api/metiers/N9999", "", 404, "code"},
		{"BadZoneCode", "GET", "/api/zones/93120", "", 400, "code"},
		{"UnknownZone", "GET", "/api/zones/0001", "", 404, "code"},
		{"ShortQuery", "GET", "/api/metiers?q=a", "", 400, "q"},
		{"BadLimit", "GET", "/api/metiers?q=data&limit=1000", "", 400, "limit"},
		{"NoMetier", "GET", "/api/diagnostic?zone=9312", "", 400, "metier"},
		{"FiveMetiers", "GET", "/api/diagnostic?metier=M1811&metier=M1805&metier=K2111&metier=M1811&metier=M1805", "", 400, "metier"},
		{"FiveZones", "POST", "/api/diagnostic", `{"metiers":["M1811"],"zones":["9312","9315","9312","9315","9312"]}`, 400, "zones"},
		{"UnknownZoneName", "GET", "/api/diagnostic?metier=M1811&zone=Atlantis", "", 404, "zone[0]"},
		{"SecondMetierUnknown", "GET", "/api/diagnostic?metier=M1811&metier=zzzz%20qqqq", "", 404, "metier[1]"},
		{"ProfileInQuery", "GET", "/api/diagnostic?metier=M1811&income=3000", "", 400, "income"},
		{"BadLevel", "POST", "/api/diagnostic", `{"metiers":["M1811"],"profile":{"skills":[{"code":"100025","level":9}]}}`, 400, "/profile/skills/0/level"},
		{"UnknownSkillCode", "POST", "/api/diagnostic", `{"metiers":["M1811"],"profile":{"skills":[{"code":"999999","level":3}]}}`, 404, "/profile/skills/0/code"},
		{"WrongType", "POST", "/api/diagnostic", `{"metiers":"M1811"}`, 400, "/metiers"},
		{"UnknownMember", "POST", "/api/diagnostic", `{"metiers":["M1811"],"password":"x"}`, 400, "/password"},
		{"Malformed", "POST", "/api/diagnostic", `{"metiers":[`, 400, "body"},
		{"Trailing", "POST", "/api/diagnostic", `{"metiers":["M1811"]} {}`, 400, "body"},
		{"WishedInverted", "POST", "/api/diagnostic", `{"metiers":["M1811"],"profile":{"income":{"wishedMin":5000,"wishedMax":4000}}}`, 400, "/profile/income/wishedMax"},
		{"EmptySuggest", "POST", "/api/skills/suggest", `{}`, 400, "/text"},
		{"TooLarge", "POST", "/api/diagnostic", big, 413, "body"},
		{"SuggestTooLarge", "POST", "/api/skills/suggest", `{"text":"` + strings.Repeat("SQL ", 75_000) + `"}`, 413, "body"},
		{"SuggestTextTooLong", "POST", "/api/skills/suggest", `{"text":"` + strings.Repeat("SQL ", maxSuggestText/4+1) + `"}`, 413, "/text"},
		{"BadGraphName", "GET", "/graph/..%2Fx", "", 400, "name"},
		{"UnknownGraph", "GET", "/graph/nope", "", 404, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var body any
			if tc.body != "" {
				body = tc.body
			}
			resp, b := a.do(t, tc.method, tc.path, "", body)
			checkProblem(t, resp, b, tc.status, tc.field)
		})
	}
	t.Run("NotAcceptable", func(t *testing.T) {
		resp, b := a.do(t, "GET", "/id/rome/M1811", "image/png", nil)
		checkProblem(t, resp, b, 400, "Accept")
	})
	t.Run("Turtle", func(t *testing.T) {
		resp, b := a.do(t, "GET", "/id/ze2020/9312", "text/turtle;q=0.9, application/ld+json;q=0.5", nil)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/turtle") || !bytes.Contains(b, []byte(`"Marseille"`)) {
			t.Fatalf("%d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
		}
	})
}

// TestUnavailable: a source that is down gives 503 problems with Retry-After and a
// detail that says nothing of the cause; /healthz stays up and /readyz recovers when
// the store answers again.
func TestUnavailable(t *testing.T) {
	a := newFakeAPI(t)
	cause := errors.New("dial tcp 127.0.0.1:7878: connect: connection refused")
	a.src.Err = apperr.Wrap("store select", apperr.Unavailable, cause, "the knowledge graph is unavailable")
	a.ready.err = a.src.Err
	for _, p := range []string{"/api/metiers/M1811", "/api/metiers?q=data", "/api/diagnostic?metier=M1811", "/api/zones", "/api/zones/9312", "/api/sources", "/readyz", "/id/rome/M1811", "/graph/rome4"} {
		t.Run(p, func(t *testing.T) {
			resp, b := a.get(t, p)
			pr := checkProblem(t, resp, b, http.StatusServiceUnavailable, "")
			if resp.Header.Get("Retry-After") == "" {
				t.Error("no Retry-After")
			}
			if strings.Contains(pr.Detail, "127.0.0.1") || strings.Contains(pr.Detail, "connect") {
				t.Errorf("detail leaks the cause: %q", pr.Detail)
			}
		})
	}
	if resp, _ := a.get(t, "/healthz"); resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz %d while the store is away", resp.StatusCode)
	}
	a.src.Err, a.ready.err = nil, nil
	if resp, b := a.get(t, "/readyz"); resp.StatusCode != http.StatusOK {
		t.Errorf("/readyz %d once the store is back: %s", resp.StatusCode, b)
	}
}

// deadStore is a client on a port where nothing listens.
func deadStore(t *testing.T) (*store.Client, int) {
	t.Helper()
	port, err := storetest.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	c, err := store.New(store.Config{Preset: store.Oxigraph, BaseURL: fmt.Sprintf("http://127.0.0.1:%d", port), Timeout: time.Second, Retries: 1})
	if err != nil {
		t.Fatal(err)
	}
	return c, port
}

func TestStoreAway(t *testing.T) {
	c, port := deadStore(t)
	a := newTestAPIEmpty(t, c)
	for _, p := range []string{"/api/metiers/M1811", "/api/diagnostic?metier=M1811", "/api/zones", "/readyz", "/id/rome/M1811"} {
		t.Run(p, func(t *testing.T) {
			resp, b := a.get(t, p)
			pr := checkProblem(t, resp, b, http.StatusServiceUnavailable, "")
			if resp.Header.Get("Retry-After") == "" {
				t.Error("no Retry-After")
			}
			if strings.Contains(pr.Detail, "127.0.0.1") || strings.Contains(pr.Detail, "connect") {
				t.Errorf("detail leaks the cause: %q", pr.Detail)
			}
		})
	}
	t.Run("HealthzStillUp", func(t *testing.T) {
		if resp, _ := a.get(t, "/healthz"); resp.StatusCode != 200 {
			t.Fatal(resp.StatusCode)
		}
	})
	t.Run("ReadyzRecovers", func(t *testing.T) {
		bin, err := exec.LookPath("oxigraph")
		if err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatal("no oxigraph binary: CI must have it (scripts/stores.sh fetch)")
			}
			t.Skip("no oxigraph binary")
		}
		cmd := exec.Command(bin, "serve", "--bind", fmt.Sprintf("127.0.0.1:%d", port))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		deadline := time.Now().Add(15 * time.Second)
		for {
			resp, _ := a.get(t, "/readyz")
			if resp.StatusCode == 200 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("readyz did not recover once the store came up")
			}
			time.Sleep(200 * time.Millisecond)
		}
	})
}

// TestStoreTimeout: a store slower than the request budget gives 503, not a hang.
func TestStoreTimeout(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Read the query first: the server notices a client that gave up (and ends
		// r.Context()) only once the body is consumed; otherwise Close waits 5 s.
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer slow.Close()
	c, err := store.New(store.Config{Preset: store.Generic, QueryURL: slow.URL + "/q", UpdateURL: slow.URL + "/u", GSPURL: slow.URL + "/g", Timeout: 10 * time.Second, Retries: 1})
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := storeConfig(t, c, diagnostic.Options{})
	cfg.StoreTimeout = 300 * time.Millisecond
	s, err := newServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.routes())
	defer srv.Close()
	start := time.Now()
	resp, err := http.Get(srv.URL + "/api/metiers/M1811")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if time.Since(start) > 4*time.Second {
		t.Errorf("took %s: the per-request timeout did not apply", time.Since(start))
	}
}

// failingRefresh is a refresh state that cannot be read.
type failingRefresh struct{ err error }

func (f failingRefresh) SourceRefreshes(context.Context) ([]SourceRefresh, error) { return nil, f.err }

// TestSourcesRefreshUnavailable: when the refresh state cannot be read, /api/sources
// answers 503 like any read of the store, rather than a list without the dates it
// promises.
func TestSourcesRefreshUnavailable(t *testing.T) {
	cfg, _, _, _ := fakeConfig(t)
	cfg.Refresh = failingRefresh{apperr.Wrap("reading refresh states", apperr.Unavailable, errors.New("connection refused"), "the knowledge graph is unavailable")}
	a := serveTest(t, cfg)
	resp, b := a.get(t, "/api/sources")
	checkProblem(t, resp, b, http.StatusServiceUnavailable, "")
}

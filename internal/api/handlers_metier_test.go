package api

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
)

// testGetMetier compares a fiche's JSON-LD with the triples expected from the fixture.
func testGetMetier(t *testing.T, a *testAPI) {
	t.Run("OK", func(t *testing.T) {
		resp, body := a.get(t, "/api/metiers/M1811")
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/ld+json" {
			t.Fatalf("%d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		got := expand(t, a.URL, a.URL+"/api/metiers/M1811", body)
		wantB, err := os.ReadFile("testdata/metier-M1811.nt")
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, l := range strings.Split(string(wantB), "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
				want = append(want, l)
			}
		}
		if miss := missingTriples(got, want); len(miss) > 0 {
			t.Errorf("missing triples:\n%s\ngot:\n%s", strings.Join(miss, "\n"), strings.Join(got, "\n"))
		}
		if extra := missingTriples(want, got); len(extra) > 0 {
			t.Errorf("unexpected triples:\n%s", strings.Join(extra, "\n"))
		}
		var v map[string]any
		_ = json.Unmarshal(body, &v)
		if v["@context"] != "/context.jsonld" || v["executive"] != true {
			t.Errorf("compact form: %s", body)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		resp, body := a.get(t, "/api/metiers/A1101")
		checkProblem(t, resp, body, http.StatusNotFound, "code")
	})
	t.Run("ErrBadCode", func(t *testing.T) {
		resp, body := a.get(t, "/api/metiers/M18%22%7D")
		checkProblem(t, resp, body, http.StatusBadRequest, "code")
	})
}

func checkProblem(t *testing.T, resp *http.Response, body []byte, status int, field string) Problem {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status %d, want %d: %s", resp.StatusCode, status, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("content type %q", ct)
	}
	var p Problem
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("problem: %v: %s", err, body)
	}
	if p.Status != status || p.Type == "" || p.Title == "" || p.Field != field {
		t.Errorf("problem = %+v, want field %q", p, field)
	}
	return p
}

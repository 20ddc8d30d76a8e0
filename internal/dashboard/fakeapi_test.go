package dashboard

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// fakeAPI answers the few API calls the dashboard makes with canned JSON
// from testdata/ (shaped like the examples of doc/api.md), so the page can
// be developed and looked at without a store. The real end-to-end test
// (e2e/) runs against `openemploi serve`.
func fakeAPI(t testing.TB) http.Handler {
	t.Helper()
	load := func(name string) map[string]any {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatalf("fake API: %v", err)
		}
		var v map[string]any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("fake API: testdata/%s: %v", name, err)
		}
		return v
	}
	metiers, zones, diag, sugg := load("metiers.json"), load("zones.json"), load("diagnostic.json"), load("skills_suggest.json")
	// appellations.json is the fake's own search index (appellation labels per
	// métier code); it is not an API answer.
	apps := load("appellations.json")
	fold := func(s string) string {
		out, _, _ := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn))), s)
		return strings.ToLower(out)
	}
	send := func(w http.ResponseWriter, v any) {
		w.Header().Set("Content-Type", "application/ld+json")
		json.NewEncoder(w).Encode(v)
	}
	problem := func(w http.ResponseWriter, status int, detail, field string) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]any{"type": "about:blank", "title": http.StatusText(status), "status": status, "detail": detail, "field": field})
	}
	diagnostic := func(w http.ResponseWriter, ms, zs []string, current map[string]string, profile map[string]any) {
		if len(ms) == 0 || len(zs) == 0 {
			problem(w, 400, "au moins un métier et une zone sont requis", "metiers")
			return
		}
		out := map[string]any{}
		for k, v := range diag {
			out[k] = v
		}
		var keepM, keepZ []any
		mi, zi := map[any]bool{}, map[any]bool{}
		for _, c := range ms {
			for _, m := range diag["metiers"].([]any) {
				if m.(map[string]any)["code"] == c {
					keepM = append(keepM, m)
					mi[m.(map[string]any)["@id"]] = true
				}
			}
		}
		for _, c := range zs {
			for _, z := range diag["zones"].([]any) {
				if z.(map[string]any)["code"] == c {
					keepZ = append(keepZ, z)
					zi[z.(map[string]any)["@id"]] = true
				}
			}
		}
		if len(keepM) != len(ms) || len(keepZ) != len(zs) {
			problem(w, 404, "métier ou zone absent des données de test", "zones")
			return
		}
		var cells []any
		for _, c := range diag["cells"].([]any) {
			cm := c.(map[string]any)
			if mi[cm["metier"]] && zi[cm["zone"]] {
				cells = append(cells, cm)
			}
		}
		out["metiers"], out["zones"], out["cells"] = keepM, keepZ, cells
		if current["metier"] != "" && current["zone"] != "" {
			for _, c := range diag["cells"].([]any) {
				cm := c.(map[string]any)
				if strings.HasSuffix(cm["metier"].(string), "/"+current["metier"]) && strings.HasSuffix(cm["zone"].(string), "/"+current["zone"]) {
					out["current"] = cm
				}
			}
		}
		if profile != nil {
			// A crude skills gap, in the API's member names: a profile skill given by
			// code is owned when the fiche has it (with the profile's level), the
			// fiche's other items are missing. A skill typed as free text is not
			// resolved here.
			out["level"] = "profile"
			levels := map[string]any{}
			skills, _ := profile["skills"].([]any)
			for _, s := range skills {
				sm := s.(map[string]any)
				if code, ok := sm["code"].(string); ok {
					levels[code] = sm["level"]
				}
			}
			var ms2 []any
			for _, m := range keepM {
				mm := map[string]any{}
				for k, v := range m.(map[string]any) {
					mm[k] = v
				}
				owned, missing := []any{}, []any{}
				groups, _ := mm["skills"].(map[string]any)
				for _, g := range []string{"savoirFaire", "savoirEtre", "savoirs"} {
					items, _ := groups[g].([]any)
					for _, it := range items {
						sk := it.(map[string]any)
						if lv, ok := levels[sk["code"].(string)]; ok {
							o := map[string]any{}
							for k, v := range sk {
								o[k] = v
							}
							o["level"] = lv
							owned = append(owned, o)
						} else {
							missing = append(missing, sk)
						}
					}
				}
				if total := len(owned) + len(missing); total > 0 {
					mm["match"] = map[string]any{"value": 100 * float64(len(owned)) / float64(total), "unit": "%", "n": total, "source": "https://data.dataregionsud.fr/openemploi/graph/rome4"}
				}
				mm["owned"], mm["missing"] = owned, missing
				ms2 = append(ms2, mm)
			}
			out["metiers"] = ms2
		}
		send(w, out)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/metiers", func(w http.ResponseWriter, r *http.Request) {
		q := fold(strings.TrimSpace(r.URL.Query().Get("q")))
		var items []any
		for _, it := range metiers["items"].([]any) {
			m := it.(map[string]any)
			hay := fold(m["code"].(string) + " " + m["label"].(string))
			as, _ := apps[m["code"].(string)].([]any)
			for _, a := range as {
				hay += " " + fold(a.(string))
			}
			if q != "" && strings.Contains(hay, q) {
				items = append(items, m)
			}
		}
		send(w, map[string]any{"@context": "/context.jsonld", "items": items})
	})
	mux.HandleFunc("GET /api/metiers/{code}", func(w http.ResponseWriter, r *http.Request) {
		b, err := os.ReadFile("testdata/metier_" + r.PathValue("code") + ".json")
		if err != nil {
			problem(w, 404, "métier inconnu des données de test", "code")
			return
		}
		w.Header().Set("Content-Type", "application/ld+json")
		w.Write(b)
	})
	mux.HandleFunc("GET /api/zones", func(w http.ResponseWriter, r *http.Request) { send(w, zones) })
	mux.HandleFunc("POST /api/skills/suggest", func(w http.ResponseWriter, r *http.Request) { send(w, sugg) })
	mux.HandleFunc("GET /api/diagnostic", func(w http.ResponseWriter, r *http.Request) {
		diagnostic(w, r.URL.Query()["metier"], r.URL.Query()["zone"], nil, nil)
	})
	mux.HandleFunc("POST /api/diagnostic", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Metiers []string          `json:"metiers"`
			Zones   []string          `json:"zones"`
			Current map[string]string `json:"current"`
			Profile map[string]any    `json:"profile"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			problem(w, 400, "corps JSON illisible: "+err.Error(), "")
			return
		}
		diagnostic(w, body.Metiers, body.Zones, body.Current, body.Profile)
	})
	mux.Handle("/", Handler())
	return mux
}

func TestFakeAPI(t *testing.T) {
	srv := httptest.NewServer(fakeAPI(t))
	defer srv.Close()
	tests := []struct {
		name, method, path, body string
		status                   int
		has                      string
	}{
		{"SearchAccentInsensitive", "GET", "/api/metiers?q=developpeuse", "", 200, `"M1805"`},
		{"Zones", "GET", "/api/zones", "", 200, `"Marseille"`},
		{"Diagnostic", "POST", "/api/diagnostic", `{"metiers":["M1811"],"zones":["9312","9315"]}`, 200, `"Nice"`},
		{"DiagnosticMissingZone", "POST", "/api/diagnostic", `{"metiers":["M1811"],"zones":[]}`, 400, `"field":"metiers"`},
		{"Page", "GET", "/", "", 200, "<html"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
			res, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			if res.StatusCode != tc.status || !strings.Contains(string(b), tc.has) {
				t.Errorf("%s %s = %d %.200q, want %d containing %q", tc.method, tc.path, res.StatusCode, b, tc.status, tc.has)
			}
		})
	}
}

// TestServeFake serves the page and the fake API on DASHBOARD_FAKE_ADDR
// until killed, for working on the page by hand:
//
//	DASHBOARD_FAKE_ADDR=127.0.0.1:8099 go test -run TestServeFake -timeout 0 ./internal/dashboard
func TestServeFake(t *testing.T) {
	addr := os.Getenv("DASHBOARD_FAKE_ADDR")
	if addr == "" {
		t.Skip("DASHBOARD_FAKE_ADDR not set")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("serving the dashboard with the fake API on http://%s/", ln.Addr())
	t.Fatal(http.Serve(ln, fakeAPI(t)))
}

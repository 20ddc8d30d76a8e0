package api

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files (testdata/*.golden.json, testdata/fake/*.golden.json) from the responses (review the diff)")

type goldenCase struct {
	name, method, path, body string
}

// fakeGoldens are the responses pinned on the in-memory diagtest source, in
// testdata/fake: every route that answers JSON, run by a plain go test.
var fakeGoldens = []goldenCase{
	{"metiers-search", http.MethodGet, "/api/metiers?q=developpeur", ""},
	{"metier-M1811", http.MethodGet, "/api/metiers/M1811", ""},
	{"zones", http.MethodGet, "/api/zones", ""},
	{"zone-9312", http.MethodGet, "/api/zones/9312", ""},
	{"sources", http.MethodGet, "/api/sources", ""},
	{"diagnostic-zones", http.MethodGet, "/api/diagnostic?metier=M1811&metier=M1805&zone=9312&zone=Aix-en-Provence", ""},
	{"diagnostic-metier", http.MethodGet, "/api/diagnostic?metier=data%20engineer", ""},
	{"diagnostic-profile", http.MethodPost, "/api/diagnostic", "testdata/fake/diagnostic-request.json"},
	{"suggest", http.MethodPost, "/api/skills/suggest", "testdata/suggest-request.json"},
	{"deref-metier", http.MethodGet, "/id/rome/M1811", ""},
	{"deref-graph", http.MethodGet, "/graph/rome4", ""},
}

// goldenCases are the diagnostic responses pinned on the store fixture
// (internal/kg/kgtest), in testdata. Both stores must give byte-identical bodies once
// the data version (a hash that includes the import time) is masked.
var goldenCases = []goldenCase{
	{"diagnostic-zones", http.MethodGet, "/api/diagnostic?metier=M1811&metier=M1805&zone=9312&zone=Nice", ""},
	{"diagnostic-metier", http.MethodGet, "/api/diagnostic?metier=data%20engineer", ""},
	{"diagnostic-profile", http.MethodPost, "/api/diagnostic", "testdata/diagnostic-request.json"},
	{"zone-9312", http.MethodGet, "/api/zones/9312", ""},
	{"metiers-search", http.MethodGet, "/api/metiers?q=developpeur", ""},
}

var versionRe = regexp.MustCompile(`"dataVersion":"[0-9a-f]+"`)

func normalise(b []byte) []byte {
	b = versionRe.ReplaceAll(b, []byte(`"dataVersion":"<data version>"`))
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return b
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
	return buf.Bytes()
}

func TestGoldenFake(t *testing.T) {
	checkGoldens(t, newFakeAPI(t).testAPI, "testdata/fake", fakeGoldens)
}

// testGolden pins the store fixture's responses (TestStore runs it on each store).
func testGolden(t *testing.T, a *testAPI) {
	checkGoldens(t, a, "testdata", goldenCases)
}

// checkGoldens compares each case's response with dir/<name>.golden.json.
func checkGoldens(t *testing.T, a *testAPI, dir string, cases []goldenCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var body any
			if tc.body != "" {
				b, err := os.ReadFile(tc.body)
				if err != nil {
					t.Fatal(err)
				}
				body = string(b)
			}
			resp, got := a.do(t, tc.method, tc.path, "", body)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%d: %s", resp.StatusCode, got)
			}
			got = normalise(got)
			path := dir + "/" + tc.name + ".golden.json"
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s:\n%s", tc.path, path, firstDiff(string(want), string(got)))
			}
		})
	}
}

// firstDiff shows the first differing line with some context.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			from := max(0, i-3)
			ctx := strings.Join(gl[from:min(len(gl), i+1)], "\n")
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + w + "\n  got:  " + g + "\ncontext:\n" + ctx
		}
	}
	return "(no line differs)"
}

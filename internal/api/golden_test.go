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

	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the responses (review the diff)")

// goldenCases are the diagnostic responses pinned on the fixture. Both stores must give
// byte-identical bodies once the data version (a hash that includes the import time) is
// masked.
var goldenCases = []struct {
	name, method, path, body string
}{
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

func TestGolden(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		a := newTestAPI(t, c)
		for _, tc := range goldenCases {
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
				path := "testdata/" + tc.name + ".golden.json"
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
	})
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

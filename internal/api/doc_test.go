package api

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/storetest"
)

var updateDoc = flag.Bool("update-doc", false, "rewrite the examples of doc/api.md from real responses")

const docPath = "../../doc/api.md"

// exampleRe finds "<!-- example: METHOD PATH [BODYFILE] -->" followed by a json block.
var exampleRe = regexp.MustCompile("(?s)<!-- example: (GET|POST) (\\S+)(?: (\\S+))? -->\n```json\n(.*?)\n```")

// TestDocExamples keeps doc/api.md true: every example is a real response on the
// fixture (arrays cut to two items for reading), and every key the doc shows must
// still be in the response. Run with -update-doc to refresh them.
func TestDocExamples(t *testing.T) {
	doc, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	a := newTestAPI(t, storetest.New(t, storetest.Kinds()[0]))
	var failed bool
	out := exampleRe.ReplaceAllFunc(doc, func(m []byte) []byte {
		g := exampleRe.FindSubmatch(m)
		method, path, bodyFile, shown := string(g[1]), string(g[2]), string(g[3]), g[4]
		var body any
		if bodyFile != "" {
			b, err := os.ReadFile(bodyFile)
			if err != nil {
				t.Errorf("%s %s: %v", method, path, err)
				return m
			}
			body = string(b)
		}
		resp, got := a.do(t, method, path, "", body)
		if resp.StatusCode >= 500 {
			t.Errorf("%s %s: %d %s", method, path, resp.StatusCode, got)
			return m
		}
		var v any
		if err := json.Unmarshal(got, &v); err != nil {
			t.Errorf("%s %s: %v", method, path, err)
			return m
		}
		if *updateDoc {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			_ = enc.Encode(cut(v))
			return []byte(fmt.Sprintf("<!-- example: %s %s%s -->\n```json\n%s\n```", method, path, optSpace(bodyFile), strings.TrimRight(buf.String(), "\n")))
		}
		var old any
		if err := json.Unmarshal(shown, &old); err != nil {
			t.Errorf("doc example %s %s is not JSON: %v", method, path, err)
			failed = true
			return m
		}
		want, have := keyPaths(old, ""), keyPaths(v, "")
		for p := range want {
			if !have[p] {
				t.Errorf("doc/api.md example %s %s shows %s, which the API no longer returns (run -update-doc)", method, path, p)
				failed = true
			}
		}
		return m
	})
	if *updateDoc {
		if err := os.WriteFile(docPath, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(exampleRe.FindAll(doc, -1)); n < 10 {
		t.Errorf("doc/api.md has %d examples, want one per route", n)
	}
	_ = failed
}

func optSpace(s string) string {
	if s == "" {
		return ""
	}
	return " " + s
}

// cut shortens arrays to two items so examples stay readable.
func cut(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = cut(e)
		}
	case []any:
		if len(x) > 2 {
			x = x[:2]
		}
		for i := range x {
			x[i] = cut(x[i])
		}
		return x
	}
	return v
}

// keyPaths lists the object keys of v as /a/b/[]/c paths.
func keyPaths(v any, prefix string) map[string]bool {
	out := map[string]bool{}
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := prefix + "/" + k
			// map-valued members keyed by data (components of a tension) are not schema
			if strings.HasSuffix(prefix, "/components") || strings.HasSuffix(prefix, "/inputs") || strings.HasSuffix(prefix, "/thresholds") {
				continue
			}
			out[p] = true
			for q := range keyPaths(x[k], p) {
				out[q] = true
			}
		}
	case []any:
		for _, e := range x {
			for q := range keyPaths(e, prefix+"/[]") {
				out[q] = true
			}
		}
	}
	return out
}

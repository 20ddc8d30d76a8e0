package api

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
)

var updateDoc = flag.Bool("update-doc", false, "rewrite the examples of doc/api.md from real responses")

const docPath = "../../doc/api.md"

// exampleRe finds "<!-- example: METHOD PATH [BODYFILE] -->" followed by a json block.
var exampleRe = regexp.MustCompile("(?s)<!-- example: (GET|POST) (\\S+)(?: (\\S+))? -->\n```json\n(.*?)\n```")

// TestDocExamples keeps doc/api.md true: every example is a real response on the
// fixture (arrays cut to two items for reading), compared value for value — a member
// the doc shows that the API no longer returns, a member the API returns that the doc
// does not show, or a different value fails. Only the data version, a hash of the
// import time, is compared by shape. Run with -update-doc to refresh them. TestStore
// runs it on the first store under test.
func testDocExamples(t *testing.T, a *testAPI) {
	doc, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
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
		v = cut(v)
		if *updateDoc {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			_ = enc.Encode(v)
			return []byte(fmt.Sprintf("<!-- example: %s %s%s -->\n```json\n%s\n```", method, path, optSpace(bodyFile), strings.TrimRight(buf.String(), "\n")))
		}
		var old any
		if err := json.Unmarshal(shown, &old); err != nil {
			t.Errorf("doc example %s %s is not JSON: %v", method, path, err)
			return m
		}
		if diffs := diffJSON(old, v, ""); len(diffs) > 0 {
			if len(diffs) > 8 {
				diffs = append(diffs[:8], fmt.Sprintf("… and %d more", len(diffs)-8))
			}
			t.Errorf("doc/api.md example %s %s differs from the response (run -update-doc and review):\n  %s", method, path, strings.Join(diffs, "\n  "))
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
}

// volatile members vary between imports of the same data; they are compared by shape.
var volatile = map[string]*regexp.Regexp{
	"dataVersion": regexp.MustCompile(`^[0-9a-f]{8,}$`),
}

// diffJSON lists where shown (the doc) and got (the response) differ, as JSON
// pointers with both values.
func diffJSON(shown, got any, at string) []string {
	switch x := shown.(type) {
	case map[string]any:
		y, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: doc shows an object, API returns %s", at, brief(got))}
		}
		keys := make([]string, 0, len(x)+len(y))
		for k := range x {
			keys = append(keys, k)
		}
		for k := range y {
			if _, ok := x[k]; !ok {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		var out []string
		for _, k := range keys {
			p := at + "/" + k
			xv, inDoc := x[k]
			yv, inAPI := y[k]
			switch {
			case !inAPI:
				out = append(out, fmt.Sprintf("%s: doc shows %s, the API no longer returns it", p, brief(xv)))
			case !inDoc:
				out = append(out, fmt.Sprintf("%s: the API returns %s, the doc does not show it", p, brief(yv)))
			case volatile[k] != nil:
				xs, _ := xv.(string)
				ys, _ := yv.(string)
				if !volatile[k].MatchString(xs) || !volatile[k].MatchString(ys) {
					out = append(out, fmt.Sprintf("%s: doc %s, API %s", p, brief(xv), brief(yv)))
				}
			default:
				out = append(out, diffJSON(xv, yv, p)...)
			}
		}
		return out
	case []any:
		y, ok := got.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: doc shows an array, API returns %s", at, brief(got))}
		}
		var out []string
		if len(x) != len(y) {
			out = append(out, fmt.Sprintf("%s: doc shows %d items, API returns %d", at, len(x), len(y)))
		}
		for i := range min(len(x), len(y)) {
			out = append(out, diffJSON(x[i], y[i], fmt.Sprintf("%s/%d", at, i))...)
		}
		return out
	}
	if !reflect.DeepEqual(shown, got) {
		return []string{fmt.Sprintf("%s: doc %s, API %s", at, brief(shown), brief(got))}
	}
	return nil
}

// brief is a value as JSON, shortened for a test message.
func brief(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if len(b) > 80 {
		return string(b[:77]) + "…"
	}
	return string(b)
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

// TestDiffJSON: the comparison behind TestDocExamples catches each kind of drift.
func TestDiffJSON(t *testing.T) {
	for _, tc := range []struct {
		name, doc, api string
		want           []string
	}{
		{"Same", `{"a":[1,{"b":"x"}],"dataVersion":"1fd00d66ed7238a8"}`, `{"a":[1,{"b":"x"}],"dataVersion":"00aa11bb22cc33dd"}`, nil},
		{"Value", `{"a":{"b":"x"}}`, `{"a":{"b":"y"}}`, []string{`/a/b: doc "x", API "y"`}},
		{"Gone", `{"a":1,"b":2}`, `{"a":1}`, []string{"/b: doc shows 2, the API no longer returns it"}},
		{"New", `{"a":1}`, `{"a":1,"b":2}`, []string{"/b: the API returns 2, the doc does not show it"}},
		{"Items", `{"a":[1,2]}`, `{"a":[1]}`, []string{"/a: doc shows 2 items, API returns 1"}},
		{"Type", `{"a":{"b":1}}`, `{"a":[1]}`, []string{"/a: doc shows an object, API returns [1]"}},
		{"VersionShape", `{"dataVersion":"1fd00d66ed7238a8"}`, `{"dataVersion":"<none>"}`, []string{`/dataVersion: doc "1fd00d66ed7238a8", API "<none>"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var d, a any
			if err := json.Unmarshal([]byte(tc.doc), &d); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(tc.api), &a); err != nil {
				t.Fatal(err)
			}
			if got := diffJSON(d, a, ""); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

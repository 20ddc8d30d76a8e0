package dashboard

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"testing"
)

// The dashboard is built against internal/api/openapi.json (its TypeScript types are
// generated from it). The canned answers of the fake API must be answers the real API
// could give: these tests check every fixture and every fake answer against the
// contract, strictly — a member the contract does not name is an error, so a fixture
// cannot keep a member the API stopped sending.

// contract is the part of an OpenAPI 3.1 document the checks read.
type contract struct {
	Paths map[string]map[string]struct {
		Responses map[string]struct {
			Content map[string]struct {
				Schema any `json:"schema"`
			} `json:"content"`
		} `json:"responses"`
	} `json:"paths"`
	Components struct {
		Schemas map[string]any `json:"schemas"`
	} `json:"components"`
}

func loadContract(t testing.TB) contract {
	t.Helper()
	b, err := os.ReadFile("../api/openapi.json")
	if err != nil {
		t.Fatalf("read the contract: %v", err)
	}
	var c contract
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatalf("parse ../api/openapi.json: %v", err)
	}
	return c
}

// response returns the schema of the 200 JSON-LD answer of method path.
func (c contract) response(t testing.TB, method, path string) any {
	t.Helper()
	op, ok := c.Paths[path][strings.ToLower(method)]
	if !ok {
		t.Fatalf("the contract has no %s %s", method, path)
	}
	s := op.Responses["200"].Content["application/ld+json"].Schema
	if s == nil {
		t.Fatalf("the contract has no application/ld+json 200 answer for %s %s", method, path)
	}
	return s
}

// resolve follows a $ref to its component schema.
func (c contract) resolve(schema any) (map[string]any, error) {
	s, ok := schema.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("schema %v is not an object", schema)
	}
	if ref, ok := s["$ref"].(string); ok {
		name, found := strings.CutPrefix(ref, "#/components/schemas/")
		target, ok := c.Components.Schemas[name]
		if !found || !ok {
			return nil, fmt.Errorf("unknown $ref %s", ref)
		}
		return c.resolve(target)
	}
	return s, nil
}

// members gathers the properties and required members of an object schema and of the
// schemas it combines with allOf; open is true for a free-form object (no properties
// declared anywhere: a light's inputs, a tension's components).
func (c contract) members(s map[string]any) (props map[string]any, required []string, open bool, err error) {
	props = map[string]any{}
	var walk func(s map[string]any) error
	walk = func(s map[string]any) error {
		if p, ok := s["properties"].(map[string]any); ok {
			for k, v := range p {
				props[k] = v
			}
		}
		if r, ok := s["required"].([]any); ok {
			for _, x := range r {
				required = append(required, x.(string))
			}
		}
		all, _ := s["allOf"].([]any)
		for _, sub := range all {
			rs, err := c.resolve(sub)
			if err != nil {
				return err
			}
			if err := walk(rs); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(s); err != nil {
		return nil, nil, false, err
	}
	_, hasProps := s["properties"]
	_, hasAll := s["allOf"]
	return props, required, !hasProps && !hasAll, nil
}

// check reports, at JSON pointer at, how v departs from schema: an unknown member,
// a required member absent, a wrong type, a value outside an enum.
func (c contract) check(schema, v any, at string) []string {
	s, err := c.resolve(schema)
	if err != nil {
		return []string{at + ": " + err.Error()}
	}
	if types := schemaTypes(s); len(types) > 0 && !jsonTypeIn(types, v) {
		return []string{fmt.Sprintf("%s: %s, the contract says %s", at, jsonType(v), strings.Join(types, " or "))}
	}
	var errs []string
	if enum, ok := s["enum"].([]any); ok && v != nil {
		in := false
		for _, e := range enum {
			in = in || e == v
		}
		if !in {
			errs = append(errs, fmt.Sprintf("%s: %v is not one of %v", at, v, enum))
		}
	}
	switch x := v.(type) {
	case map[string]any:
		props, required, open, err := c.members(s)
		if err != nil {
			return append(errs, at+": "+err.Error())
		}
		for _, r := range required {
			if _, ok := x[r]; !ok {
				errs = append(errs, fmt.Sprintf("%s: required member %q absent", at, r))
			}
		}
		if open {
			break
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			sub, ok := props[k]
			if !ok {
				errs = append(errs, fmt.Sprintf("%s: member %q is not in the contract", at, k))
				continue
			}
			errs = append(errs, c.check(sub, x[k], at+"/"+k)...)
		}
	case []any:
		if items, ok := s["items"]; ok {
			for i, e := range x {
				errs = append(errs, c.check(items, e, fmt.Sprintf("%s/%d", at, i))...)
			}
		}
	}
	return errs
}

func schemaTypes(s map[string]any) []string {
	switch t := s["type"].(type) {
	case string:
		return []string{t}
	case []any:
		out := make([]string, 0, len(t))
		for _, e := range t {
			out = append(out, e.(string))
		}
		return out
	}
	return nil
}

func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		if x == math.Trunc(x) {
			return "integer"
		}
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func jsonTypeIn(types []string, v any) bool {
	got := jsonType(v)
	for _, t := range types {
		if t == got || (t == "number" && got == "integer") {
			return true
		}
	}
	return false
}

func TestContractCheckerCatches(t *testing.T) {
	c := loadContract(t)
	figure := map[string]any{"$ref": "#/components/schemas/Figure"}
	for _, tc := range []struct {
		name   string
		schema any
		v      string
		want   string // substring of the first error; "" for none
	}{
		{"OK", figure, `{"value": 3, "unit": "%"}`, ""},
		{"NullValue", figure, `{"value": null, "note": "n < 3"}`, ""},
		{"UnknownMember", figure, `{"value": 3, "kind": "x"}`, `member "kind" is not in the contract`},
		{"RequiredAbsent", figure, `{"unit": "%"}`, `required member "value" absent`},
		{"WrongType", figure, `{"value": "3"}`, `/value: string, the contract says number or null`},
		{"IntegerField", figure, `{"value": 1, "n": 2.5}`, `/n: number, the contract says integer`},
		{"Enum", map[string]any{"$ref": "#/components/schemas/Light"}, `{"axis":"market","color":"purple","rule":"","inputs":{},"thresholds":{},"explanation":""}`, `purple is not one of`},
		{"FreeFormObject", map[string]any{"$ref": "#/components/schemas/Light"}, `{"axis":"market","color":"red","rule":"","inputs":{"anything":1},"thresholds":{},"explanation":""}`, ""},
		{"AllOfMembers", c.response(t, "GET", "/api/metiers"), `{"@context":"/context.jsonld","items":[{"@id":"x","code":"M1811","matchedAppellation":"a","offers":1}]}`, `member "offers" is not in the contract`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v any
			if err := json.Unmarshal([]byte(tc.v), &v); err != nil {
				t.Fatal(err)
			}
			errs := c.check(tc.schema, v, "")
			switch {
			case tc.want == "" && len(errs) > 0:
				t.Errorf("want no error, got %q", errs)
			case tc.want != "" && (len(errs) == 0 || !strings.Contains(errs[0], tc.want)):
				t.Errorf("want an error containing %q, got %q", tc.want, errs)
			}
		})
	}
}

// TestFixturesFollowContract checks the canned answers in testdata/ against the
// answers the contract describes.
func TestFixturesFollowContract(t *testing.T) {
	c := loadContract(t)
	for _, tc := range []struct{ file, method, path string }{
		{"metiers.json", "GET", "/api/metiers"},
		{"metier_M1811.json", "GET", "/api/metiers/{code}"},
		{"zones.json", "GET", "/api/zones"},
		{"skills_suggest.json", "POST", "/api/skills/suggest"},
		{"diagnostic.json", "POST", "/api/diagnostic"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			b, err := os.ReadFile("testdata/" + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			var v any
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatalf("testdata/%s: %v", tc.file, err)
			}
			if errs := c.check(c.response(t, tc.method, tc.path), v, ""); len(errs) > 0 {
				t.Errorf("testdata/%s is not a %s %s answer of the contract:\n%s", tc.file, tc.method, tc.path, strings.Join(errs, "\n"))
			}
		})
	}
}

// TestFakeAPIFollowsContract checks what the fake API builds (filtered lists, the
// profile's skills gap) against the contract, not only the files it starts from.
func TestFakeAPIFollowsContract(t *testing.T) {
	c := loadContract(t)
	srv := httptest.NewServer(fakeAPI(t))
	defer srv.Close()
	for _, tc := range []struct{ name, method, path, route, body string }{
		{"Search", "GET", "/api/metiers?q=data", "/api/metiers", ""},
		{"Fiche", "GET", "/api/metiers/M1811", "/api/metiers/{code}", ""},
		{"Zones", "GET", "/api/zones", "/api/zones", ""},
		{"Suggest", "POST", "/api/skills/suggest", "/api/skills/suggest", `{"text":"SQL"}`},
		{"DiagnosticGet", "GET", "/api/diagnostic?metier=M1811&zone=9312", "/api/diagnostic", ""},
		{"DiagnosticZones", "POST", "/api/diagnostic", "/api/diagnostic", `{"metiers":["M1811"],"zones":["9312","9315"],"current":{"metier":"M1811","zone":"9312"}}`},
		{"DiagnosticProfile", "POST", "/api/diagnostic", "/api/diagnostic", `{"metiers":["M1811"],"zones":["9312"],"profile":{"skills":[{"code":"100025","level":4},{"label":"Modélisation","level":2}]}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			res, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, err := io.ReadAll(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s %s = %d %s", tc.method, tc.path, res.StatusCode, b)
			}
			var v any
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatal(err)
			}
			method := tc.method
			if tc.route == "/api/diagnostic" {
				method = "POST" // GET and POST answer the same schema
			}
			if errs := c.check(c.response(t, method, tc.route), v, ""); len(errs) > 0 {
				t.Errorf("the fake answer to %s %s is not in the contract:\n%s", tc.method, tc.path, strings.Join(errs, "\n"))
			}
		})
	}
}

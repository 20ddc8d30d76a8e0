package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
)

type spec struct {
	Paths      map[string]map[string]operation `json:"paths"`
	Components struct {
		Schemas map[string]any `json:"schemas"`
	} `json:"components"`
}

type operation struct {
	OperationID string `json:"operationId"`
	Responses   map[string]struct {
		Content map[string]struct {
			Schema any `json:"schema"`
		} `json:"content"`
	} `json:"responses"`
}

func loadSpec(t *testing.T) spec {
	t.Helper()
	var s spec
	if err := json.Unmarshal(openapiJSON, &s); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return s
}

// chiToOpenAPI turns a chi pattern into an OpenAPI path ("/graph/*" names its
// wildcard {name}).
func chiToOpenAPI(p string) string {
	if strings.HasSuffix(p, "/*") {
		return strings.TrimSuffix(p, "*") + "{name}"
	}
	return p
}

// TestOpenAPIMatchesRouter walks the router: every route is documented, every
// documented operation is routed.
func TestOpenAPIMatchesRouter(t *testing.T) {
	sp := loadSpec(t)
	cfg, _, _, _ := fakeConfig(t)
	s, err := newServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	routed := map[string]bool{}
	err = chi.Walk(s.routes(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		routed[strings.ToLower(method)+" "+chiToOpenAPI(route)] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	ids := map[string]bool{}
	for path, ops := range sp.Paths {
		for method, op := range ops {
			documented[method+" "+path] = true
			if op.OperationID == "" || ids[op.OperationID] {
				t.Errorf("%s %s: missing or duplicate operationId %q", method, path, op.OperationID)
			}
			ids[op.OperationID] = true
		}
	}
	for r := range routed {
		if !documented[r] {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	for d := range documented {
		if !routed[d] {
			t.Errorf("openapi.json documents %s, which is not routed", d)
		}
	}
	if len(routed) < 15 {
		t.Errorf("walked only %d routes", len(routed))
	}
}

type apiCase struct {
	method, path, specPath, body string
	status                       int
}

// TestOpenAPIResponsesFake checks real responses on the fake against the documented
// statuses, content types and schemas.
func TestOpenAPIResponsesFake(t *testing.T) {
	a := newFakeAPI(t)
	req, _ := os.ReadFile("testdata/fake/diagnostic-request.json")
	sug, _ := os.ReadFile("testdata/suggest-request.json")
	checkOpenAPI(t, a.testAPI, []apiCase{
		{"get", "/api/metiers?q=dev", "/api/metiers", "", 200},
		{"get", "/api/metiers?q=x", "/api/metiers", "", 400},
		{"get", "/api/metiers/M1811", "/api/metiers/{code}", "", 200},
		{"get", "/api/metiers/A1101", "/api/metiers/{code}", "", 404},
		{"get", "/api/zones", "/api/zones", "", 200},
		{"get", "/api/zones/9301", "/api/zones/{code}", "", 200},
		{"get", "/api/sources", "/api/sources", "", 200},
		{"get", "/api/diagnostic?metier=M1811&zone=9312", "/api/diagnostic", "", 200},
		{"get", "/api/diagnostic?metier=M1811", "/api/diagnostic", "", 200},
		{"post", "/api/diagnostic", "/api/diagnostic", string(req), 200},
		{"post", "/api/skills/suggest", "/api/skills/suggest", string(sug), 200},
		{"post", "/api/skills/suggest", "/api/skills/suggest", `{"text":"` + strings.Repeat("données ", maxSuggestText/8+1) + `"}`, 413},
		{"get", "/id/rome/M1811", "/id/rome/{code}", "", 200},
		{"get", "/graph/rome4", "/graph/{name}", "", 200},
		{"get", "/healthz", "/healthz", "", 200},
		{"get", "/readyz", "/readyz", "", 200},
		{"get", "/metrics", "/metrics", "", 200},
	})
}

// testOpenAPIResponses is the same on the store fixture (TestStore runs it on each store).
func testOpenAPIResponses(t *testing.T, a *testAPI) {
	req, _ := os.ReadFile("testdata/diagnostic-request.json")
	sug, _ := os.ReadFile("testdata/suggest-request.json")
	checkOpenAPI(t, a, []apiCase{
		{"get", "/api/metiers?q=dev", "/api/metiers", "", 200},
		{"get", "/api/metiers?q=x", "/api/metiers", "", 400},
		{"get", "/api/metiers/M1811", "/api/metiers/{code}", "", 200},
		{"get", "/api/metiers/A1101", "/api/metiers/{code}", "", 404},
		{"get", "/api/zones", "/api/zones", "", 200},
		{"get", "/api/zones/9315", "/api/zones/{code}", "", 200},
		{"get", "/api/sources", "/api/sources", "", 200},
		{"get", "/api/diagnostic?metier=M1811&zone=9312", "/api/diagnostic", "", 200},
		{"get", "/api/diagnostic?metier=M1811", "/api/diagnostic", "", 200},
		{"post", "/api/diagnostic", "/api/diagnostic", string(req), 200},
		{"post", "/api/skills/suggest", "/api/skills/suggest", string(sug), 200},
		{"get", "/healthz", "/healthz", "", 200},
		{"get", "/readyz", "/readyz", "", 200},
	})
}

// checkOpenAPI sends each case and checks that its status and content type are
// documented for the operation, and that a JSON body matches the documented schema.
func checkOpenAPI(t *testing.T, a *testAPI, cases []apiCase) {
	t.Helper()
	sp := loadSpec(t)
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s %s %d", tc.method, tc.path[:min(60, len(tc.path))], tc.status), func(t *testing.T) {
			var body any
			if tc.body != "" {
				body = tc.body
			}
			resp, b := a.do(t, strings.ToUpper(tc.method), tc.path, "", body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %.300s", resp.StatusCode, tc.status, b)
			}
			op, ok := sp.Paths[tc.specPath][tc.method]
			if !ok {
				t.Fatalf("%s %s not documented", tc.method, tc.specPath)
			}
			r, ok := op.Responses[fmt.Sprint(tc.status)]
			if !ok {
				t.Fatalf("status %d not documented for %s %s", tc.status, tc.method, tc.specPath)
			}
			ct := strings.Split(resp.Header.Get("Content-Type"), ";")[0]
			media, ok := r.Content[ct]
			if !ok {
				t.Fatalf("content type %s not documented for %d", ct, tc.status)
			}
			if !strings.Contains(ct, "json") {
				return // text (the Prometheus exposition): the content type is the contract
			}
			var v any
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatal(err)
			}
			if errs := validate(sp, media.Schema, v, ""); len(errs) > 0 {
				sort.Strings(errs)
				t.Errorf("response does not match the schema:\n%s", strings.Join(errs[:min(10, len(errs))], "\n"))
			}
		})
	}
}

// validate is a small structural JSON Schema check: $ref, allOf, type (one or a list),
// enum, required, properties, items. It is what the examples need, not a full validator.
func validate(sp spec, schema, v any, at string) []string {
	s, ok := schema.(map[string]any)
	if !ok {
		return nil
	}
	if ref, ok := s["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		target, ok := sp.Components.Schemas[name]
		if !ok {
			return []string{at + ": unknown $ref " + ref}
		}
		return validate(sp, target, v, at)
	}
	var errs []string
	if all, ok := s["allOf"].([]any); ok {
		for _, sub := range all {
			errs = append(errs, validate(sp, sub, v, at)...)
		}
	}
	if t, ok := s["type"]; ok {
		var types []string
		switch x := t.(type) {
		case string:
			types = []string{x}
		case []any:
			for _, e := range x {
				types = append(types, e.(string))
			}
		}
		if !typeOK(types, v) {
			return append(errs, fmt.Sprintf("%s: %T is not %v", at, v, types))
		}
	}
	if enum, ok := s["enum"].([]any); ok && v != nil {
		found := false
		for _, e := range enum {
			if e == v {
				found = true
			}
		}
		if !found {
			errs = append(errs, fmt.Sprintf("%s: %v not in %v", at, v, enum))
		}
	}
	switch x := v.(type) {
	case map[string]any:
		if req, ok := s["required"].([]any); ok {
			for _, r := range req {
				if _, ok := x[r.(string)]; !ok {
					errs = append(errs, fmt.Sprintf("%s: missing required %q", at, r))
				}
			}
		}
		if props, ok := s["properties"].(map[string]any); ok {
			for k, sub := range props {
				if e, ok := x[k]; ok {
					errs = append(errs, validate(sp, sub, e, at+"/"+k)...)
				}
			}
		}
	case []any:
		if items, ok := s["items"]; ok {
			for i, e := range x {
				errs = append(errs, validate(sp, items, e, fmt.Sprintf("%s/%d", at, i))...)
			}
		}
	}
	return errs
}

func typeOK(types []string, v any) bool {
	for _, t := range types {
		switch t {
		case "null":
			if v == nil {
				return true
			}
		case "object":
			if _, ok := v.(map[string]any); ok {
				return true
			}
		case "array":
			if _, ok := v.([]any); ok {
				return true
			}
		case "string":
			if _, ok := v.(string); ok {
				return true
			}
		case "boolean":
			if _, ok := v.(bool); ok {
				return true
			}
		case "number":
			if _, ok := v.(float64); ok {
				return true
			}
		case "integer":
			if f, ok := v.(float64); ok && f == float64(int64(f)) {
				return true
			}
		}
	}
	return false
}

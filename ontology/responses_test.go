package ontology_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/piprate/json-gold/ld"

	"github.com/openemploi360/openemploi/ontology"
)

// ignoredKeys are response keys the published context deliberately leaves undefined, so
// that expansion drops them. Each needs a reason; the test fails if one disappears from
// every response (then it should leave this list too).
var ignoredKeys = map[string]string{}

// responseFiles are real API responses: the API's golden files, and responses of a
// server on a real store saved under testdata/responses.
func responseFiles(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, pat := range []string{"../internal/api/testdata/*.golden.json", "testdata/responses/*.json"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m...)
	}
	if len(out) < 5 {
		t.Fatalf("found only %d response files; did the API's golden files move?", len(out))
	}
	return out
}

// publishedContext returns the @context object of context.jsonld.
func publishedContext(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(ontology.Context(), &doc); err != nil {
		t.Fatalf("context.jsonld: %v", err)
	}
	return doc["@context"].(map[string]any)
}

// TestContextCoversResponses expands every response with the published context alone
// and checks that nothing is lost. json-gold drops keys the context does not define
// without a word, so the test compares, per response, (1) the keys used against the
// terms the context defines (scoped contexts included) and (2) the number of values
// (scalars and references) before and after expansion; it also expands in safe mode,
// which fails on any dropped key, once the deliberately ignored keys are removed.
func TestContextCoversResponses(t *testing.T) {
	ctx := publishedContext(t)
	terms := contextTerms(ctx)
	seenIgnored := map[string]bool{}
	for _, f := range responseFiles(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var doc map[string]any
			if err := json.Unmarshal(b, &doc); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if doc["@context"] != "/context.jsonld" {
				t.Errorf("%s: @context is %v, want /context.jsonld", f, doc["@context"])
			}
			doc["@context"] = ctx

			keys := map[string]bool{}
			collectKeys(doc, keys)
			var undefined []string
			for k := range keys {
				if _, ok := ignoredKeys[k]; ok {
					seenIgnored[k] = true
					continue
				}
				if !strings.HasPrefix(k, "@") && !terms[k] {
					undefined = append(undefined, k)
				}
			}
			sort.Strings(undefined)
			if len(undefined) > 0 {
				t.Errorf("%s: keys not defined by context.jsonld (expansion drops them): %s", f, strings.Join(undefined, " "))
			}

			stripped := strip(doc).(map[string]any)
			want := countInput(stripped)
			out, err := expandWith(stripped, false)
			if err != nil {
				t.Fatalf("%s: expand: %v", f, err)
			}
			if got := countExpanded(out); got != want {
				t.Errorf("%s: %d values in the response, %d after expansion with context.jsonld", f, want, got)
			}
			if _, err := expandWith(stripped, true); err != nil {
				t.Errorf("%s: safe-mode expansion: %v", f, err)
			}
			if want < 3 {
				t.Errorf("%s: only %d values; is it a real response?", f, want)
			}
			t.Logf("%d values kept", want)
		})
	}
	for k := range ignoredKeys {
		if !seenIgnored[k] {
			t.Errorf("ignored key %q is in no response any more; remove it from ignoredKeys", k)
		}
	}
}

func expandWith(doc map[string]any, safe bool) ([]any, error) {
	opts := ld.NewJsonLdOptions("https://data.dataregionsud.fr/openemploi/api/")
	opts.DocumentLoader = refusingLoader{}
	opts.ProcessingMode = ld.JsonLd_1_1
	opts.SafeMode = safe
	return ld.NewJsonLdProcessor().Expand(doc, opts)
}

// contextTerms returns the terms a context defines, including those of property-scoped
// contexts (they only apply under their property, which the value count checks).
func contextTerms(ctx map[string]any) map[string]bool {
	out := map[string]bool{}
	for k, v := range ctx {
		if v == nil {
			continue // a null term is an explicit "drop"
		}
		out[k] = true
		if d, ok := v.(map[string]any); ok {
			if sub, ok := d["@context"].(map[string]any); ok {
				for sk := range contextTerms(sub) {
					out[sk] = true
				}
			}
		}
	}
	return out
}

// jsonKeys are response keys whose value is one JSON literal (terms typed @json): their
// inner keys are data, not terms.
var jsonKeys = map[string]bool{"inputs": true, "thresholds": true}

func collectKeys(v any, keys map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, sub := range x {
			if k == "@context" || sub == nil {
				continue
			}
			keys[k] = true
			if !jsonKeys[k] {
				collectKeys(sub, keys)
			}
		}
	case []any:
		for _, e := range x {
			collectKeys(e, keys)
		}
	}
}

// strip returns v without the ignored keys and without nulls (JSON-LD reads a null
// as "no value").
func strip(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, sub := range x {
			if _, ign := ignoredKeys[k]; ign || sub == nil {
				continue
			}
			if k == "@context" || jsonKeys[k] {
				out[k] = sub
				continue
			}
			out[k] = strip(sub)
		}
		return out
	case []any:
		out := make([]any, 0, len(x))
		for _, e := range x {
			if e != nil {
				out = append(out, strip(e))
			}
		}
		return out
	}
	return v
}

// countInput counts the values of a response: scalars under a property (a string, a
// number, a boolean, an IRI), a JSON literal as one. Node @ids and @types are not
// values of a property and are left out on both sides.
func countInput(v any) int {
	n := 0
	switch x := v.(type) {
	case map[string]any:
		for k, sub := range x {
			switch {
			case k == "@context" || k == "@id" || k == "@type":
			case jsonKeys[k]:
				n++
			default:
				n += countInput(sub)
			}
		}
	case []any:
		for _, e := range x {
			n += countInput(e)
		}
	default:
		n = 1
	}
	return n
}

// countExpanded counts the same values in expanded JSON-LD: value objects and node
// references ({"@id": …} alone) under a property, through @list and @reverse.
func countExpanded(v any) int {
	n := 0
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			n += countExpanded(e)
		}
	case map[string]any:
		if _, ok := x["@value"]; ok {
			return 1
		}
		if id, ok := x["@id"]; ok && len(x) == 1 {
			_ = id
			return 1
		}
		for k, sub := range x {
			switch k {
			case "@id", "@type":
			case "@list", "@reverse":
				n += countExpanded(sub)
			default:
				if strings.HasPrefix(k, "@") {
					panic(fmt.Sprintf("unexpected keyword %s in expanded output", k))
				}
				n += countExpanded(sub)
			}
		}
	}
	return n
}

// TestContextResponseTriples checks what some keys of the golden responses mean once
// expanded with the published context: the life context is a node of the zone holding
// figures, a figure keeps its value and unit, an owned skill's level is a skill level
// (the scoped context of "owned"), not the diagnostic level.
func TestContextResponseTriples(t *testing.T) {
	const (
		oep  = "<" + ontology.NS
		zone = "<https://data.dataregionsud.fr/openemploi/id/ze2020/9312>"
	)
	for _, tc := range []struct {
		file string
		want []string // regexps over N-Quads lines
	}{
		{"zone-9312.golden.json", []string{
			`^` + zone + ` ` + oep + `lifeContext> (_:\S+) \.$`,
			oep + `rentPerSqmFigure> _:\S+ \.$`,
			`<http://www.w3.org/1999/02/22-rdf-syntax-ns#value> "1.413E1"\^\^<http://www.w3.org/2001/XMLSchema#double> \.$`,
			`<http://schema.org/unitText> "EUR/m2/month" \.$`,
			`^` + zone + ` ` + oep + `communeCount> "2"\^\^<http://www.w3.org/2001/XMLSchema#integer> \.$`,
		}},
		{"diagnostic-profile.golden.json", []string{
			oep + `skillLevel> "3"\^\^<http://www.w3.org/2001/XMLSchema#integer> \.$`,
			oep + `diagnosticLevel> "profile" \.$`,
			oep + `ruleThresholds> "\{.*\}"\^\^<http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON> \.$`,
			oep + `jobSeekersMeanFigure> _:\S+ \.$`,
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			b, err := os.ReadFile("../internal/api/testdata/" + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			var doc map[string]any
			if err := json.Unmarshal(b, &doc); err != nil {
				t.Fatal(err)
			}
			doc["@context"] = publishedContext(t)
			opts := ld.NewJsonLdOptions("https://data.dataregionsud.fr/openemploi/api/")
			opts.DocumentLoader = refusingLoader{}
			opts.ProcessingMode = ld.JsonLd_1_1
			opts.Format = "application/n-quads"
			nq, err := ld.NewJsonLdProcessor().ToRDF(doc, opts)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(nq.(string), "\n")
			for _, w := range tc.want {
				re := regexp.MustCompile(w)
				found := false
				for _, l := range lines {
					if re.MatchString(l) {
						found = true
						break
					}
				}
				if !found {
					t.Errorf("no triple matches %s among %d", w, len(lines))
				}
			}
			for _, l := range lines {
				if strings.Contains(l, "diagnosticLevel") && !strings.Contains(l, `"profile"`) && !strings.Contains(l, `"metier"`) && !strings.Contains(l, `"zones"`) {
					t.Errorf("a skill level leaked into oep:diagnosticLevel: %s", l)
				}
			}
		})
	}
}

package ontology_test

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/piprate/json-gold/ld"
)

// The API's wire contract is internal/api/openapi.json; its JSON-LD answers are read
// with context.jsonld. These tests hold the two together, from the contract's side:
// every member of every JSON-LD answer the contract describes has a term (with the
// property-scoped contexts in force where the member sits), the term's coercion fits
// the member's JSON type, and no IRI is used for two kinds of value. The responses
// test (responses_test.go) holds them together from the side of real answers.

const openapiPath = "../internal/api/openapi.json"

// contractDefects are mismatches whose fix belongs in openapi.json (the API's file, not
// the context), each with the change asked for. A listed defect does not fail the
// test; a listed defect that no longer occurs does, so that the entry leaves.
var contractDefects = map[string]string{}

type apiContract struct {
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

func loadAPIContract(t *testing.T) apiContract {
	t.Helper()
	b, err := os.ReadFile(openapiPath)
	if err != nil {
		t.Fatalf("read the API contract: %v", err)
	}
	var c apiContract
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatalf("parse %s: %v", openapiPath, err)
	}
	return c
}

// jsonLDAnswers returns the schema of every JSON-LD answer, named "METHOD path status".
func (c apiContract) jsonLDAnswers() map[string]any {
	out := map[string]any{}
	for path, ops := range c.Paths {
		for method, op := range ops {
			for status, r := range op.Responses {
				if s, ok := r.Content["application/ld+json"]; ok && s.Schema != nil {
					out[strings.ToUpper(method)+" "+path+" "+status] = s.Schema
				}
			}
		}
	}
	return out
}

func (c apiContract) resolve(schema any) map[string]any {
	s, _ := schema.(map[string]any)
	if ref, ok := s["$ref"].(string); ok {
		return c.resolve(c.Components.Schemas[strings.TrimPrefix(ref, "#/components/schemas/")])
	}
	return s
}

// members returns the properties of an object schema and of those it combines with allOf.
func (c apiContract) members(s map[string]any) map[string]any {
	out := map[string]any{}
	if p, ok := s["properties"].(map[string]any); ok {
		for k, v := range p {
			out[k] = v
		}
	}
	all, _ := s["allOf"].([]any)
	for _, sub := range all {
		for k, v := range c.members(c.resolve(sub)) {
			out[k] = v
		}
	}
	return out
}

// valueShape is what a member's JSON value is, through arrays: "node" (an object with
// declared members), "free" (an object with none: a map of data), "string",
// "integer", "number", "boolean"; many says it is an array.
type valueShape struct {
	kind string
	many bool
}

func (c apiContract) shape(schema any) valueShape {
	s := c.resolve(schema)
	var types []string
	switch t := s["type"].(type) {
	case string:
		types = []string{t}
	case []any:
		for _, e := range t {
			if e != "null" {
				types = append(types, e.(string))
			}
		}
	}
	if len(types) == 0 && s["allOf"] != nil {
		types = []string{"object"}
	}
	if len(types) != 1 {
		return valueShape{kind: strings.Join(types, "|")}
	}
	switch types[0] {
	case "array":
		v := c.shape(s["items"])
		v.many = true
		return v
	case "object":
		if len(c.members(s)) == 0 {
			return valueShape{kind: "free"}
		}
		return valueShape{kind: "node"}
	}
	return valueShape{kind: types[0]}
}

// termDef is a term definition in its expanded form ({"@id": …} for a bare IRI).
func termDef(def any) map[string]any {
	switch d := def.(type) {
	case string:
		return map[string]any{"@id": d}
	case map[string]any:
		return d
	}
	return nil
}

// expandIRI turns a compact IRI (prefix:local) into a full one with the context's prefixes.
func expandIRI(ctx map[string]any, v string) string {
	if p, local, ok := strings.Cut(v, ":"); ok && !strings.HasPrefix(local, "//") {
		if ns, ok := ctx[p].(string); ok {
			return ns + local
		}
	}
	return v
}

// fits says why a term's coercion does not fit a member's value, or "".
func fits(d map[string]any, v valueShape) string {
	typ, _ := d["@type"].(string)
	lang, hasLang := d["@language"]
	container, _ := d["@container"].(string)
	switch {
	case v.kind == "free" && typ != "@json" && d["@context"] == nil:
		return "a free-form object (its keys are data) needs a term typed @json or a scoped @context naming its keys"
	case typ == "@json" && v.kind != "free" && v.kind != "node":
		return fmt.Sprintf("typed @json but the value is %s", v.kind)
	case container == "@list" && !v.many:
		return "an @list container but the value is not an array"
	case d["@reverse"] != nil && v.kind != "node" && !(v.kind == "string" && typ == "@id"):
		return fmt.Sprintf("a reverse property needs nodes, the value is %s", v.kind)
	case typ == "@id" || typ == "@vocab":
		if v.kind != "node" && v.kind != "string" {
			return fmt.Sprintf("typed %s (an IRI) but the value is %s", typ, v.kind)
		}
	case typ == "" || typ == "@json" || typ == "@none":
	case v.kind == "node":
		return fmt.Sprintf("a node (an object with members) under a term typed %s: the coercion is ignored", typ)
	case typ == "xsd:integer" || typ == "xsd:int" || typ == "xsd:long":
		if v.kind != "integer" {
			return fmt.Sprintf("typed %s but the contract says %s", typ, v.kind)
		}
	case typ == "xsd:decimal" || typ == "xsd:double" || typ == "xsd:float":
		if v.kind != "integer" && v.kind != "number" {
			return fmt.Sprintf("typed %s but the contract says %s", typ, v.kind)
		}
	case typ == "xsd:boolean":
		if v.kind != "boolean" {
			return fmt.Sprintf("typed %s but the contract says %s", typ, v.kind)
		}
	default: // dates, WKT and other lexical types are strings in JSON
		if v.kind != "string" {
			return fmt.Sprintf("typed %s but the contract says %s", typ, v.kind)
		}
	}
	if hasLang && lang != nil && v.kind != "string" {
		return fmt.Sprintf("a language-tagged string but the contract says %s", v.kind)
	}
	return ""
}

// valueKind is what a member puts at the end of its IRI in RDF: a node, or a literal
// of some type. The same IRI must not end in two kinds.
func valueKind(d map[string]any, v valueShape) string {
	typ, _ := d["@type"].(string)
	switch {
	case v.kind == "node" || typ == "@id" || typ == "@vocab" || d["@reverse"] != nil:
		return "node"
	case typ == "@json" || v.kind == "free":
		return "JSON literal"
	case typ != "":
		return typ
	case d["@language"] != nil:
		return "language-tagged string"
	case v.kind == "integer" || v.kind == "number":
		return "number"
	}
	return v.kind
}

type termUse struct{ at, kind string }

// walkAnswer checks the members of schema (reached at at, with ctx in force) and
// records which kinds of value each IRI receives.
func (c apiContract) walkAnswer(schema any, ctx map[string]any, at string, uses map[string][]termUse, errs *[]string, seen map[string]bool) {
	s := c.resolve(schema)
	if s == nil {
		return
	}
	if items, ok := s["items"]; ok {
		c.walkAnswer(items, ctx, at+"[]", uses, errs, seen)
		return
	}
	props := c.members(s)
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if strings.HasPrefix(k, "@") {
			continue // JSON-LD keywords: @context, @id, @type
		}
		ps := props[k]
		here := at + "/" + k
		def, ok := ctx[k]
		switch {
		case !ok:
			*errs = append(*errs, fmt.Sprintf("%s: no term %q in context.jsonld (expansion drops it)", here, k))
			continue
		case def == nil:
			*errs = append(*errs, fmt.Sprintf("%s: term %q is null (expansion drops it)", here, k))
			continue
		case def == "@nest":
			// a nesting member adds no triple: its members belong to the node around it
			if v := c.shape(ps); v.kind != "node" {
				*errs = append(*errs, fmt.Sprintf("%s: %q is @nest but the value is %s, not an object", here, k, v.kind))
			}
			c.walkAnswer(ps, ctx, here, uses, errs, seen)
			continue
		}
		d := termDef(def)
		v := c.shape(ps)
		if why := fits(d, v); why != "" {
			*errs = append(*errs, fmt.Sprintf("%s: term %q %s", here, k, why))
		}
		iri, _ := d["@id"].(string)
		if r, ok := d["@reverse"].(string); ok {
			iri = "^" + r
		}
		iri = expandIRI(ctx, strings.TrimPrefix(iri, "^"))
		if _, rev := d["@reverse"]; rev {
			iri = "^" + iri
		}
		uses[iri] = append(uses[iri], termUse{at: here, kind: valueKind(d, v)})
		inner := ctx
		if sc, ok := d["@context"].(map[string]any); ok {
			inner = map[string]any{}
			for kk, vv := range ctx {
				inner[kk] = vv
			}
			for kk, vv := range sc {
				inner[kk] = vv
			}
		}
		// A schema reached twice with the same context adds nothing (and Cell is
		// reached from cells and current).
		key := here + fmt.Sprintf("%p", inner)
		if v.kind == "node" && !seen[key] {
			seen[key] = true
			c.walkAnswer(ps, inner, here, uses, errs, seen)
		}
	}
}

// TestContextCoversOpenAPI: every member of every JSON-LD answer of the contract has
// a fitting term in context.jsonld, and each IRI receives one kind of value.
func TestContextCoversOpenAPI(t *testing.T) {
	c := loadAPIContract(t)
	ctx := publishedContext(t)
	answers := c.jsonLDAnswers()
	if len(answers) < 8 {
		t.Fatalf("only %d JSON-LD answers in %s; did its layout change?", len(answers), openapiPath)
	}
	names := make([]string, 0, len(answers))
	for n := range answers {
		names = append(names, n)
	}
	sort.Strings(names)
	uses := map[string][]termUse{}
	var errs []string
	for _, n := range names {
		c.walkAnswer(answers[n], ctx, n+" ", uses, &errs, map[string]bool{})
	}
	hit := map[string]bool{}
	for _, e := range errs {
		known := false
		for d := range contractDefects {
			if strings.Contains(e, d) {
				known, hit[d] = true, true
			}
		}
		if !known {
			t.Error(e)
		}
	}
	for d, fix := range contractDefects {
		if !hit[d] {
			t.Errorf("contract defect %q no longer occurs (%s): remove it from contractDefects", d, fix)
		}
	}
	iris := make([]string, 0, len(uses))
	for iri := range uses {
		iris = append(iris, iri)
	}
	sort.Strings(iris)
	for _, iri := range iris {
		byKind := map[string][]string{}
		for _, u := range uses[iri] {
			byKind[u.kind] = append(byKind[u.kind], u.at)
		}
		if len(byKind) > 1 {
			var parts []string
			for k, ats := range byKind {
				parts = append(parts, fmt.Sprintf("%s at %s", k, strings.Join(ats[:min(2, len(ats))], ", ")))
			}
			sort.Strings(parts)
			t.Errorf("%s receives %d kinds of value (terms conflict): %s", iri, len(byKind), strings.Join(parts, "; "))
		}
	}
	if len(uses) < 50 {
		t.Errorf("only %d IRIs reached from the contract's answers; is the walk broken?", len(uses))
	}
}

// TestContextExpandsOpenAPIInstances builds one instance of every JSON-LD answer of the
// contract (every member present, one item per array) and expands it with the
// published context in json-gold's safe mode, which fails on any member it would drop
// and on a malformed value for its term (a language map that is not one, a bad @nest).
func TestContextExpandsOpenAPIInstances(t *testing.T) {
	c := loadAPIContract(t)
	ctx := publishedContext(t)
	for name, schema := range c.jsonLDAnswers() {
		doc, ok := c.instance(schema, 0).(map[string]any)
		if !ok || len(doc) == 0 {
			continue // a free-form answer (dereferenced resources, the context itself)
		}
		t.Run(name, func(t *testing.T) {
			doc["@context"] = ctx
			opts := ld.NewJsonLdOptions("https://data.dataregionsud.fr/openemploi/api/")
			opts.DocumentLoader = refusingLoader{}
			opts.ProcessingMode = ld.JsonLd_1_1
			opts.SafeMode = true
			out, err := ld.NewJsonLdProcessor().Expand(doc, opts)
			if err != nil {
				delete(doc, "@context")
				b, _ := json.Marshal(doc)
				t.Fatalf("safe-mode expansion: %v\ninstance: %.600s", err, b)
			}
			if len(out) == 0 {
				t.Error("expands to nothing")
			}
		})
	}
}

// instance returns a JSON value of schema with every member present.
func (c apiContract) instance(schema any, depth int) any {
	s := c.resolve(schema)
	if s == nil || depth > 12 {
		return nil
	}
	if e, ok := s["enum"].([]any); ok && len(e) > 0 {
		return e[0]
	}
	v := c.shape(s)
	if items, ok := s["items"]; ok {
		return []any{c.instance(items, depth+1)}
	}
	switch v.kind {
	case "node":
		out := map[string]any{}
		for k, ps := range c.members(s) {
			switch k {
			case "@context":
				continue
			case "@id":
				out[k] = "https://data.dataregionsud.fr/openemploi/id/example/" + fmt.Sprint(depth)
			case "@type":
				continue // classes are checked by the responses test
			default:
				out[k] = c.instance(ps, depth+1)
			}
		}
		return out
	case "free":
		return map[string]any{}
	case "string":
		return "https://data.dataregionsud.fr/openemploi/id/example/value"
	case "integer":
		return 3
	case "number":
		return 3.5
	case "boolean":
		return true
	}
	return nil
}

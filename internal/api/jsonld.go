package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/piprate/json-gold/ld"

	"github.com/openemploi360/openemploi/internal/vocab"
	"github.com/openemploi360/openemploi/ontology"
)

// contextPath is where the published JSON-LD context is served; every response names
// it as its @context.
const contextPath = "/context.jsonld"

// contextIRI is the key under which the context is preloaded into the document loader.
// Compaction names it; the loader answers from memory and never fetches anything.
const contextIRI = vocab.Context

type jsonld struct {
	doc    []byte // ontology/context.jsonld as published
	loader ld.DocumentLoader
}

// denyLoader is the fallback of the caching loader: any context not preloaded is an
// error, never a network fetch or a file read (json-gold's default loader does both).
type denyLoader struct{}

func (denyLoader) LoadDocument(u string) (*ld.RemoteDocument, error) {
	return nil, ld.NewJsonLdError(ld.LoadingDocumentFailed, "remote context not allowed: "+u)
}

func newJSONLD() (*jsonld, error) {
	doc := ontology.Context()
	var parsed any
	if err := json.Unmarshal(doc, &parsed); err != nil {
		return nil, fmt.Errorf("api: ontology context.jsonld: %w", err)
	}
	// Preloaded once here, then only read: json-gold's caching loader has no mutex, so
	// it must never be written to while requests run.
	l := ld.NewCachingDocumentLoader(denyLoader{})
	l.AddDocument(contextIRI, parsed)
	return &jsonld{doc: doc, loader: l}, nil
}

func (j *jsonld) options() *ld.JsonLdOptions {
	o := ld.NewJsonLdOptions("")
	o.DocumentLoader = j.loader
	o.UseNativeTypes = true
	o.ProcessingMode = ld.JsonLd_1_1
	return o
}

// compactNTriples turns N-Triples (a CONSTRUCT result) into compact JSON-LD with the
// published context.
func (j *jsonld) compactNTriples(nt []byte) (map[string]any, error) {
	proc := ld.NewJsonLdProcessor()
	opts := j.options()
	opts.Format = "application/n-quads"
	// Typed literals stay typed so they meet the context's coercions ("executive" is
	// xsd:boolean there); native JSON values would fall back to full IRIs.
	opts.UseNativeTypes = false
	expanded, err := proc.FromRDF(string(nt), opts)
	if err != nil {
		return nil, fmt.Errorf("api: JSON-LD from RDF: %w", err)
	}
	compacted, err := proc.Compact(expanded, contextIRI, j.options())
	if err != nil {
		return nil, fmt.Errorf("api: JSON-LD compact: %w", err)
	}
	compacted["@context"] = contextPath
	return compacted, nil
}

func (s *server) context(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/ld+json")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(s.ld.doc)
}

// writeJSON writes v as JSON with the given content type. Numbers stay JSON numbers.
func writeJSON(w http.ResponseWriter, status int, contentType string, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		writeProblem(w, 0, "internal error", "")
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func writeLD(w http.ResponseWriter, v any) {
	writeJSON(w, http.StatusOK, "application/ld+json", v)
}

// RDF media types the dereferenceable IRIs offer, best first for a client with no
// preference.
const (
	mtJSONLD   = "application/ld+json"
	mtJSON     = "application/json"
	mtTurtle   = "text/turtle"
	mtNTriples = "application/n-triples"
	mtAnything = "*/*"
	mtProblem  = "application/problem+json"
)

// negotiate picks the representation for an Accept header among JSON-LD, Turtle and
// N-Triples, honouring q-values; "" means none is acceptable.
func negotiate(accept string) string {
	offers := []string{mtJSONLD, mtTurtle, mtNTriples, mtJSON}
	if strings.TrimSpace(accept) == "" {
		return mtJSONLD
	}
	type pref struct {
		mt string
		q  float64
		i  int
	}
	var prefs []pref
	for i, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		prefs = append(prefs, pref{mt, q, i})
	}
	sort.SliceStable(prefs, func(a, b int) bool { return prefs[a].q > prefs[b].q })
	for _, p := range prefs {
		if p.q <= 0 {
			continue
		}
		switch {
		case p.mt == mtAnything || p.mt == "application/*":
			return mtJSONLD
		case p.mt == "text/*":
			return mtTurtle
		}
		for _, o := range offers {
			if p.mt == o {
				return o
			}
		}
	}
	return ""
}

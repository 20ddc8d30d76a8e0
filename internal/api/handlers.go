package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/openemploi360/openemploi/internal/apperr"
	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/vocab"
)

func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, "application/json", map[string]string{"status": "ok", "version": s.cfg.Version})
}

// readyz pings the store with a short deadline of its own, so a load balancer learns
// quickly; it recovers by itself when the store comes back. With the warm loop on
// (Config.WarmContext) it also answers 503 "warming" until the first warm-up is done;
// later warm-ups (after an import) run while the previous version keeps serving.
func (s *server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.cfg.Ready.Ping(ctx); err != nil {
		s.log.WarnContext(r.Context(), "not ready", "err", err)
		writeProblem(w, apperr.Unavailable, "the triple store does not answer", "")
		return
	}
	if s.warming.Load() && !s.cfg.Warmer.Warmed() {
		writeProblem(w, apperr.Unavailable, "warming: the diagnostic's indexes for the current data version are loading", "")
		return
	}
	writeJSON(w, http.StatusOK, "application/json", map[string]string{"status": "ready"})
}

func intParam(r *http.Request, name string, def, min, max int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < min || n > max {
		return 0, invalid(name, "an integer from %d to %d", min, max)
	}
	return n, nil
}

type listView[T any] struct {
	Context string `json:"@context"`
	Items   []T    `json:"items"`
}

type searchHit struct {
	refView
	MatchedAppellation string `json:"matchedAppellation,omitempty"`
}

func (s *server) searchMetiers(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len([]rune(q)) < 2 || len(q) > 200 {
		s.writeError(w, r, invalid("q", "a search text of 2 to 200 characters"))
		return
	}
	limit, err := intParam(r, "limit", 20, 1, 100)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	hits, err := s.cfg.Metiers.Search(r.Context(), q, limit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := listView[searchHit]{Context: contextPath, Items: []searchHit{}}
	for _, h := range hits {
		out.Items = append(out.Items, searchHit{refView: metierRef(h.Metier), MatchedAppellation: h.MatchedAppellation})
	}
	writeLD(w, out)
}

func (s *server) listZones(w http.ResponseWriter, r *http.Request) {
	zones, err := s.cfg.Zones.Zones(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := listView[zoneView]{Context: contextPath, Items: []zoneView{}}
	for _, z := range zones {
		out.Items = append(out.Items, newZoneView(z, nil))
	}
	writeLD(w, out)
}

var zoneCodeRe = regexp.MustCompile(`^[0-9]{4}$`)

func (s *server) getZone(w http.ResponseWriter, r *http.Request) {
	code := chi.URLParam(r, "code")
	if !zoneCodeRe.MatchString(code) {
		s.writeError(w, r, invalid("code", "a zone d'emploi 2020 code is four digits, e.g. 9312"))
		return
	}
	z, err := s.cfg.Zones.Zone(r.Context(), code)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	v := newZoneView(z.Zone, &z.Life)
	v.Context = contextPath
	writeLD(w, v)
}

func (s *server) listSources(w http.ResponseWriter, r *http.Request) {
	srcs, err := s.cfg.Sources.Sources(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	refreshed := map[string]SourceRefresh{}
	if s.cfg.Refresh != nil {
		l, err := s.cfg.Refresh.SourceRefreshes(r.Context())
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		for _, st := range l {
			refreshed[st.Source] = st
		}
	}
	out := listView[sourceView]{Context: contextPath, Items: []sourceView{}}
	for _, src := range srcs {
		v := newSourceView(src)
		// A refresh works per catalog source; each of its graphs (a month of offers)
		// shows the source's state.
		if st, ok := refreshed[vocab.GraphSource(src.IRI)]; ok {
			v.LastChecked, v.LastChanged = dateTime(st.Checked), dateTime(st.Changed)
		}
		out.Items = append(out.Items, v)
	}
	writeLD(w, out)
}

// dateTime writes an instant as xsd:dateTime in UTC, "" for the zero time (never).
func dateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func (s *server) getDiagnostic(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for k := range q {
		switch k {
		case "metier", "zone", "currentMetier", "currentZone":
		default:
			s.writeError(w, r, invalid(k, "unknown parameter; a profile is sent with POST"))
			return
		}
	}
	req := diagnostic.Request{Metiers: q["metier"], Zones: q["zone"]}
	if cm, cz := q.Get("currentMetier"), q.Get("currentZone"); cm != "" || cz != "" {
		req.Current = &diagnostic.Place{Metier: cm, Zone: cz}
	}
	s.diagnose(w, r, req, "metier", "zone")
}

// diagnosticBody is the POST /api/diagnostic body.
type diagnosticBody struct {
	Metiers []string `json:"metiers"`
	Zones   []string `json:"zones"`
	Current *struct {
		Metier string `json:"metier"`
		Zone   string `json:"zone"`
	} `json:"current"`
	Profile *struct {
		Skills []struct {
			Code  string `json:"code"`
			Label string `json:"label"`
			Level int    `json:"level"`
		} `json:"skills"`
		Income *struct {
			Current   *float64 `json:"current"`
			WishedMin *float64 `json:"wishedMin"`
			WishedMax *float64 `json:"wishedMax"`
		} `json:"income"`
		SpouseMetier string `json:"spouseMetier"`
	} `json:"profile"`
}

func (s *server) postDiagnostic(w http.ResponseWriter, r *http.Request) {
	var b diagnosticBody
	if err := decodeJSON(r, &b); err != nil {
		s.writeError(w, r, err)
		return
	}
	req := diagnostic.Request{Metiers: b.Metiers, Zones: b.Zones}
	if b.Current != nil {
		req.Current = &diagnostic.Place{Metier: b.Current.Metier, Zone: b.Current.Zone}
	}
	if p := b.Profile; p != nil {
		req.Profile = &diagnostic.Profile{SpouseMetier: p.SpouseMetier}
		for _, sk := range p.Skills {
			req.Profile.Skills = append(req.Profile.Skills, diagnostic.SkillInput{Code: sk.Code, Label: sk.Label, Level: sk.Level})
		}
		if p.Income != nil {
			req.Profile.Income = &diagnostic.Income{Current: p.Income.Current, WishedMin: p.Income.WishedMin, WishedMax: p.Income.WishedMax}
		}
	}
	s.diagnose(w, r, req, "metiers", "zones")
}

// diagnose runs a diagnostic; metierField and zoneField are how the request named the
// lists (query parameters for GET, JSON members for POST), so errors point at them.
func (s *server) diagnose(w http.ResponseWriter, r *http.Request, req diagnostic.Request, metierField, zoneField string) {
	if len(req.Metiers) > diagnostic.MaxMetiers {
		s.writeError(w, r, invalid(metierField, "at most %d métiers", diagnostic.MaxMetiers))
		return
	}
	if len(req.Zones) > diagnostic.MaxZones {
		s.writeError(w, r, invalid(zoneField, "at most %d zones", diagnostic.MaxZones))
		return
	}
	d, err := s.cfg.Diagnoser.Run(r.Context(), req)
	if err != nil {
		s.writeError(w, r, renameField(err, metierField, zoneField))
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	writeLD(w, newDiagnosticView(d))
}

// renameField maps the service's field names ("metiers/1") onto the request's ("metier[1]"
// for a query string, "/metiers/1" as a JSON pointer for a body).
func renameField(err error, metierField, zoneField string) error {
	var e *apperr.Error
	if !errors.As(err, &e) || e.Field == "" {
		return err
	}
	c := *e
	if metierField == "metier" {
		for from, to := range map[string]string{"metiers": "metier", "zones": "zone"} {
			if rest, ok := strings.CutPrefix(c.Field, from); ok {
				if idx, ok := strings.CutPrefix(rest, "/"); ok {
					c.Field = to + "[" + idx + "]"
				} else {
					c.Field = to
				}
				return &c
			}
		}
		if rest, ok := strings.CutPrefix(c.Field, "current/"); ok {
			c.Field = "current" + strings.ToUpper(rest[:1]) + rest[1:]
		}
		return &c
	}
	c.Field = "/" + c.Field
	return &c
}

// decodeJSON reads one JSON object strictly: unknown members, trailing data, wrong
// types and oversized bodies are 4xx problems naming the field but never its value.
func decodeJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") && !strings.HasPrefix(ct, "application/ld+json") {
		return invalid("Content-Type", "send application/json")
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, err2 := dec.Token(); err2 != io.EOF {
			return invalid("body", "one JSON object expected, extra data follows")
		}
		return nil
	}
	var maxErr *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &maxErr):
		return bodyTooLarge(maxErr.Limit)
	case errors.As(err, &typeErr):
		return invalid("/"+strings.ReplaceAll(typeErr.Field, ".", "/"), "expected a %s", typeErr.Type.Kind())
	case errors.As(err, &syntaxErr):
		return invalid("body", "malformed JSON at byte %d", syntaxErr.Offset)
	case errors.Is(err, io.EOF):
		return invalid("body", "empty body")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		if len(name) > 40 {
			name = name[:40]
		}
		return invalid("/"+name, "unknown member")
	}
	return invalid("body", "unreadable JSON")
}

// maxSuggestText is the longest CV text /api/skills/suggest reads, in characters: a
// long CV is a few thousand; a pasted document of hundreds of kilobytes would hold a
// core for seconds, so it is refused (413) before any matching.
const maxSuggestText = 20000

// tooLargeError is a request, or a part of it, over its limit: a 413, not a 400.
type tooLargeError struct {
	field, detail string
}

func (e *tooLargeError) Error() string { return "api: " + e.field + " too large: " + e.detail }

func bodyTooLarge(limit int64) *tooLargeError {
	return &tooLargeError{field: "body", detail: fmt.Sprintf("request bodies are limited to %d bytes", limit)}
}

// writeTooLarge answers 413 with a problem naming the field over its limit.
func writeTooLarge(w http.ResponseWriter, e *tooLargeError) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusRequestEntityTooLarge)
	_ = json.NewEncoder(w).Encode(Problem{Type: "/problems/too-large", Title: "Request too large", Status: http.StatusRequestEntityTooLarge,
		Detail: e.detail, Field: e.field})
}

type suggestBody struct {
	Text string `json:"text"`
	// Aptitudes as a Carto.net export lists them: a label (or prefLabel) and a rating
	// the suggestion does not need.
	Aptitudes []struct {
		Label     string   `json:"label"`
		PrefLabel string   `json:"prefLabel"`
		Rating    *float64 `json:"rating"`
		Level     *float64 `json:"level"`
	} `json:"aptitudes"`
}

type suggestView struct {
	Context string      `json:"@context"`
	Items   []skillView `json:"items"`
}

// suggestSkills proposes referential skills from a CV text or a Carto.net list. The
// text is matched in memory and dropped; nothing of it is logged or kept.
func (s *server) suggestSkills(w http.ResponseWriter, r *http.Request) {
	var b suggestBody
	if err := decodeJSON(r, &b); err != nil {
		s.writeError(w, r, err)
		return
	}
	// Counted before anything else reads the text; the count is all the error says.
	if utf8.RuneCountInString(b.Text) > maxSuggestText {
		s.writeError(w, r, &tooLargeError{field: "/text", detail: fmt.Sprintf("a CV text is limited to %d characters", maxSuggestText)})
		return
	}
	if strings.TrimSpace(b.Text) == "" && len(b.Aptitudes) == 0 {
		s.writeError(w, r, invalid("/text", "send a CV text or a list of aptitudes"))
		return
	}
	if len(b.Aptitudes) > 500 {
		s.writeError(w, r, invalid("/aptitudes", "at most 500 aptitudes"))
		return
	}
	labels := make([]string, 0, len(b.Aptitudes))
	for _, a := range b.Aptitudes {
		if a.Label == "" {
			a.Label = a.PrefLabel
		}
		labels = append(labels, a.Label)
	}
	hits, err := s.cfg.Skills.SuggestSkills(r.Context(), b.Text, labels, 100)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := suggestView{Context: contextPath, Items: []skillView{}}
	for _, h := range hits {
		out.Items = append(out.Items, skillView{ID: h.IRI, Type: "Skill", Code: h.Code, Label: h.Label, Kind: h.Kind, Category: h.Category})
	}
	w.Header().Set("Cache-Control", "private, no-store")
	writeLD(w, out)
}

// Dereferenceable IRIs: /id/rome/{code}, /id/ze2020/{code} and /graph/{name} answer
// with what the graph says about the resource, as JSON-LD or Turtle.

func (s *server) derefMetier(w http.ResponseWriter, r *http.Request) {
	code := chi.URLParam(r, "code")
	if !romeCodeRe.MatchString(code) {
		s.writeError(w, r, invalid("code", "a ROME code is a letter A–N and four digits, e.g. M1811"))
		return
	}
	s.deref(w, r, vocab.Metier(code), false)
}

func (s *server) derefZone(w http.ResponseWriter, r *http.Request) {
	code := chi.URLParam(r, "code")
	if !zoneCodeRe.MatchString(code) {
		s.writeError(w, r, invalid("code", "a zone d'emploi 2020 code is four digits, e.g. 9312"))
		return
	}
	s.deref(w, r, vocab.Zone(code), false)
}

var graphNameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*(/[0-9]{4}-[0-9]{2})?$`)

func (s *server) derefGraph(w http.ResponseWriter, r *http.Request) {
	name := chi.URLParam(r, "*")
	if !graphNameRe.MatchString(name) {
		s.writeError(w, r, invalid("name", "a graph name such as rome4 or offres-ft/2024-06"))
		return
	}
	s.deref(w, r, vocab.Graph(name), true)
}

func (s *server) deref(w http.ResponseWriter, r *http.Request, iri string, graph bool) {
	mt := negotiate(r.Header.Get("Accept"))
	if mt == "" {
		writeProblem(w, apperr.Invalid, "acceptable types: application/ld+json, text/turtle, application/n-triples", "Accept")
		return
	}
	var buf bytes.Buffer
	var err error
	if graph {
		err = s.cfg.Resources.DescribeGraph(r.Context(), iri, &buf)
	} else {
		err = s.cfg.Resources.Describe(r.Context(), iri, &buf)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if buf.Len() == 0 {
		s.writeError(w, r, &apperr.Error{Op: "api", Kind: apperr.NotFound, Message: "nothing is known about this IRI"})
		return
	}
	w.Header().Set("Vary", "Accept")
	switch mt {
	case mtTurtle, mtNTriples:
		// N-Triples is a subset of Turtle; knakk/rdf's Turtle encoder writes invalid
		// Turtle (tech.md), so the store's N-Triples go out as they came.
		w.Header().Set("Content-Type", mt+"; charset=utf-8")
		_, _ = w.Write(buf.Bytes())
	default:
		doc, err := s.ld.compactNTriples(buf.Bytes())
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if mt == mtJSON {
			writeJSON(w, http.StatusOK, mtJSON, doc)
			return
		}
		writeLD(w, doc)
	}
}

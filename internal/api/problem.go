package api

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/openemploi360/openemploi/internal/apperr"
)

// Problem is an RFC 9457 problem details object. Field names the offending input (a
// query parameter or a JSON pointer into the body) when there is one.
type Problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail,omitempty"`
	Field    string `json:"field,omitempty"`
	Instance string `json:"instance,omitempty"`
}

// problemTypes maps a kind to its status and a stable type IRI (documented in
// doc/api.md), so clients switch on type, not on wording.
var problemTypes = map[apperr.Kind]struct {
	status int
	typ    string
	title  string
}{
	apperr.Invalid:     {http.StatusBadRequest, "/problems/invalid-input", "Invalid input"},
	apperr.NotFound:    {http.StatusNotFound, "/problems/not-found", "Not found"},
	apperr.Unavailable: {http.StatusServiceUnavailable, "/problems/unavailable", "Knowledge graph unavailable"},
	apperr.Conflict:    {http.StatusConflict, "/problems/conflict", "Conflict"},
	apperr.Internal:    {http.StatusInternalServerError, "/problems/internal", "Internal error"},
}

// retryAfterSeconds is what a client is told to wait when the store is away.
const retryAfterSeconds = 5

// writeError maps err to a problem response in one place. The detail is the error's
// public message; internal errors are shown as "internal error" and logged in full.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var tl *tooLargeError
	if errors.As(err, &tl) {
		s.log.InfoContext(r.Context(), "request refused", "method", r.Method, "path", r.URL.Path, "kind", "too-large", "field", tl.field)
		writeTooLarge(w, tl)
		return
	}
	kind := apperr.KindOf(err)
	if errors.Is(err, context.DeadlineExceeded) && kind == apperr.Internal {
		kind = apperr.Unavailable
	}
	msg, field := apperr.Public(err)
	if kind == apperr.Unavailable {
		msg = "the knowledge graph is unavailable or too slow; retry later"
	}
	if kind == apperr.Internal {
		s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	} else {
		s.log.InfoContext(r.Context(), "request refused", "method", r.Method, "path", r.URL.Path, "kind", kind.String(), "field", field)
	}
	writeProblem(w, kind, msg, field)
}

func writeProblem(w http.ResponseWriter, kind apperr.Kind, detail, field string) {
	pt := problemTypes[kind]
	if pt.status == 0 {
		pt = problemTypes[apperr.Internal]
	}
	if kind == apperr.Unavailable {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds))
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(pt.status)
	_ = json.NewEncoder(w).Encode(Problem{Type: pt.typ, Title: pt.title, Status: pt.status, Detail: detail, Field: field})
}

// invalid is a 400 about one field.
func invalid(field, msg string, args ...any) error {
	return apperr.Field("api", field, msg, args...)
}

// discardLogger is used when Config.Logger is nil.
var discardLogger = slog.New(slog.DiscardHandler)

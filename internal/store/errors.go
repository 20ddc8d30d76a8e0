package store

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/openemploi360/openemploi/internal/apperr"
)

// Error is what every Client method returns when the store, the network or a result
// fails. Its text is one line naming the operation, the endpoint, the HTTP status and
// the store's own message:
//
//	store select http://127.0.0.1:3030/ds/query: 400 Bad Request: Lexical error at line 1…
//
// It carries an apperr.Kind (found by apperr.KindOf through Unwrap): Unavailable for a
// refused connection, a timeout, a DNS failure or a 503; Invalid for a 400; NotFound
// for a graph the store does not have; Internal otherwise. Credentials never appear in
// it: URLs with credentials are refused by New, and the store's message is scrubbed.
type Error struct {
	Op       string // "select", "ask", "construct", "update", "gsp get", "gsp put", "gsp post", "gsp delete", "load quads", "graphs", "ping"
	Endpoint string // the endpoint URL
	Graph    string // the graph IRI, for Graph Store Protocol operations
	Status   int    // the HTTP status; 0 when no response came
	Message  string // the store's message (first 300 characters, one line) or what we were doing
	Attempts int    // how many times the request was sent
	Kind     apperr.Kind
	Err      error // the cause: a network error, a context error, a parse error

	retryAfter time.Duration
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("store ")
	b.WriteString(e.Op)
	b.WriteByte(' ')
	b.WriteString(e.Endpoint)
	if e.Graph != "" {
		fmt.Fprintf(&b, " graph <%s>", e.Graph)
	}
	b.WriteString(":")
	if e.Status != 0 {
		fmt.Fprintf(&b, " %d %s", e.Status, http.StatusText(e.Status))
	}
	if e.Message != "" {
		if e.Status != 0 {
			b.WriteByte(':')
		}
		b.WriteByte(' ')
		b.WriteString(e.Message)
	}
	if e.Err != nil {
		if e.Status != 0 || e.Message != "" {
			b.WriteByte(':')
		}
		b.WriteByte(' ')
		b.WriteString(oneLine(e.Err.Error()))
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	return b.String()
}

// Unwrap exposes the cause and an *apperr.Error carrying the Kind and a message safe
// to show a user (which never names the store's URL).
//
// When the cause is itself an *apperr.Error (our own check of a LoadQuads body), it is
// the one exposed, so its more precise message and field reach the user.
func (e *Error) Unwrap() []error {
	var inner *apperr.Error
	if errors.As(e.Err, &inner) {
		return []error{e.Err}
	}
	errs := []error{&apperr.Error{Op: "store " + e.Op, Kind: e.Kind, Message: publicMessage(e.Kind)}}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

func publicMessage(k apperr.Kind) string {
	switch k {
	case apperr.Unavailable:
		return "the triple store is unavailable"
	case apperr.Invalid:
		return "the triple store refused the request"
	case apperr.NotFound:
		return "graph not found"
	}
	return "triple store error"
}

func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n\t") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// resultErr reports a result that parsed but does not have the expected shape.
func (c *Client) resultErr(op string, err error) error {
	return &Error{Op: op, Endpoint: c.ep.Query, Kind: apperr.Internal, Err: err}
}

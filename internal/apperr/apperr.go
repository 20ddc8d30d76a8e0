// Package apperr is the one error vocabulary of Open Emploi 360: every error that
// crosses a package boundary towards a user carries a Kind (what went wrong, which the
// HTTP layer and the CLI map to a status or exit code in one place), the operation that
// failed, the offending field when there is one, and a message safe to show. Anything
// without a Kind is treated as internal and shown as "internal error"; the detail stays
// in the log.
package apperr

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies an error for the user-facing layers.
type Kind int

const (
	Internal    Kind = iota // a bug or an unexpected condition: detail only in logs
	Invalid                 // bad input: 400, exit 2
	NotFound                // unknown métier, zone, graph: 404
	Unavailable             // the triple store is down, slow or answering 503: 503
	Conflict                // a concurrent import holds the graph: 409
)

func (k Kind) String() string {
	switch k {
	case Invalid:
		return "invalid"
	case NotFound:
		return "not found"
	case Unavailable:
		return "unavailable"
	case Conflict:
		return "conflict"
	default:
		return "internal"
	}
}

// Error is the error type every layer understands.
type Error struct {
	Op      string // operation, e.g. "diagnostic.Run" or "import rome4"
	Kind    Kind
	Field   string // offending input field (JSON pointer, CSV column, query parameter)
	Message string // safe to show to the user
	Err     error  // underlying cause, never shown to API clients
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	if e.Message != "" {
		b.WriteString(e.Message)
	} else {
		b.WriteString(e.Kind.String())
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an *Error.
func E(op string, kind Kind, msg string, args ...any) *Error {
	return &Error{Op: op, Kind: kind, Message: fmt.Sprintf(msg, args...)}
}

// Field builds an Invalid error about one input field.
func Field(op, field, msg string, args ...any) *Error {
	return &Error{Op: op, Kind: Invalid, Field: field, Message: fmt.Sprintf(msg, args...)}
}

// Wrap attaches op and kind to a cause.
func Wrap(op string, kind Kind, err error, msg string, args ...any) *Error {
	return &Error{Op: op, Kind: kind, Message: fmt.Sprintf(msg, args...), Err: err}
}

// KindOf returns the Kind of the first *Error in err's chain, Internal otherwise.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// Is reports whether err carries kind k.
func Is(err error, k Kind) bool { return err != nil && KindOf(err) == k }

// Public returns the message and field safe to show a user: the first *Error's
// message for known kinds, "internal error" otherwise.
func Public(err error) (msg, field string) {
	var e *Error
	if errors.As(err, &e) && e.Kind != Internal {
		m := e.Message
		if m == "" {
			m = e.Kind.String()
		}
		return m, e.Field
	}
	return "internal error", ""
}

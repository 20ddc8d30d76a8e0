package store

import (
	"bytes"
	"fmt"
	"io"

	"github.com/openemploi360/openemploi/internal/apperr"
)

// quadChecker passes N-Quads through unchanged and fails on the first statement that
// has no graph term, i.e. a triple in the default graph, which our vocabulary forbids.
// It is a byte-level state machine rather than a parser so that it never holds more
// than the transport's buffer: a dump of millions of quads streams through it. It only
// counts terms; anything malformed is left for the store to reject.
type quadChecker struct {
	r     io.Reader
	line  int
	terms int
	state qstate
	esc   bool
	dot   bool // a bnode label ended in '.', which may be the statement's end
	err   error
}

type qstate uint8

const (
	qWS       qstate = iota // between terms
	qIRI                    // inside <…>
	qDtIRI                  // inside the datatype IRI of a literal (not a term of its own)
	qBnode                  // inside _:label
	qString                 // inside "…"
	qAfterLit               // just after a literal's closing quote
	qCaret                  // inside the ^^ of a datatype
	qLang                   // inside @lang
	qComment                // after # until the end of the line
)

func (q *quadChecker) Read(p []byte) (int, error) {
	if q.err != nil {
		return 0, q.err
	}
	n, err := q.r.Read(p)
	for i := 0; i < n; i++ {
		// Skip the insides of IRIs, literals and comments, which are most of the bytes,
		// to the next byte that can change the state.
		var j int
		switch {
		case q.state == qIRI || q.state == qDtIRI:
			j = bytes.IndexAny(p[i:n], ">\n")
		case q.state == qString && !q.esc:
			j = bytes.IndexAny(p[i:n], "\"\\\n")
		case q.state == qComment:
			j = bytes.IndexByte(p[i:n], '\n')
		}
		if j < 0 {
			break
		}
		i += j
		if q.step(p[i]); q.err != nil {
			// Drop the whole chunk: the statement must not reach the store.
			return 0, q.err
		}
	}
	if err == io.EOF {
		q.finish()
		if q.err != nil {
			return 0, q.err
		}
	}
	return n, err
}

func (q *quadChecker) step(b byte) {
	if q.line == 0 {
		q.line = 1
	}
	for {
		switch q.state {
		case qWS:
			switch b {
			case '\n':
				q.line++
				q.terms = 0
			case '<':
				q.state = qIRI
			case '_':
				q.state, q.dot = qBnode, false
			case '"':
				q.state, q.esc = qString, false
			case '#':
				q.state = qComment
			case '.':
				q.endStatement()
			}
			return
		case qIRI, qDtIRI:
			switch b {
			case '>':
				if q.state == qIRI {
					q.terms++
				}
				q.state = qWS
			case '\n':
				q.state = qWS
				continue
			}
			return
		case qBnode:
			switch {
			case b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == '<' || b == '"' || b == '#':
				q.terms++
				q.state = qWS
				if q.dot {
					q.endStatement()
				}
				continue
			case b == '.':
				q.dot = true
			default:
				q.dot = false
			}
			return
		case qString:
			switch {
			case q.esc:
				q.esc = false
			case b == '\\':
				q.esc = true
			case b == '"':
				q.terms++
				q.state = qAfterLit
			case b == '\n':
				q.state = qWS
				continue
			}
			return
		case qAfterLit:
			switch b {
			case '@':
				q.state = qLang
				return
			case '^':
				q.state = qCaret
				return
			}
			q.state = qWS
			continue
		case qCaret:
			switch b {
			case '^':
				return
			case '<':
				q.state = qDtIRI
				return
			}
			q.state = qWS
			continue
		case qLang:
			if b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' {
				return
			}
			q.state = qWS
			continue
		case qComment:
			if b == '\n' {
				q.state = qWS
				continue
			}
			return
		}
	}
}

func (q *quadChecker) finish() {
	if q.state == qBnode {
		q.terms++
		if q.dot {
			q.endStatement()
		}
	}
}

func (q *quadChecker) endStatement() {
	if q.terms == 3 {
		q.err = &apperr.Error{Kind: apperr.Invalid, Field: fmt.Sprintf("N-Quads line %d", q.line),
			Message: "a triple in the default graph: every quad must name its graph"}
	}
	q.terms = 0
}

package store

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/openemploi360/openemploi/internal/apperr"
)

// call is one logical request; do turns it into one or more HTTP attempts.
type call struct {
	op          string // "select", "gsp put", …: names the operation in errors
	method      string
	endpoint    string // the endpoint named in errors
	url         string // the URL requested when it differs from endpoint (?graph=)
	graph       string // the graph IRI of a GSP call, named in errors
	contentType string
	accept      string
	body        *reqBody // nil: no body
	// stream makes Config.Timeout an inactivity timeout (no byte moved in either
	// direction for that long) instead of a deadline for the whole request: a large
	// graph may take minutes to upload or download while still making progress.
	stream bool
	// notFound maps 404 to apperr.NotFound (a missing graph) instead of Internal (a
	// wrong endpoint).
	notFound bool
	handle   func(*http.Response) error // reads a 2xx response
}

// idempotent says whether sending the request twice is harmless. A connection reset
// may come after the store received and applied the request, so only such requests
// are retried then; an update is not (it may have been applied before the connection broke).
func (cl *call) idempotent() bool {
	switch cl.method {
	case http.MethodGet, http.MethodPut, http.MethodDelete:
		return true
	}
	switch cl.op {
	case "select", "ask", "construct", "ping":
		return true
	}
	return false
}

// reqBody is a request body that knows whether it can be sent again.
type reqBody struct {
	open       func() (io.Reader, error) // the reader for the next attempt
	size       int64                     // -1: unknown, sent chunked
	replayable func() bool
	consumed   int64 // bytes read by the transport, over all attempts
}

func stringBody(s string) *reqBody {
	return &reqBody{
		open:       func() (io.Reader, error) { return strings.NewReader(s), nil },
		size:       int64(len(s)),
		replayable: func() bool { return true },
	}
}

// readerBody streams r. It can be replayed if r is an io.Seeker (it is rewound to where
// it stood at the first attempt) or if nothing has been read from it yet.
func readerBody(r io.Reader) *reqBody {
	if r == nil {
		r = strings.NewReader("")
	}
	b := &reqBody{size: -1}
	seeker, _ := r.(io.Seeker)
	var start int64
	opened := false
	b.open = func() (io.Reader, error) {
		if !opened {
			opened = true
			if seeker != nil {
				off, err := seeker.Seek(0, io.SeekCurrent)
				if err != nil {
					seeker = nil // a pipe or a socket behind an *os.File: stream it
				} else {
					start = off
				}
			}
			return r, nil
		}
		if seeker != nil {
			if _, err := seeker.Seek(start, io.SeekStart); err != nil {
				return nil, fmt.Errorf("rewind body for a retry: %w", err)
			}
		}
		return r, nil
	}
	b.replayable = func() bool { return seeker != nil || b.consumed == 0 }
	return b
}

// progressReader reports every byte that moves, for the inactivity timeout, and keeps
// the first read error so it can be told apart from a network failure.
type progressReader struct {
	r        io.Reader
	progress func()
	count    *int64 // over all attempts
	n        int64  // in this attempt
	err      error
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		p.n += int64(n)
		if p.count != nil {
			*p.count += int64(n)
		}
		p.progress()
	}
	if err != nil && err != io.EOF && p.err == nil {
		p.err = err
	}
	return n, err
}

type progressBody struct {
	progressReader
	c io.Closer
}

func (p *progressBody) Close() error { return p.c.Close() }

// Causes given to our contexts, so a timeout of ours is told apart from the caller's.
var (
	errDeadline = errors.New("store request deadline")
	errIdle     = errors.New("store request inactivity timeout")
)

func (c *Client) do(ctx context.Context, cl *call) error {
	for attempt := 1; ; attempt++ {
		e, retry := c.attempt(ctx, cl)
		if e == nil {
			return nil
		}
		e.Attempts = attempt
		if !retry || attempt > c.cfg.Retries || ctx.Err() != nil {
			return e
		}
		t := time.NewTimer(c.retryDelay(attempt, e.retryAfter))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return e
		}
	}
}

// retryDelay is exponential backoff with jitter, so that clients that failed together
// do not come back together; a Retry-After from a 503 is honoured up to a cap.
func (c *Client) retryDelay(attempt int, retryAfter time.Duration) time.Duration {
	const maxDelay = 5 * time.Second
	d := c.backoff << (attempt - 1)
	if d > maxDelay || d <= 0 {
		d = maxDelay
	}
	d = d/2 + rand.N(d/2+1)
	if retryAfter > d {
		d = min(retryAfter, maxDelay)
	}
	return d
}

// attempt sends the request once. It returns the error, if any, and whether retrying
// is both useful and safe.
func (c *Client) attempt(parent context.Context, cl *call) (*Error, bool) {
	var (
		ctx      context.Context
		cancel   func()
		progress = func() {}
	)
	if cl.stream {
		cctx, ccancel := context.WithCancelCause(parent)
		timer := time.AfterFunc(c.cfg.Timeout, func() { ccancel(errIdle) })
		ctx, cancel = cctx, func() { timer.Stop(); ccancel(nil) }
		progress = func() { timer.Reset(c.cfg.Timeout) }
	} else {
		ctx, cancel = context.WithTimeoutCause(parent, c.cfg.Timeout, errDeadline)
	}
	defer cancel()

	target := cl.url
	if target == "" {
		target = cl.endpoint
	}
	fail := func(kind apperr.Kind, status int, msg string, err error) *Error {
		return &Error{Op: cl.op, Endpoint: cl.endpoint, Graph: cl.graph, Status: status,
			Message: c.scrub(msg), Kind: kind, Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, target, nil)
	if err != nil { // URLs were checked in New
		return fail(apperr.Internal, 0, "build request", err), false
	}
	var body *progressReader
	if cl.body != nil {
		r, err := cl.body.open()
		if err != nil {
			return fail(apperr.Internal, 0, "", err), false
		}
		body = &progressReader{r: r, progress: progress, count: &cl.body.consumed}
		// NopCloser: the transport closes request bodies, and this one is the caller's.
		req.Body = io.NopCloser(body)
		req.ContentLength = cl.body.size
		if cl.body.size == 0 {
			req.Body = http.NoBody
		}
		if cl.body.size > 0 {
			// A known-size body can be resent by the transport itself when a kept-alive
			// connection turns out to be closed before anything was written.
			req.GetBody = func() (io.ReadCloser, error) {
				r, err := cl.body.open()
				if err != nil {
					return nil, err
				}
				return io.NopCloser(r), nil
			}
		}
		req.Header.Set("Content-Type", cl.contentType)
	}
	if cl.accept != "" {
		req.Header.Set("Accept", cl.accept)
	}
	req.Header.Set("User-Agent", "openemploi360-store")
	if c.cfg.User != "" || c.cfg.Password != "" {
		req.SetBasicAuth(c.cfg.User, c.cfg.Password)
	}

	resp, err := c.http.Do(req)
	if err != nil {
		return c.transportErr(parent, ctx, cl, body, err, fail)
	}
	defer resp.Body.Close()

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		msg := readMessage(resp)
		kind, retry := apperr.Internal, false
		switch {
		case resp.StatusCode == http.StatusServiceUnavailable:
			// A 503 means the store did not take the request on: safe to resend. But
			// Fuseki also answers 503 "Query timed out" when its query timeout fires,
			// and that query would time out again.
			kind = apperr.Unavailable
			retry = (cl.body == nil || cl.body.replayable()) && !strings.Contains(strings.ToLower(msg), "timed out")
		case resp.StatusCode == http.StatusBadGateway || resp.StatusCode == http.StatusGatewayTimeout:
			kind = apperr.Unavailable
		case resp.StatusCode == http.StatusBadRequest:
			kind = apperr.Invalid
		case resp.StatusCode == http.StatusNotFound && cl.notFound:
			kind = apperr.NotFound
		}
		e := fail(kind, resp.StatusCode, msg, nil)
		e.retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"))
		return e, retry
	}

	if cl.stream {
		resp.Body = &progressBody{progressReader{r: resp.Body, progress: progress}, resp.Body}
	}
	if err := cl.handle(resp); err != nil {
		if e := c.timeoutErr(parent, ctx, fail); e != nil {
			return e, false
		}
		kind := apperr.Internal
		var ae *apperr.Error
		if errors.As(err, &ae) {
			// A failure the handler could classify, such as a query the store cancelled.
			kind = ae.Kind
			if ae.Message != "" && ae.Err != nil {
				return fail(kind, 0, ae.Message, ae.Err), false
			}
		}
		return fail(kind, 0, "", err), false
	}
	return nil, false
}

// timeoutErr explains a failure caused by our timeout or by the caller's context.
func (c *Client) timeoutErr(parent, ctx context.Context, fail func(apperr.Kind, int, string, error) *Error) *Error {
	switch cause := context.Cause(ctx); {
	case parent.Err() != nil:
		return fail(apperr.Unavailable, 0, "", context.Cause(parent))
	case cause == errDeadline:
		return fail(apperr.Unavailable, 0, fmt.Sprintf("no answer within %s", c.cfg.Timeout), context.DeadlineExceeded)
	case cause == errIdle:
		return fail(apperr.Unavailable, 0, fmt.Sprintf("no data moved for %s", c.cfg.Timeout), context.DeadlineExceeded)
	}
	return nil
}

func (c *Client) transportErr(parent, ctx context.Context, cl *call, body *progressReader, err error,
	fail func(apperr.Kind, int, string, error) *Error) (*Error, bool) {
	// The caller's body failed (or was refused by our N-Quads check): that is not the
	// store's fault and resending it would fail the same way.
	if body != nil && body.err != nil {
		kind := apperr.Internal
		var ae *apperr.Error
		if errors.As(body.err, &ae) {
			kind = ae.Kind
		}
		return fail(kind, 0, "reading the request body", body.err), false
	}
	if e := c.timeoutErr(parent, ctx, fail); e != nil {
		return e, false
	}
	// *url.Error repeats method and URL, which the Error already names.
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	replayable := cl.body == nil || cl.body.replayable()
	var op *net.OpError
	var dns *net.DNSError
	switch {
	case errors.As(err, &dns):
		return fail(apperr.Unavailable, 0, "", err), replayable && !dns.IsNotFound
	case errors.As(err, &op) && op.Op == "dial":
		// Nothing reached the store: always safe to resend.
		return fail(apperr.Unavailable, 0, "", err), replayable
	case errors.Is(err, syscall.ECONNREFUSED):
		return fail(apperr.Unavailable, 0, "", err), replayable
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		// A request whose body never left cannot have been applied.
		sentNothing := body != nil && body.n == 0
		return fail(apperr.Unavailable, 0, "", err), replayable && (cl.idempotent() || sentNothing)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fail(apperr.Unavailable, 0, "", err), false
	}
	return fail(apperr.Internal, 0, "", err), false
}

func parseRetryAfter(v string) time.Duration {
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	return 0
}

// maxMessage is how much of the store's error body goes into an error: enough for
// Fuseki's and Oxigraph's one-line parse errors, not a whole HTML page.
const maxMessage = 300

// readMessage reads the start of an error response as one line of text.
func readMessage(resp *http.Response) string {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 16<<10))
	s := string(b)
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "text/html" {
		s = stripTags(s)
	}
	return oneLineMessage(s)
}

// oneLineMessage collapses whitespace and cuts to maxMessage characters.
func oneLineMessage(s string) string {
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "�")), " ")
	if r := []rune(s); len(r) > maxMessage {
		s = string(r[:maxMessage]) + "…"
	}
	return s
}

// stripTags keeps the text of an HTML error page (Jetty's default pages).
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
			b.WriteByte(' ')
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// scrub removes our credentials from a store's message, in case a store or proxy
// echoes the request's headers back.
func (c *Client) scrub(s string) string {
	if c.cfg.Password == "" {
		return s
	}
	token := base64.StdEncoding.EncodeToString([]byte(c.cfg.User + ":" + c.cfg.Password))
	s = strings.ReplaceAll(s, token, "***")
	return strings.ReplaceAll(s, c.cfg.Password, "***")
}

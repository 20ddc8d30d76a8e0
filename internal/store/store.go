// Package store is the only place in Open Emploi 360 that talks to a triple store. It
// speaks the SPARQL 1.1 Protocol (query, update) and the Graph Store Protocol over its
// own http.Client, and it is the only package that knows vendor quirks (Fuseki's
// /query,/update,/data layout, Oxigraph's /query,/update,/store and its habit of
// creating a random graph when a GSP POST names none).
//
// Everything else sees a *Client with context-aware methods and errors that name the
// operation, the endpoint, the HTTP status and the store's own message.
package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/knakk/sparql"

	"github.com/openemploi360/openemploi/internal/apperr"
)

// Preset names a store flavour whose endpoint layout is known.
type Preset string

const (
	Fuseki   Preset = "fuseki"   // BaseURL is the dataset URL, e.g. http://127.0.0.1:3030/openemploi
	Oxigraph Preset = "oxigraph" // BaseURL is the server URL, e.g. http://127.0.0.1:7878
	Generic  Preset = "generic"  // QueryURL, UpdateURL and GSPURL are given explicitly
)

// Config says where the store is and how patient to be with it.
type Config struct {
	Preset    Preset
	BaseURL   string
	QueryURL  string // overrides the preset's query endpoint
	UpdateURL string // overrides the preset's update endpoint
	GSPURL    string // overrides the preset's Graph Store Protocol endpoint
	User      string // HTTP basic credentials; taken from the environment by callers, never from flags
	Password  string
	Timeout   time.Duration // per request; 0 means 30s
	Retries   int           // retries on connection errors and 503 only; 0 means 3
	// LoadChunk, when > 0, overrides the preset's quads per import load request
	// (LoadChunk method): an in-memory Fuseki dataset with a small heap holds a whole
	// request's transaction in memory, as a TDB2 one does not.
	LoadChunk int
}

// String hides the password, so a logged Config does not leak it.
func (c Config) String() string {
	if c.Password != "" {
		c.Password = "***"
	}
	type plain Config // no String method: no recursion
	return fmt.Sprintf("%+v", plain(c))
}

// GoString hides the password from %#v too.
func (c Config) GoString() string { return "store.Config" + c.String() }

// Endpoints are the resolved URLs a Client uses.
type Endpoints struct {
	Query, Update, GSP string
}

// GraphInfo describes one named graph of the store.
type GraphInfo struct {
	IRI     string
	Triples int64
}

// Client talks to one SPARQL 1.1 store. It is safe for concurrent use.
type Client struct {
	cfg  Config
	ep   Endpoints
	http *http.Client
	// backoff is the first retry delay; it doubles on each retry. A field rather than a
	// constant so tests need not sleep.
	backoff time.Duration
}

const (
	defaultTimeout = 30 * time.Second
	defaultRetries = 3
)

// New checks cfg and resolves the endpoints; it does not contact the store.
// Explicit QueryURL, UpdateURL and GSPURL win over the preset's layout. A Retries of -1
// disables retries (0 means the default of 3).
func New(cfg Config) (*Client, error) {
	const op = "store.New"
	if cfg.Preset == "" {
		cfg.Preset = Generic
	}
	base := strings.TrimRight(cfg.BaseURL, "/")
	var ep Endpoints
	switch cfg.Preset {
	case Fuseki:
		if base != "" {
			ep = Endpoints{Query: base + "/query", Update: base + "/update", GSP: base + "/data"}
		}
	case Oxigraph:
		if base != "" {
			ep = Endpoints{Query: base + "/query", Update: base + "/update", GSP: base + "/store"}
		}
	case Generic:
	default:
		return nil, apperr.Field(op, "Preset", "unknown store preset %q (want fuseki, oxigraph or generic)", cfg.Preset)
	}
	if base != "" {
		if err := checkURL("BaseURL", base); err != nil {
			return nil, err
		}
	}
	if cfg.QueryURL != "" {
		ep.Query = cfg.QueryURL
	}
	if cfg.UpdateURL != "" {
		ep.Update = cfg.UpdateURL
	}
	if cfg.GSPURL != "" {
		ep.GSP = cfg.GSPURL
	}
	for _, f := range []struct{ name, url string }{
		{"QueryURL", ep.Query}, {"UpdateURL", ep.Update}, {"GSPURL", ep.GSP},
	} {
		if f.url == "" {
			if cfg.Preset == Generic {
				return nil, apperr.Field(op, f.name, "the generic store preset needs an explicit %s", f.name)
			}
			return nil, apperr.Field(op, "BaseURL", "the %s store preset needs a BaseURL (or an explicit %s)", cfg.Preset, f.name)
		}
		if err := checkURL(f.name, f.url); err != nil {
			return nil, err
		}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = defaultTimeout
	}
	switch {
	case cfg.Retries == 0:
		cfg.Retries = defaultRetries
	case cfg.Retries < 0:
		cfg.Retries = 0
	}
	return &Client{cfg: cfg, ep: ep, http: newHTTPClient(), backoff: 200 * time.Millisecond}, nil
}

// checkURL accepts absolute http(s) URLs with a host and no credentials: credentials
// in a URL end up in logs and error messages, so they must come through User/Password.
func checkURL(field, raw string) error {
	const op = "store.New"
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error repeats the raw URL, which may hold a password: keep only the reason.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return apperr.Field(op, field, "invalid URL: %v", err)
	}
	if u.User != nil {
		return apperr.Field(op, field, "URL %s carries credentials: pass them as User/Password instead", u.Redacted())
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return apperr.Field(op, field, "URL %q: scheme must be http or https", raw)
	}
	if u.Host == "" || u.Hostname() == "" {
		return apperr.Field(op, field, "URL %q has no host", raw)
	}
	if u.Fragment != "" {
		return apperr.Field(op, field, "URL %q has a fragment", raw)
	}
	return nil
}

// newHTTPClient builds the client's own transport. Never http.DefaultClient: other
// libraries (knakk/sparql's options) mutate it, and its credentials would leak.
func newHTTPClient() *http.Client {
	tr := &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{
			Timeout:   5 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		MaxIdleConns:        32,
		MaxIdleConnsPerHost: 8,
		MaxConnsPerHost:     32,
		// Below Jetty's (Fuseki's) 30 s idle timeout, so we do not reuse a connection
		// at the moment the server closes it: an update lost that way is not retried.
		IdleConnTimeout:       20 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	return &http.Client{Transport: tr}
}

// Endpoints returns the resolved endpoint URLs.
func (c *Client) Endpoints() Endpoints { return c.ep }

// Ping checks the store answers a trivial ASK query.
func (c *Client) Ping(ctx context.Context) error {
	_, err := c.ask(ctx, "ping", "ASK {}")
	return err
}

// Select runs a SELECT query and parses the JSON results with knakk/sparql. It fails
// rather than let knakk/sparql's Solutions() drop a term it cannot parse, so every
// binding the store sent is in Solutions().
func (c *Client) Select(ctx context.Context, query string) (*sparql.Results, error) {
	const op = "select"
	var res *sparql.Results
	err := c.do(ctx, &call{
		op: op, method: http.MethodPost, endpoint: c.ep.Query,
		contentType: "application/sparql-query", accept: "application/sparql-results+json",
		body: stringBody(query),
		handle: func(resp *http.Response) error {
			if err := checkContentType(resp, "application/sparql-results+json", "application/json"); err != nil {
				return err
			}
			tail := &tailWriter{}
			r, err := sparql.ParseJSON(io.TeeReader(resp.Body, tail))
			if err != nil {
				return resultsErr(err, tail)
			}
			if err := checkSolutions(r); err != nil {
				return err
			}
			res = r
			return nil
		},
	})
	return res, err
}

// checkSolutions compares what Solutions() keeps with what the store sent.
func checkSolutions(r *sparql.Results) error {
	sols := r.Solutions()
	for i, raw := range r.Results.Bindings {
		if len(sols[i]) == len(raw) {
			continue
		}
		for v, b := range raw {
			if _, ok := sols[i][v]; !ok {
				return fmt.Errorf("result row %d, variable ?%s: cannot parse %s term %q (lang %q, datatype %q)",
					i+1, v, b.Type, b.Value, b.Lang, b.DataType)
			}
		}
	}
	return nil
}

// Ask runs an ASK query.
func (c *Client) Ask(ctx context.Context, query string) (bool, error) {
	return c.ask(ctx, "ask", query)
}

func (c *Client) ask(ctx context.Context, op, query string) (bool, error) {
	var ans bool
	err := c.do(ctx, &call{
		op: op, method: http.MethodPost, endpoint: c.ep.Query,
		contentType: "application/sparql-query", accept: "application/sparql-results+json",
		body: stringBody(query),
		handle: func(resp *http.Response) error {
			if err := checkContentType(resp, "application/sparql-results+json", "application/json"); err != nil {
				return err
			}
			// sparql.ParseJSON cannot tell a false answer from a missing one (a SELECT
			// sent to Ask), so decode the one field we need ourselves.
			var r struct {
				Boolean *bool `json:"boolean"`
			}
			tail := &tailWriter{}
			if err := json.NewDecoder(io.TeeReader(io.LimitReader(resp.Body, 1<<20), tail)).Decode(&r); err != nil {
				return resultsErr(err, tail)
			}
			if r.Boolean == nil {
				return errors.New("the results carry no boolean: not an ASK query?")
			}
			ans = *r.Boolean
			return nil
		},
	})
	return ans, err
}

// Construct runs a CONSTRUCT or DESCRIBE query and streams N-Triples to w. On an error
// in the middle of the stream, w has received part of the triples.
func (c *Client) Construct(ctx context.Context, query string, w io.Writer) error {
	return c.do(ctx, &call{
		op: "construct", method: http.MethodPost, endpoint: c.ep.Query,
		contentType: "application/sparql-query", accept: "application/n-triples",
		body: stringBody(query), stream: true,
		handle: func(resp *http.Response) error { return copyNTriples(resp, w) },
	})
}

func copyNTriples(resp *http.Response, w io.Writer) error {
	if err := checkContentType(resp, "application/n-triples", "text/plain"); err != nil {
		return err
	}
	tail := &tailWriter{}
	if _, err := io.Copy(io.MultiWriter(w, tail), resp.Body); err != nil {
		return fmt.Errorf("copy N-Triples: %w", err)
	}
	// Oxigraph reports a query cancelled by its timeout by writing the message into
	// the 200 response it is streaming, and ends it properly. Every N-Triples line ends
	// with a newline, so a body that does not has been cut.
	if t := tail.b; len(t) > 0 && t[len(t)-1] != '\n' {
		return cutStreamErr(tail)
	}
	return nil
}

// tailWriter keeps the last bytes written to it.
type tailWriter struct{ b []byte }

func (t *tailWriter) Write(p []byte) (int, error) {
	const keep = 256
	if len(p) >= keep {
		t.b = append(t.b[:0], p[len(p)-keep:]...)
	} else {
		t.b = append(t.b, p...)
		if len(t.b) > keep {
			t.b = append(t.b[:0], t.b[len(t.b)-keep:]...)
		}
	}
	return len(p), nil
}

// lastLine is the end of the stream, where a store's in-band error message sits.
func (t *tailWriter) lastLine() string {
	s := strings.TrimRight(string(t.b), "\r\n")
	if i := strings.LastIndexAny(s, "\n[{,"); i >= 0 {
		s = s[i+1:]
	}
	return oneLineMessage(s)
}

// cancelled tells Oxigraph's in-band "The SPARQL operation has been cancelled" (its
// query timeout) from a body that is merely broken.
func (t *tailWriter) cancelled() bool {
	return strings.Contains(strings.ToLower(string(t.b)), "cancelled")
}

func cutStreamErr(tail *tailWriter) error {
	if tail.cancelled() {
		return &apperr.Error{Kind: apperr.Unavailable, Message: "the store cancelled the query (its query timeout?)",
			Err: errors.New(tail.lastLine())}
	}
	return fmt.Errorf("the N-Triples stream was cut: it ends with %q", tail.lastLine())
}

func resultsErr(err error, tail *tailWriter) error {
	if tail.cancelled() {
		return &apperr.Error{Kind: apperr.Unavailable, Message: "the store cancelled the query (its query timeout?)",
			Err: errors.New(tail.lastLine())}
	}
	return fmt.Errorf("parse JSON results: %w", err)
}

// Update runs a SPARQL Update request. One request is one transaction on Fuseki and
// Oxigraph: either all its operations apply or none.
func (c *Client) Update(ctx context.Context, update string) error {
	return c.do(ctx, &call{
		op: "update", method: http.MethodPost, endpoint: c.ep.Update,
		contentType: "application/sparql-update", body: stringBody(update),
		handle: discard,
	})
}

// GetGraph streams the graph as N-Triples to w (GSP GET). A graph the store does not
// have is an apperr.NotFound error.
func (c *Client) GetGraph(ctx context.Context, graph string, w io.Writer) error {
	const op = "gsp get"
	u, err := c.graphURL(op, graph)
	if err != nil {
		return err
	}
	return c.do(ctx, &call{
		op: op, method: http.MethodGet, endpoint: c.ep.GSP, url: u, graph: graph,
		accept: "application/n-triples", stream: true, notFound: true,
		handle: func(resp *http.Response) error { return copyNTriples(resp, w) },
	})
}

// PutGraph replaces the graph with the N-Triples read from body (GSP PUT). The body is
// streamed, never held in memory; if reading it fails midway the upload is aborted and
// the store keeps the graph it had. It is retried only if body is an io.Seeker or
// nothing had been read from it yet.
func (c *Client) PutGraph(ctx context.Context, graph string, body io.Reader) error {
	return c.sendGraph(ctx, "gsp put", http.MethodPut, graph, body)
}

// PostGraph adds the N-Triples read from body to the graph (GSP POST); see PutGraph for
// how the body is streamed.
func (c *Client) PostGraph(ctx context.Context, graph string, body io.Reader) error {
	return c.sendGraph(ctx, "gsp post", http.MethodPost, graph, body)
}

func (c *Client) sendGraph(ctx context.Context, op, method, graph string, body io.Reader) error {
	u, err := c.graphURL(op, graph)
	if err != nil {
		return err
	}
	return c.do(ctx, &call{
		op: op, method: method, endpoint: c.ep.GSP, url: u, graph: graph,
		contentType: "application/n-triples", body: readerBody(body), stream: true,
		handle: discard,
	})
}

// LoadQuads adds the N-Quads read from body to the dataset (GSP POST of a dataset
// body to the GSP endpoint with no graph parameter: Fuseki's /data, Oxigraph's /store).
// Quads in the default graph are refused: we never write there. The check runs while
// the body streams, so such a quad aborts the upload and the store's transaction
// rolls back: nothing of the body is written.
func (c *Client) LoadQuads(ctx context.Context, body io.Reader) error {
	return c.loadQuads(ctx, body, "")
}

// LoadQuadsBulk adds N-Quads like LoadQuads, through the store's bulk path when it
// has one: Oxigraph's bulk loader (/store?no_transaction). On one month of offers
// (992 000 quads) it took 13.8 s and 0.95 GB where the transactional load took 54.7 s
// and 1.7 GB, and a transactional load of six months does not fit in memory. It is
// not atomic: a failure may leave part of the body written. Use it only for graphs
// nothing reads yet — an import's own version graphs, checked by count before they go
// live and dropped if they never do.
func (c *Client) LoadQuadsBulk(ctx context.Context, body io.Reader) error {
	if c.cfg.Preset != Oxigraph {
		return c.LoadQuads(ctx, body)
	}
	u, err := url.Parse(c.ep.GSP)
	if err != nil {
		return apperr.Wrap("load quads", apperr.Invalid, err, "GSP endpoint %q", c.ep.GSP)
	}
	q := u.Query()
	q.Set("no_transaction", "")
	u.RawQuery = q.Encode()
	return c.loadQuads(ctx, body, u.String())
}

func (c *Client) loadQuads(ctx context.Context, body io.Reader, u string) error {
	rb := readerBody(body)
	inner := rb.open
	rb.open = func() (io.Reader, error) {
		r, err := inner()
		if err != nil {
			return nil, err
		}
		return &quadChecker{r: r}, nil
	}
	return c.do(ctx, &call{
		op: "load quads", method: http.MethodPost, endpoint: c.ep.GSP, url: u,
		contentType: "application/n-quads", body: rb, stream: true,
		handle: discard,
	})
}

// LoadChunk is the number of quads an import should send per LoadQuadsBulk request
// to this store, 0 for one request streamed whatever its size. Fuseki streams a body
// into its TDB2 transaction, and splitting it only adds requests (a six-month load in
// 200 000-quad chunks took 334 s against 230 s in one request); Oxigraph's bulk
// loader streams too. A generic store, which may hold a request's transaction in
// memory, gets bounded requests.
func (c *Client) LoadChunk() int {
	if c.cfg.LoadChunk > 0 {
		return c.cfg.LoadChunk
	}
	if c.cfg.Preset == Fuseki || c.cfg.Preset == Oxigraph {
		return 0
	}
	return 200_000
}

// DeleteGraph drops the graph; a missing graph is not an error.
func (c *Client) DeleteGraph(ctx context.Context, graph string) error {
	const op = "gsp delete"
	u, err := c.graphURL(op, graph)
	if err != nil {
		return err
	}
	err = c.do(ctx, &call{
		op: op, method: http.MethodDelete, endpoint: c.ep.GSP, url: u, graph: graph,
		handle: discard,
	})
	var se *Error
	if errors.As(err, &se) && se.Status == http.StatusNotFound {
		return nil
	}
	return err
}

// Graphs lists the named graphs with their triple counts, sorted by IRI. Empty graphs
// do not exist in a quad store, so they are not listed.
func (c *Client) Graphs(ctx context.Context) ([]GraphInfo, error) {
	res, err := c.Select(ctx, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
	if err != nil {
		return nil, err
	}
	var out []GraphInfo
	for i, b := range res.Results.Bindings {
		g, n := b["g"], b["n"]
		if g.Type != "uri" {
			return nil, c.resultErr("graphs", fmt.Errorf("row %d: ?g is a %s, not an IRI", i+1, g.Type))
		}
		count, err := strconv.ParseInt(n.Value, 10, 64)
		if err != nil {
			return nil, c.resultErr("graphs", fmt.Errorf("row %d: count of <%s>: %w", i+1, g.Value, err))
		}
		out = append(out, GraphInfo{IRI: g.Value, Triples: count})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].IRI < out[j].IRI })
	return out, nil
}

// GraphNames lists the named graphs, sorted, without counting their triples (which
// Graphs does, reading every triple of the store).
func (c *Client) GraphNames(ctx context.Context) ([]string, error) {
	res, err := c.Select(ctx, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
	if err != nil {
		return nil, err
	}
	var out []string
	for i, b := range res.Results.Bindings {
		g := b["g"]
		if g.Type != "uri" {
			return nil, c.resultErr("graph names", fmt.Errorf("row %d: ?g is a %s, not an IRI", i+1, g.Type))
		}
		out = append(out, g.Value)
	}
	sort.Strings(out)
	return out, nil
}

func (c *Client) graphURL(op, graph string) (string, error) {
	if _, err := IRIRef(graph); err != nil {
		return "", apperr.Wrap("store "+op, apperr.Invalid, err, "graph")
	}
	u, err := url.Parse(c.ep.GSP)
	if err != nil { // checked in New
		return "", apperr.Wrap("store "+op, apperr.Internal, err, "GSP URL")
	}
	q := u.Query()
	q.Set("graph", graph)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func discard(resp *http.Response) error {
	_, err := io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return err
}

// checkContentType refuses a response in a format we did not ask for (a store that
// ignores Accept), which would otherwise surface as a baffling parse error.
func checkContentType(resp *http.Response, want ...string) error {
	ct := resp.Header.Get("Content-Type")
	if ct == "" {
		return nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return fmt.Errorf("bad Content-Type %q: %w", ct, err)
	}
	for _, w := range want {
		if mt == w {
			return nil
		}
	}
	return fmt.Errorf("unexpected Content-Type %q, want %s", mt, want[0])
}

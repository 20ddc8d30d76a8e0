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
	"io"
	"time"

	"github.com/knakk/sparql"
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
}

// Endpoints are the resolved URLs a Client uses.
type Endpoints struct {
	Query, Update, GSP string
}

// GraphInfo describes one named graph of the store.
type GraphInfo struct {
	IRI     string
	Triples int64
}

// Move asks Swap to move the content of a staging graph into its target graph.
type Move struct {
	Staging, Target string
}

// Client talks to one SPARQL 1.1 store. It is safe for concurrent use.
type Client struct {
	cfg Config
	ep  Endpoints
}

// New checks cfg and resolves the endpoints; it does not contact the store.
func New(cfg Config) (*Client, error) { panic("store.New: not implemented yet") }

// Endpoints returns the resolved endpoint URLs.
func (c *Client) Endpoints() Endpoints { return c.ep }

// Ping checks the store answers a trivial ASK query.
func (c *Client) Ping(ctx context.Context) error { panic("not implemented") }

// Select runs a SELECT query and parses the JSON results with knakk/sparql.
func (c *Client) Select(ctx context.Context, query string) (*sparql.Results, error) {
	panic("not implemented")
}

// Ask runs an ASK query.
func (c *Client) Ask(ctx context.Context, query string) (bool, error) { panic("not implemented") }

// Construct runs a CONSTRUCT or DESCRIBE query and streams N-Triples to w.
func (c *Client) Construct(ctx context.Context, query string, w io.Writer) error {
	panic("not implemented")
}

// Update runs a SPARQL Update request. One request is one transaction on Fuseki and
// Oxigraph: either all its operations apply or none.
func (c *Client) Update(ctx context.Context, update string) error { panic("not implemented") }

// GetGraph streams the graph as N-Triples to w (GSP GET).
func (c *Client) GetGraph(ctx context.Context, graph string, w io.Writer) error {
	panic("not implemented")
}

// PutGraph replaces the graph with the N-Triples read from body (GSP PUT).
func (c *Client) PutGraph(ctx context.Context, graph string, body io.Reader) error {
	panic("not implemented")
}

// PostGraph adds the N-Triples read from body to the graph (GSP POST).
func (c *Client) PostGraph(ctx context.Context, graph string, body io.Reader) error {
	panic("not implemented")
}

// LoadQuads adds the N-Quads read from body to the dataset (GSP POST of a dataset
// body: Fuseki's dataset endpoint, Oxigraph's /store with no graph parameter). Quads in
// the default graph are refused before anything is sent: we never write there.
func (c *Client) LoadQuads(ctx context.Context, body io.Reader) error { panic("not implemented") }

// DeleteGraph drops the graph; a missing graph is not an error.
func (c *Client) DeleteGraph(ctx context.Context, graph string) error { panic("not implemented") }

// Graphs lists the named graphs with their triple counts.
func (c *Client) Graphs(ctx context.Context) ([]GraphInfo, error) { panic("not implemented") }

// Swap moves each staging graph onto its target and runs the extra update (typically
// the metadata of the new graphs), all in one update request, so readers see either the
// old graphs or the new ones, never a mix.
func (c *Client) Swap(ctx context.Context, moves []Move, extraUpdate string) error {
	panic("not implemented")
}

// Package kg implements diagnostic.Source over the triple store: it binds the queries of
// queries/*.rq with internal/sparqlq, runs them with internal/store and turns the rows
// into the observations the diagnostic's role interfaces declare. It is the only
// package that knows both the SPARQL and the domain, and it only reads: weighting,
// ranking, ratios and the French of notes are the diagnostic's sections' work. Each
// file is named like its query and its section (market.go ↔ queries/market.rq ↔
// internal/diagnostic/market.go).
//
// Profiles never reach this package: skill matching and free-text search happen in Go
// over label indexes, so no user input but validated codes ends up in a query.
package kg

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/knakk/rdf"

	"github.com/openemploi360/openemploi/internal/apperr"
	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/sparqlq"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/vocab"
	"github.com/openemploi360/openemploi/queries"
)

// KG is a diagnostic.Source backed by a store.
type KG struct {
	store *store.Client
	bank  *sparqlq.Bank

	// VersionTTL is how long a data version is trusted before oeg:meta is read again.
	VersionTTL time.Duration

	// OnQuery, when set before the first query, is told each SELECT the KG ran: its
	// name, the bound text and how long the store round took. The load benchmark uses
	// it to replay the same SPARQL raw; it must be safe for concurrent calls.
	OnQuery func(name, query string, took time.Duration, rows int)

	mu        sync.Mutex
	version   string
	versionAt time.Time
	now       func() time.Time
}

// New loads the embedded queries. It does not contact the store.
func New(c *store.Client) (*KG, error) {
	b, err := sparqlq.Load(queries.FS, "*.rq")
	if err != nil {
		return nil, fmt.Errorf("kg: %w", err)
	}
	return &KG{store: c, bank: b, VersionTTL: 3 * time.Second, now: time.Now}, nil
}

// Bank returns the loaded queries (for benchmarks that time the raw SPARQL).
func (k *KG) Bank() *sparqlq.Bank { return k.bank }

var _ diagnostic.Source = (*KG)(nil)

type row map[string]rdf.Term

// selectRows binds and runs a query. Store failures keep their Unavailable kind; any
// other failure is ours (a bad query, a bad binding) and becomes internal, since the
// store's 400 says nothing about the user's input.
func (k *KG) selectRows(ctx context.Context, name string, args sparqlq.Args) ([]row, error) {
	q, err := k.bank.Bind(name, args)
	if err != nil {
		return nil, fmt.Errorf("kg %s: %w", name, err)
	}
	start := time.Now()
	res, err := k.store.Select(ctx, q)
	took := time.Since(start)
	if err != nil {
		slog.DebugContext(ctx, "kg query failed", "query", name, "ms", took.Milliseconds())
		if apperr.Is(err, apperr.Unavailable) {
			return nil, apperr.Wrap("kg "+name, apperr.Unavailable, err, "the knowledge graph is unavailable")
		}
		return nil, fmt.Errorf("kg %s: %w", name, err)
	}
	sols := res.Solutions()
	// Only the query's name, its size and its time: never the bound values, which may
	// come from a request.
	slog.DebugContext(ctx, "kg query", "query", name, "rows", len(sols), "ms", float64(took.Microseconds())/1000)
	if k.OnQuery != nil {
		k.OnQuery(name, q, took, len(sols))
	}
	out := make([]row, len(sols))
	for i, s := range sols {
		out[i] = row(s)
	}
	return out, nil
}

func (r row) str(v string) string {
	if t, ok := r[v]; ok && t != nil {
		return t.String()
	}
	return ""
}

func (r row) has(v string) bool { _, ok := r[v]; return ok }

func (r row) float(v string) *float64 {
	s := r.str(v)
	if s == "" {
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil
	}
	return &f
}

func (r row) int(v string) int {
	f := r.float(v)
	if f == nil {
		return 0
	}
	return int(*f)
}

func (r row) boolp(v string) *bool {
	switch r.str(v) {
	case "true", "1":
		b := true
		return &b
	case "false", "0":
		b := false
		return &b
	}
	return nil
}

// DataVersion hashes the modification dates and the live versions named in oeg:meta;
// it is re-read at most every VersionTTL, so a finished import changes it within
// seconds.
func (k *KG) DataVersion(ctx context.Context) (string, error) {
	k.mu.Lock()
	if k.version != "" && k.now().Sub(k.versionAt) < k.VersionTTL {
		v := k.version
		k.mu.Unlock()
		return v, nil
	}
	k.mu.Unlock()
	rows, err := k.selectRows(ctx, "data-version", nil)
	if err != nil {
		return "", err
	}
	lines := make([]string, 0, len(rows))
	for _, r := range rows {
		lines = append(lines, r.str("graph")+" "+r.str("modified")+" "+r.str("version"))
	}
	sort.Strings(lines)
	h := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	v := hex.EncodeToString(h[:8])
	k.mu.Lock()
	k.version, k.versionAt = v, k.now()
	k.mu.Unlock()
	return v, nil
}

// Metier reads a fiche with its appellations, skills and mobilités.
func (k *KG) Metier(ctx context.Context, code string) (*diagnostic.Metier, error) {
	rows, err := k.selectRows(ctx, "metier", sparqlq.Args{"fiche": vocab.Metier(code)})
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, &apperr.Error{Op: "kg metier", Kind: apperr.NotFound, Field: "code", Message: "no métier with ROME code " + code}
	}
	m := &diagnostic.Metier{Code: code}
	seen := map[string]bool{}
	for _, r := range rows {
		m.IRI, m.Label, m.Graph = r.str("fiche"), r.str("label"), r.str("g")
		key := r.str("part") + " " + r.str("item")
		if seen[key] {
			continue // an appellation with two alt labels, an item in two graphs
		}
		seen[key] = true
		switch r.str("part") {
		case "fiche":
			m.Executive = r.boolp("executive")
		case "appellation":
			m.Appellations = append(m.Appellations, diagnostic.Appellation{
				IRI: r.str("item"), Code: r.str("itemCode"), Label: r.str("itemLabel"),
				ShortLabel: r.str("itemAlt"), Executive: r.boolp("executive"),
			})
		case "skill":
			m.Skills = append(m.Skills, diagnostic.Skill{
				IRI: r.str("item"), Code: r.str("itemCode"), Label: r.str("itemLabel"),
				Kind: r.str("skillKind"), Category: r.str("category"),
			})
		case "mobility":
			m.Mobilities = append(m.Mobilities, diagnostic.Mobility{
				IRI: r.str("item"), Code: r.str("itemCode"), Label: r.str("itemLabel"), Rank: r.int("rank"),
			})
		}
	}
	sort.Slice(m.Appellations, func(i, j int) bool { return m.Appellations[i].Label < m.Appellations[j].Label })
	sort.Slice(m.Skills, func(i, j int) bool {
		a, b := m.Skills[i], m.Skills[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Label < b.Label
	})
	sort.Slice(m.Mobilities, func(i, j int) bool {
		a, b := m.Mobilities[i], m.Mobilities[j]
		if a.Rank != b.Rank {
			return a.Rank < b.Rank
		}
		return a.Code < b.Code
	})
	return m, nil
}

// Describe writes, as N-Triples, what the graph says about one resource.
func (k *KG) Describe(ctx context.Context, iri string, w io.Writer) error {
	return k.construct(ctx, "describe", sparqlq.Args{"iri": iri}, w)
}

// DescribeGraph writes, as N-Triples, the metadata of one named graph.
func (k *KG) DescribeGraph(ctx context.Context, graph string, w io.Writer) error {
	return k.construct(ctx, "describe-graph", sparqlq.Args{"graph": graph}, w)
}

func (k *KG) construct(ctx context.Context, name string, args sparqlq.Args, w io.Writer) error {
	q, err := k.bank.Bind(name, args)
	if err != nil {
		return fmt.Errorf("kg %s: %w", name, err)
	}
	if err := k.store.Construct(ctx, q, w); err != nil {
		if apperr.Is(err, apperr.Unavailable) {
			return apperr.Wrap("kg "+name, apperr.Unavailable, err, "the knowledge graph is unavailable")
		}
		return fmt.Errorf("kg %s: %w", name, err)
	}
	return nil
}

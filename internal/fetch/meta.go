package fetch

import (
	"context"
	"fmt"
	"time"

	"github.com/openemploi360/openemploi/internal/fetch/sparql"
	"github.com/openemploi360/openemploi/internal/sparqlq"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/vocab"
	"github.com/openemploi360/openemploi/queries"
)

// Meta reads and writes what the connectors keep in the store.
type Meta struct {
	Store   *store.Client
	queries *sparqlq.Bank // reads, from queries/
	updates *sparqlq.Bank // writes, from internal/fetch/sparql
}

// NewMeta loads the connectors' queries.
func NewMeta(c *store.Client) (*Meta, error) {
	b, err := sparqlq.Load(queries.FS, "offers-latest-created.rq", "source-refresh.rq")
	if err != nil {
		return nil, fmt.Errorf("fetch: %w", err)
	}
	u, err := sparqlq.Load(sparql.FS, "*.ru")
	if err != nil {
		return nil, fmt.Errorf("fetch: %w", err)
	}
	return &Meta{Store: c, queries: b, updates: u}, nil
}

// LatestCreated is the latest offer creation date loaded for an offers source, zero
// when none.
func (m *Meta) LatestCreated(ctx context.Context, source string) (time.Time, error) {
	q, err := m.queries.Bind("offers-latest-created", sparqlq.Args{"source": source})
	if err != nil {
		return time.Time{}, err
	}
	res, err := m.Store.Select(ctx, q)
	if err != nil {
		return time.Time{}, fmt.Errorf("latest offer loaded for %s: %w", source, err)
	}
	for _, row := range res.Solutions() {
		if v, ok := row["latest"]; ok && v.String() != "" {
			t, err := time.Parse(time.RFC3339, v.String())
			if err != nil {
				return time.Time{}, fmt.Errorf("latest offer loaded for %s: %q: %w", source, v.String(), err)
			}
			return t.UTC(), nil
		}
	}
	return time.Time{}, nil
}

// RecordDownload adds where and when a file came from to the PROV description the
// import wrote for it (the file entity is named by its checksum).
func (m *Meta) RecordDownload(ctx context.Context, sha256, url string, at time.Time) error {
	u, err := m.updates.Bind("provenance", sparqlq.Args{
		"file": vocab.File(sha256), "url": url, "at": at.UTC().Format(time.RFC3339),
	})
	if err != nil {
		return fmt.Errorf("recording the download of %s: %w", url, err)
	}
	if err := m.Store.Update(ctx, u); err != nil {
		return fmt.Errorf("recording the download of %s: %w", url, err)
	}
	return nil
}

// RecordRefresh replaces a source's refresh state in the metadata graph.
func (m *Meta) RecordRefresh(ctx context.Context, source string, st *SourceState) error {
	changed := ""
	if !st.LastChanged.IsZero() {
		changed = st.LastChanged.UTC().Format(time.RFC3339)
	}
	u, err := m.updates.Bind("refresh-state", sparqlq.Args{
		"subject": vocab.Source(source), "source": source,
		"checked": st.LastChecked.UTC().Format(time.RFC3339), "changed": changed, "outcome": st.LastOutcome,
	})
	if err != nil {
		return fmt.Errorf("recording the refresh of %s: %w", source, err)
	}
	if err := m.Store.Update(ctx, u); err != nil {
		return fmt.Errorf("recording the refresh of %s: %w", source, err)
	}
	return nil
}

// RefreshState is one row of queries/source-refresh.rq.
type RefreshState struct {
	Source           string
	Checked, Changed time.Time
	Outcome          string
}

// RefreshStates reads every source's refresh state from the store, as /api/sources
// would.
func (m *Meta) RefreshStates(ctx context.Context) ([]RefreshState, error) {
	q, err := m.queries.Bind("source-refresh", nil)
	if err != nil {
		return nil, err
	}
	res, err := m.Store.Select(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("reading refresh states: %w", err)
	}
	var out []RefreshState
	for _, row := range res.Solutions() {
		r := RefreshState{Source: row["source"].String()}
		if v, ok := row["outcome"]; ok {
			r.Outcome = v.String()
		}
		r.Checked, _ = time.Parse(time.RFC3339, row["checked"].String())
		if v, ok := row["changed"]; ok {
			r.Changed, _ = time.Parse(time.RFC3339, v.String())
		}
		out = append(out, r)
	}
	return out, nil
}

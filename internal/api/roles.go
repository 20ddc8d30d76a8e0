package api

import (
	"context"
	"io"
	"time"

	"github.com/openemploi360/openemploi/internal/diagnostic"
)

// The API speaks the domain, not the store: each handler needs one of the small roles
// below, and Config receives them. internal/cli/serve.go wires the real ones (the
// diagnostic service, the knowledge graph over the store, the store client); tests
// wire the same service over an in-memory source. Errors are apperr errors: NotFound
// and Invalid name their field, Unavailable means the data behind is away or too slow.

// MetierReader reads the ROME referential as the diagnostic indexes it.
type MetierReader interface {
	// Search finds up to limit métiers whose label or appellation matches q,
	// best first.
	Search(ctx context.Context, q string, limit int) ([]diagnostic.MetierMatch, error)
	// Metier returns a fiche by ROME code; NotFound when the graph does not know it.
	Metier(ctx context.Context, code string) (*diagnostic.Metier, error)
}

// ZoneReader reads the zones d'emploi.
type ZoneReader interface {
	// Zones lists every zone d'emploi of the region.
	Zones(ctx context.Context) ([]diagnostic.Zone, error)
	// Zone returns one zone, by code, name or commune, with its life context;
	// NotFound (field "code") when nothing matches.
	Zone(ctx context.Context, in string) (*diagnostic.ZoneReport, error)
}

// Diagnoser computes the 360° diagnostic. The request's profile is used for this
// answer only: an implementation never stores, logs or echoes it in an error.
type Diagnoser interface {
	Run(ctx context.Context, req diagnostic.Request) (*diagnostic.Diagnostic, error)
}

// SkillSuggester proposes referential skills from a CV text or a list of aptitude
// labels, at most limit of them. Like a profile, the text is never kept.
type SkillSuggester interface {
	SuggestSkills(ctx context.Context, text string, aptitudes []string, limit int) ([]diagnostic.SkillMatch, error)
}

// SourceLister lists the live sources (named graphs) with their provenance.
type SourceLister interface {
	Sources(ctx context.Context) ([]diagnostic.SourceInfo, error)
}

// SourceRefresh is what the scheduled refresh last did for one catalog source (a
// name of mappings/catalog.yaml, the first segment of its graphs' names): when it
// last checked for new data and when it last found some and imported it; zero when
// never.
type SourceRefresh struct {
	Source           string
	Checked, Changed time.Time
}

// RefreshReader reads the refresh state the connectors keep in oeg:meta (doc/connectors.md).
type RefreshReader interface {
	SourceRefreshes(ctx context.Context) ([]SourceRefresh, error)
}

// Describer writes what the knowledge graph says about a resource, as N-Triples; the
// API turns them into JSON-LD or Turtle. Nothing known writes nothing (the API answers
// 404), which is not an error.
type Describer interface {
	// Describe writes the triples whose subject is iri.
	Describe(ctx context.Context, iri string, w io.Writer) error
	// DescribeGraph writes the metadata of the named graph graph (not its content).
	DescribeGraph(ctx context.Context, graph string, w io.Writer) error
}

// Pinger says whether the data behind the API answers; /readyz asks it with a short
// deadline of its own.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Warmer loads what a data version needs ahead of the first request.
type Warmer interface {
	// WarmLoop warms at once, then again within interval of each data-version change,
	// until ctx ends; onDone and onErr (either may be nil) report each attempt.
	WarmLoop(ctx context.Context, interval time.Duration, onDone func(version string, took time.Duration), onErr func(error))
	// Warmed reports whether a first warm-up has completed.
	Warmed() bool
}

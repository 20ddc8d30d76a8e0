package cli

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/openemploi360/openemploi/internal/apperr"
	"github.com/openemploi360/openemploi/internal/fetch"
	"github.com/openemploi360/openemploi/internal/fetch/francetravail"
	"github.com/openemploi360/openemploi/internal/ingest"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/vocab"
)

func init() { extraCommands = append(extraCommands, newFetchCmd) }

// ftFlags are the France Travail settings fetch and refresh share. Credentials are not
// flags: they come from OPENEMPLOI_FT_CLIENT_ID / OPENEMPLOI_FT_CLIENT_SECRET only.
type ftFlags struct {
	apiURL, tokenURL, scope string
	rate                    float64
	maxWait                 time.Duration
}

func (f *ftFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.apiURL, "api-url", envOr("OPENEMPLOI_FT_API_URL", francetravail.DefaultAPIURL),
		"Offres d'emploi v2 base URL, ending in /offresdemploi/v2 (env OPENEMPLOI_FT_API_URL)")
	fl.StringVar(&f.tokenURL, "token-url", envOr("OPENEMPLOI_FT_TOKEN_URL", francetravail.DefaultTokenURL),
		"OAuth2 token URL (env OPENEMPLOI_FT_TOKEN_URL)")
	fl.StringVar(&f.scope, "scope", envOr("OPENEMPLOI_FT_SCOPE", francetravail.DefaultScope), "OAuth2 scopes (env OPENEMPLOI_FT_SCOPE)")
	fl.Float64Var(&f.rate, "rate", 3, "at most this many API requests per second (0: no limit)")
	fl.DurationVar(&f.maxWait, "max-wait", time.Minute, "longest wait honoured for one Retry-After or backoff")
}

func (f *ftFlags) client(logf func(string, ...any)) (*francetravail.Client, error) {
	return francetravail.New(francetravail.Config{
		APIURL: f.apiURL, TokenURL: f.tokenURL, Scope: f.scope,
		ClientID: os.Getenv("OPENEMPLOI_FT_CLIENT_ID"), ClientSecret: os.Getenv("OPENEMPLOI_FT_CLIENT_SECRET"),
		HTTPClient: &http.Client{Timeout: 2 * time.Minute},
		RatePerSec: f.rate, MaxWait: f.maxWait, Logf: logf,
	})
}

// importFor wires an importer as `openemploi import` does: the catalog, SHACL
// validation, the derived aggregates.
func importFor(cmd *cobra.Command, c *store.Client, catalog string, maxRejects int) (*ingest.Importer, *ingest.Catalog, error) {
	cat, err := ingest.LoadCatalog(catalog)
	if err != nil {
		return nil, nil, apperr.Wrap(cmd.Name(), apperr.Invalid, err, "catalog")
	}
	im := &ingest.Importer{Store: c, Catalog: cat, MaxRejects: maxRejects}
	stderr := cmd.ErrOrStderr()
	im.Logf = func(format string, a ...any) { fmt.Fprintf(stderr, format+"\n", a...) }
	v, err := newValidator()
	if err != nil {
		return nil, nil, err
	}
	im.Validator = v
	return im, cat, nil
}

// parseDay reads 2025-02-01 (start of day, UTC; end of day for an upper bound) or an
// RFC 3339 time.
func parseDay(s string, end bool) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q: want a date like 2025-02-01 or 2025-02-01T08:00:00Z", s)
	}
	if end {
		t = t.Add(24*time.Hour - time.Second)
	}
	return t, nil
}

func fetchDir() string { return envOr("OPENEMPLOI_FETCH_DIR", filepath.Join("var", "fetch")) }

func newFetchCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "fetch",
		Short: "Fetch a source from its publisher (see also refresh)",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newFetchOffresFTCmd())
	return cmd
}

func newFetchOffresFTCmd() *cobra.Command {
	var since, until, out, catalog, statePath string
	var doImport bool
	var deps []string
	var overlap time.Duration
	var maxRejects int
	ft := &ftFlags{}
	cmd := &cobra.Command{
		Use:   "offres-ft",
		Short: "Fetch France Travail job offers (Offres d'emploi v2) into month files, and import them",
		Long: `fetch offres-ft searches the Offres d'emploi v2 API for the offers created in a window,
département by département of the region, and writes one JSON-array file per month of
creation (offres_YYYY-MM.json in --out), merged with what the files already hold. With
--import, every month file that changed since it was last imported is then imported
(staged, validated, swapped in atomically).

Credentials come from the environment only: OPENEMPLOI_FT_CLIENT_ID and
OPENEMPLOI_FT_CLIENT_SECRET (an application of francetravail.io with the API
"Offres d'emploi v2"; see doc/connectors.md).

Without --since the fetch is incremental: from the latest offer creation date in the
store, minus --overlap. A run that stops midway writes no month file and leaves the
store as it was; running it again resumes.`,
		Example: `  export OPENEMPLOI_FT_CLIENT_ID=... OPENEMPLOI_FT_CLIENT_SECRET=...
  openemploi fetch offres-ft --since 2025-02-01 --until 2025-04-30 --out var/fetch/offres-ft
  openemploi fetch offres-ft --import                      # incremental, then import`,
		Args: cobra.NoArgs,
	}
	client := withStoreTimeout(cmd, 10*time.Minute)
	ft.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&since, "since", "", "first creation date (2025-02-01); default: incremental from the store")
	fl.StringVar(&until, "until", "", "last creation date, inclusive (default: now)")
	fl.StringVar(&out, "out", "", "directory of the month files (default $OPENEMPLOI_FETCH_DIR/offres-ft)")
	fl.BoolVar(&doImport, "import", false, "import the months that changed")
	fl.StringSliceVar(&deps, "departements", vocab.Departements, "départements to search")
	fl.DurationVar(&overlap, "overlap", fetch.DefaultOverlap, "incremental start: this long before the latest offer loaded")
	fl.StringVar(&catalog, "catalog", envOr("OPENEMPLOI_CATALOG", "mappings/catalog.yaml"), "source catalog (env OPENEMPLOI_CATALOG)")
	fl.StringVar(&statePath, "state", "", "refresh state file (default $OPENEMPLOI_FETCH_DIR/state.json)")
	fl.IntVar(&maxRejects, "max-rejects", 0, "records allowed to fail in the import")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		stderr := cmd.ErrOrStderr()
		logf := func(format string, a ...any) { fmt.Fprintf(stderr, format+"\n", a...) }
		var req fetch.OffersRequest
		var err error
		if since != "" {
			if req.Since, err = parseDay(since, false); err != nil {
				return usageError{fmt.Errorf("--since %w", err)}
			}
		}
		if until != "" {
			if req.Until, err = parseDay(until, true); err != nil {
				return usageError{fmt.Errorf("--until %w", err)}
			}
		}
		req.Departements = deps
		if out == "" {
			out = filepath.Join(fetchDir(), "offres-ft")
		}
		if statePath == "" {
			statePath = filepath.Join(fetchDir(), "state.json")
		}
		c, err := ft.client(logf)
		if err != nil {
			return apperr.Wrap("fetch offres-ft", apperr.Invalid, err, "configuration")
		}
		job := &fetch.Offers{Fetcher: &francetravail.Fetcher{Client: c, Dir: out, Logf: logf}, Overlap: overlap, Logf: logf}
		var state *fetch.State
		if doImport || since == "" {
			sc, err := client()
			if err != nil {
				return err
			}
			if err := sc.Ping(cmd.Context()); err != nil {
				return err
			}
			if job.Meta, err = fetch.NewMeta(sc); err != nil {
				return err
			}
			if doImport {
				im, cat, err := importFor(cmd, sc, catalog, maxRejects)
				if err != nil {
					return err
				}
				if job.Source, err = cat.Source("offres-ft"); err != nil {
					return err
				}
				job.Importer = im
				if state, err = fetch.LoadState(statePath); err != nil {
					return err
				}
				job.State = state.Source("offres-ft")
			}
		}
		if job.Source.Name == "" {
			job.Source.Name = "offres-ft"
		}
		res, err := job.Run(cmd.Context(), req)
		if state != nil && len(res.Imported) > 0 {
			if serr := state.Save(); serr != nil && err == nil {
				err = serr
			}
		}
		printFetch(cmd, res)
		return err
	}
	return cmd
}

func printFetch(cmd *cobra.Command, res fetch.OffersResult) {
	w := cmd.OutOrStdout()
	f := res.Fetch
	fmt.Fprintf(w, "window %s .. %s: %d window(s) (%d resumed), %d offers received, %d distinct; %d requests, %d retried, %d token renewal(s)\n",
		f.Run.Since.Format(time.RFC3339), f.Run.Until.Format(time.RFC3339), f.Windows, f.Resumed, f.Fetched, f.Unique, f.Requests, f.Retries, f.Renewals)
	for _, m := range f.Months {
		fmt.Fprintf(w, "  %s  %6d offers  %5d new  %5d updated  %s\n", m.Month, m.Offers, m.Added, m.Updated, m.Path)
	}
	if len(res.Imported) > 0 {
		fmt.Fprintf(w, "imported %s: %d records, %d rejected, %d graph(s)\n", strings.Join(res.Imported, " "), res.Import.Records, res.Import.Rejected, len(res.Import.Graphs))
	} else if f.Completed {
		fmt.Fprintln(w, "nothing imported")
	}
}

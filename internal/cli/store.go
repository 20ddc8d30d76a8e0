package cli

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/openemploi360/openemploi/internal/apperr"
	"github.com/openemploi360/openemploi/internal/ingest"
	"github.com/openemploi360/openemploi/internal/sparqlq"
	"github.com/openemploi360/openemploi/internal/store"
	storeq "github.com/openemploi360/openemploi/queries/store"
)

func newStoreCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "store",
		Short: "Inspect the triple store",
		Example: `  openemploi store ping
  openemploi store graphs --store http://127.0.0.1:7878 --store-preset oxigraph`,
	}
	cmd.AddCommand(newStorePingCmd(), newStoreGraphsCmd())
	for _, add := range extraStoreCommands {
		cmd.AddCommand(add())
	}
	return cmd
}

func newStorePingCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "ping",
		Short:   "Check the store answers a SPARQL query",
		Example: "  OPENEMPLOI_STORE=http://127.0.0.1:3030/openemploi openemploi store ping",
		Args:    cobra.NoArgs,
	}
	runWithStore(cmd, func(cmd *cobra.Command, _ []string, c *store.Client) error {
		start := time.Now()
		if err := c.Ping(cmd.Context()); err != nil {
			return err
		}
		fmt.Fprintf(cmd.OutOrStdout(), "ok %s (%s)\n", c.Endpoints().Query, time.Since(start).Round(time.Millisecond))
		return nil
	})
	return cmd
}

func newStoreGraphsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "graphs",
		Short: "List the named graphs with their triple counts and metadata",
		Example: `  openemploi store graphs
  openemploi store graphs --store http://127.0.0.1:7878 --store-preset oxigraph`,
		Args: cobra.NoArgs,
	}
	runWithStore(cmd, func(cmd *cobra.Command, _ []string, c *store.Client) error {
		graphs, err := c.Graphs(cmd.Context())
		if err != nil {
			return err
		}
		meta, err := graphMeta(cmd.Context(), c)
		if err != nil {
			return err
		}
		sort.Slice(graphs, func(i, j int) bool { return graphs[i].IRI < graphs[j].IRI })
		w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "GRAPH\tTRIPLES\tLIVE AS\tPUBLISHER\tMODIFIED\tSYNTHETIC\tTITLE")
		for _, g := range graphs {
			m := meta[g.IRI]
			fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%s\t%s\t%s\n", g.IRI, g.Triples, dash(m.logical), dash(m.publisher), dash(m.modified), dash(m.synthetic), dash(m.title))
		}
		return w.Flush()
	})
	return cmd
}

func dash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

// graphDescription is what oeg:meta says of a graph. logical is set on the version
// graph holding a live graph's data: the name the diagnostic knows it by. A version
// graph without a description is not live (a run loading, or garbage for `store gc`).
type graphDescription struct{ logical, title, publisher, modified, synthetic string }

// storeQueries holds queries/store, the SPARQL of the store commands.
var storeQueries = func() *sparqlq.Bank {
	b, err := sparqlq.Load(storeq.FS, "*.rq")
	if err != nil {
		panic(err) // embedded files: a broken one fails every test of the package
	}
	return b
}()

func graphMeta(ctx context.Context, c *store.Client) (map[string]graphDescription, error) {
	q, err := storeQueries.Bind("graph-meta", nil)
	if err != nil {
		return nil, err
	}
	res, err := c.Select(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("reading graph metadata: %w", err)
	}
	out := map[string]graphDescription{}
	for _, row := range res.Solutions() {
		get := func(k string) string {
			if t, ok := row[k]; ok {
				return t.String()
			}
			return ""
		}
		d := graphDescription{title: get("title"), publisher: get("publisher"), modified: get("modified"), synthetic: get("synthetic")}
		out[get("g")] = d
		if v := get("v"); v != "" && v != get("g") {
			d.logical = get("g")
			out[v] = d
		}
	}
	return out, nil
}

func init() {
	extraStoreCommands = append(extraStoreCommands, newStoreGCCmd)
}

var extraStoreCommands []func() *cobra.Command

func newStoreGCCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "gc",
		Short: "Drop graph versions that nothing reads",
		Long: `An import loads into a version graph of its own before naming it live in the metadata
graph, then drops the version it replaced. A killed import (kill -9, power loss) cannot
clean up: its versions stay, invisible to the diagnostic (which reads only the current
versions named in the metadata graph) but taking space. gc drops every version that is
not current and not held by a running import (imports hold a lease, renewed by a
heartbeat, in the metadata graph), removes expired leases, and removes the temporary
files of dead imports from $OPENEMPLOI_STATE_DIR/tmp (var/tmp). It is safe to run at
any time, during imports included.`,
		Example: "  openemploi store gc",
		Args:    cobra.NoArgs,
	}
	runWithStore(cmd, func(cmd *cobra.Command, _ []string, c *store.Client) error {
		res, err := ingest.GC(cmd.Context(), c, tempDir())
		for _, g := range res.Graphs {
			fmt.Fprintf(cmd.OutOrStdout(), "dropped %s\n", g)
		}
		for _, f := range res.Files {
			fmt.Fprintf(cmd.OutOrStdout(), "removed %s\n", f)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(cmd.OutOrStdout(), "%d graph(s) dropped, %d expired lease(s) and %d temporary file(s) removed\n", len(res.Graphs), res.Leases, len(res.Files))
		return nil
	})
	return cmd
}

func init() { extraStoreCommands = append(extraStoreCommands, newStoreDropCmd) }

func newStoreDropCmd() *cobra.Command {
	var catalog string
	cmd := &cobra.Command{
		Use:   "drop GRAPH...",
		Short: "Drop live graphs (e.g. old months of offers) with their metadata, then refresh the aggregates",
		Long: `drop removes the given named graphs and their descriptions from the metadata graph in one
update, then recomputes the derived aggregates of the sources they came from. Offers are
one graph per month: dropping the oldest months keeps the store at a fixed window.`,
		Example: `  openemploi store drop https://data.dataregionsud.fr/openemploi/graph/offres-ft/2024-06
  openemploi store graphs | grep offres-   # see which months are live`,
		Args: cobra.MinimumNArgs(1),
	}
	cmd.Flags().StringVar(&catalog, "catalog", envOr("OPENEMPLOI_CATALOG", "mappings/catalog.yaml"), "source catalog (for the derived aggregates to refresh)")
	runWithStore(cmd, func(cmd *cobra.Command, args []string, c *store.Client) error {
		cat, err := ingest.LoadCatalog(catalog)
		if err != nil {
			return err
		}
		im := &ingest.Importer{Store: c, Catalog: cat}
		res, err := im.Drop(cmd.Context(), args)
		if err != nil {
			return err
		}
		fmt.Fprintf(cmd.OutOrStdout(), "dropped %d graph(s) and the aggregates of their months: %s\n", len(res.Graphs), strings.Join(res.Derived, ", "))
		return nil
	})
	return cmd
}

func init() {
	extraStoreCommands = append(extraStoreCommands, newStoreExportCmd, newStoreRestoreCmd)
}

func newStoreExportCmd() *cobra.Command {
	var out string
	var gz bool
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write every live graph and the metadata as N-Quads (the reversibility export)",
		Long: `export streams the live dataset as N-Quads: the metadata graph (without the leases of
imports in progress), the derived aggregates and the current version of every live graph,
under their names in the store. Versions being loaded or replaced are not part of it.
With --gzip (or an -o name ending in .gz) the output is gzip-compressed. Load it into an
empty store with ` + "`openemploi store restore`" + `.`,
		Example: `  openemploi store export -o openemploi-2025-01.nq.gz
  openemploi store export --gzip > export.nq.gz`,
		Args: cobra.NoArgs,
	}
	cmd.Flags().StringVarP(&out, "output", "o", "-", "output file; - for stdout")
	cmd.Flags().BoolVar(&gz, "gzip", false, "gzip the output (implied by an -o name ending in .gz)")
	runWithStore(cmd, func(cmd *cobra.Command, _ []string, c *store.Client) (err error) {
		var w io.Writer = cmd.OutOrStdout()
		if out != "-" {
			f, err := os.Create(out)
			if err != nil {
				return fmt.Errorf("export: %w", err)
			}
			defer func() {
				if cerr := f.Close(); err == nil && cerr != nil {
					err = fmt.Errorf("export: %w", cerr)
				}
			}()
			w = f
			gz = gz || strings.HasSuffix(out, ".gz")
		}
		if gz {
			zw := gzip.NewWriter(w)
			defer func() {
				if cerr := zw.Close(); err == nil && cerr != nil {
					err = fmt.Errorf("export: %w", cerr)
				}
			}()
			w = zw
		}
		bw := bufio.NewWriterSize(w, 1<<20)
		res, err := ingest.Export(cmd.Context(), c, bw)
		if err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "exported %d quads in %d graph(s)\n", res.Quads, len(res.Graphs))
		return nil
	})
	return cmd
}

func newStoreRestoreCmd() *cobra.Command {
	var leaseTTL time.Duration
	cmd := &cobra.Command{
		Use:   "restore FILE",
		Short: "Load an export into an empty store, with the guarantees of an import",
		Long: `restore loads a file written by ` + "`openemploi store export`" + ` (N-Quads, gzipped or not) into
an empty store: it takes a lease, loads the data into graph versions of its own, checks
the store holds every triple sent, then makes the whole dataset live with one update of
the metadata. Interrupted before that, nothing is live and ` + "`openemploi store gc`" + ` removes
what it loaded.`,
		Example: `  openemploi store restore openemploi-2025-01.nq.gz --store http://127.0.0.1:7878 --store-preset oxigraph`,
		Args:    cobra.ExactArgs(1),
	}
	cmd.Flags().DurationVar(&leaseTTL, "lease-ttl", envDuration("OPENEMPLOI_LEASE_TTL", ingest.DefaultLeaseTTL), "how long the restore's lease holds without a heartbeat (env OPENEMPLOI_LEASE_TTL)")
	client := withStoreTimeout(cmd, 10*time.Minute)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		c, err := client()
		if err != nil {
			return err
		}
		f, err := os.Open(args[0])
		if err != nil {
			return apperr.Wrap("restore", apperr.Invalid, err, "export file")
		}
		defer f.Close()
		br := bufio.NewReaderSize(f, 1<<20)
		var r io.Reader = br
		if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
			zr, err := gzip.NewReader(br)
			if err != nil {
				return apperr.Wrap("restore", apperr.Invalid, err, "%s", args[0])
			}
			defer zr.Close()
			r = zr
		}
		if err := os.MkdirAll(tempDir(), 0o755); err != nil {
			return fmt.Errorf("restore: state folder: %w", err)
		}
		stderr := cmd.ErrOrStderr()
		im := &ingest.Importer{Store: c, TempDir: tempDir(), LeaseTTL: leaseTTL,
			Logf: func(format string, a ...any) { fmt.Fprintf(stderr, format+"\n", a...) }}
		res, err := im.Restore(cmd.Context(), r)
		if err != nil {
			return err
		}
		fmt.Fprintf(cmd.OutOrStdout(), "restored %d quads in %d graph(s) (run %s)\n", res.Quads, len(res.Graphs), res.RunID)
		return nil
	}
	return cmd
}

func init() { extraStoreCommands = append(extraStoreCommands, newStoreCompactCmd) }

func newStoreCompactCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "compact",
		Short: "Reclaim the disk space of dropped graph versions (Fuseki TDB2)",
		Long: `TDB2 never overwrites: every version an import replaces, every graph gc drops, stays on
disk until the database is compacted into a new generation. compact asks Fuseki to do it
(/$/compact/{dataset}?deleteOld=true, the old generation deleted) and waits for the end.
Queries keep being answered meanwhile. Oxigraph reclaims space by itself: nothing to do.
Policy (doc/ingestion.md): run it after a full reload, after every 10 imports of a large
source, or when the database directory passes twice the size of the live data.`,
		Example: "  openemploi store compact --store http://127.0.0.1:3030/openemploi",
		Args:    cobra.NoArgs,
	}
	client := withStoreTimeout(cmd, 30*time.Minute)
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		c, err := client()
		if err != nil {
			return err
		}
		res, err := c.Compact(cmd.Context())
		if err != nil {
			return err
		}
		if !res.Supported {
			fmt.Fprintln(cmd.OutOrStdout(), "nothing to do: this store reclaims space by itself (compaction is a Fuseki TDB2 operation)")
			return nil
		}
		fmt.Fprintf(cmd.OutOrStdout(), "compacted in %s\n", res.Took.Round(time.Millisecond))
		return nil
	}
	return cmd
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/openemploi360/openemploi/internal/apperr"
	"github.com/openemploi360/openemploi/internal/ingest"
	"github.com/openemploi360/openemploi/internal/ntriples"
	"github.com/openemploi360/openemploi/internal/rml"
)

func init() {
	extraCommands = append(extraCommands, newMapCmd, newImportCmd)
}

func newMapCmd() *cobra.Command {
	var inputs []string
	var out string
	var maxRejects int
	var params map[string]string
	cmd := &cobra.Command{
		Use:   "map MAPPING",
		Short: "Run an RML mapping on input files and write N-Quads (no store involved)",
		Example: `  openemploi map mappings/rome4.rml.ttl --input testdata/sample/rome_v4/unix_referentiel_code_rome_v460_utf8.csv -o rome.nq
  openemploi map mappings/offres-ft.rml.ttl --input offres.json.gz | head
  openemploi map mappings/offres-ft.rml.ttl --param source=synth --input var/synth/offres-synth-2025-01.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := rml.LoadFile(args[0])
			if err != nil {
				return apperr.Wrap("map", apperr.Invalid, err, "mapping %s", args[0])
			}
			var w io.Writer = cmd.OutOrStdout()
			if out != "" && out != "-" {
				f, err := os.Create(out)
				if err != nil {
					return fmt.Errorf("map: output: %w", err)
				}
				defer f.Close()
				w = f
			}
			nw := ntriples.NewWriter(w)
			stats, err := m.Execute(cmd.Context(), rml.Options{Inputs: inputs, MaxRejects: maxRejects, Params: params}, nw)
			for _, r := range stats.Rejects {
				fmt.Fprintf(cmd.ErrOrStderr(), "rejected: %s\n", r)
			}
			if err != nil {
				return apperr.Wrap("map", apperr.Invalid, err, "%s", args[0])
			}
			if err := nw.Flush(); err != nil {
				return fmt.Errorf("map: writing output: %w", err)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "%d records, %d rejected, %d quads\n", stats.Records, stats.Rejected, stats.Quads)
			return nil
		},
	}
	cmd.Flags().StringSliceVarP(&inputs, "input", "i", nil, "input files, matched to the mapping's rml:source by base name")
	cmd.Flags().StringVarP(&out, "output", "o", "-", "output file (N-Quads); - for stdout")
	cmd.Flags().IntVar(&maxRejects, "max-rejects", 0, "records allowed to fail before the run fails")
	cmd.Flags().StringToStringVar(&params, "param", nil, "a value of the mapping's parameters (oerml:Parameter), as the catalog's params give them: name=value")
	return cmd
}

type importFlags struct {
	catalog    string
	all        bool
	sample     bool
	maxRejects int
	noValidate bool
	progress   string
	chunk      int
	ontology   bool
	leaseTTL   time.Duration
	minRatio   float64
}

func newImportCmd() *cobra.Command {
	f := &importFlags{}
	cmd := &cobra.Command{
		Use:   "import [SOURCE FILE...]",
		Short: "Map a source's files, validate them, and make them live in the store atomically",
		Long: `import maps the files of one source of mappings/catalog.yaml with its RML mapping,
loads the result into graphs of its own (oeg:<graph>/v/<run>), checks them against the
SHACL shapes of ontology/, then makes them live with one small update of the metadata
graph, which names the current version of every graph: no data is copied or moved, and a
failed or killed import leaves the live graphs exactly as they were. The aggregates of the offers are computed while mapping and go live with them.`,
		Example: `  openemploi import rome4 testdata/sample/rome_v4/*.csv
  openemploi import offres-ft offres_2025-01.json --max-rejects 10
  openemploi import --all --sample          # every source with its bundled sample, in catalog order`,
	}
	client := withStoreTimeout(cmd, 10*time.Minute)
	fl := cmd.Flags()
	fl.StringVar(&f.catalog, "catalog", envOr("OPENEMPLOI_CATALOG", "mappings/catalog.yaml"), "source catalog (env OPENEMPLOI_CATALOG)")
	fl.BoolVar(&f.all, "all", false, "import every source of the catalog, in order")
	fl.BoolVar(&f.sample, "sample", false, "use each source's bundled sample files")
	fl.IntVar(&f.maxRejects, "max-rejects", 0, "records allowed to fail (reported) before the import fails")
	fl.BoolVar(&f.noValidate, "no-validate", false, "skip SHACL validation of the loaded graphs")
	fl.StringVar(&f.progress, "progress", "auto", "progress display: auto (bar on a terminal), plain, none")
	fl.IntVar(&f.chunk, "chunk", 0, "quads per load request (0: the store's own choice, one streamed request for Fuseki, 200 000 for Oxigraph)")
	fl.DurationVar(&f.leaseTTL, "lease-ttl", envDuration("OPENEMPLOI_LEASE_TTL", ingest.DefaultLeaseTTL),
		"how long the import's lease on its source holds without a heartbeat: a killed import blocks the source and keeps its graphs from gc this long (env OPENEMPLOI_LEASE_TTL)")
	fl.Float64Var(&f.minRatio, "min-ratio", -1,
		"refuse a graph with fewer than this fraction of the triples of its live version (a truncated input); 0 accepts any size; default: the catalog's min_ratio, else 0.5")
	fl.BoolVar(&f.ontology, "with-ontology", false, "load the ontology (as `openemploi ontology load`) before the sources")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		importMemoryLimit()
		c, err := client()
		if err != nil {
			return err
		}
		cat, err := ingest.LoadCatalog(f.catalog)
		if err != nil {
			return apperr.Wrap("import", apperr.Invalid, err, "catalog")
		}
		if err := os.MkdirAll(tempDir(), 0o755); err != nil {
			return fmt.Errorf("import: state folder: %w", err)
		}
		im := &ingest.Importer{Store: c, Catalog: cat, MaxRejects: f.maxRejects, ChunkQuads: f.chunk,
			TempDir: tempDir(), LeaseTTL: f.leaseTTL}
		if f.minRatio >= 0 {
			im.MinRatio = &f.minRatio
		}
		stderr := cmd.ErrOrStderr()
		im.Logf = func(format string, a ...any) { fmt.Fprintf(stderr, format+"\n", a...) }
		if !f.noValidate {
			v, err := newValidator()
			if err != nil {
				return err
			}
			im.Validator = v
		}
		type job struct {
			src   ingest.Source
			files []string
		}
		var jobs []job
		switch {
		case f.all:
			if len(args) > 0 {
				return usageError{errors.New("import --all takes no SOURCE argument")}
			}
			if !f.sample {
				return usageError{errors.New("import --all needs --sample (files of every source come from the catalog)")}
			}
			for _, s := range cat.Sources {
				jobs = append(jobs, job{s, repoPaths(s.Sample)})
			}
		case len(args) >= 1:
			s, err := cat.Source(args[0])
			if err != nil {
				return apperr.Wrap("import", apperr.Invalid, err, "source")
			}
			files := args[1:]
			if f.sample {
				files = append(files, repoPaths(s.Sample)...)
			}
			if len(files) == 0 {
				return usageError{fmt.Errorf("import %s: no FILE given (or use --sample)", s.Name)}
			}
			jobs = append(jobs, job{s, files})
		default:
			return usageError{errors.New("import: give SOURCE FILE... or --all --sample")}
		}
		// Fail before minutes of mapping, not after: the store must answer first.
		if err := c.Ping(cmd.Context()); err != nil {
			return err
		}
		if f.ontology {
			if err := loadOntology(cmd, c); err != nil {
				return err
			}
		}
		for _, j := range jobs {
			if len(j.files) == 0 {
				fmt.Fprintf(stderr, "import %s: no sample files, skipped\n", j.src.Name)
				continue
			}
			im.Progress = progressFor(f.progress, stderr, j.src.Name, totalSize(j.files))
			start := time.Now()
			res, err := im.Import(cmd.Context(), j.src, j.files)
			finishProgress(stderr)
			for _, r := range res.Rejects {
				fmt.Fprintf(stderr, "rejected: %s\n", r)
			}
			if err != nil {
				return err
			}
			var triples int64
			for _, n := range res.Graphs {
				triples += n
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%-16s %8d records  %6d rejected  %9d triples in %d graph(s)  %s\n",
				j.src.Name, res.Records, res.Rejected, triples, len(res.Graphs), time.Since(start).Round(time.Millisecond))
		}
		return nil
	}
	return cmd
}

// repoPaths resolves catalog sample paths, which are relative to the repository root,
// against the working directory or OPENEMPLOI_ROOT.
func repoPaths(paths []string) []string {
	root := os.Getenv("OPENEMPLOI_ROOT")
	out := make([]string, 0, len(paths))
	for _, p := range paths {
		if root != "" && !filepath.IsAbs(p) {
			p = filepath.Join(root, p)
		}
		out = append(out, p)
	}
	return out
}

func totalSize(files []string) int64 {
	var n int64
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			n += st.Size()
		}
	}
	return n
}

var activeBar *progressbar.ProgressBar

// progressFor returns a progress callback: a bar with rows/s and bytes on a terminal,
// a plain line every few seconds otherwise (logs and CI stay readable).
func progressFor(mode string, w io.Writer, name string, total int64) func(stage string, records, bytes int64) {
	if mode == "none" {
		return nil
	}
	// the import maps and loads at once: "map" and "load" come from two goroutines
	var mu sync.Mutex
	report := progressReporter(mode, w, name, total)
	return func(stage string, records, bytes int64) {
		mu.Lock()
		defer mu.Unlock()
		report(stage, records, bytes)
	}
}

func progressReporter(mode string, w io.Writer, name string, total int64) func(stage string, records, bytes int64) {
	tty := false
	if f, ok := w.(*os.File); ok {
		tty = term.IsTerminal(int(f.Fd()))
	}
	if mode == "auto" && tty {
		activeBar = progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription(name),
			progressbar.OptionShowBytes(true),
			progressbar.OptionShowCount(),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
		start := time.Now()
		return func(stage string, records, bytes int64) {
			if stage != "map" {
				activeBar.Describe(fmt.Sprintf("%s: loading %d quads", name, records))
				return
			}
			rate := float64(records) / time.Since(start).Seconds()
			activeBar.Describe(fmt.Sprintf("%s: %d rows (%.0f rows/s)", name, records, rate))
			_ = activeBar.Set64(bytes)
		}
	}
	var last time.Time
	start := time.Now()
	return func(stage string, records, bytes int64) {
		if time.Since(last) < 2*time.Second {
			return
		}
		last = time.Now()
		if stage == "map" {
			fmt.Fprintf(w, "%s: %d rows, %s of %s (%.0f rows/s)\n", name, records, humanBytes(bytes), humanBytes(total), float64(records)/time.Since(start).Seconds())
		} else {
			if bytes > 0 {
				fmt.Fprintf(w, "%s: %s %d of %d\n", name, stage, records, bytes)
			} else {
				fmt.Fprintf(w, "%s: %s %d quads sent\n", name, stage, records)
			}
		}
	}
}

func finishProgress(w io.Writer) {
	if activeBar != nil {
		_ = activeBar.Finish()
		activeBar = nil
	}
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

var _ = strings.TrimSpace
var _ context.Context

// importMemory is the soft memory limit of an import process (runtime/debug
// SetMemoryLimit) unless GOMEMLIMIT says otherwise. What an import keeps grows slowly
// with its input (the aggregates' cells, a hash per node for SHACL): about 80 MB live
// at six months of PACA offers, which the default GC let grow to 190 MB of RSS. Near
// the limit the GC works harder instead; past it (a live set that big) it gives way.
const importMemory = 160 << 20

func importMemoryLimit() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(importMemory)
	}
}

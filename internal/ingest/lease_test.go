package ingest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/openemploi360/openemploi/internal/apperr"
	"github.com/openemploi360/openemploi/internal/sparqlq"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
	"github.com/openemploi360/openemploi/internal/vocab"
	"github.com/openemploi360/openemploi/queries"
)

func TestLease(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		ctx := context.Background()
		im, src := newImporter(t, c)
		im.TempDir = t.TempDir()

		t.Run("ErrSecondImportOfSameSource", func(t *testing.T) {
			other, err := im.acquireLease(ctx, src.Name, "20260101T000000Z-000000000001")
			if err != nil {
				t.Fatal(err)
			}
			_, err = im.Import(ctx, src, []string{writeCSV(t, 5, -1)})
			if !apperr.Is(err, apperr.Conflict) || !strings.Contains(err.Error(), "another import of metiers is running") ||
				!strings.Contains(err.Error(), other.run) {
				t.Fatalf("err = %v, want a conflict naming the run holding the lease", err)
			}
			if count(t, c, testGraph) != 0 {
				t.Fatal("the refused import loaded data")
			}
			if err := other.release(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := im.Import(ctx, src, []string{writeCSV(t, 5, -1)}); err != nil {
				t.Fatalf("after the lease was released: %v", err)
			}
		})

		t.Run("GCLeavesLeasedRunAlone", func(t *testing.T) {
			im2 := *im
			var dropped []string
			im2.OnPhase = func(phase, run string) {
				if phase == PhaseValidate {
					res, err := GC(ctx, c, im.TempDir)
					if err != nil {
						t.Error(err)
					}
					dropped = res.Graphs
				}
			}
			if _, err := im2.Import(ctx, src, []string{writeCSV(t, 6, -1)}); err != nil {
				t.Fatalf("import with gc running in the middle: %v", err)
			}
			if len(dropped) != 0 {
				t.Fatalf("gc dropped %v during the import", dropped)
			}
			if got := count(t, c, testGraph); got != 30 {
				t.Fatalf("live triples = %d, want 30", got)
			}
		})

		t.Run("ErrLeaseLostBeforeLive", func(t *testing.T) {
			before := snapshot(t, c)
			im2 := *im
			im2.OnPhase = func(phase, run string) {
				if phase == PhaseDescribe {
					// As if the process had been paused past its lease and gc had run.
					if err := update(ctx, c, "expire-leases", sparqlq.Args{"now": time.Now().Add(time.Hour)}); err != nil {
						t.Error(err)
					}
				}
			}
			_, err := im2.Import(ctx, src, []string{writeCSV(t, 9, -1)})
			if !apperr.Is(err, apperr.Conflict) || !strings.Contains(err.Error(), "lease expired") {
				t.Fatalf("err = %v, want a lost lease", err)
			}
			if after := snapshot(t, c); !after.equal(before) {
				t.Fatalf("a run that lost its lease changed the store:\n%s", after.diff(before))
			}
		})

		t.Run("ErrStoreLostQuads", func(t *testing.T) {
			before := snapshot(t, c)
			im2 := *im
			var version string
			im2.OnPhase = func(phase, run string) { version = vocab.VersionGraph(testGraph, run) }
			im2.Progress = func(stage string, sent, total int64) {
				if stage == "load" && sent == total {
					// The load answered 2xx but the store lost a triple.
					if err := c.Update(ctx, `DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { SELECT ?g ?s ?p ?o WHERE { VALUES ?g { <`+version+`> } GRAPH ?g { ?s ?p ?o } } LIMIT 1 }`); err != nil {
						t.Error(err)
					}
				}
			}
			_, err := im2.Import(ctx, src, []string{writeCSV(t, 11, -1)})
			if err == nil || !strings.Contains(err.Error(), "the store holds 54 triples after the load, 55 distinct were sent") {
				t.Fatalf("err = %v, want the count check to fail", err)
			}
			if after := snapshot(t, c); !after.equal(before) {
				t.Fatalf("a short load changed the store:\n%s", after.diff(before))
			}
		})

		t.Run("GCRemovesStaleTempFiles", func(t *testing.T) {
			dir := t.TempDir()
			held, err := im.acquireLease(ctx, "other-source", "20260101T000000Z-0000000000aa")
			if err != nil {
				t.Fatal(err)
			}
			defer held.release(ctx)
			stale := filepath.Join(dir, TempFilePrefix+"metiers-20200101T000000Z-0000000000bb.nq")
			live := filepath.Join(dir, TempFilePrefix+"other-source-20260101T000000Z-0000000000aa.nq")
			// the spilled hashes of the count check, named for their run like its quads
			staleHashes := filepath.Join(dir, TempFilePrefix+"hashes-0-20200101T000000Z-0000000000bb.bin")
			liveHashes := filepath.Join(dir, TempFilePrefix+"hashes-3-20260101T000000Z-0000000000aa.bin")
			mine := filepath.Join(dir, "notes.txt")
			for _, f := range []string{stale, live, staleHashes, liveHashes, mine} {
				if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			res, err := GC(ctx, c, dir)
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(res.Files)
			if want := []string{staleHashes, stale}; !slices.Equal(res.Files, want) {
				t.Fatalf("gc removed %v, want only %v", res.Files, want)
			}
		})
	})
}

// state is what the diagnostic can see of a store, by content: each live graph's
// data (read through its current version), the metadata graph, and the data version
// (queries/data-version.rq, which keys the diagnostic cache).
type state struct {
	lines []string
}

func snapshot(t *testing.T, c *store.Client) state {
	t.Helper()
	ctx := context.Background()
	var lines []string
	dump := func(label, graph string) {
		var b bytes.Buffer
		if err := c.GetGraph(ctx, graph, &b); err != nil {
			t.Fatalf("reading %s: %v", graph, err)
		}
		for _, l := range strings.Split(b.String(), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, label+" "+l)
			}
		}
	}
	dump("meta", MetaGraph)
	rows, err := selectRows(ctx, c, "live-graphs", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if v, ok := r["current"]; ok {
			dump("live", v)
		}
	}
	q, err := sparqlq.Parse("data-version.rq", mustRead(t, "data-version.rq"))
	if err != nil {
		t.Fatal(err)
	}
	text, _ := q.Bind(nil)
	res, err := c.Select(ctx, text)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range res.Solutions() {
		lines = append(lines, fmt.Sprintf("version %v", row))
	}
	sort.Strings(lines)
	return state{lines}
}

func mustRead(t *testing.T, name string) string {
	b, err := queries.FS.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (s state) equal(o state) bool { return slices.Equal(s.lines, o.lines) }

// withoutLeases leaves out the lease of a run still holding it.
func (s state) withoutLeases() state {
	var out []string
	for _, l := range s.lines {
		if !strings.Contains(l, "/def/lease") {
			out = append(out, l)
		}
	}
	return state{out}
}

func (s state) diff(o state) string {
	var b strings.Builder
	for _, l := range s.lines {
		if !slices.Contains(o.lines, l) {
			fmt.Fprintf(&b, "+ %s\n", l)
		}
	}
	for _, l := range o.lines {
		if !slices.Contains(s.lines, l) {
			fmt.Fprintf(&b, "- %s\n", l)
		}
	}
	return b.String()
}

// TestKillAtEachPhase kills an import (SIGKILL, a real process) at each phase while gc
// runs concurrently. Killed before going live, the live graphs, the metadata and the
// data version are exactly as before, by content, once its lease has expired and gc
// has run; while its lease holds, gc leaves its graphs alone. Killed after going live,
// its data is live and gc removes the version it replaced.
//
// It runs for a plain source and for the offers, whose aggregates of each month go
// live with the month (oeg:derived/<source>/<month>).
func TestKillAtEachPhase(t *testing.T) {
	const ttl = 1500 * time.Millisecond
	const month = "2024-12"
	cases := []struct {
		name  string
		setup func(t *testing.T, c *store.Client) (*Importer, Source, string)
		file  func(t *testing.T, i int) string // the input of the run killed at phase i
		// isLive checks that the data of the run killed at phase i (after going live) is live.
		isLive func(t *testing.T, c *store.Client, im *Importer, run string, i int)
	}{{
		name: "metiers",
		setup: func(t *testing.T, c *store.Client) (*Importer, Source, string) {
			im, src := newImporter(t, c)
			return im, src, writeCSV(t, 20, -1)
		},
		file: func(t *testing.T, i int) string { return writeCSV(t, 21+i, -1) },
		isLive: func(t *testing.T, c *store.Client, im *Importer, run string, i int) {
			cur, err := im.currentVersions(context.Background(), []string{testGraph})
			if err != nil || len(cur) != 1 || cur[0] != vocab.VersionGraph(testGraph, run) {
				t.Fatalf("killed after going live: current = %v %v, want the run's version", cur, err)
			}
			if n := count(t, c, testGraph); n != int64(21+i)*5 {
				t.Fatalf("killed after going live: %d live triples, want %d", n, (21+i)*5)
			}
		},
	}, {
		name: "offres-ft",
		setup: func(t *testing.T, c *store.Client) (*Importer, Source, string) {
			im, root := sampleImporter(t, c)
			src, err := im.Catalog.Source("offres-ft")
			if err != nil {
				t.Fatal(err)
			}
			return im, src, filepath.Join(root, sampleOffers)
		},
		file: func(t *testing.T, i int) string {
			root, _ := repoCatalog(t)
			return writeMonth(t, root, month, 1+i)
		},
		isLive: func(t *testing.T, c *store.Client, im *Importer, run string, i int) {
			for _, g := range []string{vocab.Graph("offres-ft", month), vocab.DerivedMonthGraph("offres-ft", month)} {
				cur, err := im.currentVersions(context.Background(), []string{g})
				if err != nil || len(cur) != 1 || cur[0] != vocab.VersionGraph(g, run) {
					t.Fatalf("killed after going live: current of %s = %v %v, want the run's version", g, cur, err)
				}
			}
			if agg, off := regionOffers(t, c, "offres-ft", month); !mapsEqual(agg, off) {
				t.Fatalf("killed after going live: aggregates %v, offers %v", agg, off)
			}
		},
	}}
	for _, kc := range cases {
		t.Run(kc.name, func(t *testing.T) { killAtEachPhase(t, ttl, kc.name, kc.setup, kc.file, kc.isLive) })
	}
}

func killAtEachPhase(t *testing.T, ttl time.Duration, source string,
	setup func(t *testing.T, c *store.Client) (*Importer, Source, string),
	file func(t *testing.T, i int) string,
	isLive func(t *testing.T, c *store.Client, im *Importer, run string, i int)) {
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		ctx := context.Background()
		im, src, first := setup(t, c)
		tmp := t.TempDir()
		im.TempDir = tmp
		if _, err := im.Import(ctx, src, []string{first}); err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, c)
		for i, phase := range Phases {
			t.Run(phase, func(t *testing.T) {
				ep := c.Endpoints()
				cmd := exec.Command(os.Args[0], "-test.run=^TestHelperImport$", "-test.count=1")
				cmd.Env = append(os.Environ(), "OPENEMPLOI_HELPER_IMPORT="+phase, "OPENEMPLOI_HELPER_SOURCE="+source,
					"OPENEMPLOI_HELPER_FILE="+file(t, i), "OPENEMPLOI_HELPER_TMP="+tmp,
					"OPENEMPLOI_HELPER_TTL="+ttl.String(),
					"OPENEMPLOI_HELPER_QUERY="+ep.Query, "OPENEMPLOI_HELPER_UPDATE="+ep.Update, "OPENEMPLOI_HELPER_GSP="+ep.GSP)
				out, err := cmd.StdoutPipe()
				if err != nil {
					t.Fatal(err)
				}
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				run := ""
				var said []string
				sc := bufio.NewScanner(out)
				for sc.Scan() {
					said = append(said, sc.Text())
					if f := strings.Fields(sc.Text()); len(f) == 3 && f[0] == "AT" && f[1] == phase {
						run = f[2]
						break
					}
				}
				if run == "" {
					_ = cmd.Wait()
					t.Fatalf("the helper never reached phase %s:\n%s\n%s", phase, strings.Join(said, "\n"), stderr.String())
				}
				// gc runs while the run is paused in this phase, holding its lease.
				gcDone := make(chan GCResult, 1)
				go func() {
					res, err := GC(ctx, c, tmp)
					if err != nil {
						t.Error(err)
					}
					gcDone <- res
				}()
				time.Sleep(50 * time.Millisecond)
				if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
				_ = cmd.Wait()
				res := <-gcDone
				live := slices.Index(Phases, phase) >= slices.Index(Phases, PhaseLive)
				if !live {
					for _, g := range res.Graphs {
						if _, r, _ := vocab.VersionOf(g); r == run {
							t.Fatalf("gc dropped %s of a run holding its lease", g)
						}
					}
					if got := snapshot(t, c).withoutLeases(); !got.equal(before) {
						t.Fatalf("killed at %s, the store changed:\n%s", phase, got.diff(before))
					}
				}
				time.Sleep(ttl + 100*time.Millisecond) // the lease expires
				if _, err := GC(ctx, c, tmp); err != nil {
					t.Fatal(err)
				}
				after := snapshot(t, c)
				if !live && !after.equal(before) {
					t.Fatalf("killed at %s, after gc the store differs:\n%s", phase, after.diff(before))
				}
				if live {
					isLive(t, c, im, run, i)
					before = after
				}
				gs, err := c.GraphNames(ctx)
				if err != nil {
					t.Fatal(err)
				}
				for _, g := range gs {
					if _, _, v := vocab.VersionOf(g); v && !strings.Contains(strings.Join(after.lines, "\n"), "<"+g+">") {
						t.Errorf("after gc, %s is neither live nor leased but still there", g)
					}
				}
				if files, _ := os.ReadDir(tmp); len(files) != 0 {
					t.Errorf("after gc, temporary files remain: %v", files)
				}
			})
		}
	})
}

// TestHelperImport is the process TestKillAtEachPhase kills: an import that stops in
// the phase it is told, says so on stdout, and waits to be killed (its heartbeat
// still running, as a live process's would).
func TestHelperImport(t *testing.T) {
	phase := os.Getenv("OPENEMPLOI_HELPER_IMPORT")
	if phase == "" {
		t.Skip("run by TestKillAtEachPhase")
	}
	ttl, err := time.ParseDuration(os.Getenv("OPENEMPLOI_HELPER_TTL"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := store.New(store.Config{Preset: store.Preset("generic"), QueryURL: os.Getenv("OPENEMPLOI_HELPER_QUERY"),
		UpdateURL: os.Getenv("OPENEMPLOI_HELPER_UPDATE"), GSPURL: os.Getenv("OPENEMPLOI_HELPER_GSP")})
	if err != nil {
		t.Fatal(err)
	}
	im, src := newImporter(t, c)
	if name := os.Getenv("OPENEMPLOI_HELPER_SOURCE"); name != src.Name {
		_, im.Catalog = repoCatalog(t)
		if src, err = im.Catalog.Source(name); err != nil {
			t.Fatal(err)
		}
	}
	im.Logf = func(string, ...any) {}
	im.TempDir, im.LeaseTTL = os.Getenv("OPENEMPLOI_HELPER_TMP"), ttl
	im.OnPhase = func(p, run string) {
		if p == phase {
			fmt.Printf("AT %s %s\n", p, run)
			time.Sleep(time.Hour)
		}
	}
	if _, err := im.Import(context.Background(), src, []string{os.Getenv("OPENEMPLOI_HELPER_FILE")}); err != nil {
		t.Fatal(err)
	}
}

package main

import (
	"bufio"
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

	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
	"github.com/openemploi360/openemploi/internal/vocab"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// buildBinary compiles the real command once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "openemploi")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func storeArgs(c *store.Client) []string {
	ep := c.Endpoints()
	return []string{"--store-preset", "generic", "--query-url", ep.Query, "--update-url", ep.Update, "--gsp-url", ep.GSP}
}

func writeMetiers(t *testing.T, rows int) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "metiers.csv")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "code,label,page")
	for i := 0; i < rows; i++ {
		fmt.Fprintf(w, "M%06d,Métier %d,https://example.org/m/%d\n", i, i, i)
	}
	w.Flush()
	f.Close()
	return p
}

func graphSnapshot(t *testing.T, c *store.Client) []string {
	t.Helper()
	gs, err := c.Graphs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, g := range gs {
		out = append(out, fmt.Sprintf("%s=%d", g.IRI, g.Triples))
	}
	sort.Strings(out)
	return out
}

// TestKilledImportLeavesStore kills an import with SIGKILL while it loads its staging
// graphs and checks that the live graphs are exactly as before, and that `store gc`
// removes what the killed run left behind.
func TestKilledImportLeavesStore(t *testing.T) {
	bin := buildBinary(t)
	catalog, _ := filepath.Abs("../../internal/ingest/testdata/catalog.yaml")
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		base := append([]string{"import", "metiers", "--catalog", catalog, "--progress", "none", "--no-validate"}, storeArgs(c)...)
		small := exec.Command(bin, append(base, writeMetiers(t, 50))...)
		if out, err := small.CombinedOutput(); err != nil {
			t.Fatalf("first import: %v\n%s", err, out)
		}
		before := graphSnapshot(t, c)

		big := writeMetiers(t, 200_000)
		cmd := exec.Command(bin, append(base, "--chunk", "2000", "--lease-ttl", "1s", big)...)
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stderr)
		killed := false
		for sc.Scan() {
			if strings.Contains(sc.Text(), "new version graph") {
				time.Sleep(300 * time.Millisecond) // some chunks are in, most are not
				if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
				killed = true
				break
			}
		}
		_ = cmd.Wait()
		if !killed {
			t.Fatal("the import ended before it started loading: nothing was killed")
		}
		// The killed run's version graphs are new and not live, and its lease is in the
		// metadata until it expires: leave them out.
		var live, beforeData []string
		for _, g := range graphSnapshot(t, c) {
			iri, _, _ := strings.Cut(g, "=")
			if _, _, version := vocab.VersionOf(iri); iri != vocab.MetaGraph && (!version || slices.ContainsFunc(before, func(b string) bool { return strings.HasPrefix(b, iri+"=") })) {
				live = append(live, g)
			}
		}
		for _, g := range before {
			if !strings.HasPrefix(g, vocab.MetaGraph+"=") {
				beforeData = append(beforeData, g)
			}
		}
		if strings.Join(live, "\n") != strings.Join(beforeData, "\n") {
			t.Fatalf("killed import changed the live graphs:\nbefore %v\nafter  %v", before, live)
		}
		time.Sleep(1200 * time.Millisecond) // the killed run's lease expires
		gc := exec.Command(bin, append([]string{"store", "gc"}, storeArgs(c)...)...)
		if out, err := gc.CombinedOutput(); err != nil {
			t.Fatalf("store gc: %v\n%s", err, out)
		}
		if after := graphSnapshot(t, c); strings.Join(after, "\n") != strings.Join(before, "\n") {
			t.Fatalf("after gc: %v, want %v", after, before)
		}
	})
}

package ingest

import (
	"bytes"
	"context"
	"math/big"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/openemploi360/openemploi/internal/apperr"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
)

// sampleSources are the sources of the bundled sample the round trip loads: every
// kind of graph (partitioned offers with their derived aggregates, code lists,
// territorial indicators), without rome4 and bpe, whose size (1.2 M triples) would
// make this test minutes long on the 2-core machine without testing anything more.
var sampleSources = []string{"geo", "tension", "gares", "dvf", "loyers", "offres-ft"}

func importSample(t *testing.T, c *store.Client) {
	t.Helper()
	root, cat := repoCatalog(t)
	importSamples(t, &Importer{Store: c, Catalog: cat, TempDir: t.TempDir()}, root, sampleSources...)
}

var (
	runInGraph = regexp.MustCompile(`/v/[0-9]{8}T[0-9]{6}Z-[0-9a-f]{12}>`)
	typed      = regexp.MustCompile(`"([^"]*)"\^\^<http://www.w3.org/2001/XMLSchema#(dateTime|decimal|double|integer)>`)
)

// canonical writes dateTime and numeric literals by their value: Oxigraph returns
// the canonical lexical form ("Z", "1800"), Fuseki the form it was given ("+00:00",
// "1800.0"), and both are the same value, so the same dataset.
func canonical(line string) string {
	return typed.ReplaceAllStringFunc(line, func(lit string) string {
		m := typed.FindStringSubmatch(lit)
		v := m[1]
		switch m[2] {
		case "dateTime":
			if d, err := time.Parse(time.RFC3339Nano, v); err == nil {
				v = d.UTC().Format(time.RFC3339Nano)
			}
		default:
			if r, ok := new(big.Rat).SetString(v); ok {
				v = r.RatString()
			}
		}
		return `"` + v + `"^^` + m[2]
	})
}

// exported exports c and returns its quads sorted, version graphs named without
// their run (a restore loads into versions of its own run): the dataset by content.
func exported(t *testing.T, c *store.Client) []string {
	t.Helper()
	var b bytes.Buffer
	if _, err := Export(context.Background(), c, &b); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(b.String(), "\n") {
		if l != "" {
			out = append(out, canonical(runInGraph.ReplaceAllString(l, "/v/RUN>")))
		}
	}
	sort.Strings(out)
	return out
}

// TestExportRestoreRoundTrip exports the sample from one store, restores it into the
// other kind, and back: the three datasets are equal, quad for quad.
func TestExportRestoreRoundTrip(t *testing.T) {
	kinds := storetest.Kinds()
	if !slices.Contains(kinds, "fuseki") || !slices.Contains(kinds, "oxigraph") {
		t.Skipf("needs both stores, testing %v", kinds)
	}
	ctx := context.Background()
	fuseki := storetest.New(t, "fuseki")
	importSample(t, fuseki)
	want := exported(t, fuseki)
	if len(want) < 10_000 || !slices.ContainsFunc(want, func(l string) bool { return strings.Contains(l, "/graph/derived/offres-ft/") }) {
		t.Fatalf("the sample export has %d quads and no aggregates of the offers: not the sample", len(want))
	}
	var file bytes.Buffer
	if _, err := Export(ctx, fuseki, &file); err != nil {
		t.Fatal(err)
	}

	oxigraph := storetest.New(t, "oxigraph")
	im := &Importer{Store: oxigraph, TempDir: t.TempDir()}
	if _, err := im.Restore(ctx, bytes.NewReader(file.Bytes())); err != nil {
		t.Fatal(err)
	}
	if got := exported(t, oxigraph); !slices.Equal(got, want) {
		t.Fatalf("Fuseki → Oxigraph: %d quads restored, %d exported, or different content:\n%s", len(got), len(want), firstDiff(got, want))
	}

	t.Run("ErrNotEmpty", func(t *testing.T) {
		_, err := im.Restore(ctx, bytes.NewReader(file.Bytes()))
		if !apperr.Is(err, apperr.Conflict) || !strings.Contains(err.Error(), "not empty") {
			t.Fatalf("err = %v, want a refusal", err)
		}
		if got := exported(t, oxigraph); !slices.Equal(got, want) {
			t.Fatal("a refused restore changed the store")
		}
	})

	file.Reset()
	if _, err := Export(ctx, oxigraph, &file); err != nil {
		t.Fatal(err)
	}
	back := storetest.New(t, "fuseki")
	im.Store = back
	if _, err := im.Restore(ctx, bytes.NewReader(file.Bytes())); err != nil {
		t.Fatal(err)
	}
	if got := exported(t, back); !slices.Equal(got, want) {
		t.Fatalf("Oxigraph → Fuseki: %d quads, want %d, or different content:\n%s", len(got), len(want), firstDiff(got, want))
	}
	if left := stagingLeft(t, back); len(left) != 0 {
		t.Fatalf("restore left %v", left)
	}
}

func firstDiff(got, want []string) string {
	var b strings.Builder
	n := 0
	for _, l := range got {
		if _, found := slices.BinarySearch(want, l); !found && n < 5 {
			b.WriteString("+ " + l + "\n")
			n++
		}
	}
	n = 0
	for _, l := range want {
		if _, found := slices.BinarySearch(got, l); !found && n < 5 {
			b.WriteString("- " + l + "\n")
			n++
		}
	}
	return b.String()
}

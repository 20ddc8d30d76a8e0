package storetest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/store"
)

func TestMain(m *testing.M) { Main(m) }

func TestKinds(t *testing.T) {
	for _, tc := range []struct {
		env  string
		want []string
	}{
		{"", []string{"fuseki", "oxigraph"}},
		{"fuseki", []string{"fuseki"}},
		{" oxigraph , fuseki ", []string{"oxigraph", "fuseki"}},
		{"none", nil},
	} {
		t.Setenv("OPENEMPLOI_TEST_STORES", tc.env)
		if got := Kinds(); !slices.Equal(got, tc.want) {
			t.Errorf("OPENEMPLOI_TEST_STORES=%q: Kinds() = %v, want %v", tc.env, got, tc.want)
		}
	}
}

// Each test gets its own empty dataset: what one writes, another does not see.
func TestDatasetsAreFreshAndSeparate(t *testing.T) {
	ctx := context.Background()
	ForEach(t, func(t *testing.T, c *store.Client) {
		other := New(t, t.Name()[strings.LastIndexByte(t.Name(), '/')+1:])
		for _, cl := range []*store.Client{c, other} {
			if gs, err := cl.Graphs(ctx); err != nil || len(gs) != 0 {
				t.Fatalf("a new dataset holds %v (%v), want nothing", gs, err)
			}
		}
		if c.Endpoints() == other.Endpoints() {
			t.Fatalf("two datasets share the endpoints %+v", c.Endpoints())
		}
		if err := c.Update(ctx, "INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> 1 } }"); err != nil {
			t.Fatal(err)
		}
		if gs, err := other.Graphs(ctx); err != nil || len(gs) != 0 {
			t.Errorf("the other dataset sees %v (%v)", gs, err)
		}
	})
}

// A store that cannot be started skips the test, except in CI where it fails it. The
// check runs this test binary again with a missing oxigraph binary.
func TestUnavailableStore(t *testing.T) {
	if os.Getenv("STORETEST_CHILD") == "1" {
		New(t, KindOxigraph)
		t.Fatal("New returned without a store")
	}
	for _, tc := range []struct {
		ci       string
		wantFail bool
		wantText string
	}{
		{"", false, "scripts/setup.sh"},
		{"true", true, "CI=true"},
	} {
		t.Run("CI="+tc.ci, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestUnavailableStore$", "-test.v")
			cmd.Env = append(os.Environ(), "STORETEST_CHILD=1", "OPENEMPLOI_OXIGRAPH=/nonexistent/oxigraph", "CI="+tc.ci)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			err := cmd.Run()
			if failed := err != nil; failed != tc.wantFail {
				t.Errorf("child failed=%v, want %v:\n%s", failed, tc.wantFail, out.String())
			}
			if !strings.Contains(out.String(), tc.wantText) {
				t.Errorf("child output lacks %q:\n%s", tc.wantText, out.String())
			}
			if !tc.wantFail && !strings.Contains(out.String(), "--- SKIP") {
				t.Errorf("child did not skip:\n%s", out.String())
			}
		})
	}
}

// OPENEMPLOI_TEST_STORES=none skips a store test, except in CI where it fails it: a CI
// run must never pass on zero store subtests.
func TestNoKindSelected(t *testing.T) {
	if os.Getenv("STORETEST_CHILD") == "1" {
		ForEach(t, func(t *testing.T, c *store.Client) { t.Error("ForEach ran a subtest with no kind selected") })
		return
	}
	for _, tc := range []struct {
		ci       string
		wantFail bool
		wantText string
	}{
		{"", false, "--- SKIP: TestNoKindSelected"},
		{"true", true, `OPENEMPLOI_TEST_STORES="none" selects no store (CI=true`},
	} {
		t.Run("CI="+tc.ci, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestNoKindSelected$", "-test.v")
			cmd.Env = append(os.Environ(), "STORETEST_CHILD=1", "OPENEMPLOI_TEST_STORES=none", "CI="+tc.ci)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			err := cmd.Run()
			if failed := err != nil; failed != tc.wantFail {
				t.Errorf("child failed=%v, want %v:\n%s", failed, tc.wantFail, out.String())
			}
			if !strings.Contains(out.String(), tc.wantText) {
				t.Errorf("child output lacks %q:\n%s", tc.wantText, out.String())
			}
		})
	}
}

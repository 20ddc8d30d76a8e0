package store_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/openemploi360/openemploi/internal/apperr"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
)

func TestCompact(t *testing.T) {
	ctx := context.Background()
	for _, kind := range storetest.Kinds() {
		t.Run(kind, func(t *testing.T) {
			cfg := storetest.NewConfig(t, kind)
			c, err := store.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			res, err := c.Compact(ctx)
			if kind == "oxigraph" {
				if err != nil || res.Supported {
					t.Fatalf("Oxigraph: %+v, %v; want nothing to do", res, err)
				}
				return
			}
			// storetest's Fuseki datasets are in memory: nothing to compact.
			if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "TDB2") {
				t.Fatalf("in-memory dataset: %v, want an Invalid error naming TDB2", err)
			}

			// A TDB2 dataset on the same server.
			base := strings.TrimRight(cfg.BaseURL, "/")
			root := base[:strings.LastIndexByte(base, '/')]
			name := fmt.Sprintf("compact%d_%d", os.Getpid(), time.Now().UnixNano()%1e9)
			resp, err := http.PostForm(root+"/$/datasets", url.Values{"dbName": {name}, "dbType": {"tdb2"}})
			if err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("creating a TDB2 dataset: %v %v", resp, err)
			}
			resp.Body.Close()
			t.Cleanup(func() {
				req, _ := http.NewRequest(http.MethodDelete, root+"/$/datasets/"+name, nil)
				if resp, err := http.DefaultClient.Do(req); err == nil {
					resp.Body.Close()
				}
			})
			tdb, err := store.New(store.Config{Preset: store.Fuseki, BaseURL: root + "/" + name, Timeout: time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			const keep, drop = "http://example.org/keep", "http://example.org/drop"
			mustUpdate(t, tdb, `INSERT DATA { GRAPH <`+keep+`> { <urn:a> <urn:p> "kept" } GRAPH <`+drop+`> { <urn:b> <urn:p> "dropped" } }`)
			if err := tdb.DeleteGraph(ctx, drop); err != nil {
				t.Fatal(err)
			}
			res, err = tdb.Compact(ctx)
			if err != nil || !res.Supported {
				t.Fatalf("TDB2: %+v, %v", res, err)
			}
			var b strings.Builder
			if err := tdb.GetGraph(ctx, keep, &b); err != nil || !strings.Contains(b.String(), `"kept"`) {
				t.Fatalf("after compaction the data reads %q, %v", b.String(), err)
			}
		})
	}
}

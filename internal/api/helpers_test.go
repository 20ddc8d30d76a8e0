package api

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/piprate/json-gold/ld"

	"github.com/openemploi360/openemploi/internal/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// lockedBuffer collects log output from concurrent handlers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// fixedNow is the clock of the tests: the fixture's offers end in January 2025.
func fixedNow() time.Time { return time.Date(2025, 2, 1, 9, 0, 0, 0, time.UTC) }

type testAPI struct {
	*httptest.Server
	logs *lockedBuffer
}

// serveTest serves cfg over HTTP for one test, with its logs captured.
func serveTest(t testing.TB, cfg Config) *testAPI {
	t.Helper()
	logs := &lockedBuffer{}
	cfg.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg.Version = "test"
	s, err := newServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.routes())
	t.Cleanup(srv.Close)
	return &testAPI{Server: srv, logs: logs}
}

func (a *testAPI) do(t *testing.T, method, path, accept string, body any) (*http.Response, []byte) {
	t.Helper()
	var r io.Reader
	if body != nil {
		switch b := body.(type) {
		case string:
			r = strings.NewReader(b)
		default:
			j, _ := json.Marshal(b)
			r = bytes.NewReader(j)
		}
	}
	req, err := http.NewRequest(method, a.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func (a *testAPI) get(t *testing.T, path string) (*http.Response, []byte) {
	t.Helper()
	return a.do(t, http.MethodGet, path, "", nil)
}

// servedContext is the context the server answers at /context.jsonld: responses are
// expanded with what a client would load, not with a file read beside the test.
func servedContext(t testing.TB, base string) any {
	t.Helper()
	resp, err := http.Get(base + contextPath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/ld+json" {
		t.Fatalf("GET %s: %d %s", contextPath, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var ctx any
	if err := json.Unmarshal(b, &ctx); err != nil {
		t.Fatalf("GET %s: not JSON: %v", contextPath, err)
	}
	return ctx
}

// ldOptions resolves "/context.jsonld" against the server to the context it serves,
// with a loader that can load nothing else.
func ldOptions(t testing.TB, base, docURL string) *ld.JsonLdOptions {
	t.Helper()
	loader := ld.NewCachingDocumentLoader(denyLoader{})
	loader.AddDocument(base+contextPath, servedContext(t, base))
	opts := ld.NewJsonLdOptions(docURL)
	opts.DocumentLoader = loader
	opts.ProcessingMode = ld.JsonLd_1_1
	return opts
}

// expand turns a JSON-LD response into sorted N-Quads lines (blank nodes relabelled by
// URDNA2015 so sets compare), with the context the server serves.
func expand(t testing.TB, base, docURL string, body []byte) []string {
	t.Helper()
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, body)
	}
	opts := ldOptions(t, base, docURL)
	opts.Format = "application/n-quads"
	opts.Algorithm = ld.AlgorithmURDNA2015
	out, err := ld.NewJsonLdProcessor().Normalize(doc, opts)
	if err != nil {
		t.Fatalf("JSON-LD expansion: %v", err)
	}
	var lines []string
	for _, l := range strings.Split(out.(string), "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	sort.Strings(lines)
	return lines
}

// contains reports the expected triples absent from got.
func missingTriples(got []string, want []string) []string {
	set := map[string]bool{}
	for _, g := range got {
		set[g] = true
	}
	var miss []string
	for _, w := range want {
		if !set[w] {
			miss = append(miss, w)
		}
	}
	return miss
}

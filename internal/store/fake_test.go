package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openemploi360/openemploi/internal/apperr"
	"github.com/openemploi360/openemploi/internal/store"
)

// These tests use httptest servers for what a real store will not do on demand:
// hang, answer 503, drop connections, echo credentials.

// fake is an httptest server counting the requests it handles.
type fake struct {
	*httptest.Server
	hits atomic.Int32
}

func newFake(t *testing.T, h http.HandlerFunc) *fake {
	t.Helper()
	f := &fake{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.hits.Add(1)
		h(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

func fakeClient(t *testing.T, url string, mod func(*store.Config)) *store.Client {
	t.Helper()
	cfg := store.Config{Preset: store.Oxigraph, BaseURL: url, Timeout: 5 * time.Second}
	if mod != nil {
		mod(&cfg)
	}
	c, err := store.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	store.SetBackoff(c, time.Millisecond)
	return c
}

const selectJSON = `{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"uri","value":"urn:a"}}]}}`

func TestErrorStatuses(t *testing.T) {
	for _, tc := range []struct {
		status   int
		kind     apperr.Kind
		attempts int32 // with Retries: 2
	}{
		{http.StatusBadRequest, apperr.Invalid, 1},
		{http.StatusNotFound, apperr.Internal, 1}, // a wrong query endpoint, not a missing thing
		{http.StatusInternalServerError, apperr.Internal, 1},
		{http.StatusServiceUnavailable, apperr.Unavailable, 3},
	} {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
				http.Error(w, "the   store\nsays  no", tc.status)
			})
			c := fakeClient(t, f.URL, func(cfg *store.Config) { cfg.Retries = 2 })
			_, err := c.Select(context.Background(), "SELECT * {}")
			if k := apperr.KindOf(err); k != tc.kind {
				t.Errorf("kind %v, want %v (%v)", k, tc.kind, err)
			}
			if n := f.hits.Load(); n != tc.attempts {
				t.Errorf("%d requests, want %d", n, tc.attempts)
			}
			want := fmt.Sprintf("store select %s/query: %d %s: the store says no", f.URL, tc.status, http.StatusText(tc.status))
			if tc.attempts > 1 {
				want += fmt.Sprintf(" (after %d attempts)", tc.attempts)
			}
			if err == nil || err.Error() != want {
				t.Errorf("error text\n got %v\nwant %s", err, want)
			}
		})
	}
}

func TestRetry503ThenSuccess(t *testing.T) {
	// The body must arrive whole on every attempt: a retried request resends it.
	var bodies []string
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		if len(bodies) < 3 {
			w.Header().Set("Retry-After", "0")
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/sparql-results+json")
		io.WriteString(w, selectJSON)
	})
	c := fakeClient(t, f.URL, nil)
	q := "SELECT ?x WHERE { ?x ?p ?o }"
	res, err := c.Select(context.Background(), q)
	if err != nil {
		t.Fatalf("Select: %v", err)
	}
	if len(res.Solutions()) != 1 {
		t.Errorf("solutions = %v", res.Solutions())
	}
	for i, b := range bodies {
		if b != q {
			t.Errorf("attempt %d sent %q, want %q", i+1, b, q)
		}
	}
	if len(bodies) != 3 {
		t.Errorf("%d attempts, want 3", len(bodies))
	}
}

func TestStreamedBodyRetries(t *testing.T) {
	const nt = "<urn:s> <urn:p> \"o\" .\n"
	for _, tc := range []struct {
		name     string
		body     func() io.Reader
		attempts int32
		ok       bool
	}{
		// A seekable body is rewound and sent again.
		{"seeker", func() io.Reader { return bytes.NewReader([]byte(nt)) }, 2, true},
		// A plain stream was consumed by the first attempt: it cannot be sent again.
		{"stream", func() io.Reader { return io.MultiReader(strings.NewReader(nt)) }, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, nil)
			f.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := f.hits.Add(1)
				b, _ := io.ReadAll(r.Body)
				if string(b) != nt {
					t.Errorf("attempt %d: body %q, want %q", n, b, nt)
				}
				if n == 1 {
					http.Error(w, "busy", http.StatusServiceUnavailable)
					return
				}
				w.WriteHeader(http.StatusNoContent)
			})
			c := fakeClient(t, f.URL, nil)
			err := c.PostGraph(context.Background(), "urn:g", tc.body())
			if (err == nil) != tc.ok {
				t.Errorf("PostGraph: %v, want success %v", err, tc.ok)
			}
			if n := f.hits.Load(); n != tc.attempts {
				t.Errorf("%d attempts, want %d", n, tc.attempts)
			}
		})
	}
}

func TestGSPRequests(t *testing.T) {
	type seen struct{ method, path, query, ctype string }
	var got []seen
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		got = append(got, seen{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Content-Type")})
		switch r.Method {
		case http.MethodGet:
			if r.URL.Query().Get("graph") == "urn:missing" {
				http.Error(w, "no such graph", http.StatusNotFound)
				return
			}
			w.Header().Set("Content-Type", "application/n-triples")
			io.WriteString(w, "<urn:s> <urn:p> <urn:o> .\n")
		case http.MethodDelete:
			http.Error(w, "no such graph", http.StatusNotFound)
		default:
			io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusNoContent)
		}
	})
	c := fakeClient(t, f.URL, func(cfg *store.Config) { cfg.Preset, cfg.BaseURL = store.Fuseki, f.URL+"/ds" })
	ctx := context.Background()
	const g = "http://ex.org/g?a=1&b=2#frag"
	var out bytes.Buffer
	if err := c.GetGraph(ctx, g, &out); err != nil || out.String() != "<urn:s> <urn:p> <urn:o> .\n" {
		t.Errorf("GetGraph: %q, %v", out.String(), err)
	}
	if err := c.GetGraph(ctx, "urn:missing", io.Discard); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("GetGraph of a missing graph: kind %v, want not found: %v", apperr.KindOf(err), err)
	}
	if err := c.PutGraph(ctx, g, strings.NewReader("")); err != nil {
		t.Errorf("PutGraph: %v", err)
	}
	if err := c.PostGraph(ctx, g, nil); err != nil {
		t.Errorf("PostGraph: %v", err)
	}
	if err := c.DeleteGraph(ctx, g); err != nil {
		t.Errorf("DeleteGraph of a missing graph: %v", err)
	}
	if err := c.LoadQuads(ctx, strings.NewReader("<urn:s> <urn:p> <urn:o> <urn:g> .\n")); err != nil {
		t.Errorf("LoadQuads: %v", err)
	}
	const q = "graph=http%3A%2F%2Fex.org%2Fg%3Fa%3D1%26b%3D2%23frag"
	want := []seen{
		{"GET", "/ds/data", q, ""},
		{"GET", "/ds/data", "graph=urn%3Amissing", ""},
		{"PUT", "/ds/data", q, "application/n-triples"},
		{"POST", "/ds/data", q, "application/n-triples"},
		{"DELETE", "/ds/data", q, ""},
		{"POST", "/ds/data", "", "application/n-quads"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("requests\n got %v\nwant %v", got, want)
	}
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		// The server notices a client that went away only once the body is read.
		io.ReadAll(r.Body)
		select { // hang until the client gives up (or the test ends)
		case <-r.Context().Done():
		case <-release:
		}
	})
	t.Cleanup(func() { close(release) }) // before f.Close, which waits for the handlers
	c := fakeClient(t, f.URL, func(cfg *store.Config) { cfg.Timeout = 100 * time.Millisecond })

	for _, tc := range []struct {
		name string
		run  func(ctx context.Context) error
	}{
		{"select", func(ctx context.Context) error { _, err := c.Select(ctx, "SELECT * {}"); return err }},
		{"gsp get", func(ctx context.Context) error { return c.GetGraph(ctx, "urn:g", io.Discard) }},
		{"gsp put", func(ctx context.Context) error { return c.PutGraph(ctx, "urn:g", strings.NewReader("")) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run(context.Background())
			if !apperr.Is(err, apperr.Unavailable) || !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("kind %v, want unavailable with a deadline: %v", apperr.KindOf(err), err)
			}
			if !strings.HasPrefix(err.Error(), "store "+tc.name+" "+f.URL) || !strings.Contains(err.Error(), "100ms") {
				t.Errorf("error %q does not name the operation, endpoint and timeout", err)
			}
		})
	}

	t.Run("caller cancels", func(t *testing.T) {
		c := fakeClient(t, f.URL, func(cfg *store.Config) { cfg.Timeout = time.Hour })
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		err := c.Update(ctx, "CLEAR ALL")
		if !errors.Is(err, context.Canceled) || !apperr.Is(err, apperr.Unavailable) {
			t.Errorf("kind %v, want unavailable wrapping context.Canceled: %v", apperr.KindOf(err), err)
		}
	})
}

// A stream that keeps moving is not cut by the (inactivity) timeout.
func TestSlowButMovingStream(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/n-triples")
		for i := range 6 {
			fmt.Fprintf(w, "<urn:s> <urn:p> \"%d\" .\n", i)
			w.(http.Flusher).Flush()
			time.Sleep(40 * time.Millisecond)
		}
	})
	c := fakeClient(t, f.URL, func(cfg *store.Config) { cfg.Timeout = 150 * time.Millisecond })
	var out bytes.Buffer
	if err := c.GetGraph(context.Background(), "urn:g", &out); err != nil {
		t.Fatalf("GetGraph of a slow but steady stream: %v", err)
	}
	if n := strings.Count(out.String(), "\n"); n != 6 {
		t.Errorf("%d triples, want 6", n)
	}
}

func TestConnectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there any more

	c := fakeClient(t, "http://"+addr, func(cfg *store.Config) { cfg.Retries = 2 })
	err = c.Update(context.Background(), "CLEAR ALL")
	if !apperr.Is(err, apperr.Unavailable) {
		t.Fatalf("kind %v, want unavailable: %v", apperr.KindOf(err), err)
	}
	msg := err.Error()
	want := "store update http://" + addr + "/update: "
	if !strings.HasPrefix(msg, want) || !strings.Contains(msg, "connection refused") ||
		!strings.HasSuffix(msg, "(after 3 attempts)") || strings.ContainsAny(msg, "\r\n") {
		t.Errorf("error %q: want one line starting %q, saying connection refused after 3 attempts", msg, want)
	}
	if pub, _ := apperr.Public(err); strings.Contains(pub, addr) {
		t.Errorf("public message %q names the store's address", pub)
	}
}

// A dropped connection is retried for a query but not for an update, which the store
// may have applied before the connection broke.
func TestConnectionResetRetriesOnlyIdempotent(t *testing.T) {
	for _, tc := range []struct {
		name     string
		run      func(*store.Client) error
		attempts int32
	}{
		{"select", func(c *store.Client) error { _, err := c.Select(context.Background(), "SELECT * {}"); return err }, 3},
		{"update", func(c *store.Client) error { return c.Update(context.Background(), "CLEAR ALL") }, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
				io.ReadAll(r.Body)
				conn, _, err := w.(http.Hijacker).Hijack()
				if err == nil {
					conn.Close()
				}
			})
			c := fakeClient(t, f.URL, func(cfg *store.Config) { cfg.Retries = 2 })
			err := tc.run(c)
			if !apperr.Is(err, apperr.Unavailable) {
				t.Errorf("kind %v, want unavailable: %v", apperr.KindOf(err), err)
			}
			if n := f.hits.Load(); n != tc.attempts {
				t.Errorf("%d attempts, want %d", n, tc.attempts)
			}
		})
	}
}

func TestBasicAuth(t *testing.T) {
	const user, password = "loader", "s3cr3t-Pa55"
	var sawAuth atomic.Bool
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		if r.URL.Path == "/plain" {
			if ok {
				t.Errorf("a request through http.DefaultClient carried credentials for %s", u)
			}
			return
		}
		if !ok || u != user || p != password {
			// Echo the header back, as some proxies do in their error pages.
			http.Error(w, "denied: "+r.Header.Get("Authorization")+" "+p, http.StatusUnauthorized)
			return
		}
		sawAuth.Store(true)
		http.Error(w, "forbidden for "+u+" with "+p, http.StatusForbidden)
	})
	c := fakeClient(t, f.URL, func(cfg *store.Config) { cfg.User, cfg.Password = user, password })
	err := c.Update(context.Background(), "CLEAR ALL")
	if !sawAuth.Load() {
		t.Fatalf("the request did not reach the server with the credentials: %v", err)
	}
	if err == nil || strings.Contains(err.Error(), password) {
		t.Errorf("error %q: want an error that does not show the password", err)
	}

	// The credentials stay on this client: nothing global was touched.
	if http.DefaultClient.Transport != nil || http.DefaultClient.Timeout != 0 {
		t.Errorf("http.DefaultClient was modified")
	}
	resp, err := http.Get(f.URL + "/plain")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	other := fakeClient(t, f.URL, nil)
	err = other.Update(context.Background(), "CLEAR ALL")
	if err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("a client without credentials: %v, want 401", err)
	}
}

func TestSelectRefusesDroppedTerms(t *testing.T) {
	for _, tc := range []struct {
		name, binding string
	}{
		// knakk/rdf rejects this language tag, so Solutions() would drop the term.
		{"language tag", `{"type":"literal","value":"x","xml:lang":"zh-Hant-TW"}`},
		{"unknown type", `{"type":"triple","value":"x"}`},
		{"empty blank node", `{"type":"bnode","value":""}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/sparql-results+json; charset=utf-8")
				fmt.Fprintf(w, `{"head":{"vars":["a","b"]},"results":{"bindings":[
{"a":{"type":"uri","value":"urn:a"}},
{"a":{"type":"uri","value":"urn:a"},"b":%s}]}}`, tc.binding)
			})
			_, err := fakeClient(t, f.URL, nil).Select(context.Background(), "SELECT * {}")
			if err == nil || !strings.Contains(err.Error(), "row 2, variable ?b") {
				t.Errorf("Select: %v, want an error naming row 2, variable ?b", err)
			}
		})
	}
}

func TestUnexpectedResponses(t *testing.T) {
	for _, tc := range []struct {
		name, ctype, body string
		run               func(*store.Client) error
		want              string
	}{
		{"XML instead of JSON", "application/sparql-results+xml", "<sparql/>",
			func(c *store.Client) error { _, err := c.Select(context.Background(), "SELECT * {}"); return err },
			"unexpected Content-Type"},
		{"broken JSON", "application/sparql-results+json", `{"head":`,
			func(c *store.Client) error { _, err := c.Select(context.Background(), "SELECT * {}"); return err },
			"parse JSON results"},
		{"ASK answered like a SELECT", "application/sparql-results+json", selectJSON,
			func(c *store.Client) error { _, err := c.Ask(context.Background(), "ASK {}"); return err },
			"no boolean"},
		{"Turtle instead of N-Triples", "text/turtle", "@prefix",
			func(c *store.Client) error { return c.Construct(context.Background(), "CONSTRUCT {} {}", io.Discard) },
			"unexpected Content-Type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.ctype)
				io.WriteString(w, tc.body)
			})
			err := tc.run(fakeClient(t, f.URL, nil))
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.ContainsAny(err.Error(), "\r\n") {
				t.Errorf("error %v: want one line containing %q", err, tc.want)
			}
		})
	}
}

func TestRequestFormat(t *testing.T) {
	type seen struct{ method, path, ctype, accept, body string }
	var got []seen
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = append(got, seen{r.Method, r.URL.Path, r.Header.Get("Content-Type"), r.Header.Get("Accept"), string(b)})
		switch r.Header.Get("Accept") {
		case "application/sparql-results+json":
			w.Header().Set("Content-Type", "application/sparql-results+json")
			io.WriteString(w, `{"head":{},"boolean":true}`)
		case "application/n-triples":
			w.Header().Set("Content-Type", "application/n-triples")
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	})
	c := fakeClient(t, f.URL, nil)
	ctx := context.Background()
	if ok, err := c.Ask(ctx, "ASK {}"); !ok || err != nil {
		t.Errorf("Ask: %v, %v", ok, err)
	}
	if err := c.Construct(ctx, "CONSTRUCT WHERE {}", io.Discard); err != nil {
		t.Errorf("Construct: %v", err)
	}
	if err := c.Update(ctx, "CLEAR ALL"); err != nil {
		t.Errorf("Update: %v", err)
	}
	want := []seen{
		{"POST", "/query", "application/sparql-query", "application/sparql-results+json", "ASK {}"},
		{"POST", "/query", "application/sparql-query", "application/n-triples", "CONSTRUCT WHERE {}"},
		{"POST", "/update", "application/sparql-update", "", "CLEAR ALL"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d requests, want %d: %q", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("request %d\n got %q\nwant %q", i+1, got[i], want[i])
		}
	}
}

// What the stores do when their own query timeout fires, as seen on Fuseki 5.6.0 and
// Oxigraph 0.5.13 (serve --timeout-s 1).
func TestStoreQueryTimeouts(t *testing.T) {
	for _, tc := range []struct {
		name     string
		handler  http.HandlerFunc
		run      func(*store.Client) error
		attempts int32
	}{
		{"fuseki 503 is not retried", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "Query timed out", http.StatusServiceUnavailable)
		}, func(c *store.Client) error { _, err := c.Select(context.Background(), "SELECT * {}"); return err }, 1},
		{"oxigraph cancels a SELECT in band", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/sparql-results+json")
			io.WriteString(w, `{"head":{"vars":["n"]},"results":{"bindings":[The SPARQL operation has been cancelled`)
		}, func(c *store.Client) error { _, err := c.Select(context.Background(), "SELECT * {}"); return err }, 1},
		{"oxigraph cancels a CONSTRUCT in band", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/n-triples")
			io.WriteString(w, "<urn:s> <urn:p> <urn:o> .\nThe SPARQL operation has been cancelled")
		}, func(c *store.Client) error {
			return c.Construct(context.Background(), "CONSTRUCT WHERE { ?s ?p ?o }", io.Discard)
		}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, tc.handler)
			err := tc.run(fakeClient(t, f.URL, nil))
			if !apperr.Is(err, apperr.Unavailable) {
				t.Errorf("kind %v, want unavailable: %v", apperr.KindOf(err), err)
			}
			if n := f.hits.Load(); n != tc.attempts {
				t.Errorf("%d attempts, want %d", n, tc.attempts)
			}
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Errorf("error %q is not one line", err)
			}
		})
	}

	t.Run("a cut N-Triples stream is an error", func(t *testing.T) {
		f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/n-triples")
			io.WriteString(w, "<urn:s> <urn:p> <urn:o> .\n<urn:s> <urn:p> <urn:o")
		})
		err := fakeClient(t, f.URL, nil).GetGraph(context.Background(), "urn:g", io.Discard)
		if err == nil || !strings.Contains(err.Error(), "cut") {
			t.Errorf("GetGraph: %v, want an error saying the stream was cut", err)
		}
	})
}

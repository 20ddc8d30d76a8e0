package portal

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// A portal with one file behind a data.gouv.fr-style stable URL (a redirect), served
// with an ETag and a Last-Modified like Opendatasoft exports.
type fakePortal struct {
	body      atomic.Value // string
	etag      atomic.Value // string
	gets, oks atomic.Int32
	truncate  atomic.Bool
}

func (p *fakePortal) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/fr/datasets/r/stable" {
		http.Redirect(w, r, "/files/gares.csv", http.StatusFound)
		return
	}
	p.gets.Add(1)
	etag := p.etag.Load().(string)
	const lm = "Tue, 01 Apr 2025 08:00:00 GMT"
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := p.body.Load().(string)
	w.Header().Set("ETag", etag)
	w.Header().Set("Last-Modified", lm)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	p.oks.Add(1)
	if p.truncate.Load() {
		w.Write([]byte(body[:len(body)/2]))
		panic(http.ErrAbortHandler)
	}
	w.Write([]byte(body))
}

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func TestGetConditional(t *testing.T) {
	p := &fakePortal{}
	p.body.Store("Nom;Trigramme\nMarseille Saint-Charles;MSC\n")
	p.etag.Store(`"v1"`)
	srv := httptest.NewServer(p)
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "gares.csv")
	url := srv.URL + "/fr/datasets/r/stable"
	ctx := context.Background()

	d1, err := Get(ctx, srv.Client(), url, path, Validators{})
	if err != nil {
		t.Fatal(err)
	}
	if d1.NotModified || d1.SHA256 != sum(p.body.Load().(string)) || d1.Validators.ETag != `"v1"` {
		t.Errorf("first download: %+v", d1)
	}

	// Unchanged: 304, nothing downloaded, the local copy's checksum.
	d2, err := Get(ctx, srv.Client(), url, path, d1.Validators)
	if err != nil {
		t.Fatal(err)
	}
	if !d2.NotModified || d2.SHA256 != d1.SHA256 || p.oks.Load() != 1 {
		t.Errorf("unchanged: %+v, bodies sent %d", d2, p.oks.Load())
	}

	// Changed, but the new body is cut short: the previous copy stays.
	p.body.Store("Nom;Trigramme\nMarseille Saint-Charles;MSC\nNice Ville;NIC\n")
	p.etag.Store(`"v2"`)
	p.truncate.Store(true)
	if _, err := Get(ctx, srv.Client(), url, path, d1.Validators); err == nil {
		t.Fatal("truncated body accepted")
	}
	if b, _ := os.ReadFile(path); sum(string(b)) != d1.SHA256 {
		t.Error("a truncated download replaced the local copy")
	}
	p.truncate.Store(false)
	d3, err := Get(ctx, srv.Client(), url, path, d1.Validators)
	if err != nil {
		t.Fatal(err)
	}
	if d3.NotModified || d3.SHA256 != sum(p.body.Load().(string)) || d3.Validators.ETag != `"v2"` {
		t.Errorf("changed: %+v", d3)
	}

	// Validators but no local copy (deleted by hand): a plain GET.
	os.Remove(path)
	d4, err := Get(ctx, srv.Client(), url, path, d3.Validators)
	if err != nil || d4.NotModified {
		t.Errorf("no local copy: %+v, %v", d4, err)
	}
}

func TestGetErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "gone", http.StatusNotFound)
	}))
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "x.csv")
	_, err := Get(context.Background(), srv.Client(), srv.URL+"/x", path, Validators{})
	if err == nil || !contains(err.Error(), "HTTP 404") || !contains(err.Error(), srv.URL+"/x") {
		t.Errorf("err = %v, want the URL and the status", err)
	}
	if _, serr := os.Stat(path); serr == nil {
		t.Error("a failed download left a file")
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

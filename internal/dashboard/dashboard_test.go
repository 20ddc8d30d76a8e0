package dashboard

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

func get(t *testing.T, srv *httptest.Server, method, path string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	if err != nil {
		t.Fatalf("new request %s %s: %v", method, path, err)
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return res, body
}

// assetRefs lists the /assets/ URLs index.html points at.
func assetRefs(t *testing.T, html []byte) []string {
	t.Helper()
	refs := regexp.MustCompile(`(?:src|href)="(/assets/[^"]+)"`).FindAllSubmatch(html, -1)
	var out []string
	for _, m := range refs {
		out = append(out, string(m[1]))
	}
	if len(out) != 2 {
		t.Fatalf("index.html references %d assets, want 2 (script and stylesheet): %q", len(out), out)
	}
	return out
}

func TestHandler(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()

	_, index := get(t, srv, http.MethodGet, "/")
	refs := assetRefs(t, index)
	sort.Slice(refs, func(i, j int) bool { return strings.HasSuffix(refs[i], ".js") }) // script first
	geo, err := fs.Glob(mustSub(t), "assets/ze2020_paca-*.geojson")
	if err != nil || len(geo) != 1 {
		t.Fatalf("embedded zone geometry: got %q (err %v), want one hashed file", geo, err)
	}

	tests := []struct {
		name, method, path string
		status             int
		ctype, cache       string
		bodyHas            string
	}{
		{"Index", "GET", "/", 200, "text/html; charset=utf-8", "no-cache", `<html lang="fr">`},
		{"IndexByName", "GET", "/index.html", 200, "text/html; charset=utf-8", "no-cache", "Open Emploi 360"},
		{"Head", "HEAD", "/", 200, "text/html; charset=utf-8", "no-cache", ""},
		{"Script", "GET", refs[0], 200, "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", ""},
		{"Stylesheet", "GET", refs[1], 200, "text/css; charset=utf-8", "public, max-age=31536000, immutable", ":root"},
		{"Geometry", "GET", "/" + geo[0], 200, "application/geo+json", "public, max-age=31536000, immutable", `"ze2020"`},
		{"UnknownAsset", "GET", "/assets/nope.js", 404, "", "", ""},
		{"UnknownPath", "GET", "/nope", 404, "", "", ""},
		{"EscapeAttempt", "GET", "/assets/../BUILD-INPUTS", 404, "", "", ""},
		{"ManifestNotServed", "GET", "/BUILD-INPUTS", 404, "", "", ""},
		{"Post", "POST", "/", 405, "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, body := get(t, srv, tc.method, tc.path)
			if res.StatusCode != tc.status {
				t.Fatalf("%s %s: status %d, want %d", tc.method, tc.path, res.StatusCode, tc.status)
			}
			if got := res.Header.Get("X-Content-Type-Options"); tc.status == 200 && got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q, want nosniff", got)
			}
			if tc.ctype != "" && res.Header.Get("Content-Type") != tc.ctype {
				t.Errorf("Content-Type = %q, want %q", res.Header.Get("Content-Type"), tc.ctype)
			}
			if tc.cache != "" && res.Header.Get("Cache-Control") != tc.cache {
				t.Errorf("Cache-Control = %q, want %q", res.Header.Get("Cache-Control"), tc.cache)
			}
			if tc.bodyHas != "" && !bytes.Contains(body, []byte(tc.bodyHas)) {
				t.Errorf("body of %s lacks %q", tc.path, tc.bodyHas)
			}
			if tc.method == "HEAD" && len(body) != 0 {
				t.Errorf("HEAD returned %d body bytes", len(body))
			}
		})
	}

	t.Run("IndexPolicy", func(t *testing.T) {
		res, _ := get(t, srv, "GET", "/")
		c := res.Header.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"} {
			if !strings.Contains(c, want) {
				t.Errorf("CSP %q lacks %q", c, want)
			}
		}
		if res.Header.Get("ETag") == "" {
			t.Error("index.html has no ETag: no-cache revalidation would download it every time")
		}
	})

	t.Run("IndexRevalidates", func(t *testing.T) {
		res, _ := get(t, srv, "GET", "/")
		req, _ := http.NewRequest("GET", srv.URL+"/", nil)
		req.Header.Set("If-None-Match", res.Header.Get("ETag"))
		res2, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res2.Body.Close()
		if res2.StatusCode != http.StatusNotModified {
			t.Errorf("conditional GET of / = %d, want 304", res2.StatusCode)
		}
	})
}

// TestNoThirdPartyURL guards the "everything served by us" rule: the built
// page must not load anything from another origin.
func TestNoThirdPartyURL(t *testing.T) {
	sub := mustSub(t)
	re := regexp.MustCompile(`(?:src|href)\s*=\s*["']https?://|@import\s+url\(\s*["']?https?://|url\(\s*["']?https?://`)
	err := fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if ext := filepath.Ext(p); ext != ".html" && ext != ".css" {
			return nil
		}
		b, _ := fs.ReadFile(sub, p)
		if loc := re.FindIndex(b); loc != nil {
			t.Errorf("%s loads a third-party URL: %q", p, b[loc[0]:min(len(b), loc[1]+40)])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func mustSub(t *testing.T) fs.FS {
	t.Helper()
	sub, err := fs.Sub(distFS, "dist")
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

// TestDistUpToDate checks, without Node, that dist/ was built from the
// sources as they are: build.mjs records the SHA-256 of every input in
// dist/BUILD-INPUTS, and this test recomputes it. Fix: npm ci && npm run build.
func TestDistUpToDate(t *testing.T) {
	f, err := os.Open("dist/BUILD-INPUTS")
	if err != nil {
		t.Fatalf("dist/BUILD-INPUTS: %v (run `npm ci && npm run build` in internal/dashboard)", err)
	}
	defer f.Close()
	recorded := map[string]string{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("dist/BUILD-INPUTS:%d: malformed line %q", line, sc.Text())
		}
		recorded[name] = sum
	}
	var inputs []string
	err = filepath.WalkDir("src", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			inputs = append(inputs, filepath.ToSlash(p))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	inputs = append(inputs, "build.mjs", "package-lock.json", "tsconfig.json", "../api/openapi.json")
	sort.Strings(inputs)
	var stale []string
	for _, name := range inputs {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if recorded[name] != hex.EncodeToString(sum[:]) {
			stale = append(stale, name)
		}
		delete(recorded, name)
	}
	for name := range recorded {
		stale = append(stale, name+" (removed)")
	}
	if len(stale) > 0 {
		t.Errorf("dist/ is stale for %s: run `npm ci && npm run build` in internal/dashboard and commit dist/", strings.Join(stale, ", "))
	}
}

func TestMain(m *testing.M) {
	if _, err := fs.Stat(distFS, "dist/index.html"); err != nil {
		fmt.Fprintln(os.Stderr, "dashboard: dist/index.html missing; run npm ci && npm run build")
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// Package dashboard serves the tableau de bord: a French single-page web
// application built from the TypeScript sources in this folder and embedded
// in the binary (dist/), so running openemploi needs no Node.
//
// The page speaks only to our own JSON-LD API under /api/ and loads nothing
// from a third party (no CDN, tiles or web fonts); the Content-Security-Policy
// says so to the browser.
package dashboard

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed dist
var distFS embed.FS

// contentTypes is explicit rather than left to mime.TypeByExtension, whose
// answers depend on the host's mime tables (.geojson is rarely known).
var contentTypes = map[string]string{
	".html":    "text/html; charset=utf-8",
	".js":      "text/javascript; charset=utf-8",
	".css":     "text/css; charset=utf-8",
	".geojson": "application/geo+json",
	".json":    "application/json",
	".svg":     "image/svg+xml",
	".png":     "image/png",
	".ico":     "image/x-icon",
	".txt":     "text/plain; charset=utf-8",
	".map":     "application/json",
}

// csp allows our own origin only. Inline styles set through the DOM (the map
// tooltip position) are CSSOM writes, which style-src does not govern.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

type handler struct {
	files fs.FS
	index []byte
	etag  string
}

// Handler serves the built assets. "/" and "/index.html" give the page
// (revalidated on every load so a new binary is picked up at once); files
// under /assets/ carry a content hash in their name and are cached for a
// year. Any other path is 404: the page routes with the URL fragment, so no
// server-side fallback is needed.
func Handler() http.Handler {
	sub, err := fs.Sub(distFS, "dist")
	if err != nil {
		panic("dashboard: embedded dist/ missing: " + err.Error())
	}
	index, err := fs.ReadFile(sub, "index.html")
	if err != nil {
		panic("dashboard: dist/index.html missing, run `npm ci && npm run build` in internal/dashboard: " + err.Error())
	}
	sum := sha256.Sum256(index)
	return &handler{files: sub, index: index, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
}

// modTime is fixed: embedded files have none, and hashed names make
// validation by date pointless.
var modTime = time.Time{}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "méthode non autorisée", http.StatusMethodNotAllowed)
		return
	}
	hdr := w.Header()
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "same-origin")

	p := r.URL.Path
	if p == "/" || p == "/index.html" {
		hdr.Set("Content-Type", contentTypes[".html"])
		hdr.Set("Cache-Control", "no-cache")
		hdr.Set("Content-Security-Policy", csp)
		hdr.Set("X-Frame-Options", "DENY")
		hdr.Set("ETag", h.etag)
		http.ServeContent(w, r, "index.html", modTime, bytes.NewReader(h.index))
		return
	}
	if !strings.HasPrefix(p, "/assets/") {
		http.NotFound(w, r)
		return
	}
	name := strings.TrimPrefix(path.Clean(p), "/")
	if !strings.HasPrefix(name, "assets/") {
		http.NotFound(w, r)
		return
	}
	data, err := fs.ReadFile(h.files, name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	ct, ok := contentTypes[path.Ext(name)]
	if !ok {
		ct = "application/octet-stream"
	}
	hdr.Set("Content-Type", ct)
	hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(w, r, name, modTime, bytes.NewReader(data))
}

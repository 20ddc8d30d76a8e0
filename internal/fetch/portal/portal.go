// Package portal downloads files from open-data portals: Opendatasoft "exports"
// endpoints (DataSud, SNCF…), data.gouv.fr stable resource URLs (which redirect to the
// current file) or any plain HTTP(S) URL. Requests are conditional (If-None-Match with
// the last ETag, If-Modified-Since with the last Last-Modified), so a file the portal
// says is unchanged is not even downloaded; the body is written to a temporary file and
// hashed on the way, and only a complete download replaces the previous copy.
package portal

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Validators are what a portal said about the last copy, sent back to ask "changed?".
type Validators struct {
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"lastModified,omitempty"`
}

// Download is the outcome of one Get.
type Download struct {
	URL         string     // as asked (redirects followed)
	Path        string     // the local copy
	SHA256      string     // of the local copy
	Size        int64      // bytes of the local copy
	At          time.Time  // when the portal answered
	NotModified bool       // 304: the local copy is current, nothing was downloaded
	Validators  Validators // to send next time
}

// Get fetches url into path unless the portal answers 304 to prev. The previous copy
// at path is replaced only by a complete body; a body whose length differs from its
// Content-Length is an error. A 304 with no local copy is answered by a plain GET.
func Get(ctx context.Context, hc *http.Client, url, path string, prev Validators) (Download, error) {
	if hc == nil {
		hc = http.DefaultClient
	}
	d := Download{URL: url, Path: path}
	op := "download " + url
	_, statErr := os.Stat(path)
	haveCopy := statErr == nil
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return d, fmt.Errorf("%s: %w", op, err)
	}
	if haveCopy {
		if prev.ETag != "" {
			req.Header.Set("If-None-Match", prev.ETag)
		}
		if prev.LastModified != "" {
			req.Header.Set("If-Modified-Since", prev.LastModified)
		}
	}
	res, err := hc.Do(req)
	if err != nil {
		return d, fmt.Errorf("%s: %w", op, err)
	}
	defer res.Body.Close()
	d.At = time.Now().UTC()
	switch {
	case res.StatusCode == http.StatusNotModified && haveCopy:
		d.NotModified = true
		d.Validators = prev
		if v := res.Header.Get("ETag"); v != "" {
			d.Validators.ETag = v
		}
		sum, size, err := hashFile(path)
		if err != nil {
			return d, fmt.Errorf("%s: local copy: %w", op, err)
		}
		d.SHA256, d.Size = sum, size
		return d, nil
	case res.StatusCode != http.StatusOK:
		b, _ := io.ReadAll(io.LimitReader(res.Body, 300))
		return d, fmt.Errorf("%s: HTTP %d: %s", op, res.StatusCode, strings.TrimSpace(string(b)))
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return d, fmt.Errorf("%s: %w", op, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return d, fmt.Errorf("%s: %w", op, err)
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), res.Body)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return d, fmt.Errorf("%s: body cut after %d bytes: %w", op, n, err)
	}
	if res.ContentLength >= 0 && n != res.ContentLength {
		return d, fmt.Errorf("%s: body of %d bytes, Content-Length said %d", op, n, res.ContentLength)
	}
	if n == 0 {
		return d, errors.New(op + ": empty body")
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return d, fmt.Errorf("%s: %w", op, err)
	}
	d.SHA256, d.Size = hex.EncodeToString(h.Sum(nil)), n
	d.Validators = Validators{ETag: res.Header.Get("ETag"), LastModified: res.Header.Get("Last-Modified")}
	return d, nil
}

func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

package api

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// countingReader counts what the server reads of a request body.
type countingReader struct {
	r    io.Reader
	read int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read += n
	return n, err
}

// TestSuggestLimits: a 300 KB suggest request is refused with a 413 problem before its
// body is read (declared length) or as soon as the cap is reached (chunked); a text
// over maxSuggestText characters is a 413 naming /text; a text at the cap is served.
func TestSuggestLimits(t *testing.T) {
	cfg, _, _, _ := fakeConfig(t)
	s, err := newServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h := s.routes()
	const size = 300_000
	big := `{"text":"` + strings.Repeat("SQL ", size/4) + `"}`
	atCap := `{"text":"SQL ` + strings.Repeat("é", maxSuggestText-4) + `"}`
	overCap := `{"text":"SQL ` + strings.Repeat("é", maxSuggestText-3) + `"}`
	for _, tc := range []struct {
		name     string
		body     string
		declared bool
		status   int
		field    string
		maxRead  int
	}{
		{"Declared300KB", big, true, http.StatusRequestEntityTooLarge, "body", 0},
		{"Chunked300KB", big, false, http.StatusRequestEntityTooLarge, "body", maxBody + 64<<10},
		{"TextOverCap", overCap, true, http.StatusRequestEntityTooLarge, "/text", len(overCap)},
		{"TextAtCap", atCap, false, http.StatusOK, "", len(atCap)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := &countingReader{r: strings.NewReader(tc.body)}
			req := httptest.NewRequest(http.MethodPost, "/api/skills/suggest", body)
			req.Header.Set("Content-Type", "application/json")
			req.ContentLength = -1
			if tc.declared {
				req.ContentLength = int64(len(tc.body))
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %.300s", rec.Code, tc.status, rec.Body.String())
			}
			if body.read > tc.maxRead {
				t.Errorf("the server read %d bytes of a %d-byte body, want at most %d", body.read, len(tc.body), tc.maxRead)
			}
			if tc.status == http.StatusOK {
				return
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("content type %q", ct)
			}
			var p Problem
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
				t.Fatal(err)
			}
			if p.Type != "/problems/too-large" || p.Status != 413 || p.Field != tc.field || p.Detail == "" {
				t.Errorf("problem %+v, want /problems/too-large on %q", p, tc.field)
			}
			if strings.Contains(p.Detail, "SQL") || strings.Contains(p.Detail, "é") {
				t.Errorf("the problem echoes the text: %q", p.Detail)
			}
		})
	}
}

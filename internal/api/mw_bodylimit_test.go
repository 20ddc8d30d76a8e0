package api

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestBodyLimit(t *testing.T) {
	var read int
	h := bodyLimit(10)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		read = len(b)
		if err != nil {
			w.WriteHeader(http.StatusRequestEntityTooLarge)
		}
	}))
	for _, tc := range []struct {
		name   string
		body   string
		length int64
		status int
	}{
		{"Small", "0123456789", 10, 200},
		{"DeclaredTooLarge", "0123456789A", 11, 413},
		{"UndeclaredTooLarge", "0123456789ABCDEF", -1, 413},
	} {
		t.Run(tc.name, func(t *testing.T) {
			read = 0
			req := httptest.NewRequest("POST", "/", strings.NewReader(tc.body))
			req.ContentLength = tc.length
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d", rec.Code, tc.status)
			}
			if read > 10 {
				t.Errorf("handler read %d bytes past the limit", read)
			}
		})
	}
}

package api

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRequestLog(t *testing.T) {
	var logs bytes.Buffer
	h := requestLog(slog.New(slog.NewTextHandler(&logs, nil)))(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
		_, _ = w.Write([]byte("hello"))
	}))
	req := httptest.NewRequest("POST", "/api/diagnostic?secret=canary-q", strings.NewReader(`{"profile":"canary-body"}`))
	h.ServeHTTP(httptest.NewRecorder(), req)
	line := logs.String()
	for _, want := range []string{"path=/api/diagnostic", "status=418", "bytes=5", "method=POST"} {
		if !strings.Contains(line, want) {
			t.Errorf("log %q lacks %q", line, want)
		}
	}
	if strings.Contains(line, "canary") {
		t.Errorf("log leaks the query string or body: %q", line)
	}
}

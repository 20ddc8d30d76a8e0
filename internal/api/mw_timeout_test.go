package api

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestStoreTimeoutMiddleware(t *testing.T) {
	var deadline time.Time
	var ok bool
	h := storeTimeout(time.Minute)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		deadline, ok = r.Context().Deadline()
	}))
	start := time.Now()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if !ok {
		t.Fatal("no deadline on the request context")
	}
	if d := deadline.Sub(start); d < 59*time.Second || d > 61*time.Second {
		t.Errorf("deadline in %s, want 1m", d)
	}
}

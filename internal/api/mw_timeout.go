package api

import (
	"context"
	"net/http"
	"time"
)

// storeTimeout bounds the time a request may spend, store queries included: the
// store client sees the context's deadline and gives up, and the error becomes a 503
// with Retry-After instead of a hung connection.
func storeTimeout(d time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithTimeout(r.Context(), d)
			defer cancel()
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

package api

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/openemploi360/openemploi/internal/apperr"
)

// recoverer turns a panic in a handler into a logged 500 "internal error", so one bad
// request does not take the process down and the client never sees a stack.
func recoverer(log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				if v := recover(); v != nil {
					if v == http.ErrAbortHandler {
						panic(v)
					}
					log.ErrorContext(r.Context(), "panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v))
					writeProblem(w, apperr.Internal, "internal error", "")
				}
			}()
			next.ServeHTTP(w, r)
		})
	}
}

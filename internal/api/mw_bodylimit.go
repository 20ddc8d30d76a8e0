package api

import "net/http"

// maxBody is the largest request body accepted: a diagnostic request or a pasted CV
// text fits in far less; anything larger is refused before it is read.
const maxBody = 256 << 10

// bodyLimit caps request bodies; reading past the cap fails with *http.MaxBytesError,
// which decodeJSON turns into a 413 problem.
func bodyLimit(n int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > n {
				writeTooLarge(w, n)
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, n)
			next.ServeHTTP(w, r)
		})
	}
}

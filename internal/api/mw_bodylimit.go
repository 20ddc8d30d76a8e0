package api

import "net/http"

// maxBody is the largest request body accepted: a diagnostic request or a pasted CV
// text fits in far less; anything larger is refused before it is read.
const maxBody = 256 << 10

// bodyLimit caps request bodies: a declared Content-Length over the cap is refused
// with a 413 problem before a byte is read; an undeclared (chunked) body is cut at the
// cap by http.MaxBytesReader, whose error decodeJSON turns into the same 413.
func bodyLimit(n int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > n {
				writeTooLarge(w, bodyTooLarge(n))
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, n)
			next.ServeHTTP(w, r)
		})
	}
}

package api

import (
	"net/http"
	"regexp"

	"github.com/go-chi/chi/v5"
)

var romeCodeRe = regexp.MustCompile(`^[A-N][0-9]{4}$`)

func (s *server) getMetier(w http.ResponseWriter, r *http.Request) {
	code := chi.URLParam(r, "code")
	if !romeCodeRe.MatchString(code) {
		s.writeError(w, r, invalid("code", "a ROME code is a letter A–N and four digits, e.g. M1811"))
		return
	}
	m, err := s.cfg.Metiers.Metier(r.Context(), code)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	v := newMetierView(m)
	v.Context = contextPath
	writeLD(w, v)
}

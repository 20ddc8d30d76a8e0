package api

import "net/http"

func (s *server) notYet(w http.ResponseWriter, r *http.Request) {
	writeProblem(w, 0, "not implemented yet", "")
}
func (s *server) healthz(w http.ResponseWriter, r *http.Request)        { s.notYet(w, r) }
func (s *server) readyz(w http.ResponseWriter, r *http.Request)         { s.notYet(w, r) }
func (s *server) openapi(w http.ResponseWriter, r *http.Request)        { s.notYet(w, r) }
func (s *server) searchMetiers(w http.ResponseWriter, r *http.Request)  { s.notYet(w, r) }
func (s *server) listZones(w http.ResponseWriter, r *http.Request)      { s.notYet(w, r) }
func (s *server) getZone(w http.ResponseWriter, r *http.Request)        { s.notYet(w, r) }
func (s *server) listSources(w http.ResponseWriter, r *http.Request)    { s.notYet(w, r) }
func (s *server) getDiagnostic(w http.ResponseWriter, r *http.Request)  { s.notYet(w, r) }
func (s *server) postDiagnostic(w http.ResponseWriter, r *http.Request) { s.notYet(w, r) }
func (s *server) suggestSkills(w http.ResponseWriter, r *http.Request)  { s.notYet(w, r) }
func (s *server) derefMetier(w http.ResponseWriter, r *http.Request)    { s.notYet(w, r) }
func (s *server) derefZone(w http.ResponseWriter, r *http.Request)      { s.notYet(w, r) }
func (s *server) derefGraph(w http.ResponseWriter, r *http.Request)     { s.notYet(w, r) }
func writeTooLarge(w http.ResponseWriter, n int64)                      { writeProblem(w, 1, "too large", "") }

// Package fttest replays France Travail's "Offres d'emploi v2" API for tests, with no
// network: an OAuth2 token endpoint and the search endpoint, serving recorded offers
// (testdata/recorded/offres.json.gz, derived from the bundled real offers by
// ../gen_recorded.go) with the API's rules — range=a-b pages of at most 150, 206 and
// Content-Range, first index at most 1 000 and last at most 1 149, 204 when nothing
// matches — plus faults a test schedules: 429 or 503 with Retry-After, a token the
// server stops accepting, a body cut short, a dropped connection.
package fttest

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Credentials the replay server accepts.
const (
	ClientID     = "replay-client"
	ClientSecret = "replay-secret"
)

// Fault is what the server does instead of answering a search request.
type Fault int

const (
	None         Fault = iota
	TooMany            // 429 with Retry-After: 1
	Unavailable        // 503 with Retry-After: 1
	ExpireToken        // the current token stops being accepted: 401
	TruncateBody       // a 206 whose body stops halfway (Content-Length says more)
	DropConn           // the connection closes without an answer
	BadPage            // a 206 with one offer fewer than its Content-Range announces
)

// Offer is a recorded offer with the fields the server filters on.
type Offer struct {
	Raw         json.RawMessage
	ID          string
	Created     time.Time
	Departement string
}

// Server is a running replay server.
type Server struct {
	*httptest.Server
	Offers []Offer

	mu       sync.Mutex
	tokens   map[string]bool // issued tokens → still accepted
	nTokens  int
	searches int
	faults   map[int]Fault // search request number (1-based) → fault
	failFrom int           // from this search request on, every one gets failKind
	failKind Fault
	Log      []string // "search dep=13 range=0-149 → 206" lines, for failure messages
}

// APIURL is the base the client is given (it appends /offres/search).
func (s *Server) APIURL() string { return s.URL + "/partenaire/offresdemploi/v2" }

// TokenURL is the token endpoint.
func (s *Server) TokenURL() string {
	return s.URL + "/connexion/oauth2/access_token?realm=%2Fpartenaire"
}

// New starts a server with the recorded offers.
func New(tb interface {
	Helper()
	Fatalf(string, ...any)
	Cleanup(func())
}) *Server {
	tb.Helper()
	offers, err := LoadRecorded()
	if err != nil {
		tb.Fatalf("fttest: %v", err)
	}
	s := &Server{Offers: offers, tokens: map[string]bool{}, faults: map[int]Fault{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /connexion/oauth2/access_token", s.token)
	mux.HandleFunc("GET /partenaire/offresdemploi/v2/offres/search", s.search)
	s.Server = httptest.NewServer(mux)
	tb.Cleanup(s.Close)
	return s
}

// RecordedPath is the recorded offers file.
func RecordedPath() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata", "recorded", "offres.json.gz")
}

var recorded struct {
	once   sync.Once
	offers []Offer
	err    error
}

// LoadRecorded reads the recorded offers (once per process; callers must not modify
// the slice).
func LoadRecorded() ([]Offer, error) {
	recorded.once.Do(func() { recorded.offers, recorded.err = loadRecorded() })
	return recorded.offers, recorded.err
}

func loadRecorded() ([]Offer, error) {
	f, err := os.Open(RecordedPath())
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name(), err)
	}
	var raws []json.RawMessage
	if err := json.NewDecoder(zr).Decode(&raws); err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name(), err)
	}
	out := make([]Offer, 0, len(raws))
	for i, raw := range raws {
		var o struct {
			ID           string `json:"id"`
			DateCreation string `json:"dateCreation"`
			LieuTravail  struct {
				Libelle string `json:"libelle"`
				Commune string `json:"commune"`
			} `json:"lieuTravail"`
		}
		if err := json.Unmarshal(raw, &o); err != nil {
			return nil, fmt.Errorf("recorded offer %d: %w", i, err)
		}
		c, err := time.Parse(time.RFC3339, o.DateCreation)
		if err != nil {
			return nil, fmt.Errorf("recorded offer %s: %w", o.ID, err)
		}
		// The département: from the commune's INSEE code, else the "13 - MARSEILLE" label.
		dep := o.LieuTravail.Commune
		if dep == "" {
			dep = o.LieuTravail.Libelle
		}
		if len(dep) < 2 {
			return nil, fmt.Errorf("recorded offer %s: no département", o.ID)
		}
		out = append(out, Offer{Raw: raw, ID: o.ID, Created: c.UTC(), Departement: dep[:2]})
	}
	// The API's order for a search without "sort" is not documented; newest first is
	// stable and what it mostly does.
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.After(out[j].Created)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// FailAt schedules a fault on the n-th search request (1-based, counted from start).
func (s *Server) FailAt(n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[n] = f
}

// FailFrom makes every search request from the n-th on fail with f (0: stop failing).
func (s *Server) FailFrom(n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failFrom, s.failKind = n, f
}

// Searches is the number of search requests received.
func (s *Server) Searches() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.searches
}

// Tokens is the number of tokens issued.
func (s *Server) Tokens() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nTokens
}

// Select returns the recorded offers of a département created in [from, to].
func (s *Server) Select(dep string, from, to time.Time) []Offer {
	var out []Offer
	for _, o := range s.Offers {
		if o.Departement == dep && !o.Created.Before(from) && !o.Created.After(to) {
			out = append(out, o)
		}
	}
	return out
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	if r.PostForm.Get("grant_type") != "client_credentials" || r.PostForm.Get("client_id") != ClientID ||
		r.PostForm.Get("client_secret") != ClientSecret || r.URL.Query().Get("realm") != "/partenaire" {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"error":"invalid_client","error_description":"Client authentication failed"}`)
		return
	}
	s.mu.Lock()
	s.nTokens++
	tok := fmt.Sprintf("replay-token-%d", s.nTokens)
	s.tokens[tok] = true
	s.mu.Unlock()
	// The shape of the real endpoint's answer (francetravail.io documentation).
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"scope": r.PostForm.Get("scope"), "expires_in": 1499, "token_type": "Bearer", "access_token": tok,
	})
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.searches++
	n := s.searches
	fault := s.faults[n]
	if s.failFrom > 0 && n >= s.failFrom {
		fault = s.failKind
	}
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	valid := s.tokens[tok]
	if fault == ExpireToken {
		s.tokens[tok] = false
		valid = false
	}
	s.mu.Unlock()
	logf := func(format string, a ...any) {
		s.mu.Lock()
		s.Log = append(s.Log, fmt.Sprintf("#%d %s → ", n, r.URL.RawQuery)+fmt.Sprintf(format, a...))
		s.mu.Unlock()
	}
	if !valid {
		logf("401")
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	switch fault {
	case TooMany, Unavailable:
		status := http.StatusTooManyRequests
		if fault == Unavailable {
			status = http.StatusServiceUnavailable
		}
		logf("%d", status)
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(status)
		return
	case DropConn:
		logf("connection dropped")
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	q := r.URL.Query()
	from, err1 := time.Parse(time.RFC3339, q.Get("minCreationDate"))
	to, err2 := time.Parse(time.RFC3339, q.Get("maxCreationDate"))
	a, b, ok := parseRange(q.Get("range"))
	dep := q.Get("departement")
	if err1 != nil || err2 != nil || !ok || dep == "" {
		logf("400")
		http.Error(w, `{"message":"paramètres invalides"}`, http.StatusBadRequest)
		return
	}
	// The API's limits: at most 150 per page, first index at most 1 000, last at most 1 149.
	if b-a+1 > 150 || a > 1000 || b > 1149 {
		logf("400 range")
		http.Error(w, `{"message":"La position de début doit être inférieure ou égale à 1000 et la position de fin inférieure ou égale à 1149."}`, http.StatusBadRequest)
		return
	}
	sel := s.Select(dep, from, to)
	if len(sel) == 0 || a >= len(sel) {
		logf("204")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	last := min(b, len(sel)-1)
	page := sel[a : last+1]
	if fault == BadPage {
		// One offer fewer than Content-Range announces.
		page = page[:len(page)-1]
	}
	raws := make([]json.RawMessage, len(page))
	for i, o := range page {
		raws[i] = o.Raw
	}
	body, _ := json.Marshal(map[string]any{"resultats": raws, "filtresPossibles": []any{}})
	status := http.StatusPartialContent
	if a == 0 && last == len(sel)-1 {
		status = http.StatusOK
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Range", fmt.Sprintf("offres %d-%d/%d", a, last, len(sel)))
	w.Header().Set("Accept-Range", "offres 150")
	if fault == TruncateBody {
		logf("%d truncated", status)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(status)
		w.Write(body[:len(body)/2])
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		panic(http.ErrAbortHandler)
	}
	logf("%d %d-%d/%d", status, a, last, len(sel))
	w.WriteHeader(status)
	w.Write(body)
}

func parseRange(s string) (int, int, bool) {
	x, y, ok := strings.Cut(s, "-")
	a, err1 := strconv.Atoi(x)
	b, err2 := strconv.Atoi(y)
	return a, b, ok && err1 == nil && err2 == nil && a >= 0 && b >= a
}

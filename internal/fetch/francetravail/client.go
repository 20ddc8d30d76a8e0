// Package francetravail is the connector of France Travail's "Offres d'emploi v2" API:
// OAuth2 client credentials, search by département and creation-date window, paging
// with range=a-b and Content-Range, windows split in two while they hold more than the
// API serves per search, 429/503 honoured with Retry-After, and a client-side rate
// limit. Fetcher turns the searches into one JSON-array file per month, the layout
// mappings/offres-ft.rml.ttl reads, resuming an interrupted run where it stopped.
//
// The client id and secret come from the caller (the CLI reads them from the
// environment only); they and the tokens are never logged nor put in an error.
package francetravail

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
	"golang.org/x/time/rate"
)

// Public endpoints of the service (francetravail.io documentation).
const (
	DefaultAPIURL   = "https://api.francetravail.io/partenaire/offresdemploi/v2"
	DefaultTokenURL = "https://entreprise.francetravail.fr/connexion/oauth2/access_token?realm=%2Fpartenaire"
	DefaultScope    = "api_offresdemploiv2 o2dsoffre"
)

// Limits of the search endpoint: pages of at most 150, first index at most 1 000, last
// index at most 1 149, so at most 1 150 results per search.
const (
	PageSize   = 150
	MaxResults = 1150
)

// Config configures a Client. Zero values take the defaults named on each field.
type Config struct {
	APIURL       string // base ending in /offresdemploi/v2; DefaultAPIURL
	TokenURL     string // full OAuth2 token URL; DefaultTokenURL
	Scope        string // space-separated scopes; DefaultScope
	ClientID     string
	ClientSecret string
	HTTPClient   *http.Client  // http.DefaultClient
	RatePerSec   float64       // client-side limit on API requests; 0 means none
	MaxAttempts  int           // per request, for 429/503/network errors/truncated bodies; 6
	MaxWait      time.Duration // cap of one wait (Retry-After or backoff); 60 s
	Logf         func(format string, args ...any)
}

// Client calls the search endpoint. It is safe for one fetch at a time.
type Client struct {
	cfg     Config
	search  string
	limiter *rate.Limiter

	mu     sync.Mutex
	tokens oauth2.TokenSource // cached until it expires; replaced after a 401

	// Counters, for the run summary.
	Requests, Retries, TokenRenewals int
}

// New checks cfg and returns a client. No request is made yet.
func New(cfg Config) (*Client, error) {
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	if cfg.TokenURL == "" {
		cfg.TokenURL = DefaultTokenURL
	}
	if cfg.Scope == "" {
		cfg.Scope = DefaultScope
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 6
	}
	if cfg.MaxWait <= 0 {
		cfg.MaxWait = time.Minute
	}
	if cfg.ClientID == "" || cfg.ClientSecret == "" {
		return nil, errors.New("france travail: client id and secret are required (OPENEMPLOI_FT_CLIENT_ID, OPENEMPLOI_FT_CLIENT_SECRET)")
	}
	for _, u := range []struct{ name, v string }{{"api url", cfg.APIURL}, {"token url", cfg.TokenURL}} {
		p, err := url.Parse(u.v)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return nil, fmt.Errorf("france travail: %s %q is not an http(s) URL", u.name, u.v)
		}
	}
	c := &Client{cfg: cfg, search: strings.TrimRight(cfg.APIURL, "/") + "/offres/search"}
	if cfg.RatePerSec > 0 {
		c.limiter = rate.NewLimiter(rate.Limit(cfg.RatePerSec), 1)
	}
	return c, nil
}

// SearchURL is the URL the client searches, recorded in the provenance of the data.
func (c *Client) SearchURL() string { return c.search }

func (c *Client) logf(format string, args ...any) {
	if c.cfg.Logf != nil {
		c.cfg.Logf(format, args...)
	}
}

// token returns a valid access token; renew drops the cached one first (after a 401:
// the server may end a token before its stated expiry).
func (c *Client) token(ctx context.Context, renew bool) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tokens == nil || renew {
		cc := &clientcredentials.Config{
			ClientID: c.cfg.ClientID, ClientSecret: c.cfg.ClientSecret, TokenURL: c.cfg.TokenURL,
			Scopes: strings.Fields(c.cfg.Scope), AuthStyle: oauth2.AuthStyleInParams,
		}
		// The token source outlives this call's context: give it a background one that
		// carries only the HTTP client.
		tctx := context.WithValue(context.Background(), oauth2.HTTPClient, c.cfg.HTTPClient)
		c.tokens = cc.TokenSource(tctx)
		if renew {
			c.TokenRenewals++
		}
	}
	type result struct {
		tok *oauth2.Token
		err error
	}
	ch := make(chan result, 1)
	go func() { t, err := c.tokens.Token(); ch <- result{t, err} }()
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case r := <-ch:
		if r.err != nil {
			return "", fmt.Errorf("france travail: getting an access token from %s: %w", redactURL(c.cfg.TokenURL), scrubTokenErr(r.err))
		}
		return r.tok.AccessToken, nil
	}
}

// Page is one answer of the search endpoint.
type Page struct {
	Offers []json.RawMessage
	First  int // index of the first offer, from Content-Range
	Last   int
	Total  int // results of the search, from Content-Range
}

// Query is one search: a département and a creation-date window, both bounds inclusive
// (the API's minCreationDate/maxCreationDate).
type Query struct {
	Departement string
	From, To    time.Time
}

func (q Query) String() string {
	return fmt.Sprintf("département %s, %s..%s", q.Departement, q.From.UTC().Format(time.RFC3339), q.To.UTC().Format(time.RFC3339))
}

// ErrTransient marks a failure worth retrying (429/503, a dropped connection, a body
// cut short); the client retries it itself, so callers see it only when retries ran out.
var ErrTransient = errors.New("transient")

// ErrInvalid marks an answer that does not fit the contract (a page that fails
// validation): retrying will not help, the run stops.
var ErrInvalid = errors.New("invalid answer")

// SearchPage fetches offers first..last of q.
func (c *Client) SearchPage(ctx context.Context, q Query, first, last int) (Page, error) {
	v := url.Values{}
	v.Set("departement", q.Departement)
	v.Set("minCreationDate", q.From.UTC().Format("2006-01-02T15:04:05Z"))
	v.Set("maxCreationDate", q.To.UTC().Format("2006-01-02T15:04:05Z"))
	v.Set("range", fmt.Sprintf("%d-%d", first, last))
	u := c.search + "?" + v.Encode()
	op := fmt.Sprintf("france travail: search %s, range %d-%d", q, first, last)

	renewed := false
	var lastErr error
	for attempt := 1; attempt <= c.cfg.MaxAttempts; attempt++ {
		if attempt > 1 {
			c.Retries++
		}
		page, wait, err := c.searchOnce(ctx, u)
		if err == nil {
			if verr := page.check(q, first, last); verr != nil {
				return Page{}, fmt.Errorf("%s: %w: %v", op, ErrInvalid, verr)
			}
			return page, nil
		}
		lastErr = err
		var unauth errUnauthorized
		switch {
		case errors.As(err, &unauth):
			// One new token per page: a second 401 with a fresh token is not expiry.
			if renewed {
				return Page{}, fmt.Errorf("%s: %w", op, err)
			}
			c.logf("france travail: token refused (%v); getting a new one", err)
			if _, terr := c.token(ctx, true); terr != nil {
				return Page{}, fmt.Errorf("%s: %w", op, terr)
			}
			renewed = true
			attempt-- // the renewal is not a retry of a failure of the page
			continue
		case errors.Is(err, ErrTransient):
			if attempt == c.cfg.MaxAttempts {
				break
			}
			d := c.backoff(attempt, wait)
			c.logf("france travail: %v; retrying in %s", err, d)
			t := time.NewTimer(d)
			select {
			case <-ctx.Done():
				t.Stop()
				return Page{}, fmt.Errorf("%s: %w", op, ctx.Err())
			case <-t.C:
			}
			continue
		default:
			return Page{}, fmt.Errorf("%s: %w", op, err)
		}
	}
	return Page{}, fmt.Errorf("%s: gave up after %d attempts: %w", op, c.cfg.MaxAttempts, lastErr)
}

// backoff is the wait before attempt+1: the server's Retry-After when it gave one,
// else 1 s doubling; both capped at MaxWait.
func (c *Client) backoff(attempt int, retryAfter time.Duration) time.Duration {
	d := retryAfter
	if d <= 0 {
		d = time.Second << (attempt - 1)
	}
	if d > c.cfg.MaxWait {
		d = c.cfg.MaxWait
	}
	return d
}

type errUnauthorized struct{ status int }

func (e errUnauthorized) Error() string { return fmt.Sprintf("HTTP %d", e.status) }

// searchOnce makes one request. wait is the server's Retry-After, if any.
func (c *Client) searchOnce(ctx context.Context, u string) (Page, time.Duration, error) {
	if c.limiter != nil {
		if err := c.limiter.Wait(ctx); err != nil {
			return Page{}, 0, err
		}
	}
	tok, err := c.token(ctx, false)
	if err != nil {
		return Page{}, 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return Page{}, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Accept", "application/json")
	c.Requests++
	res, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return Page{}, 0, ctx.Err()
		}
		return Page{}, 0, fmt.Errorf("%w: %v", ErrTransient, scrubURLErr(err))
	}
	defer res.Body.Close()
	switch {
	case res.StatusCode == http.StatusUnauthorized:
		io.Copy(io.Discard, io.LimitReader(res.Body, 1<<16))
		return Page{}, 0, errUnauthorized{res.StatusCode}
	case res.StatusCode == http.StatusTooManyRequests || res.StatusCode == http.StatusServiceUnavailable ||
		res.StatusCode == http.StatusBadGateway || res.StatusCode == http.StatusGatewayTimeout:
		io.Copy(io.Discard, io.LimitReader(res.Body, 1<<16))
		return Page{}, retryAfter(res.Header.Get("Retry-After"), time.Now()), fmt.Errorf("%w: HTTP %d", ErrTransient, res.StatusCode)
	case res.StatusCode == http.StatusNoContent:
		return Page{Total: 0, First: 0, Last: -1}, 0, nil
	case res.StatusCode != http.StatusOK && res.StatusCode != http.StatusPartialContent:
		b, _ := io.ReadAll(io.LimitReader(res.Body, 512))
		return Page{}, 0, fmt.Errorf("HTTP %d: %s", res.StatusCode, strings.TrimSpace(string(b)))
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	if err != nil {
		// A connection dropped in the middle of the body: the page is fetched again.
		return Page{}, 0, fmt.Errorf("%w: reading the body (%d bytes read): %v", ErrTransient, len(body), err)
	}
	var env struct {
		Resultats []json.RawMessage `json:"resultats"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return Page{}, 0, fmt.Errorf("%w: body is not the search envelope: %v", ErrInvalid, err)
	}
	p := Page{Offers: env.Resultats}
	cr := res.Header.Get("Content-Range")
	if cr == "" {
		// Without Content-Range the answer holds everything there is.
		p.First, p.Last, p.Total = 0, len(env.Resultats)-1, len(env.Resultats)
		return p, 0, nil
	}
	if p.First, p.Last, p.Total, err = parseContentRange(cr); err != nil {
		return Page{}, 0, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return p, 0, nil
}

// parseContentRange reads "offres 0-149/3456" (the unit is ignored).
func parseContentRange(s string) (first, last, total int, err error) {
	rest := strings.TrimSpace(s)
	if i := strings.IndexByte(rest, ' '); i >= 0 {
		rest = rest[i+1:]
	}
	rng, tot, ok := strings.Cut(rest, "/")
	a, b, ok2 := strings.Cut(rng, "-")
	if !ok || !ok2 {
		return 0, 0, 0, fmt.Errorf("Content-Range %q: want \"offres FIRST-LAST/TOTAL\"", s)
	}
	if first, err = strconv.Atoi(a); err == nil {
		if last, err = strconv.Atoi(b); err == nil {
			total, err = strconv.Atoi(tot)
		}
	}
	if err != nil || first < 0 || last < first || total <= last {
		return 0, 0, 0, fmt.Errorf("Content-Range %q: want \"offres FIRST-LAST/TOTAL\" with FIRST <= LAST < TOTAL", s)
	}
	return first, last, total, nil
}

// check validates a page against what was asked: its range, and that every offer has
// an id and a creation date inside the window. A page that fails is not retried.
func (p Page) check(q Query, first, last int) error {
	if p.Total == 0 && len(p.Offers) == 0 {
		return nil
	}
	if p.First != first {
		return fmt.Errorf("asked offers from %d, got from %d", first, p.First)
	}
	if p.Total > last && p.Last != last && p.Last != p.Total-1 {
		return fmt.Errorf("asked offers %d-%d of %d, got %d-%d", first, last, p.Total, p.First, p.Last)
	}
	if n := p.Last - p.First + 1; n != len(p.Offers) {
		return fmt.Errorf("Content-Range announces %d offers, the body has %d", n, len(p.Offers))
	}
	for i, raw := range p.Offers {
		o, err := decodeOffer(raw)
		if err != nil {
			return fmt.Errorf("offer %d of the page: %v", i, err)
		}
		if o.created.Before(q.From) || o.created.After(q.To) {
			return fmt.Errorf("offer %s: dateCreation %s is outside the window asked", o.ID, o.created.Format(time.RFC3339))
		}
	}
	return nil
}

// retryAfter reads Retry-After in seconds or as an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// redactURL drops the query of a URL for messages (the token URL's realm is harmless,
// but no query string is ever echoed on principle).
func redactURL(u string) string {
	if i := strings.IndexByte(u, '?'); i >= 0 {
		return u[:i]
	}
	return u
}

// scrubURLErr keeps a transport error's cause without its URL and query.
func scrubURLErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s %s: %w", ue.Op, redactURL(ue.URL), ue.Err)
	}
	return err
}

// scrubTokenErr keeps the status of a token failure but not the response body, which
// some servers fill with the request's form (client id and secret included).
func scrubTokenErr(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil {
		msg := fmt.Sprintf("HTTP %d", re.Response.StatusCode)
		if re.ErrorCode != "" {
			msg += " " + re.ErrorCode
		}
		return errors.New(msg)
	}
	return scrubURLErr(err)
}

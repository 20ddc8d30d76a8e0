package francetravail

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
)

// Fetcher fetches offers into one JSON-array file per month in Dir
// (offres_YYYY-MM.json), the layout mappings/offres-ft.rml.ttl reads.
//
// A run first fetches every window into Dir/.partial (one file per finished window);
// only when every window is in does it merge them into the month files, each written
// to a temporary file and renamed. A run that stops midway (network, token, a page that
// fails validation, a kill) leaves the month files, and so the store, as they were; the
// next run with the same start resumes from the windows already in .partial.
type Fetcher struct {
	Client *Client
	Dir    string
	Logf   func(format string, args ...any)
}

// Run is what to fetch.
type Run struct {
	Since, Until time.Time // creation-date window, both inclusive
	Departements []string
	// OpenEnded says Until is just "now": an interrupted run with the same Since is
	// resumed with its own Until, so its finished windows still count.
	OpenEnded bool
}

// MonthFile is a month file the run added offers to or changed.
type MonthFile struct {
	Month   string // YYYY-MM
	Path    string
	SHA256  string
	Offers  int // in the file
	Added   int // offers new to the file
	Updated int // offers already in the file whose object changed
}

// Result says what a run did, also when it failed.
type Result struct {
	Run       Run
	Windows   int // finished windows (searches that fitted)
	Resumed   int // of which found in .partial from an earlier run
	Fetched   int // offers received, duplicates included
	Unique    int // distinct offer ids
	Months    []MonthFile
	Requests  int
	Retries   int
	Renewals  int // access tokens renewed after a 401
	Partial   string
	Completed bool
}

func (f *Fetcher) logf(format string, args ...any) {
	if f.Logf != nil {
		f.Logf(format, args...)
	}
}

// MonthPath is the file of a month.
func (f *Fetcher) MonthPath(month string) string {
	return filepath.Join(f.Dir, "offres_"+month+".json")
}

// Months lists the month files in Dir, sorted.
func (f *Fetcher) Months() ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(f.Dir, "offres_????-??.json"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range paths {
		m := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(p), "offres_"), ".json")
		if _, err := time.Parse("2006-01", m); err == nil {
			out = append(out, m)
		}
	}
	sort.Strings(out)
	return out, nil
}

type pending struct {
	Since        time.Time `json:"since"`
	Until        time.Time `json:"until"`
	Departements []string  `json:"departements"`
}

// Fetch runs r. On error the result says what was fetched and kept for a retry.
func (f *Fetcher) Fetch(ctx context.Context, r Run) (res Result, err error) {
	if len(r.Departements) == 0 {
		return res, errors.New("france travail: no département to fetch")
	}
	if !r.Until.After(r.Since) {
		return res, fmt.Errorf("france travail: empty window %s..%s", r.Since.Format(time.RFC3339), r.Until.Format(time.RFC3339))
	}
	r.Since, r.Until = r.Since.UTC().Truncate(time.Second), r.Until.UTC().Truncate(time.Second)
	partial := filepath.Join(f.Dir, ".partial")
	res.Partial = partial
	if err := os.MkdirAll(partial, 0o755); err != nil {
		return res, fmt.Errorf("france travail: %w", err)
	}
	if r, err = f.adoptPending(partial, r); err != nil {
		return res, err
	}
	res.Run = r
	c := f.Client
	req0, ret0, ren0 := c.Requests, c.Retries, c.TokenRenewals
	defer func() {
		res.Requests, res.Retries, res.Renewals = c.Requests-req0, c.Retries-ret0, c.TokenRenewals-ren0
		if err != nil {
			err = fmt.Errorf("%w (stopped after %d finished window(s), %d offer(s), kept in %s: the store is unchanged; run again to resume)",
				err, res.Windows, res.Fetched, partial)
		}
	}()

	st := &dirStore{dir: partial}
	type got struct {
		raw json.RawMessage
		o   offer
	}
	byID := map[string]got{}
	for _, dep := range r.Departements {
		q := Query{Departement: dep, From: r.Since, To: r.Until}
		err := c.walk(ctx, q, st, func(w Window) {
			res.Windows++
			for _, raw := range w.Offers {
				o, err := decodeOffer(raw)
				if err != nil {
					continue // checked when the page came in
				}
				res.Fetched++
				// De-duplicated by id: windows share their bounds' second, overlapping
				// runs share offers. The most recently updated object wins.
				if prev, ok := byID[o.ID]; !ok || !o.updated.Before(prev.o.updated) {
					byID[o.ID] = got{raw, o}
				}
			}
		})
		if err != nil {
			res.Resumed = st.loaded
			return res, err
		}
	}
	res.Resumed = st.loaded
	res.Unique = len(byID)

	byMonth := map[string][]got{}
	for _, g := range byID {
		byMonth[g.o.Month()] = append(byMonth[g.o.Month()], g)
	}
	months := make([]string, 0, len(byMonth))
	for m := range byMonth {
		months = append(months, m)
	}
	sort.Strings(months)
	for _, m := range months {
		in := map[string]json.RawMessage{}
		for _, g := range byMonth[m] {
			in[g.o.ID] = g.raw
		}
		mf, err := f.merge(m, in)
		if err != nil {
			return res, err
		}
		res.Months = append(res.Months, mf)
	}
	if err := os.RemoveAll(partial); err != nil {
		return res, fmt.Errorf("france travail: removing %s: %w", partial, err)
	}
	res.Completed = true
	return res, nil
}

// adoptPending keeps the window of an interrupted run with the same start, or clears
// .partial when the new run asks for something else.
func (f *Fetcher) adoptPending(partial string, r Run) (Run, error) {
	path := filepath.Join(partial, "run.json")
	b, err := os.ReadFile(path)
	if err == nil {
		var p pending
		if json.Unmarshal(b, &p) == nil && p.Since.Equal(r.Since) && slices.Equal(p.Departements, r.Departements) &&
			(p.Until.Equal(r.Until) || (r.OpenEnded && p.Until.Before(r.Until))) {
			f.logf("france travail: resuming the run started for %s..%s", p.Since.Format(time.RFC3339), p.Until.Format(time.RFC3339))
			r.Until = p.Until
			return r, nil
		}
		f.logf("france travail: discarding an interrupted run for another window")
		if err := os.RemoveAll(partial); err != nil {
			return r, fmt.Errorf("france travail: %w", err)
		}
		if err := os.MkdirAll(partial, 0o755); err != nil {
			return r, fmt.Errorf("france travail: %w", err)
		}
	}
	b, _ = json.Marshal(pending{r.Since, r.Until, r.Departements})
	if err := writeAtomic(path, b); err != nil {
		return r, fmt.Errorf("france travail: %w", err)
	}
	return r, nil
}

// merge adds a month's fetched offers to its file: offers already there are kept (the
// API stops serving an offer once it is filled, the month keeps it), new ones added,
// changed ones replaced. The file is sorted by creation date then id, so an unchanged
// month gives the same bytes and the same checksum.
func (f *Fetcher) merge(month string, fetched map[string]json.RawMessage) (MonthFile, error) {
	path := f.MonthPath(month)
	mf := MonthFile{Month: month, Path: path}
	all := map[string]json.RawMessage{}
	if b, err := os.ReadFile(path); err == nil {
		var old []json.RawMessage
		if err := json.Unmarshal(b, &old); err != nil {
			return mf, fmt.Errorf("france travail: %s: %w", path, err)
		}
		for i, raw := range old {
			o, err := decodeOffer(raw)
			if err != nil {
				return mf, fmt.Errorf("france travail: %s: offer %d: %w", path, i, err)
			}
			all[o.ID] = raw
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return mf, fmt.Errorf("france travail: %w", err)
	}
	for id, raw := range fetched {
		prev, ok := all[id]
		switch {
		case !ok:
			mf.Added++
		case !bytes.Equal(compact(prev), compact(raw)):
			mf.Updated++
		default:
			continue
		}
		all[id] = compact(raw)
	}
	type row struct {
		o   offer
		raw json.RawMessage
	}
	rows := make([]row, 0, len(all))
	for _, raw := range all {
		o, _ := decodeOffer(raw)
		rows = append(rows, row{o, raw})
	}
	sort.Slice(rows, func(i, j int) bool {
		if !rows[i].o.created.Equal(rows[j].o.created) {
			return rows[i].o.created.Before(rows[j].o.created)
		}
		return rows[i].o.ID < rows[j].o.ID
	})
	var buf bytes.Buffer
	buf.WriteString("[\n")
	for i, r := range rows {
		if i > 0 {
			buf.WriteString(",\n")
		}
		buf.Write(compact(r.raw))
	}
	buf.WriteString("\n]\n")
	sum := sha256.Sum256(buf.Bytes())
	mf.SHA256, mf.Offers = hex.EncodeToString(sum[:]), len(rows)
	if mf.Added+mf.Updated > 0 {
		if err := writeAtomic(path, buf.Bytes()); err != nil {
			return mf, fmt.Errorf("france travail: %w", err)
		}
	}
	return mf, nil
}

func compact(raw json.RawMessage) json.RawMessage {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return raw
	}
	return b.Bytes()
}

// dirStore keeps finished windows as files of the partial directory.
type dirStore struct {
	dir    string
	loaded int
}

func (s *dirStore) path(q Query) string {
	return filepath.Join(s.dir, fmt.Sprintf("w-%s-%s-%s.json", q.Departement,
		q.From.UTC().Format("20060102T150405Z"), q.To.UTC().Format("20060102T150405Z")))
}

func (s *dirStore) Load(q Query) (Window, bool, error) {
	b, err := os.ReadFile(s.path(q))
	if errors.Is(err, os.ErrNotExist) {
		return Window{}, false, nil
	}
	if err != nil {
		return Window{}, false, fmt.Errorf("france travail: %w", err)
	}
	var w Window
	if err := json.Unmarshal(b, &w); err != nil {
		// A window file is written by rename, so this is damage from outside: fetch again.
		return Window{}, false, nil
	}
	if !w.Split {
		s.loaded++
	}
	return w, true, nil
}

func (s *dirStore) Save(w Window) error {
	b, err := json.Marshal(w)
	if err != nil {
		return err
	}
	if err := writeAtomic(s.path(w.Query), b); err != nil {
		return fmt.Errorf("france travail: keeping window %s: %w", w.Query, err)
	}
	return nil
}

// writeAtomic writes through a temporary file in the same directory and a rename, so
// a reader (or a run killed here) sees the old file or the new one, never half of one.
func writeAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

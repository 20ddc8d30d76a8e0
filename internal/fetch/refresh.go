package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/openemploi360/openemploi/internal/fetch/francetravail"
	"github.com/openemploi360/openemploi/internal/fetch/portal"
	"github.com/openemploi360/openemploi/internal/metrics"
	"github.com/openemploi360/openemploi/internal/vocab"
	"github.com/openemploi360/openemploi/mappings"
)

// Refresher checks the catalog's sources that are due and imports what changed.
type Refresher struct {
	Sources  []mappings.Source // the catalog, in import order
	State    *State
	Dir      string // downloads go to Dir/<source>/
	Importer Importer
	Meta     *Meta
	HTTP     *http.Client
	// NewFT builds the France Travail client; it fails when the credentials are not set.
	NewFT   func() (*francetravail.Client, error)
	Metrics *metrics.Metrics // nil: metrics.Default
	Force   bool             // check every selected source, due or not
	Now     func() time.Time
	Logf    func(format string, args ...any)
}

// Outcome is what refresh did for one source.
type Outcome struct {
	Source   string
	Outcome  string // ok (imported), unchanged, error, or "not due"
	Detail   string // one line for the summary
	Err      error
	Duration time.Duration
}

func (r *Refresher) now() time.Time {
	if r.Now != nil {
		return r.Now().UTC()
	}
	return time.Now().UTC()
}

func (r *Refresher) logf(format string, args ...any) {
	if r.Logf != nil {
		r.Logf(format, args...)
	}
}

// Run refreshes the named sources (all with fetch settings when names is empty), in
// catalog order. Every selected source is tried; the error lists those that failed.
func (r *Refresher) Run(ctx context.Context, names []string) ([]Outcome, error) {
	m := r.Metrics
	if m == nil {
		m = metrics.Default
	}
	for _, n := range names {
		if !slices.ContainsFunc(r.Sources, func(s mappings.Source) bool { return s.Name == n && s.Fetch != nil }) {
			return nil, fmt.Errorf("refresh: %q is not a catalog source with fetch settings", n)
		}
	}
	var outs []Outcome
	var failed []string
	for _, src := range r.Sources {
		if src.Fetch == nil || (len(names) > 0 && !slices.Contains(names, src.Name)) {
			continue
		}
		st := r.State.Source(src.Name)
		now := r.now()
		if !r.Force && !Due(src.Fetch.Schedule, st.LastChecked, now) {
			outs = append(outs, Outcome{Source: src.Name, Outcome: "not due",
				Detail: fmt.Sprintf("%s, last checked %s", src.Fetch.Schedule, st.LastChecked.Format(time.RFC3339))})
			continue
		}
		start := time.Now()
		o := Outcome{Source: src.Name}
		var imported bool
		var err error
		switch src.Fetch.Connector {
		case "francetravail":
			imported, o.Detail, err = r.offers(ctx, src, st)
		case "download":
			imported, o.Detail, err = r.download(ctx, src, st)
		default:
			err = fmt.Errorf("unknown connector %q", src.Fetch.Connector)
		}
		o.Duration = time.Since(start)
		st.LastChecked = now
		switch {
		case err != nil:
			o.Outcome, o.Err = metrics.OutcomeError, err
			st.LastOutcome, st.LastError = metrics.OutcomeError, err.Error()
			failed = append(failed, src.Name)
		case imported:
			o.Outcome = metrics.OutcomeOK
			st.LastOutcome, st.LastError, st.LastChanged = metrics.OutcomeOK, "", now
		default:
			o.Outcome = metrics.OutcomeUnchanged
			st.LastOutcome, st.LastError = metrics.OutcomeUnchanged, ""
		}
		m.Fetch(src.Name, o.Outcome)
		if err == nil {
			m.RefreshSucceeded(src.Name, now)
		}
		if serr := r.State.Save(); serr != nil {
			return append(outs, o), serr
		}
		if r.Meta != nil {
			if merr := r.Meta.RecordRefresh(ctx, src.Name, st); merr != nil {
				r.logf("refresh %s: %v", src.Name, merr)
			}
		}
		outs = append(outs, o)
	}
	if len(failed) > 0 {
		return outs, fmt.Errorf("refresh: %d source(s) failed: %s", len(failed), strings.Join(failed, ", "))
	}
	return outs, nil
}

func (r *Refresher) importMetric(src string, err error) {
	m := r.Metrics
	if m == nil {
		m = metrics.Default
	}
	if err != nil {
		m.Import(src, metrics.OutcomeError)
	} else {
		m.Import(src, metrics.OutcomeOK)
	}
}

// offers runs the France Travail connector incrementally.
func (r *Refresher) offers(ctx context.Context, src mappings.Source, st *SourceState) (bool, string, error) {
	if r.NewFT == nil {
		return false, "", errors.New("no France Travail client configured")
	}
	c, err := r.NewFT()
	if err != nil {
		return false, "", err
	}
	job := &Offers{
		Source:   src,
		Fetcher:  &francetravail.Fetcher{Client: c, Dir: filepath.Join(r.Dir, src.Name), Logf: r.Logf},
		Importer: r.Importer, Meta: r.Meta, State: st, Now: r.Now, Logf: r.Logf,
	}
	res, err := job.Run(ctx, OffersRequest{Departements: vocab.Departements})
	detail := fmt.Sprintf("%d offers fetched (%d distinct) in %d requests", res.Fetch.Fetched, res.Fetch.Unique, res.Fetch.Requests)
	if len(res.Imported) > 0 {
		detail += fmt.Sprintf("; imported %s: %d records", strings.Join(res.Imported, " "), res.Import.Records)
		r.importMetric(src.Name, err)
	}
	return len(res.Imported) > 0 && err == nil, detail, err
}

// download gets a source's files with conditional requests and imports them when one
// differs from the copy last imported.
func (r *Refresher) download(ctx context.Context, src mappings.Source, st *SourceState) (bool, string, error) {
	var paths []string
	var dls []portal.Download
	changed := false
	notModified := 0
	for _, f := range src.Fetch.Files {
		path := filepath.Join(r.Dir, src.Name, f.Name)
		d, err := portal.Get(ctx, r.HTTP, f.URL, path, st.Validators[f.URL])
		if err != nil {
			return false, "", err
		}
		if src.Fetch.Checksum == "pinned" && d.SHA256 != f.SHA256 {
			return false, "", fmt.Errorf("download %s: sha256 %s, the catalog pins %s: the publisher changed the file; check it and update the catalog", f.URL, d.SHA256, f.SHA256)
		}
		st.Validators[f.URL] = d.Validators
		if d.NotModified {
			notModified++
		}
		if st.Imported[f.Name] != d.SHA256 {
			changed = true
		}
		paths, dls = append(paths, path), append(dls, d)
	}
	detail := fmt.Sprintf("%d file(s), %d not modified (304)", len(paths), notModified)
	if !changed {
		return false, detail + ", same checksums as imported", nil
	}
	res, err := r.Importer.Import(ctx, src, paths)
	r.importMetric(src.Name, err)
	if err != nil {
		return false, detail, err
	}
	for i, f := range src.Fetch.Files {
		st.Imported[f.Name] = dls[i].SHA256
		if r.Meta != nil {
			if err := r.Meta.RecordDownload(ctx, dls[i].SHA256, f.URL, dls[i].At); err != nil {
				return true, detail, fmt.Errorf("imported, but %w", err)
			}
		}
	}
	return true, fmt.Sprintf("%s; imported %d records", detail, res.Records), nil
}

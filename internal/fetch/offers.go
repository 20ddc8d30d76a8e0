package fetch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/openemploi360/openemploi/internal/fetch/francetravail"
	"github.com/openemploi360/openemploi/internal/ingest"
	"github.com/openemploi360/openemploi/mappings"
)

// DefaultOverlap is how far before the latest offer loaded an incremental fetch starts:
// offers are indexed by the API some time after their dateCreation.
const DefaultOverlap = 48 * time.Hour

// Offers fetches a France Travail offers source into month files and imports the
// months whose file changed since it was last imported.
type Offers struct {
	Source   mappings.Source
	Fetcher  *francetravail.Fetcher
	Importer Importer     // nil: files only
	Meta     *Meta        // needed for an incremental start and for provenance
	State    *SourceState // checksums of the months imported
	Overlap  time.Duration
	Now      func() time.Time
	Logf     func(format string, args ...any)
}

// OffersRequest is one run. A zero Since means incremental: from the latest offer
// loaded minus the overlap (three months back when nothing is loaded); a zero Until
// means now.
type OffersRequest struct {
	Since, Until time.Time
	Departements []string
}

// OffersResult says what a run did.
type OffersResult struct {
	Fetch    francetravail.Result
	Imported []string // month files imported, in one import
	Import   ingest.Result
}

func (o *Offers) logf(format string, args ...any) {
	if o.Logf != nil {
		o.Logf(format, args...)
	}
}

// Run fetches, then imports what changed. An error before the import leaves the store
// as it was; the month files are only written once every window is in.
func (o *Offers) Run(ctx context.Context, req OffersRequest) (OffersResult, error) {
	var out OffersResult
	now := time.Now().UTC()
	if o.Now != nil {
		now = o.Now().UTC()
	}
	run := francetravail.Run{Since: req.Since, Until: req.Until, Departements: req.Departements}
	if run.Until.IsZero() {
		run.Until, run.OpenEnded = now, true
	}
	if run.Since.IsZero() {
		if o.Meta == nil {
			return out, fmt.Errorf("fetch %s: no --since and no store to start from", o.Source.Name)
		}
		latest, err := o.Meta.LatestCreated(ctx, o.Source.Name)
		if err != nil {
			return out, fmt.Errorf("fetch %s: %w", o.Source.Name, err)
		}
		overlap := o.Overlap
		if overlap <= 0 {
			overlap = DefaultOverlap
		}
		if latest.IsZero() {
			// Nothing loaded: the three months a diagnostic looks at.
			run.Since = time.Date(now.Year(), now.Month()-2, 1, 0, 0, 0, 0, time.UTC)
			o.logf("fetch %s: no offer loaded yet, starting at %s", o.Source.Name, run.Since.Format("2006-01-02"))
		} else {
			run.Since = latest.Add(-overlap)
			o.logf("fetch %s: latest offer loaded %s, starting %s before", o.Source.Name, latest.Format(time.RFC3339), overlap)
		}
	}
	// A month is imported whole (its graph is replaced): a window that starts in a month
	// with no file yet starts at that month's beginning, or the month would lose the
	// offers before it.
	first := time.Date(run.Since.Year(), run.Since.Month(), 1, 0, 0, 0, 0, time.UTC)
	if _, err := os.Stat(o.Fetcher.MonthPath(first.Format("2006-01"))); err != nil && run.Since.After(first) {
		o.logf("fetch %s: no file for %s yet: starting at the month's first day", o.Source.Name, first.Format("2006-01"))
		run.Since = first
	}
	res, err := o.Fetcher.Fetch(ctx, run)
	out.Fetch = res
	if err != nil {
		return out, fmt.Errorf("fetch %s: %w", o.Source.Name, err)
	}
	if o.Importer == nil {
		return out, nil
	}
	months, err := o.Fetcher.Months()
	if err != nil {
		return out, fmt.Errorf("fetch %s: %w", o.Source.Name, err)
	}
	var files, sums []string
	for _, m := range months {
		p := o.Fetcher.MonthPath(m)
		sum, err := fileSHA256(p)
		if err != nil {
			return out, fmt.Errorf("fetch %s: %w", o.Source.Name, err)
		}
		if o.State.Imported[filepath.Base(p)] != sum {
			files, sums = append(files, p), append(sums, sum)
		}
	}
	if len(files) == 0 {
		o.logf("fetch %s: no month changed, nothing to import", o.Source.Name)
		return out, nil
	}
	for _, f := range files {
		out.Imported = append(out.Imported, filepath.Base(f))
	}
	o.logf("fetch %s: importing %v", o.Source.Name, out.Imported)
	ir, err := o.Importer.Import(ctx, o.Source, files)
	out.Import = ir
	if err != nil {
		return out, err
	}
	for i, f := range files {
		o.State.Imported[filepath.Base(f)] = sums[i]
		if o.Meta != nil {
			if err := o.Meta.RecordDownload(ctx, sums[i], o.Fetcher.Client.SearchURL(), now); err != nil {
				return out, fmt.Errorf("fetch %s: imported, but %w", o.Source.Name, err)
			}
		}
	}
	return out, nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

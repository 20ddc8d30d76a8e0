package fetch

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/openemploi360/openemploi/internal/fetch/francetravail"
	"github.com/openemploi360/openemploi/internal/fetch/francetravail/fttest"
	"github.com/openemploi360/openemploi/mappings"
)

// A month is imported whole, so a window starting mid-month starts at the month's
// first day unless the month's file is already there.
func TestOffersWindowStartsWithTheMonth(t *testing.T) {
	srv := fttest.New(t)
	c, err := francetravail.New(francetravail.Config{APIURL: srv.APIURL(), TokenURL: srv.TokenURL(),
		ClientID: fttest.ClientID, ClientSecret: fttest.ClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	mar10 := time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)
	until := time.Date(2025, 3, 31, 23, 59, 59, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		haveMonth bool
		want      time.Time
	}{
		{"NoFile", false, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)},
		{"FileThere", true, mar10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			f := &francetravail.Fetcher{Client: c, Dir: dir}
			if tc.haveMonth {
				if err := os.WriteFile(filepath.Join(dir, "offres_2025-03.json"), []byte("[]\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			o := &Offers{Source: mappings.Source{Name: "offres-ft"}, Fetcher: f}
			res, err := o.Run(context.Background(), OffersRequest{Since: mar10, Until: until, Departements: []string{"04"}})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Fetch.Run.Since.Equal(tc.want) {
				t.Errorf("window starts %s, want %s", res.Fetch.Run.Since, tc.want)
			}
			want := len(srv.Select("04", tc.want, until))
			if res.Fetch.Unique != want {
				t.Errorf("fetched %d offers, want the %d of 04 from %s", res.Fetch.Unique, want, tc.want.Format("2006-01-02"))
			}
		})
	}
}

func TestOffersIncrementalNeedsAStore(t *testing.T) {
	o := &Offers{Source: mappings.Source{Name: "offres-ft"}, Fetcher: &francetravail.Fetcher{Dir: t.TempDir()}}
	if _, err := o.Run(context.Background(), OffersRequest{Departements: []string{"04"}}); err == nil {
		t.Error("an incremental run without a store started")
	}
}

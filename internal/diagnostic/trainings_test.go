package diagnostic

import (
	"strings"
	"testing"
	"time"
)

func TestTrainingWindow(t *testing.T) {
	th, err := DefaultThresholds()
	if err != nil {
		t.Fatal(err)
	}
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	for _, tc := range []struct {
		name, now, latest, from string
	}{
		// the data ends in January 2025 and today is much later: anchored on the data
		{"OldData", "2026-12-05", "2025-01", "2025-02-01"},
		// offers of the current month: today
		{"LiveData", "2025-01-20", "2025-01", "2025-01-20"},
		{"NoOffers", "2026-12-05", "", "2026-12-05"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			from, until := trainingWindow(day(tc.now).Add(15*time.Hour), tc.latest, th)
			if got := from.Format(time.DateOnly); got != tc.from {
				t.Errorf("from %s, want %s", got, tc.from)
			}
			if !until.Equal(from.AddDate(0, th.Training.HorizonMonths, 0)) {
				t.Errorf("until %s", until)
			}
		})
	}
}

func TestAssembleTrainings(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	since, from, until := day("2024-02-01"), day("2025-02-01"), day("2026-02-01")
	span := TrainingSpan{First: "2024-03-01", Last: "2026-05-04", Sessions: 40}
	s := func(start string) Training { return Training{IRI: "s:" + start, Start: start} }
	for _, tc := range []struct {
		name     string
		in       []Training
		list     string
		upcoming int
		recent   bool
		note     string
	}{
		{"Upcoming", []Training{s("2024-11-04"), s("2026-05-04"), s("2025-03-03")}, "2025-03-03,2026-05-04", 1, false,
			"Sessions débutant à partir du 1er février 2025 ; les données de formation vont jusqu'au 4 mai 2026."},
		{"OnlyPast", []Training{s("2024-03-01"), s("2024-11-04")}, "2024-11-04*,2024-03-01*", 0, true,
			"Aucune session à venir à partir du 1er février 2025 : voici les plus récentes ; les données de formation vont jusqu'au 4 mai 2026."},
		{"None", nil, "", 0, false,
			"Aucune session connue pour ce métier dans la zone du 1er février 2024 au 1er février 2026 ; les données de formation vont jusqu'au 4 mai 2026."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			list, w, n := assembleTrainings(tc.in, since, from, until, span)
			var got []string
			for _, tr := range list {
				if tr.Past {
					tr.Start += "*"
				}
				got = append(got, tr.Start)
			}
			if strings.Join(got, ",") != tc.list || n != tc.upcoming || w.Recent != tc.recent {
				t.Errorf("list %v, upcoming %d, recent %v; want %s, %d, %v", got, n, w.Recent, tc.list, tc.upcoming, tc.recent)
			}
			if w.Note != tc.note || w.From != "2025-02-01" || w.Until != "2026-02-01" || w.DataUntil != "2026-05-04" {
				t.Errorf("window %+v", w)
			}
		})
	}
	if _, w, _ := assembleTrainings(nil, since, from, until, TrainingSpan{}); !strings.Contains(w.Note, "aucune session de formation n'est chargée") {
		t.Errorf("note without training data: %q", w.Note)
	}
}

func TestFrDate(t *testing.T) {
	for in, want := range map[string]string{"2025-02-01": "1er février 2025", "2025-08-15": "15 août 2025", "2025-13": "2025-13"} {
		if got := frDate(in); got != want {
			t.Errorf("frDate(%s) = %q, want %q", in, got, want)
		}
	}
}

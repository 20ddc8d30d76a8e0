package diagnostic

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// TrainingSource reads training sessions (queries/trainings.rq, session-count.rq,
// training-span.rq).
type TrainingSource interface {
	// Trainings returns, per [métier, zone] IRIs, the sessions of trainings covering
	// the métier that start in the zone on or after from, soonest first.
	Trainings(ctx context.Context, metiers, zones []string, from time.Time) (map[[2]string][]Training, error)
	// SessionCount counts the sessions starting in [from, until] anywhere in the
	// region: the coverage of the training data behind the training light.
	SessionCount(ctx context.Context, from, until time.Time) (int, error)
	// TrainingSpan says how far the training data goes, anywhere in the region.
	TrainingSpan(ctx context.Context) (TrainingSpan, error)
}

// TrainingSpan is the extent of the live training data: the first and last session
// start ("2025-02-28"; "" without sessions) and the number of sessions.
type TrainingSpan struct {
	First, Last string
	Sessions    int
}

// Training is a training session of a formation covering a métier.
type Training struct {
	IRI, Name, Start, Commune, Provider string
	Covers                              []string // métier IRIs
	Formacode                           string
	Source                              string
	// Past marks a session that started before the window: listed only when none
	// is upcoming, so that the section still shows what the zone offers.
	Past bool
	// Synthetic is true when the session comes from a synthetic graph.
	Synthetic bool
}

// TrainingWindow says which sessions a cell lists and how far the training data goes.
type TrainingWindow struct {
	// From and Until bound the days in which a session counts as upcoming: from the
	// day the data is as of (today, or the day after the latest month of offers when
	// the data ends before today), for thresholds' horizon_months.
	From, Until string
	// DataUntil is the latest session start in the training data ("" without any).
	DataUntil string
	// Recent is true when no session is upcoming and the list shows the latest
	// sessions of the past horizon instead (each marked Past).
	Recent bool
	Note   string // French
}

const maxTrainings = 10

type trainingsUnit struct{ src TrainingSource }

func (trainingsUnit) Name() string { return "trainings" }

func (u trainingsUnit) Fetch(ctx context.Context, q *Query) (Assemble, error) {
	from, until := trainingWindow(q.Now, q.Latest, q.th)
	since := from.AddDate(0, -q.th.Training.HorizonMonths, 0)
	var (
		regionSessions int
		sessions       map[[2]string][]Training
	)
	err := parallel(
		func() (err error) { regionSessions, err = q.ix.sessionCount(ctx, u.src, from, until); return },
		func() (err error) {
			sessions = map[[2]string][]Training{}
			if zones := q.RealZones(); len(zones) > 0 {
				// one horizon back too: the recent sessions shown when none is upcoming
				sessions, err = u.src.Trainings(ctx, q.MetierIRIs(), zones, since)
			}
			return
		},
	)
	if err != nil {
		return nil, err
	}
	span := q.ix.span
	loaded := span.Sessions > 0
	return func(d *Diagnostic) {
		for i := range d.Cells {
			c := &d.Cells[i]
			region := isRegion(c.Zone)
			n := 0
			if !region {
				var w *TrainingWindow
				c.Trainings, w, n = assembleTrainings(sessions[[2]string{c.Metier.IRI, c.Zone.IRI}], since, from, until, span)
				c.TrainingWindow = w
			}
			l := q.th.trainingLight(n, loaded, regionSessions)
			if region && loaded {
				// sessions are read by zone: the region's cell has none of its own
				l.Color, l.Explanation, l.Inputs["sessions"] = Unknown, "Les sessions de formation se lisent par zone d'emploi : choisissez une zone pour les voir.", nil
			}
			l.Inputs["from"], l.Inputs["dataUntil"] = from.Format(time.DateOnly), span.Last
			c.Lights = append(c.Lights, l)
		}
	}, nil
}

// trainingWindow is the days in which sessions count as upcoming, anchored on the
// data as the market is: from today, or from the day after the latest month of
// offers when the data ends before today (a diagnostic on data a few months old
// would otherwise find every session past), for the thresholds' horizon.
func trainingWindow(now time.Time, latest string, th *Thresholds) (from, until time.Time) {
	from = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if m, err := time.Parse("2006-01", latest); err == nil {
		if next := m.AddDate(0, 1, 0); next.Before(from) {
			from = next
		}
	}
	return from, from.AddDate(0, th.Training.HorizonMonths, 0)
}

// assembleTrainings picks a cell's sessions (l: those starting on or after since):
// those starting from from on (soonest first), or, when none is upcoming, the latest
// ones before from (most recent first, marked Past); upcoming counts the sessions within the window. The window
// says so in French with the day the training data runs to.
func assembleTrainings(l []Training, since, from, until time.Time, span TrainingSpan) (list []Training, w *TrainingWindow, upcoming int) {
	day, end := from.Format(time.DateOnly), until.Format(time.DateOnly)
	var next, past []Training
	for _, t := range l {
		if t.Start >= day {
			next = append(next, t)
			if t.Start <= end {
				upcoming++
			}
		} else {
			t.Past = true
			past = append(past, t)
		}
	}
	sort.SliceStable(next, func(i, j int) bool { return next[i].Start < next[j].Start })
	sort.SliceStable(past, func(i, j int) bool { return past[i].Start > past[j].Start })
	w = &TrainingWindow{From: day, Until: end, DataUntil: span.Last}
	runs := "aucune session de formation n'est chargée"
	if span.Last != "" {
		runs = "les données de formation vont jusqu'au " + frDate(span.Last)
	}
	switch {
	case len(next) > 0:
		list = capList(next, maxTrainings)
		w.Note = fmt.Sprintf("Sessions débutant à partir du %s ; %s.", frDate(day), runs)
	case len(past) > 0:
		list, w.Recent = capList(past, maxTrainings), true
		w.Note = fmt.Sprintf("Aucune session à venir à partir du %s : voici les plus récentes ; %s.", frDate(day), runs)
	default:
		w.Note = fmt.Sprintf("Aucune session connue pour ce métier dans la zone du %s au %s ; %s.", frDate(since.Format(time.DateOnly)), frDate(end), runs)
	}
	return list, w, upcoming
}

var frMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// frDate writes a day ("2025-02-01") in French ("1er février 2025"); other text as is.
func frDate(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	d := fmt.Sprint(t.Day())
	if t.Day() == 1 {
		d = "1er"
	}
	return fmt.Sprintf("%s %s %d", d, frMonths[t.Month()-1], t.Year())
}

// trainingLight rates the number of upcoming sessions. regionSessions is how many
// sessions start within the horizon in the whole region (-1: not known); below
// training.min_region_sessions, finding none for the métier says more about the data
// than about the métier, so the light is unknown rather than red.
func (t *Thresholds) trainingLight(sessions int, loaded bool, regionSessions int) Light {
	l := Light{Axis: AxisTraining, Rule: fmt.Sprintf("sessions de formation au métier débutant dans la zone dans les %d mois à partir de la date des données", t.Training.HorizonMonths),
		Inputs:     map[string]any{"sessions": sessions},
		Thresholds: map[string]any{"greenMin": t.Training.GreenMinSessions, "amberMin": t.Training.AmberMinSessions, "horizonMonths": t.Training.HorizonMonths}}
	if regionSessions >= 0 {
		l.Inputs["regionSessions"] = regionSessions
		l.Thresholds["minRegionSessions"] = t.Training.MinRegionSessions
	}
	switch {
	case !loaded:
		l.Color, l.Explanation, l.Inputs["sessions"] = Unknown, "Aucune offre de formation n'est chargée.", nil
	case sessions < t.Training.AmberMinSessions && regionSessions >= 0 && regionSessions < t.Training.MinRegionSessions:
		l.Color, l.Explanation = Unknown, fmt.Sprintf("Aucune session trouvée pour ce métier dans la zone, mais les données de formation chargées ne comptent que %d session(s) à venir dans toute la région (moins de %d) : trop peu pour conclure.", regionSessions, t.Training.MinRegionSessions)
	case sessions >= t.Training.GreenMinSessions:
		l.Color, l.Explanation = Green, fmt.Sprintf("%d sessions de formation à venir dans la zone.", sessions)
	case sessions >= t.Training.AmberMinSessions:
		l.Color, l.Explanation = Amber, "Une seule session de formation à venir dans la zone."
	default:
		l.Color, l.Explanation = Red, "Aucune session de formation à venir dans la zone pour ce métier."
	}
	return l
}

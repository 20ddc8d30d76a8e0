package diagnostic

import (
	"context"
	"fmt"
	"time"

	"github.com/openemploi360/openemploi/internal/vocab"
)

// TrainingSource reads training sessions (queries/trainings.rq, session-count.rq).
type TrainingSource interface {
	// Trainings returns, per [métier, zone] IRIs, the sessions of trainings covering
	// the métier that start in the zone on or after from, soonest first.
	Trainings(ctx context.Context, metiers, zones []string, from time.Time) (map[[2]string][]Training, error)
	// SessionCount counts the sessions starting in [from, until] anywhere in the
	// region: the coverage of the training data behind the training light.
	SessionCount(ctx context.Context, from, until time.Time) (int, error)
}

// Training is a training session of a formation covering a métier.
type Training struct {
	IRI, Name, Start, Commune, Provider string
	Covers                              []string // métier IRIs
	Formacode                           string
	Source                              string
}

const maxTrainings = 10

type trainingsUnit struct{ src TrainingSource }

func (trainingsUnit) Name() string { return "trainings" }

func (u trainingsUnit) Fetch(ctx context.Context, q *Query) (Assemble, error) {
	day, until := trainingWindow(q.Now, q.th)
	var (
		regionSessions int
		sessions       map[[2]string][]Training
	)
	err := parallel(
		func() (err error) { regionSessions, err = q.ix.sessionCount(ctx, u.src, day, until); return },
		func() (err error) {
			sessions = map[[2]string][]Training{}
			if zones := q.RealZones(); len(zones) > 0 {
				sessions, err = u.src.Trainings(ctx, q.MetierIRIs(), zones, q.Now)
			}
			return
		},
	)
	if err != nil {
		return nil, err
	}
	loaded := false
	for _, s := range q.Sources {
		if vocab.InFamily(s.IRI, vocab.FamilyTrainings) {
			loaded = true
		}
	}
	horizon := q.Now.AddDate(0, q.th.Training.HorizonMonths, 0).Format(time.DateOnly)
	return func(d *Diagnostic) {
		for i := range d.Cells {
			c := &d.Cells[i]
			region := isRegion(c.Zone)
			if !region {
				c.Trainings = capList(sessions[[2]string{c.Metier.IRI, c.Zone.IRI}], maxTrainings)
			}
			c.Lights = append(c.Lights, q.th.trainingLight(upcoming(c.Trainings, horizon), loaded && !region, regionSessions))
		}
	}, nil
}

// trainingWindow is the days in which sessions count as upcoming: from today to the
// thresholds' horizon.
func trainingWindow(now time.Time, th *Thresholds) (from, until time.Time) {
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	return day, day.AddDate(0, th.Training.HorizonMonths, 0)
}

// upcoming counts the sessions starting on or before the horizon day.
func upcoming(l []Training, horizon string) int {
	n := 0
	for _, t := range l {
		if t.Start <= horizon {
			n++
		}
	}
	return n
}

// trainingLight rates the number of upcoming sessions. regionSessions is how many
// sessions start within the horizon in the whole region (-1: not known); below
// training.min_region_sessions, finding none for the métier says more about the data
// than about the métier, so the light is unknown rather than red.
func (t *Thresholds) trainingLight(sessions int, loaded bool, regionSessions int) Light {
	l := Light{Axis: AxisTraining, Rule: fmt.Sprintf("sessions de formation au métier débutant dans la zone d'ici %d mois", t.Training.HorizonMonths),
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

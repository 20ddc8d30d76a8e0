package diagnostic

import (
	_ "embed"
	"fmt"
	"math"

	"gopkg.in/yaml.v3"
)

//go:embed thresholds.yaml
var thresholdsYAML []byte

// Thresholds is thresholds.yaml.
type Thresholds struct {
	Version string `yaml:"version"`
	Market  struct {
		GreenMinOffersPerMonth float64 `yaml:"green_min_offers_per_month"`
		AmberMinOffersPerMonth float64 `yaml:"amber_min_offers_per_month"`
		FallingTrendPct        float64 `yaml:"falling_trend_pct"`
	} `yaml:"market"`
	Pay struct {
		MinSalaryN             int     `yaml:"min_salary_n"`
		AmberMinRatioToCurrent float64 `yaml:"amber_min_ratio_to_current"`
	} `yaml:"pay"`
	Skills struct {
		GreenMinMatchPct float64 `yaml:"green_min_match_pct"`
		AmberMinMatchPct float64 `yaml:"amber_min_match_pct"`
	} `yaml:"skills"`
	Training struct {
		HorizonMonths     int `yaml:"horizon_months"`
		GreenMinSessions  int `yaml:"green_min_sessions"`
		AmberMinSessions  int `yaml:"amber_min_sessions"`
		MinRegionSessions int `yaml:"min_region_sessions"`
	} `yaml:"training"`
	Life struct {
		GreenMaxUnemploymentPct float64 `yaml:"green_max_unemployment_pct"`
		AmberMaxUnemploymentPct float64 `yaml:"amber_max_unemployment_pct"`
	} `yaml:"life"`
	Ranking struct {
		Weights map[string]float64 `yaml:"weights"`
	} `yaml:"ranking"`
}

// DefaultThresholds parses the embedded thresholds.yaml.
func DefaultThresholds() (*Thresholds, error) { return ParseThresholds(thresholdsYAML) }

// ParseThresholds parses and checks a thresholds file.
func ParseThresholds(b []byte) (*Thresholds, error) {
	var t Thresholds
	if err := yaml.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("thresholds.yaml: %w", err)
	}
	switch {
	case t.Version == "":
		return nil, fmt.Errorf("thresholds.yaml: version is required")
	case t.Market.GreenMinOffersPerMonth <= t.Market.AmberMinOffersPerMonth:
		return nil, fmt.Errorf("thresholds.yaml: market.green_min_offers_per_month must exceed amber_min_offers_per_month")
	case t.Skills.GreenMinMatchPct <= t.Skills.AmberMinMatchPct:
		return nil, fmt.Errorf("thresholds.yaml: skills.green_min_match_pct must exceed amber_min_match_pct")
	case t.Life.GreenMaxUnemploymentPct >= t.Life.AmberMaxUnemploymentPct:
		return nil, fmt.Errorf("thresholds.yaml: life.green_max_unemployment_pct must be below amber_max_unemployment_pct")
	case t.Training.GreenMinSessions <= t.Training.AmberMinSessions || t.Training.HorizonMonths <= 0:
		return nil, fmt.Errorf("thresholds.yaml: training thresholds out of order")
	case t.Pay.MinSalaryN <= 0:
		return nil, fmt.Errorf("thresholds.yaml: pay.min_salary_n must be positive")
	}
	return &t, nil
}

// Colors of a light.
const (
	Green   = "green"
	Amber   = "amber"
	Red     = "red"
	Unknown = "unknown"
)

// Axes of the lights.
const (
	AxisMarket   = "market"
	AxisPay      = "pay"
	AxisSkills   = "skills"
	AxisTraining = "training"
	AxisLife     = "life"
)

// Light is the verdict on one axis, with what it was computed from.
type Light struct {
	Axis        string
	Color       string
	Rule        string
	Inputs      map[string]any
	Thresholds  map[string]any
	Explanation string // French
}

func lower(c string) string {
	switch c {
	case Green:
		return Amber
	case Amber:
		return Red
	}
	return c
}

func fmtNum(v float64) string {
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}

// marketLight rates the average monthly offers of the latest 3 months and the trend.
func (t *Thresholds) marketLight(perMonth, trend Figure) Light {
	l := Light{Axis: AxisMarket, Rule: "moyenne mensuelle des offres sur les 3 derniers mois ; une baisse forte abaisse d'un cran",
		Inputs:     map[string]any{"offersPerMonth": perMonth.Value, "trendPct": trend.Value},
		Thresholds: map[string]any{"greenMin": t.Market.GreenMinOffersPerMonth, "amberMin": t.Market.AmberMinOffersPerMonth, "fallingTrendPct": t.Market.FallingTrendPct}}
	if !perMonth.Known() {
		l.Color, l.Explanation = Unknown, "Pas de données d'offres pour ce métier et cette zone."
		return l
	}
	v := *perMonth.Value
	switch {
	case v >= t.Market.GreenMinOffersPerMonth:
		l.Color = Green
		l.Explanation = fmt.Sprintf("Marché actif : %s offres par mois en moyenne sur les 3 derniers mois.", fmtNum(v))
	case v >= t.Market.AmberMinOffersPerMonth:
		l.Color = Amber
		l.Explanation = fmt.Sprintf("Marché modeste : %s offres par mois en moyenne sur les 3 derniers mois.", fmtNum(v))
	default:
		l.Color = Red
		l.Explanation = fmt.Sprintf("Marché étroit : %s offre par mois en moyenne sur les 3 derniers mois.", fmtNum(v))
	}
	if trend.Known() && *trend.Value <= t.Market.FallingTrendPct {
		l.Color = lower(l.Color)
		l.Explanation += fmt.Sprintf(" Les offres ont baissé de %s %% par rapport aux 3 mois précédents.", fmtNum(-*trend.Value))
	}
	return l
}

// payLight compares the offered salaries with the wished range, or else the current income.
func (t *Thresholds) payLight(s SalaryStats, inc *Income) Light {
	l := Light{Axis: AxisPay, Rule: "salaire médian et 3e quartile proposés comparés au minimum souhaité, sinon au revenu actuel",
		Inputs:     map[string]any{"median": s.Median, "q3": s.Q3, "n": s.N},
		Thresholds: map[string]any{"minSalaryN": t.Pay.MinSalaryN, "amberMinRatioToCurrent": t.Pay.AmberMinRatioToCurrent}}
	if s.Median == nil || s.N < t.Pay.MinSalaryN {
		l.Color = Unknown
		l.Explanation = fmt.Sprintf("Trop peu d'offres indiquant un salaire (%d) pour conclure.", s.N)
		return l
	}
	med := *s.Median
	switch {
	case inc != nil && inc.WishedMin != nil:
		l.Inputs["wishedMin"] = *inc.WishedMin
		switch {
		case med >= *inc.WishedMin:
			l.Color, l.Explanation = Green, fmt.Sprintf("Le salaire médian proposé (%s € brut/mois) atteint votre minimum souhaité.", fmtNum(med))
		case s.Q3 != nil && *s.Q3 >= *inc.WishedMin:
			l.Color, l.Explanation = Amber, fmt.Sprintf("Le salaire médian proposé (%s € brut/mois) est sous votre minimum souhaité, mais un quart des offres l'atteignent.", fmtNum(med))
		default:
			l.Color, l.Explanation = Red, fmt.Sprintf("Même le quart le mieux payé des offres (%s € brut/mois) reste sous votre minimum souhaité.", fmtNum(*s.Q3))
		}
	case inc != nil && inc.Current != nil:
		l.Inputs["current"] = *inc.Current
		switch {
		case med >= *inc.Current:
			l.Color, l.Explanation = Green, fmt.Sprintf("Le salaire médian proposé (%s € brut/mois) atteint votre revenu actuel.", fmtNum(med))
		case med >= *inc.Current*t.Pay.AmberMinRatioToCurrent:
			l.Color, l.Explanation = Amber, fmt.Sprintf("Le salaire médian proposé (%s € brut/mois) est un peu sous votre revenu actuel.", fmtNum(med))
		default:
			l.Color, l.Explanation = Red, fmt.Sprintf("Le salaire médian proposé (%s € brut/mois) est nettement sous votre revenu actuel.", fmtNum(med))
		}
	default:
		l.Color = Unknown
		l.Explanation = fmt.Sprintf("Salaire médian proposé : %s € brut/mois ; indiquez vos revenus pour le comparer.", fmtNum(med))
	}
	return l
}

// skillsLight rates the profile's match with the fiche's skills.
func (t *Thresholds) skillsLight(match Figure) Light {
	l := Light{Axis: AxisSkills, Rule: "part des compétences de la fiche que vous possédez, pondérée par votre niveau sur 5",
		Inputs:     map[string]any{"matchPct": match.Value},
		Thresholds: map[string]any{"greenMinPct": t.Skills.GreenMinMatchPct, "amberMinPct": t.Skills.AmberMinMatchPct}}
	switch {
	case !match.Known():
		l.Color, l.Explanation = Unknown, "Renseignez vos compétences pour mesurer l'écart avec le métier."
	case *match.Value >= t.Skills.GreenMinMatchPct:
		l.Color, l.Explanation = Green, fmt.Sprintf("Vous couvrez %s %% des compétences du métier.", fmtNum(*match.Value))
	case *match.Value >= t.Skills.AmberMinMatchPct:
		l.Color, l.Explanation = Amber, fmt.Sprintf("Vous couvrez %s %% des compétences du métier : une partie reste à acquérir.", fmtNum(*match.Value))
	default:
		l.Color, l.Explanation = Red, fmt.Sprintf("Vous ne couvrez que %s %% des compétences du métier.", fmtNum(*match.Value))
	}
	return l
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

// lifeLight rates the zone's unemployment rate.
func (t *Thresholds) lifeLight(unemployment Figure) Light {
	l := Light{Axis: AxisLife, Rule: "taux de chômage localisé de la zone d'emploi (dernier trimestre)",
		Inputs:     map[string]any{"unemploymentPct": unemployment.Value, "period": unemployment.Period},
		Thresholds: map[string]any{"greenMaxPct": t.Life.GreenMaxUnemploymentPct, "amberMaxPct": t.Life.AmberMaxUnemploymentPct}}
	switch {
	case !unemployment.Known():
		l.Color, l.Explanation = Unknown, "Taux de chômage de la zone inconnu."
	case *unemployment.Value <= t.Life.GreenMaxUnemploymentPct:
		l.Color, l.Explanation = Green, fmt.Sprintf("Chômage de la zone à %s %% : plus bas que la moyenne régionale.", fmtNum(*unemployment.Value))
	case *unemployment.Value <= t.Life.AmberMaxUnemploymentPct:
		l.Color, l.Explanation = Amber, fmt.Sprintf("Chômage de la zone à %s %%, proche de la moyenne régionale.", fmtNum(*unemployment.Value))
	default:
		l.Color, l.Explanation = Red, fmt.Sprintf("Chômage de la zone élevé : %s %%.", fmtNum(*unemployment.Value))
	}
	return l
}

// score combines lights into 0–100; ok is false when every light is unknown.
func (t *Thresholds) score(lights []Light) (float64, bool) {
	var sum, w float64
	for _, l := range lights {
		wt := t.Ranking.Weights[l.Axis]
		var v float64
		switch l.Color {
		case Green:
			v = 1
		case Amber:
			v = 0.5
		case Red:
			v = 0
		default:
			continue
		}
		sum += v * wt
		w += wt
	}
	if w == 0 {
		return 0, false
	}
	return math.Round(sum/w*1000) / 10, true
}

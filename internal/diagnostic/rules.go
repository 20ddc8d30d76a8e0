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
		MinTrendOffers         int     `yaml:"min_trend_offers"`
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
	case t.Market.MinTrendOffers <= 0:
		return nil, fmt.Errorf("thresholds.yaml: market.min_trend_offers must be positive")
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

// roundTo rounds v to digits decimals, halves away from zero.
func roundTo(v float64, digits int) *float64 {
	p := math.Pow(10, float64(digits))
	r := float64(int64(v*p+0.5*sign(v))) / p
	return &r
}

// roundp is roundTo for an optional value.
func roundp(v *float64, digits int) *float64 {
	if v == nil {
		return nil
	}
	return roundTo(*v, digits)
}

func sign(v float64) float64 {
	if v < 0 {
		return -1
	}
	return 1
}

package rml

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// oefn:pay reads the pay of a job offer from the words of the source and
// normalises it to a gross monthly full-time equivalent, the figure the
// salary quartiles compare. France Travail gives the pay as text only
// ("Mensuel de 3000.00 Euros à 3500.00 Euros sur 12 mois"), sometimes only
// in a free comment ("45 - 55 k€ brut annuel"), with the weekly hours in
// another field ("18H Travail en journée"). RML functions have neither
// regular expressions nor arithmetic, hence one function, with the rules
// written and tested here (mappings/README.md lists them for stewards):
//
//   - amounts: the text "<Annuel|Mensuel|Horaire> de A Euros [à B Euros]
//     [sur N mois]", else the comment's amount or range with a currency
//     ("€", "euros", "k€"), its unit from its words (annuel, mois,
//     horaire...) or, failing that, from its size;
//   - a monthly amount of 10 000 or more is an annual one written in the
//     monthly field; an annual one under 5 000 a monthly one; an hourly one
//     over 200 a monthly one (each noted in the adjustment);
//   - monthly = middle of the range per month: annual / 12, hourly × 151.67
//     (35 h a week), monthly × N / 12 when paid over N > 12 months; then
//     × 35 / weekly hours when the hours are given (full-time equivalent);
//   - excluded (no monthly figure, the reason kept): net amounts, part-time
//     monthly or annual pay without the weekly hours, and a monthly figure
//     under 400 or over 15 000 (implausible).

// Pay is a parsed and normalised offer pay.
type Pay struct {
	Unit       string  // YEAR, MONTH or HOUR, after correction
	Min, Max   float64 // in Unit
	Monthly    float64 // gross monthly full-time equivalent; 0 when excluded
	Exclusion  string  // why Monthly is not given: net, part-time without hours, implausible
	Adjustment string  // what was corrected or assumed, "; "-separated
}

// Plausibility bounds of the monthly full-time equivalent (euros): under
// the lower one even an apprentice's pay (27 % of the SMIC) is not; over
// the upper one a figure is an error or an outlier the quartiles must not
// show.
const (
	payMonthlyMin  = 400
	payMonthlyMax  = 15000
	hoursFullTime  = 35.0
	hoursPerMonth  = 151.67 // 35 h × 52 / 12
	payAnnualBelow = 5000   // an "annual" amount under this is monthly
	payMonthlyOver = 10000  // a "monthly" amount from this on is annual
	payHourlyOver  = 200    // an "hourly" amount over this is monthly
)

var (
	payText  = regexp.MustCompile(`^\s*(Annuel|Mensuel|Horaire) de ([0-9][0-9  ]*(?:[.,][0-9]+)?) Euros(?: à ([0-9][0-9  ]*(?:[.,][0-9]+)?) Euros)?(?: sur ([0-9]+(?:[.,][0-9]+)?) mois)?`)
	payNum   = `([0-9]{1,3}(?:[   ][0-9]{3})+(?:,[0-9]+)?|[0-9]+(?:[.,][0-9]+)?)`
	payCur   = `\s*(k\s*€|k\s*euros?|k\b|€|euros?|eur\b)`
	payRange = regexp.MustCompile(payNum + `(?:` + payCur + `)?\s*(?:-|–|à|a)\s*` + payNum + payCur)
	payOne   = regexp.MustCompile(payNum + payCur)
	payHours = regexp.MustCompile(`(?i)\b([0-9]{1,2})\s*h\s*([0-9]{2})?`)
	payNet   = regexp.MustCompile(`\bnets?\b|\bnettes?\b`)
	payBrut  = regexp.MustCompile(`\bbruts?\b|\bbrutes?\b`)
	payThou  = regexp.MustCompile(`^[0-9]{1,3}(\.[0-9]{3})+$`)
	// numSpaces are the thousands separators of French amounts.
	numSpaces = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "")
)

// ParsePay reads text (the structured pay), comment and hours (the weekly
// working time); ok is false when no amount is found.
func ParsePay(text, comment, hours string) (p Pay, ok bool) {
	var notes []string
	months := 0.0
	if m := payText.FindStringSubmatch(text); m != nil {
		p.Unit = map[string]string{"Annuel": "YEAR", "Mensuel": "MONTH", "Horaire": "HOUR"}[m[1]]
		p.Min = payNumber(m[2])
		p.Max = p.Min
		if m[3] != "" {
			p.Max = payNumber(m[3])
		}
		if m[4] != "" {
			months = payNumber(m[4])
		}
	} else if !p.fromComment(comment, &notes) {
		return Pay{}, false
	}
	if p.Min <= 0 {
		return Pay{}, false
	}
	if p.Min > p.Max {
		p.Min, p.Max = p.Max, p.Min
	}
	switch {
	case p.Unit == "MONTH" && p.Min >= payMonthlyOver:
		p.Unit = "YEAR"
		notes = append(notes, "annual amount in a monthly field")
	case p.Unit == "YEAR" && p.Max < payAnnualBelow:
		p.Unit = "MONTH"
		notes = append(notes, "monthly amount in an annual field")
	case p.Unit == "HOUR" && p.Min > payHourlyOver:
		p.Unit = "MONTH"
		notes = append(notes, "monthly amount in an hourly field")
	}
	mid := (p.Min + p.Max) / 2
	var monthly float64
	switch p.Unit {
	case "YEAR":
		monthly = mid / 12
	case "MONTH":
		monthly = mid
		if months > 12 && months <= 16 {
			monthly = mid * months / 12
			notes = append(notes, "paid over "+strconv.FormatFloat(months, 'f', -1, 64)+" months")
		}
	case "HOUR":
		monthly = mid * hoursPerMonth
	}
	h, partTime := weeklyHours(hours)
	switch {
	case p.Unit == "HOUR":
		// an hourly rate is already comparable
	case h > 0:
		if math.Abs(h-hoursFullTime) > 0.01 {
			monthly = monthly * hoursFullTime / h
			notes = append(notes, "full-time equivalent of "+strconv.FormatFloat(h, 'f', -1, 64)+" h a week")
		}
	case partTime:
		p.Exclusion = "part-time without hours"
	}
	lc := strings.ToLower(foldASCII(text + " " + comment))
	if payNet.MatchString(lc) && !payBrut.MatchString(lc) {
		p.Exclusion = "net"
	}
	monthly = math.Round(monthly*100) / 100
	if p.Exclusion == "" && (monthly < payMonthlyMin || monthly > payMonthlyMax) {
		p.Exclusion = "implausible"
	}
	if p.Exclusion == "" {
		p.Monthly = monthly
	}
	p.Adjustment = strings.Join(notes, "; ")
	return p, true
}

// fromComment reads an amount or range with a currency from a free comment.
func (p *Pay) fromComment(c string, notes *[]string) bool {
	lc := strings.ToLower(c)
	var lo, hi float64
	var kilo bool
	if m := payRange.FindStringSubmatch(lc); m != nil {
		kilo = strings.HasPrefix(m[4], "k") || strings.HasPrefix(m[2], "k")
		lo, hi = payNumber(m[1]), payNumber(m[3])
	} else if m := payOne.FindStringSubmatch(lc); m != nil {
		kilo = strings.HasPrefix(m[2], "k")
		lo = payNumber(m[1])
		hi = lo
	} else {
		return false
	}
	if kilo {
		lo, hi = lo*1000, hi*1000
	}
	f := foldASCII(lc)
	switch {
	case strings.Contains(f, "annuel") || strings.Contains(f, "/an") || strings.Contains(f, "par an") || kilo:
		p.Unit = "YEAR"
	case strings.Contains(f, "mensuel") || strings.Contains(f, "mois"):
		p.Unit = "MONTH"
	case strings.Contains(f, "horaire") || strings.Contains(f, "heure") || strings.Contains(f, "/h"):
		p.Unit = "HOUR"
	default:
		switch {
		case hi >= payMonthlyOver:
			p.Unit = "YEAR"
		case hi >= payHourlyOver:
			p.Unit = "MONTH"
		default:
			p.Unit = "HOUR"
		}
		*notes = append(*notes, "unit guessed from the amount")
	}
	p.Min, p.Max = lo, hi
	*notes = append(*notes, "amount read from the comment")
	return true
}

// payNumber reads "1 858,14", "1.858", "40000,00", "12.5".
func payNumber(s string) float64 {
	s = numSpaces.Replace(s)
	switch {
	case strings.Contains(s, ","):
		s = strings.ReplaceAll(strings.ReplaceAll(s, ".", ""), ",", ".")
	case payThou.MatchString(s):
		s = strings.ReplaceAll(s, ".", "")
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0
	}
	return f
}

// weeklyHours reads "35H Travail en journée", "37H30", "temps partiel -
// 28H"; partTime is set when the text says part-time.
func weeklyHours(s string) (h float64, partTime bool) {
	partTime = strings.Contains(strings.ToLower(s), "partiel")
	m := payHours.FindStringSubmatch(s)
	if m == nil {
		return 0, partTime
	}
	h, _ = strconv.ParseFloat(m[1], 64)
	if m[2] != "" {
		min, _ := strconv.ParseFloat(m[2], 64)
		h += min / 60
	}
	if h < 1 || h > 60 {
		return 0, partTime
	}
	return math.Round(h*100) / 100, partTime
}

// payFn is oefn:pay: oefn:value (the pay text), oefn:comment, oefn:hours,
// oefn:part (unit, min, max, monthly, exclusion, adjustment).
func payFn(a []arg) (string, bool, error) {
	p, ok := ParsePay(a[0].v, a[1].v, a[2].v)
	return payPart(p, ok, a[3].v)
}

// payPart renders one output of a parsed pay.
func payPart(p Pay, ok bool, part string) (string, bool, error) {
	if !ok {
		return "", false, nil
	}
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	switch part {
	case "unit":
		return p.Unit, true, nil
	case "min":
		return num(p.Min), true, nil
	case "max":
		return num(p.Max), true, nil
	case "monthly":
		return num(p.Monthly), p.Monthly > 0, nil
	case "exclusion":
		return p.Exclusion, p.Exclusion != "", nil
	case "adjustment":
		return p.Adjustment, p.Adjustment != "", nil
	}
	return "", false, errPayPart
}

// payParts are the outputs of oefn:pay.
var payParts = []string{"unit", "min", "max", "monthly", "exclusion", "adjustment"}

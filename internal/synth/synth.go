// Package synth generates SYNTHETIC job offers and training sessions for load
// tests and demos, in the very layouts of the real sources (France Travail
// "Offres d'emploi v2" JSON, LHEO XML) so that the same mappings import them.
//
// Everything it writes is labelled: offer ids start with "SYN", employers are
// "Entreprise synthétique n°…", titles and descriptions say "[SYNTHÉTIQUE]",
// and the catalog entries (offres-synth, formations-synth) are synthetic: true.
// The codes come from the real referentials (Refs), so every offer points to an
// existing ROME fiche and commune.
//
// Output is deterministic for a seed: same Options and Refs, same bytes
// (math/rand/v2 PCG, no map iteration, no clock).
package synth

import (
	"bufio"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Options of one generation.
type Options struct {
	OutDir         string  // created if missing
	Seed           uint64  // same seed, same bytes
	Months         int     // number of monthly offer files (default 6)
	EndMonth       string  // last month, "YYYY-MM" (default "2025-01")
	OffersPerMonth int     // default 50 000
	Sessions       int     // training sessions (default 5 000)
	Scale          float64 // multiplies OffersPerMonth and Sessions (default 1)
}

// Result lists what was written.
type Result struct {
	OfferFiles   []string // one per month, oldest first: offres-synth-YYYY-MM.json
	TrainingFile string   // formations-synth.xml
	Offers       int
	Sessions     int
}

func (o *Options) defaults() error {
	if o.Months <= 0 {
		o.Months = 6
	}
	if o.EndMonth == "" {
		o.EndMonth = "2025-01"
	}
	if o.OffersPerMonth <= 0 {
		o.OffersPerMonth = 50000
	}
	if o.Sessions <= 0 {
		o.Sessions = 5000
	}
	if o.Scale <= 0 {
		o.Scale = 1
	}
	if o.OutDir == "" {
		return fmt.Errorf("synth: no output directory")
	}
	if _, err := time.Parse("2006-01", o.EndMonth); err != nil {
		return fmt.Errorf("synth: EndMonth %q: want YYYY-MM", o.EndMonth)
	}
	return nil
}

// Generate writes the offer files and the training file into opts.OutDir.
func Generate(ctx context.Context, opts Options, refs Refs) (Result, error) {
	var res Result
	if err := opts.defaults(); err != nil {
		return res, err
	}
	if len(refs.Occupations) == 0 || len(refs.Communes) == 0 {
		return res, fmt.Errorf("synth: empty referentials (%d occupations, %d communes)", len(refs.Occupations), len(refs.Communes))
	}
	if err := os.MkdirAll(opts.OutDir, 0o755); err != nil {
		return res, fmt.Errorf("synth: %w", err)
	}
	g := newGen(opts.Seed, refs)
	end, _ := time.Parse("2006-01", opts.EndMonth)
	perMonth := int(math.Round(float64(opts.OffersPerMonth) * opts.Scale))
	for m := opts.Months - 1; m >= 0; m-- {
		month := end.AddDate(0, -m, 0)
		path := filepath.Join(opts.OutDir, "offres-synth-"+month.Format("2006-01")+".json")
		if err := g.writeOffers(ctx, path, month, opts.Months-1-m, perMonth); err != nil {
			return res, err
		}
		res.OfferFiles = append(res.OfferFiles, path)
		res.Offers += perMonth
	}
	res.Sessions = int(math.Round(float64(opts.Sessions) * opts.Scale))
	res.TrainingFile = filepath.Join(opts.OutDir, "formations-synth.xml")
	start := end.AddDate(0, -(opts.Months - 1), 0)
	if err := g.writeTrainings(ctx, res.TrainingFile, start, end.AddDate(0, 1, 0), res.Sessions); err != nil {
		return res, err
	}
	return res, nil
}

// gen holds the random source and the cumulative weights to draw from.
type gen struct {
	r        *rand.Rand
	refs     Refs
	occCum   []float64 // cumulative weight per occupation
	comCum   []float64 // cumulative population per commune
	nafCum   [][]float64
	comDepth []string // département code per commune
}

func newGen(seed uint64, refs Refs) *gen {
	g := &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), refs: refs}
	sum := 0.0
	for _, o := range refs.Occupations {
		sum += occupationWeight(o)
		g.occCum = append(g.occCum, sum)
		var c []float64
		s := 0.0
		for _, n := range o.NAF {
			s += n.Weight
			c = append(c, s)
		}
		g.nafCum = append(g.nafCum, c)
	}
	sum = 0
	for _, c := range refs.Communes {
		sum += float64(c.Population)
		g.comCum = append(g.comCum, sum)
	}
	return g
}

// occupationWeight makes the métier mix look like the real PACA offers: the
// fiches seen in the real sample dominate (mostly IT / data), IT fiches (M18)
// and executive fiches are boosted, and every fiche keeps a chance.
func occupationWeight(o Occupation) float64 {
	w := 1.0 + 12*float64(o.RealOffers)
	if strings.HasPrefix(o.Code, "M18") {
		w += 6
	}
	if o.Executive {
		w += 2
	}
	return w
}

func draw(r *rand.Rand, cum []float64) int {
	x := r.Float64() * cum[len(cum)-1]
	return sort.SearchFloat64s(cum, x)
}

func (g *gen) occupation() int { return min(draw(g.r, g.occCum), len(g.occCum)-1) }
func (g *gen) commune() int    { return min(draw(g.r, g.comCum), len(g.comCum)-1) }

// pick returns one of the values with the given cumulative probabilities.
func pick[T any](r *rand.Rand, vals []T, cum []float64) T {
	x := r.Float64()
	for i, c := range cum {
		if x < c {
			return vals[i]
		}
	}
	return vals[len(vals)-1]
}

var (
	contracts     = []string{"CDI", "CDD", "MIS", "LIB", "SAI"}
	contractCum   = []float64{0.62, 0.82, 0.96, 0.98, 1}
	contractLabel = map[string]string{"CDI": "Contrat à durée indéterminée", "CDD": "Contrat à durée déterminée",
		"MIS": "Mission intérimaire", "LIB": "Profession libérale", "SAI": "Contrat travail saisonnier"}
	experiences     = []string{"D", "E", "S"}
	experienceCum   = []float64{0.42, 0.97, 1}
	experienceLabel = map[string]string{"D": "Débutant accepté", "E": "Expérience exigée", "S": "Expérience souhaitée"}
)

// monthlyBand is a plausible gross monthly pay range (euros) per ROME grand
// domaine, for non-executive fiches; executives get ×1.6.
var monthlyBand = map[byte][2]float64{
	'A': {1850, 2300}, 'B': {1900, 2500}, 'C': {2300, 3200}, 'D': {1850, 2500},
	'E': {2200, 3200}, 'F': {2000, 2700}, 'G': {1800, 2200}, 'H': {2100, 3000},
	'I': {2100, 2800}, 'J': {2000, 3000}, 'K': {1800, 2300}, 'L': {2000, 2800},
	'M': {2200, 3200}, 'N': {1900, 2400},
}

func (g *gen) salary(o Occupation) map[string]string {
	// Real offers often omit pay (about half of the PACA sample).
	if g.r.Float64() < 0.4 {
		if g.r.Float64() < 0.3 {
			return map[string]string{"commentaire": "Selon profil", "complement1": "Autre"}
		}
		return map[string]string{}
	}
	band, ok := monthlyBand[o.Code[0]]
	if !ok {
		band = [2]float64{2000, 2800}
	}
	if strings.HasPrefix(o.Code, "M18") {
		band = [2]float64{3000, 4200}
	}
	if o.Executive {
		band[0], band[1] = band[0]*1.6, band[1]*1.6
	}
	lo := band[0] + g.r.Float64()*(band[1]-band[0])
	hi := lo * (1 + 0.05 + 0.25*g.r.Float64())
	oneValue := g.r.Float64() < 0.25
	comma := g.r.Float64() < 0.5 // the API mixes "3000,00" and "3000.0"
	num := func(v float64) string {
		if comma {
			return strings.Replace(fmt.Sprintf("%.2f", v), ".", ",", 1)
		}
		return fmt.Sprintf("%.1f", v)
	}
	var unit string
	x := g.r.Float64()
	switch {
	case x < 0.1 && !o.Executive:
		unit = "Horaire"
		lo, hi = math.Round(lo/151.67*100)/100, math.Round(hi/151.67*100)/100
	case x < 0.55:
		unit = "Annuel"
		lo, hi = math.Round(lo*12/500)*500, math.Round(hi*12/500)*500
	default:
		unit = "Mensuel"
		lo, hi = math.Round(lo), math.Round(hi)
	}
	lib := fmt.Sprintf("%s de %s Euros", unit, num(lo))
	if !oneValue && hi > lo {
		lib += fmt.Sprintf(" à %s Euros", num(hi))
	}
	if unit != "Horaire" && g.r.Float64() < 0.5 {
		lib += " sur 12 mois"
	}
	return map[string]string{"libelle": lib}
}

// offer is the France Travail v2 offer layout (the fields the mapping reads,
// plus the usual ones so that the files look like the API's).
type offer struct {
	ID                 string            `json:"id"`
	Intitule           string            `json:"intitule"`
	Description        string            `json:"description"`
	DateCreation       string            `json:"dateCreation"`
	DateActualisation  string            `json:"dateActualisation"`
	LieuTravail        lieu              `json:"lieuTravail"`
	RomeCode           string            `json:"romeCode"`
	RomeLibelle        string            `json:"romeLibelle"`
	AppellationLibelle string            `json:"appellationlibelle"`
	Entreprise         entreprise        `json:"entreprise"`
	TypeContrat        string            `json:"typeContrat"`
	TypeContratLibelle string            `json:"typeContratLibelle"`
	NatureContrat      string            `json:"natureContrat"`
	ExperienceExige    string            `json:"experienceExige"`
	ExperienceLibelle  string            `json:"experienceLibelle"`
	Salaire            map[string]string `json:"salaire"`
	Alternance         bool              `json:"alternance"`
	NombrePostes       int               `json:"nombrePostes"`
	AccessibleTH       bool              `json:"accessibleTH"`
	QualificationCode  string            `json:"qualificationCode,omitempty"`
	CodeNAF            string            `json:"codeNAF,omitempty"`
	SecteurActivite    string            `json:"secteurActivite,omitempty"`
	OrigineOffre       map[string]string `json:"origineOffre"`
}

type lieu struct {
	Libelle string `json:"libelle"`
	Commune string `json:"commune"`
}

type entreprise struct {
	Nom               string `json:"nom,omitempty"`
	EntrepriseAdaptee bool   `json:"entrepriseAdaptee"`
}

func (g *gen) offer(month time.Time, monthIdx, i int) offer {
	oi := g.occupation()
	o := g.refs.Occupations[oi]
	c := g.refs.Communes[g.commune()]
	days := month.AddDate(0, 1, 0).Sub(month)
	created := month.Add(time.Duration(g.r.Int64N(int64(days/time.Second))) * time.Second)
	updated := created.Add(time.Duration(g.r.Int64N(30*24*3600)) * time.Second)
	title := o.Label
	if len(o.Appellations) > 0 {
		title = o.Appellations[g.r.IntN(len(o.Appellations))]
	}
	ct := pick(g.r, contracts, contractCum)
	ex := pick(g.r, experiences, experienceCum)
	of := offer{
		ID:                 fmt.Sprintf("SYN%02d%07d", monthIdx, i),
		Intitule:           title,
		Description:        "[SYNTHÉTIQUE] Offre générée pour les tests d'Open Emploi 360 ; elle ne correspond à aucun poste réel.",
		DateCreation:       created.Format("2006-01-02T15:04:05.000Z"),
		DateActualisation:  updated.Format("2006-01-02T15:04:05.000Z"),
		LieuTravail:        lieu{Libelle: c.Code[:2] + " - " + strings.ToUpper(c.Name), Commune: c.Code},
		RomeCode:           o.Code,
		RomeLibelle:        o.Label,
		AppellationLibelle: title,
		TypeContrat:        ct,
		TypeContratLibelle: contractLabel[ct],
		NatureContrat:      "Contrat travail",
		ExperienceExige:    ex,
		ExperienceLibelle:  experienceLabel[ex],
		Salaire:            g.salary(o),
		NombrePostes:       1 + g.r.IntN(2)*g.r.IntN(3),
		OrigineOffre:       map[string]string{"origine": "1"},
	}
	if g.r.Float64() < 0.63 {
		of.Entreprise.Nom = fmt.Sprintf("Entreprise synthétique n°%d", 1+g.r.IntN(20000))
	}
	if o.Executive {
		of.QualificationCode = "9"
	} else if g.r.Float64() < 0.4 {
		of.QualificationCode = fmt.Sprint(1 + g.r.IntN(8))
	}
	if cum := g.nafCum[oi]; len(cum) > 0 && g.r.Float64() < 0.5 {
		of.CodeNAF = o.NAF[min(draw(g.r, cum), len(cum)-1)].Code
		of.SecteurActivite = of.CodeNAF[:2]
	}
	return of
}

// writeOffers writes one JSON array, one offer per line like the real sample.
func (g *gen) writeOffers(ctx context.Context, path string, month time.Time, monthIdx, n int) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("synth: %s: %w", path, cerr)
		}
	}()
	w := bufio.NewWriterSize(f, 1<<16)
	w.WriteString("[\n")
	for i := range n {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if i > 0 {
			w.WriteString(",\n")
		}
		// One offer per line, like the real sample: the files stay diffable.
		b, err := json.Marshal(g.offer(month, monthIdx, i))
		if err != nil {
			return fmt.Errorf("synth: offer %d: %w", i, err)
		}
		w.Write(b)
	}
	w.WriteString("\n]\n")
	if err := w.Flush(); err != nil {
		return fmt.Errorf("synth: %s: %w", path, err)
	}
	return nil
}

// formacodes are FORMACODE codes seen in the real LHEO records we hold; no
// FORMACODE referential is openly available to draw from.
var formacodes = []string{"32688", "22403", "12205", "12207", "22297", "22301", "22010", "22054", "34582", "34076", "11054", "11454", "11554", "12054", "13154"}

// fakeSIRET returns 14 digits that fail the Luhn check, so that a synthetic
// organisme can never be mistaken for a real establishment.
func (g *gen) fakeSIRET() string {
	d := make([]byte, 14)
	for i := range d {
		d[i] = byte('0' + g.r.IntN(10))
	}
	if luhn(d)%10 == 0 {
		d[13] = '0' + (d[13]-'0'+1)%10
	}
	return string(d)
}

func luhn(d []byte) int {
	s := 0
	for i := range d {
		v := int(d[len(d)-1-i] - '0')
		if i%2 == 1 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		s += v
	}
	return s
}

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// writeTrainings writes one LHEO document: formations of one action each,
// with 1 to 3 sessions, until n sessions.
func (g *gen) writeTrainings(ctx context.Context, path string, from, to time.Time, n int) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("synth: %s: %w", path, cerr)
		}
	}()
	w := bufio.NewWriterSize(f, 1<<16)
	w.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	w.WriteString("<!-- SYNTHETIC training offer generated by Open Emploi 360 (internal/synth): not real trainings. -->\n")
	w.WriteString(`<lheo xmlns="http://www.lheo.org/2.2">` + "\n <offres>\n")
	organismes := make([]string, 1+n/20)
	for i := range organismes {
		organismes[i] = g.fakeSIRET()
	}
	span := int64(to.Sub(from) / (24 * time.Hour))
	for fi, s := 0, 0; s < n; fi++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		o := g.refs.Occupations[g.occupation()]
		org := g.r.IntN(len(organismes))
		fc := formacodes[g.r.IntN(len(formacodes))]
		fmt.Fprintf(w, `  <formation numero="SYN_F%06d">
   <domaine-formation><code-FORMACODE ref="V12" tag="principal">%s</code-FORMACODE><code-ROME>%s</code-ROME></domaine-formation>
   <intitule-formation>[SYNTHÉTIQUE] %s</intitule-formation>
   <objectif-formation>Formation synthétique générée pour les tests.</objectif-formation>
   <resultats-attendus>-</resultats-attendus>
   <contenu-formation>-</contenu-formation>
   <certifiante>0</certifiante>
`, fi, fc, o.Code, esc(o.Label))
		c := g.refs.Communes[g.commune()]
		hours := 35 * (1 + g.r.IntN(30))
		fmt.Fprintf(w, `   <action numero="SYN_A%06d">
    <lieu-de-formation><coordonnees><adresse><ligne>-</ligne><ville>%s</ville><departement>%s</departement><code-INSEE-commune>%s</code-INSEE-commune><region>93</region></adresse></coordonnees></lieu-de-formation>
    <nombre-heures-total>%d</nombre-heures-total>
`, fi, esc(c.Name), c.Code[:2], c.Code, hours)
		k := min(1+g.r.IntN(3), n-s)
		for range k {
			start := from.AddDate(0, 0, g.r.IntN(int(span)))
			end := start.AddDate(0, 0, hours/7+g.r.IntN(30))
			fmt.Fprintf(w, "    <session numero=\"SYN_S%06d\"><periode><debut>%s</debut><fin>%s</fin></periode></session>\n",
				s, start.Format("20060102"), end.Format("20060102"))
			s++
		}
		fmt.Fprintf(w, `    <organisme-formateur numero="SYN_OF_%04d"><SIRET-formateur><SIRET>%s</SIRET></SIRET-formateur><raison-sociale-formateur>Organisme synthétique n°%d</raison-sociale-formateur></organisme-formateur>
    <organisme-financeur><code-financeur>10</code-financeur><nb-places-financees>%d</nb-places-financees></organisme-financeur>
   </action>
   <organisme-formation-responsable numero="SYN_OF_%04d"><SIRET-organisme-formation><SIRET>%s</SIRET></SIRET-organisme-formation><nom-organisme>Organisme synthétique n°%d</nom-organisme><raison-sociale>Organisme synthétique n°%d</raison-sociale></organisme-formation-responsable>
  </formation>
`, org, organismes[org], org, 8+g.r.IntN(13), org, organismes[org], org, org)
	}
	w.WriteString(" </offres>\n</lheo>\n")
	if err := w.Flush(); err != nil {
		return fmt.Errorf("synth: %s: %w", path, err)
	}
	return nil
}

package mappings_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/rml"
	"github.com/openemploi360/openemploi/internal/synth"
	"github.com/openemploi360/openemploi/mappings"
)

const (
	oep           = "https://data.dataregionsud.fr/openemploi/def/"
	oeg           = "https://data.dataregionsud.fr/openemploi/graph/"
	skos          = "http://www.w3.org/2004/02/skos/core#"
	igeo          = "http://rdf.insee.fr/def/geo#"
	qbObservation = "http://purl.org/linked-data/cube#Observation"
	schemaOrg     = "http://schema.org/"
)

// table reads a delimited file of the sample (header + records) with the
// standard library, independently of the engine.
func table(t *testing.T, rel string, delim rune) (header []string, rows [][]string) {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = delim
	r.LazyQuotes = true
	all, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return all[0], all[1:]
}

// column returns the values of one column.
func column(t *testing.T, header []string, rows [][]string, name string) []string {
	t.Helper()
	i := slices.Index(header, name)
	if i < 0 {
		t.Fatalf("no column %q in %v", name, header)
	}
	out := make([]string, len(rows))
	for k, r := range rows {
		out[k] = r[i]
	}
	return out
}

func distinct(vals []string) int {
	m := map[string]bool{}
	for _, v := range vals {
		if v != "" {
			m[v] = true
		}
	}
	return len(m)
}

func countIf(vals []string, f func(string) bool) int {
	n := 0
	for _, v := range vals {
		if f(v) {
			n++
		}
	}
	return n
}

func jsonArray(t *testing.T, rel string) []map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return out
}

// xmlCount counts the elements with the given local name.
func xmlCount(t *testing.T, rel, local string) int {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := xml.NewDecoder(f)
	n := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return n
		}
		if err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == local {
			n++
		}
	}
}

type want struct {
	what string
	got  int
	want int
}

func check(t *testing.T, ws ...want) {
	t.Helper()
	for _, w := range ws {
		if w.got != w.want {
			t.Errorf("%s: got %d, want %d", w.what, w.got, w.want)
		}
		if w.want == 0 {
			t.Errorf("%s: expected count is 0: the check proves nothing", w.what)
		}
	}
}

const sd = "testdata/sample/"

// expectations compute, from the input files alone, what each mapping must
// produce on its bundled sample.
var expectations = map[string]func(t *testing.T, tl *tally){
	"rome4": func(t *testing.T, tl *tally) {
		h, fiches := table(t, sd+"rome_v4/unix_referentiel_code_rome_v460_utf8.csv", ',')
		ha, apps := table(t, sd+"rome_v4/unix_referentiel_appellation_v460_utf8.csv", ',')
		hc, comps := table(t, sd+"rome_v4/unix_referentiel_competence_v460_utf8.csv", ',')
		hs, savoirs := table(t, sd+"rome_v4/unix_referentiel_savoir_v460_utf8.csv", ',')
		hl, liens := table(t, sd+"rome_v4/unix_liens_rome_referentiels_v460_utf8.csv", ',')
		hm, mobs := table(t, sd+"rome_v4/unix_rubrique_mobilite_v460_utf8.csv", ',')
		var reqs, pairs []string
		rub, ogr, rome := column(t, hl, liens, "code_rubrique"), column(t, hl, liens, "code_ogr"), column(t, hl, liens, "code_rome")
		for i := range liens {
			if rub[i] != "" {
				reqs = append(reqs, rome[i]+"|"+ogr[i]+"|"+rub[i])
			}
		}
		src, dst := column(t, hm, mobs, "code_rome"), column(t, hm, mobs, "code_rome_cible")
		for i := range mobs {
			pairs = append(pairs, src[i]+"|"+dst[i])
		}
		on := func(s string) bool { return s == "O" || s == "N" }
		skillItems := append(column(t, hc, comps, "code_ogr"), column(t, hs, savoirs, "code_ogr_savoir")...)
		check(t,
			want{"oep:Occupation = distinct code_rome", tl.count(oep + "Occupation"), distinct(column(t, h, fiches, "code_rome"))},
			want{"oep:Appellation = distinct appellation code_ogr", tl.count(oep + "Appellation"), distinct(column(t, ha, apps, "code_ogr"))},
			want{"oep:Skill = distinct compétence + savoir codes", tl.count(oep + "Skill"), distinct(skillItems)},
			want{"oep:SkillRequirement = links with a rubrique", tl.count(oep + "SkillRequirement"), distinct(reqs)},
			want{"oep:Mobility = distinct mobility pairs", tl.count(oep + "Mobility"), distinct(pairs)},
			want{"oep:executive = O/N flags of fiches and appellations", tl.byPred[oep+"executive"],
				countIf(column(t, h, fiches, "emploi_cadre"), on) + countIf(column(t, ha, apps, "emploi_cadre"), on)},
			want{"oep:skillRequirement links", tl.byPred[oep+"skillRequirement"], distinct(reqs)},
		)
		kinds := tl.objects[oep+"skillKind"]
		for k := range kinds {
			if !slices.Contains([]string{`"savoir-faire"`, `"savoir-etre"`, `"savoir"`}, k) {
				t.Errorf("oep:skillKind %s is not one of the contract's values", k)
			}
		}
		if len(kinds) != 3 {
			t.Errorf("oep:skillKind values %v: want the three kinds", kinds)
		}
		for v := range tl.objects[oep+"executive"] {
			if v != `"true"^^<http://www.w3.org/2001/XMLSchema#boolean>` && v != `"false"^^<http://www.w3.org/2001/XMLSchema#boolean>` {
				t.Errorf("oep:executive value %s", v)
			}
		}
	},
	"rome-v3": func(t *testing.T, tl *tally) {
		h3, v3 := table(t, sd+"rome_v3/unix_referentiel_code_rome_v347_utf8.csv", ',')
		_, v4 := table(t, sd+"rome_v4/unix_referentiel_code_rome_v460_utf8.csv", ',')
		check(t,
			want{"v3 concepts", tl.count(skos + "Concept"), distinct(column(t, h3, v3, "code_rome"))},
			want{"exactMatch = v3 codes", tl.byPred[skos+"exactMatch"], len(v3)},
			want{"closeMatch = v4 fiches (one parent each)", tl.byPred[skos+"closeMatch"], len(v4)},
		)
		for l := range tl.objects[skos+"prefLabel"] {
			if strings.Contains(l, "''") {
				t.Errorf("label %s keeps the doubled apostrophe", l)
			}
		}
	},
	"rome-naf": func(t *testing.T, tl *tally) {
		_, rows := table(t, sd+"rome_naf/rome_naf_mapping.csv", ',')
		hl, labels := table(t, sd+"rome_naf/naf_labels.csv", '|')
		check(t,
			want{"oep:NafAffinity = rows", tl.count(oep + "NafAffinity"), len(rows)},
			want{"oep:NafSector = NAF labels", tl.count(oep + "NafSector"), distinct(column(t, hl, labels, "naf_id"))},
			want{"skos:broader sub-class -> division, one per NAF label", tl.byPred[skos+"broader"], len(labels)},
		)
		division := regexp.MustCompile(`/naf/[0-9]{2}>$`)
		for d := range tl.objects[skos+"broader"] {
			if !division.MatchString(d) {
				t.Errorf("skos:broader %s is not a NAF division IRI (oeid:naf/NN, as rome4 writes them)", d)
			}
		}
		dotted := regexp.MustCompile(`^"[0-9]{2}\.[0-9]{2}[A-Z]"$`)
		for n := range tl.objects[skos+"notation"] {
			if !dotted.MatchString(n) {
				t.Errorf("NAF notation %s is not in dotted form", n)
			}
		}
	},
	"geo": func(t *testing.T, tl *tally) {
		communes := jsonArray(t, sd+"communes_paca/decoupage_communes_paca.json")
		n := map[string]int{}
		for _, c := range communes {
			n[c["type"].(string)]++
		}
		_, zones := table(t, sd+"communes_paca/insee_ze2020_liste_paca_2023.csv", ',')
		check(t,
			want{"igeo:Commune = communes actuelles + arrondissements", tl.count(igeo + "Commune"), n["commune-actuelle"] + n["arrondissement-municipal"]},
			want{"igeo:CommuneDeleguee", tl.count(igeo + "CommuneDeleguee"), n["commune-deleguee"]},
			want{"igeo:CommuneAssociee", tl.count(igeo + "CommuneAssociee"), n["commune-associee"]},
			want{"every commune has its zone d'emploi", tl.byPred[oep+"zoneEmploi"], n["commune-actuelle"] + n["arrondissement-municipal"]},
			want{"igeo:ZoneDEmploi2020", tl.count(igeo + "ZoneDEmploi2020"), len(zones)},
			want{"oep:parentCommune", tl.byPred[oep+"parentCommune"], n["arrondissement-municipal"] + n["commune-deleguee"] + n["commune-associee"]},
			want{"igeo:subdivisionDirecteDe alongside oep:parentCommune", tl.byPred[igeo+"subdivisionDirecteDe"], n["arrondissement-municipal"] + n["commune-deleguee"] + n["commune-associee"]},
		)
	},
	"chomage": func(t *testing.T, tl *tally) {
		h, rows := table(t, sd+"chomage_zone_emploi/insee_taux_chomage_localises_ze2020_paca_2003T1_2023T3.csv", ',')
		q := regexp.MustCompile(`^\d{4}-T[1-4]$`)
		cells := 0
		for i, col := range h {
			if q.MatchString(col) {
				cells += countIf(column(t, h, rows, h[i]), func(s string) bool { return s != "" })
			}
		}
		check(t, want{"observations = non-empty quarter cells", tl.count(qbObservation), cells})
	},
	"dvf": func(t *testing.T, tl *tally) {
		h, rows := table(t, sd+"immobilier_loyers/dvf_communes_2019_paca.csv", ';')
		check(t, want{"observations = communes with a price", tl.count(qbObservation),
			countIf(column(t, h, rows, "PrixMoyen_M2"), func(s string) bool { return s != "NA" && s != "" })})
		for a := range tl.objects[oep+"refArea"] {
			if !regexp.MustCompile(`/commune/\d{5}>$`).MatchString(a) {
				t.Errorf("refArea %s: INSEE code not padded to 5 digits", a)
			}
		}
	},
	"loyers": func(t *testing.T, tl *tally) {
		_, rows := table(t, sd+"immobilier_loyers/indicateurs_loyers_appartements_paca.csv", ';')
		check(t, want{"observations = rows", tl.count(qbObservation), len(rows)})
		for a := range tl.objects[oep+"refArea"] {
			if !regexp.MustCompile(`/commune/\d{5}>$`).MatchString(a) {
				t.Errorf("refArea %s: INSEE code not padded to 5 digits", a)
			}
		}
	},
	"bpe": func(t *testing.T, tl *tally) {
		h, rows := table(t, sd+"bpe_equipements/bpe2013_nb_equipements_par_type_communes_paca.csv", ',')
		cells := 0
		for _, col := range h[2:] {
			cells += countIf(column(t, h, rows, col), func(s string) bool { return s != "" })
		}
		check(t, want{"observations = non-empty equipment cells", tl.count(qbObservation), cells},
			want{"every observation has a count", tl.byPred[oep+"amenityCount"], cells})
	},
	"gares": func(t *testing.T, tl *tally) {
		_, rows := table(t, sd+"transport_gares_sncf/gares_voyageurs_sncf_paca.csv", ';')
		check(t, want{"oep:Station = rows", tl.count(oep + "Station"), len(rows)})
	},
	"tension": func(t *testing.T, tl *tally) {
		_, rows := table(t, sd+"tension_bassins_emploi/tensions_rome_bassin_2021_paca.csv", ';')
		hl, lex := table(t, sd+"tension_bassins_emploi/lexique_bassins_bmo19_communes_paca.csv", ',')
		check(t,
			want{"observations = rows", tl.count(qbObservation), len(rows)},
			want{"oep:BmoBassin = distinct BE19", tl.count(oep + "BmoBassin"), distinct(column(t, hl, lex, "BE19"))},
			want{"commune -> bassin links", tl.byPred[oep+"bassinBmo"], len(lex)},
		)
	},
	"sirene": func(t *testing.T, tl *tally) {
		h, rows := table(t, sd+"sirene_etablissements/geo_sirene_etablissements_format_exemple.csv", ',')
		withNaf := countIf(column(t, h, rows, "activitePrincipaleEtablissement"), func(s string) bool { return s != "" })
		check(t, want{"oep:Establishment = rows", tl.count(oep + "Establishment"), len(rows)},
			want{"oep:nafSector = rows with an activity", tl.byPred[oep+"nafSector"], withNaf},
			// deprecated duplicate, kept while queries/companies.rq reads it
			want{"oep:naf = oep:nafSector", tl.byPred[oep+"naf"], withNaf})
	},
	"formations-lheo": func(t *testing.T, tl *tally) {
		f := sd + "lheo_intercarif/intercarif_paca_espace_competences_poec_gestionnaire_paie_2018.xml"
		check(t,
			want{"oep:Training = <formation>", tl.count(oep + "Training"), xmlCount(t, f, "formation")},
			want{"oep:TrainingSession = <session>", tl.count(oep + "TrainingSession"), xmlCount(t, f, "session")},
			want{"sessions with a commune", tl.byPred[oep+"commune"], xmlCount(t, f, "session")},
		)
		// places = sum of the funders' places of the session's action
		if got, want := tl.objects[oep+"places"], actionPlaces(t, f); !maps.Equal(got, want) {
			t.Errorf("oep:places %v, want %v", got, want)
		}
	},
	"offres-ft": func(t *testing.T, tl *tally) {
		offers := jsonArray(t, sd+"offres_france_travail/offres_paca_2024-06_2025-01.json")
		months, named, located := map[string]bool{}, 0, 0
		for _, o := range offers {
			months[o["dateCreation"].(string)[:7]] = true
			if e, _ := o["entreprise"].(map[string]any); e["nom"] != nil {
				named++
			}
			if l, _ := o["lieuTravail"].(map[string]any); l["commune"] != nil {
				located++
			}
		}
		check(t,
			want{"oep:JobOffer = offers", tl.count(oep + "JobOffer"), len(offers)},
			want{"graphs = months of dateCreation", len(tl.graphs), len(months)},
			want{"employers = offers naming one", tl.count(schemaOrg + "Organization"), named},
			want{"oep:commune = offers with a commune", tl.byPred[oep+"commune"], located},
		)
		for g := range tl.graphs {
			if !regexp.MustCompile(`^` + oeg + `offres-ft/\d{4}-\d{2}$`).MatchString(g) {
				t.Errorf("graph %s is not oeg:offres-ft/YYYY-MM", g)
			}
		}
	},
	"apec": func(t *testing.T, tl *tally) {
		_, rows := table(t, "testdata/apec/apec_referentiel_metiers.csv", ';')
		check(t, want{"APEC métiers", tl.byPred[skos+"broadMatch"], len(rows)})
	},
	"offres-apec": func(t *testing.T, tl *tally) {
		offers := jsonArray(t, "testdata/apec/apec_offres.json")
		check(t, want{"oep:JobOffer = offers", tl.count(oep + "JobOffer"), len(offers)})
	},
}

// actionPlaces returns, as N-Triples literals, the sums of nb-places-financees
// of every action that has sessions.
func actionPlaces(t *testing.T, rel string) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Actions []struct {
			Sessions []string `xml:"session>periode>debut"`
			Places   []int    `xml:"organisme-financeur>nb-places-financees"`
		} `xml:"offres>formation>action"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, a := range doc.Actions {
		if len(a.Sessions) == 0 || len(a.Places) == 0 {
			continue // no session, or no funder stating places: no oep:places
		}
		sum := 0
		for _, p := range a.Places {
			sum += p
		}
		out[`"`+strconv.Itoa(sum)+`"^^<http://www.w3.org/2001/XMLSchema#integer>`] = true
	}
	return out
}

func TestCatalog(t *testing.T) {
	srcs, err := mappings.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	index := map[string]int{}
	used := map[string]bool{}
	for i, s := range srcs {
		index[s.Name] = i
		used[s.Mapping] = true
		t.Run(s.Name, func(t *testing.T) {
			m, err := rml.LoadFile(s.Mapping)
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Sources()) == 0 {
				t.Error("mapping declares no source")
			}
			for _, p := range s.Sample {
				if _, err := os.Stat(filepath.Join(repoRoot(t), p)); err != nil {
					t.Errorf("sample: %v", err)
				}
			}
			if len(s.Sample) == 0 && !s.Synthetic {
				t.Error("a real source must ship a sample")
			}
			if strings.Contains(s.Name, "synth") != (s.Synthetic && strings.Contains(s.Title, "SYNTHÉTIQUE")) {
				t.Errorf("synthetic sources are named *synth* and titled SYNTHÉTIQUE (synthetic=%v, title %q)", s.Synthetic, s.Title)
			}
			if s.Partitioned != strings.HasPrefix(s.Name, "offres-") {
				t.Errorf("partitioned=%v: only the offer sources are split by month", s.Partitioned)
			}
		})
	}
	t.Run("Order", func(t *testing.T) {
		for _, before := range []string{"rome4", "geo", "rome-naf", "tension"} {
			for _, after := range []string{"offres-ft", "offres-synth", "formations-lheo"} {
				if index[before] > index[after] {
					t.Errorf("%s must be imported before %s", before, after)
				}
			}
		}
	})
	t.Run("EveryMappingListed", func(t *testing.T) {
		files, _ := filepath.Glob("*.rml.ttl")
		for _, f := range files {
			if !used[f] {
				t.Errorf("%s is in no catalog entry", f)
			}
		}
	})
}

// TestSamples runs every catalog entry on its bundled sample: nothing may be
// rejected and the output must match counts computed from the input files.
func TestSamples(t *testing.T) {
	srcs, err := mappings.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range srcs {
		if len(s.Sample) == 0 {
			continue
		}
		t.Run(s.Name, func(t *testing.T) {
			tl, _ := runSource(t, s, s.Sample, oep+"skillKind", oep+"executive", skos+"prefLabel", skos+"notation", oep+"refArea", oep+"places", skos+"broader")
			if s.Partitioned {
				if tl.defaultG != 0 {
					t.Errorf("%d quads outside the monthly graphs", tl.defaultG)
				}
				for g := range tl.graphs {
					if !strings.HasPrefix(g, s.Graph+"/") {
						t.Errorf("graph %s is not under %s/", g, s.Graph)
					}
				}
			} else if len(tl.graphs) != 0 {
				t.Errorf("graph maps in a non-partitioned mapping: %v (the catalog graph applies)", tl.graphs)
			}
			checkDeclared(t, tl)
			exp, ok := expectations[s.Name]
			if !ok {
				t.Fatalf("no expectation for source %s", s.Name)
			}
			exp(t, tl)
		})
	}
}

// TestOtherLHEORecords runs the LHEO mapping on the two non-PACA records of
// the sample, which exercise what the PACA one lacks: several actions and
// sessions, "00000000" dates, several ROME and FORMACODE codes, LHEO 2.2.
func TestOtherLHEORecords(t *testing.T) {
	src, err := mappings.Lookup("formations-lheo")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"intercarif_centre_titre_pro_plaquiste_2017.xml", "lheo22_exemple_onisep_bts_nrc.xml"} {
		t.Run(f, func(t *testing.T) {
			rel := sd + "lheo_intercarif/" + f
			tl, _ := runSource(t, src, []string{rel}, oep+"places")
			check(t,
				want{"sessions", tl.count(oep + "TrainingSession"), xmlCount(t, rel, "session")},
				want{"trainings", tl.count(oep + "Training"), xmlCount(t, rel, "formation")},
			)
			if got, want := tl.objects[oep+"places"], actionPlaces(t, rel); !maps.Equal(got, want) {
				t.Errorf("oep:places %v, want %v", got, want)
			}
		})
	}
}

// TestSyntheticSources maps the generator's output with the catalog's
// synthetic entries: every offer and session must map, without rejects, into
// the synthetic graphs.
func TestSyntheticSources(t *testing.T) {
	refs, err := synth.LoadRefs(filepath.Join(repoRoot(t), "testdata/sample"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	res, err := synth.Generate(context.Background(), synth.Options{OutDir: dir, Seed: 42, Months: 2, OffersPerMonth: 300, Sessions: 50}, refs)
	if err != nil {
		t.Fatal(err)
	}
	rel := func(p string) string {
		r, err := filepath.Rel(repoRoot(t), p)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	offers, err := mappings.Lookup("offres-synth")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.OfferFiles {
		tl, _ := runSource(t, offers, []string{rel(f)})
		checkDeclared(t, tl)
		month := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "offres-synth-"), ".json")
		check(t, want{filepath.Base(f) + " offers", tl.count(oep + "JobOffer"), 300},
			want{filepath.Base(f) + " quads in its month graph", tl.graphs[oeg+"offres-synth/"+month], tl.quads})
	}
	trainings, err := mappings.Lookup("formations-synth")
	if err != nil {
		t.Fatal(err)
	}
	tl, _ := runSource(t, trainings, []string{rel(res.TrainingFile)})
	check(t, want{"synthetic sessions", tl.count(oep + "TrainingSession"), res.Sessions},
		want{"sessions with a commune", tl.byPred[oep+"commune"], res.Sessions})
}

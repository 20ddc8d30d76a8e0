package acceptance

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Independent readings of the source files, without the mappings: what the diagnostic
// says is compared with these.

// offer is the part of a France Travail v2 offer the recounts need.
type offer struct {
	ID           string `json:"id"`
	DateCreation string `json:"dateCreation"`
	RomeCode     string `json:"romeCode"`
	Appellation  string `json:"appellationlibelle"`
	LieuTravail  struct {
		Commune string `json:"commune"`
	} `json:"lieuTravail"`
	Entreprise struct {
		Nom string `json:"nom"`
	} `json:"entreprise"`
}

// Month is the month the offer was posted ("2024-11").
func (o offer) Month() string { return o.DateCreation[:7] }

const realOffersFile = "testdata/sample/offres_france_travail/offres_paca_2024-06_2025-01.json"

func readOffers(t *testing.T, root string) []offer {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, realOffersFile))
	if err != nil {
		t.Fatal(err)
	}
	var l []offer
	if err := json.Unmarshal(b, &l); err != nil {
		t.Fatalf("%s: %v", realOffersFile, err)
	}
	if len(l) == 0 {
		t.Fatalf("%s: no offer", realOffersFile)
	}
	return l
}

// appellationFiches reads, from the official ROME 4.0 appellation file, the fiches of
// each appellation label (long and short), for the rule "the appellation's fiche wins".
func appellationFiches(t *testing.T, root string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	add := func(label, code string) {
		label = strings.TrimSpace(label)
		for _, c := range out[label] {
			if c == code {
				return
			}
		}
		out[label] = append(out[label], code)
	}
	readCSV(t, filepath.Join(root, "testdata/sample/rome_v4/unix_referentiel_appellation_v460_utf8.csv"), ',', func(r map[string]string) {
		add(r["libelle_appellation_long"], r["code_rome"])
		add(r["libelle_appellation_court"], r["code_rome"])
	})
	return out
}

// ficheOf is the fiche an offer counts under: its appellation's when the appellation
// names exactly one fiche (or several of which none is the stated one, then the first),
// else its romeCode.
func ficheOf(o offer, app map[string][]string) string {
	codes := app[strings.TrimSpace(o.Appellation)]
	if len(codes) == 0 {
		return o.RomeCode
	}
	for _, c := range codes {
		if c == o.RomeCode {
			return c
		}
	}
	return codes[0]
}

// monthly counts the offers of a fiche per month, in a set of communes (nil: the whole
// region, offers without a commune included).
func monthly(offers []offer, app map[string][]string, fiche string, inArea func(commune string) bool) map[string]int {
	out := map[string]int{}
	for _, o := range offers {
		if ficheOf(o, app) != fiche {
			continue
		}
		if inArea != nil && !inArea(o.LieuTravail.Commune) {
			continue
		}
		out[o.Month()]++
	}
	return out
}

// fichesWithOffers lists the fiches the real offers count under, sorted.
func fichesWithOffers(offers []offer, app map[string][]string) []string {
	seen := map[string]bool{}
	for _, o := range offers {
		seen[ficheOf(o, app)] = true
	}
	var l []string
	for c := range seen {
		l = append(l, c)
	}
	sort.Strings(l)
	return l
}

// latestSessionStart reads the latest <debut> of the LHEO files ("2025-03-29").
func latestSessionStart(t *testing.T, files ...string) string {
	t.Helper()
	latest := ""
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := xml.NewDecoder(fh)
		in := false
		for {
			tok, err := dec.Token()
			if err != nil {
				break
			}
			switch e := tok.(type) {
			case xml.StartElement:
				in = e.Name.Local == "debut"
			case xml.CharData:
				if s := strings.TrimSpace(string(e)); in && len(s) == 8 {
					if d := s[:4] + "-" + s[4:6] + "-" + s[6:]; d > latest {
						latest = d
					}
				}
			case xml.EndElement:
				in = false
			}
		}
		fh.Close()
	}
	if latest == "" {
		t.Fatalf("no session start in %v", files)
	}
	return latest
}

var frMonths = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// frDate writes "2025-03-29" as "29 mars 2025" ("1er" for the first).
func frDate(day string) string {
	if len(day) != 10 {
		return day
	}
	d := strings.TrimLeft(day[8:], "0")
	if d == "1" {
		d = "1er"
	}
	m := int(day[5]-'0')*10 + int(day[6]-'0')
	return d + " " + frMonths[m-1] + " " + day[:4]
}

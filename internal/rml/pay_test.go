package rml

import "testing"

// TestParsePay: the pay texts, comments and hours below are from the real
// France Travail sample (testdata/sample/offres_france_travail) and the APEC
// format sample.
func TestParsePay(t *testing.T) {
	for _, c := range []struct {
		text, comment, hours string
		ok                   bool
		want                 Pay
	}{
		{"Mensuel de 3000.0 Euros à 3500.0 Euros sur 12.0 mois", "", "35H Autre", true,
			Pay{Unit: "MONTH", Min: 3000, Max: 3500, Monthly: 3250}},
		{"Annuel de 40000,00 Euros à 50000,00 Euros", "", "", true,
			Pay{Unit: "YEAR", Min: 40000, Max: 50000, Monthly: 3750}},
		{"Horaire de 11.88 Euros", "", "37H\nTravail en journée", true,
			Pay{Unit: "HOUR", Min: 11.88, Max: 11.88, Monthly: 1801.84}},
		// K2307, Digne: an annual amount in the monthly field, full time
		{"Mensuel de 21450,00 Euros à 21450,00 Euros", "", "35 H  Travail en journée", true,
			Pay{Unit: "YEAR", Min: 21450, Max: 21450, Monthly: 1787.5, Adjustment: "annual amount in a monthly field"}},
		// the same, 18 h a week: 1 787.50 × 35 / 18
		{"Mensuel de 21450,00 Euros à 21450,00 Euros", "", "18 H  Travail en journée", true,
			Pay{Unit: "YEAR", Min: 21450, Max: 21450, Monthly: 3475.69, Adjustment: "annual amount in a monthly field; full-time equivalent of 18 h a week"}},
		{"Mensuel de 1750.0 Euros sur 12.0 mois", "", "temps partiel - 28H Autre", true,
			Pay{Unit: "MONTH", Min: 1750, Max: 1750, Monthly: 2187.5, Adjustment: "full-time equivalent of 28 h a week"}},
		{"Mensuel de 2302.0 Euros sur 12.0 mois", "", "39H\nTravail en journée", true,
			Pay{Unit: "MONTH", Min: 2302, Max: 2302, Monthly: 2065.9, Adjustment: "full-time equivalent of 39 h a week"}},
		{"Horaire de 11.88 Euros à 12.5 Euros sur 12.0 mois", "", "37H50\nTravail en journée", true,
			Pay{Unit: "HOUR", Min: 11.88, Max: 12.5, Monthly: 1848.86}},
		{"Annuel de 60000.0 Euros à 70000.0 Euros sur 13.0 mois", "", "39H Autre", true,
			Pay{Unit: "YEAR", Min: 60000, Max: 70000, Monthly: 4861.11, Adjustment: "full-time equivalent of 39 h a week"}},
		{"Mensuel de 2000 Euros sur 13 mois", "", "", true,
			Pay{Unit: "MONTH", Min: 2000, Max: 2000, Monthly: 2166.67, Adjustment: "paid over 13 months"}},
		// hourly pay of a part-time offer without hours: the rate is comparable
		{"Horaire de 11.88 Euros sur 0.0 mois", "", "temps partiel\nTravail en journée", true,
			Pay{Unit: "HOUR", Min: 11.88, Max: 11.88, Monthly: 1801.84}},
		// monthly pay of a part-time offer without hours: not comparable
		{"Mensuel de 900 Euros", "", "temps partiel", true,
			Pay{Unit: "MONTH", Min: 900, Max: 900, Exclusion: "part-time without hours"}},
		// ranges only in the comment
		{"", "45 - 55 k€ brut annuel", "", true,
			Pay{Unit: "YEAR", Min: 45000, Max: 55000, Monthly: 4166.67, Adjustment: "amount read from the comment"}},
		{"", "50 k€ brut annuel", "", true,
			Pay{Unit: "YEAR", Min: 50000, Max: 50000, Monthly: 4166.67, Adjustment: "amount read from the comment"}},
		{"", "A partir de 1 858,14 € Nets", "35H Travail en journée", true,
			Pay{Unit: "MONTH", Min: 1858.14, Max: 1858.14, Exclusion: "net", Adjustment: "unit guessed from the amount; amount read from the comment"}},
		{"", "1750€ Nets + CNAS", "35H\nHoraires annuels", true,
			Pay{Unit: "MONTH", Min: 1750, Max: 1750, Exclusion: "net", Adjustment: "unit guessed from the amount; amount read from the comment"}},
		{"Annuel de 2000 Euros", "", "", true,
			Pay{Unit: "MONTH", Min: 2000, Max: 2000, Monthly: 2000, Adjustment: "monthly amount in an annual field"}},
		{"Horaire de 1800 Euros", "", "", true,
			Pay{Unit: "MONTH", Min: 1800, Max: 1800, Monthly: 1800, Adjustment: "monthly amount in an hourly field"}},
		{"Annuel de 400000 Euros", "", "", true,
			Pay{Unit: "YEAR", Min: 400000, Max: 400000, Exclusion: "implausible"}},
		{"Mensuel de 150 Euros", "", "", true,
			Pay{Unit: "MONTH", Min: 150, Max: 150, Exclusion: "implausible"}},
		// nothing to read
		{"", "Selon profil", "35H Autre", false, Pay{}},
		{"", "+ Avantages", "", false, Pay{}},
		{"", "Rémunération au SMIC", "37H", false, Pay{}},
		{"", "", "", false, Pay{}},
	} {
		got, ok := ParsePay(c.text, c.comment, c.hours)
		if ok != c.ok || got != c.want {
			t.Errorf("ParsePay(%q, %q, %q) = %+v, %v; want %+v, %v", c.text, c.comment, c.hours, got, ok, c.want, c.ok)
		}
	}
}

func TestPayFunction(t *testing.T) {
	m := `<#M> rml:logicalSource [ rml:source "o.json" ; rml:referenceFormulation ql:JSONPath ; rml:iterator "$[*]" ] ;
  rr:subjectMap [ rr:template "http://ex.org/{id}" ] ;
  rr:predicateObjectMap [ rr:predicate ex:monthly ; rr:objectMap ` + fnObject("oefn:pay",
		param("oefn:value", `[ rml:reference "s.libelle" ]`)+param("oefn:comment", `[ rml:reference "s.commentaire" ]`)+
			param("oefn:hours", `[ rml:reference "duree" ]`)+param("oefn:part", `[ rr:constant "monthly" ]`)) + ` ] ;
  rr:predicateObjectMap [ rr:predicate ex:excluded ; rr:objectMap ` + fnObject("oefn:pay",
		param("oefn:value", `[ rml:reference "s.libelle" ]`)+param("oefn:comment", `[ rml:reference "s.commentaire" ]`)+
			param("oefn:hours", `[ rml:reference "duree" ]`)+param("oefn:part", `[ rr:constant "exclusion" ]`)) + ` ] .
`
	data := `[{"id":"1","s":{"libelle":"Mensuel de 21450,00 Euros à 21450,00 Euros"},"duree":"35 H"},
	          {"id":"2","s":{"commentaire":"1750€ Nets"}},
	          {"id":"3","s":{"commentaire":"selon profil"}}]`
	got, _, err := run(t, m, map[string][]byte{"o.json": []byte(data)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantLines(t, got,
		`<http://ex.org/1> <http://ex.org/monthly> "1787.5" .`,
		`<http://ex.org/2> <http://ex.org/excluded> "net" .`)

	bad := `<#M> rml:logicalSource [ rml:source "o.json" ; rml:referenceFormulation ql:JSONPath ; rml:iterator "$[*]" ] ;
  rr:subjectMap [ rr:template "http://ex.org/{id}" ] ;
  rr:predicateObjectMap [ rr:predicate ex:monthly ; rr:objectMap ` + fnObject("oefn:pay",
		param("oefn:value", `[ rml:reference "id" ]`)+param("oefn:part", `[ rr:constant "mensuel" ]`)) + ` ] .
`
	if _, _, err := run(t, bad, map[string][]byte{"o.json": []byte(data)}, Options{}); err == nil {
		t.Error("oefn:part \"mensuel\" accepted")
	}
}

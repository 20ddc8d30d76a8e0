package shacl_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/shacl"
	"github.com/openemploi360/openemploi/internal/storetest"
)

// BenchmarkValidateOffers validates a staging graph of generated job offers (each
// with a salary, an employer and a commune; 1 % with min > max) against the default
// shapes, on each store. Data is generated here, not committed.
//
//	go test ./internal/shacl -run '^$' -bench ValidateOffers -benchtime 3x
func BenchmarkValidateOffers(b *testing.B) {
	const offers = 10000
	s, err := shacl.Default()
	if err != nil {
		b.Fatal(err)
	}
	var ref, data strings.Builder
	ref.WriteString(`<https://data.dataregionsud.fr/openemploi/id/rome/M1805> a <https://data.dataregionsud.fr/openemploi/def/Occupation> .
<https://data.dataregionsud.fr/openemploi/id/commune/06088> a <http://rdf.insee.fr/def/geo#Commune> .
`)
	for i := 0; i < offers; i++ {
		min, max := 2000+i%1000, 3000+i%1000
		if i%100 == 0 {
			min, max = max, min
		}
		fmt.Fprintf(&data, `<https://data.dataregionsud.fr/openemploi/id/offre/synth/%d> a <https://data.dataregionsud.fr/openemploi/def/JobOffer> ;
  <http://schema.org/title> "Offre %d"@fr ;
  <http://schema.org/datePosted> "2025-01-%02dT09:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> ;
  <http://schema.org/occupationalCategory> <https://data.dataregionsud.fr/openemploi/id/rome/M1805> ;
  <https://data.dataregionsud.fr/openemploi/def/commune> <https://data.dataregionsud.fr/openemploi/id/commune/06088> ;
  <http://schema.org/employmentType> "CDI" ;
  <http://schema.org/hiringOrganization> [ a <http://schema.org/Organization> ; <http://schema.org/name> "Employeur %d" ] ;
  <http://schema.org/baseSalary> [ a <http://schema.org/MonetaryAmount> ; <http://schema.org/minValue> %d.0 ;
      <http://schema.org/maxValue> %d.0 ; <http://schema.org/currency> "EUR" ; <http://schema.org/unitText> "MONTH" ] .
`, i, i, 1+i%28, i, min, max)
	}
	for _, kind := range storetest.Kinds() {
		b.Run(kind, func(b *testing.B) {
			c := storetest.New(b, kind)
			g := graphNS + "offres-synth/2025-01"
			load(b, c, graphNS+"rome4", ref.String())
			load(b, c, g, data.String())
			b.ResetTimer()
			var rep shacl.Report
			for i := 0; i < b.N; i++ {
				rep, err = s.Validate(context.Background(), c, g, 0)
				if err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			if rep.Conforms || len(rep.Violations) != offers/100 {
				b.Fatalf("want %d salary violations, got %d (conforms=%v)", offers/100, len(rep.Violations), rep.Conforms)
			}
			b.ReportMetric(float64(rep.Checked)*float64(b.N)/b.Elapsed().Seconds(), "focus/s")
			b.ReportMetric(float64(rep.Queries), "queries")
		})
	}
}

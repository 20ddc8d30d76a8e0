package rml_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/openemploi360/openemploi/internal/ntriples"
	"github.com/openemploi360/openemploi/internal/rml"
)

func Example() {
	dir, _ := os.MkdirTemp("", "rml-example")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "communes.csv"), []byte("code;nom\n06088;Nice\n13055;Marseille\n"), 0o644)

	m, err := rml.Parse(strings.NewReader(`
@prefix rr: <http://www.w3.org/ns/r2rml#> .
@prefix rml: <http://semweb.mmlab.be/ns/rml#> .
@prefix ql: <http://semweb.mmlab.be/ns/ql#> .
@prefix csvw: <http://www.w3.org/ns/csvw#> .
@prefix igeo: <http://rdf.insee.fr/def/geo#> .

<#Commune> rml:logicalSource [
    rml:source [ csvw:url "communes.csv"; csvw:dialect [ csvw:delimiter ";" ] ];
    rml:referenceFormulation ql:CSV ];
  rr:subjectMap [ rr:template "https://data.dataregionsud.fr/openemploi/id/commune/{code}";
                  rr:class igeo:Commune;
                  rr:graph <https://data.dataregionsud.fr/openemploi/graph/geo> ];
  rr:predicateObjectMap [ rr:predicate igeo:nom; rr:objectMap [ rml:reference "nom"; rr:language "fr" ] ] .
`), "")
	if err != nil {
		fmt.Println(err)
		return
	}
	w := ntriples.NewWriter(os.Stdout)
	st, err := m.Execute(context.Background(), rml.Options{BaseDir: dir}, w)
	w.Flush()
	fmt.Println(st.Records, st.Quads, err)
	// Output:
	// <https://data.dataregionsud.fr/openemploi/id/commune/06088> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://rdf.insee.fr/def/geo#Commune> <https://data.dataregionsud.fr/openemploi/graph/geo> .
	// <https://data.dataregionsud.fr/openemploi/id/commune/06088> <http://rdf.insee.fr/def/geo#nom> "Nice"@fr <https://data.dataregionsud.fr/openemploi/graph/geo> .
	// <https://data.dataregionsud.fr/openemploi/id/commune/13055> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://rdf.insee.fr/def/geo#Commune> <https://data.dataregionsud.fr/openemploi/graph/geo> .
	// <https://data.dataregionsud.fr/openemploi/id/commune/13055> <http://rdf.insee.fr/def/geo#nom> "Marseille"@fr <https://data.dataregionsud.fr/openemploi/graph/geo> .
	// 2 4 <nil>
}

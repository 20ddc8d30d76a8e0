package rml

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/ntriples"
)

const benchRecords = 100_000

// benchPOMs is shared by the three formats: 1 class + 6 predicate-object
// maps = 7 triples per record.
const benchPOMs = `
  rr:subjectMap [ rr:template "http://ex.org/offre/{id}"; rr:class ex:JobOffer; rr:graph ex:offres ];
  rr:predicateObjectMap [ rr:predicate ex:title; rr:objectMap [ rml:reference "title"; rr:language "fr" ] ],
    [ rr:predicate ex:rome; rr:objectMap [ rr:template "http://ex.org/rome/{rome}" ] ],
    [ rr:predicate ex:commune; rr:objectMap [ rr:template "http://ex.org/commune/{commune}" ] ],
    [ rr:predicate ex:contract; rr:objectMap [ rml:reference "contract" ] ],
    [ rr:predicate ex:salary; rr:objectMap [ rml:reference "salary"; rr:datatype xsd:decimal ] ],
    [ rr:predicate ex:date; rr:objectMap [ rml:reference "date"; rr:datatype xsd:date ] ] .
`

func benchRecord(i int) (id, title, rome, commune, contract, salary, date string) {
	return fmt.Sprint(i), fmt.Sprintf("Développeur, \"full stack\" n°%d", i), fmt.Sprintf("M18%02d", i%100),
		fmt.Sprintf("%05d", 6000+i%900), [...]string{"CDI", "CDD", "MIS"}[i%3],
		fmt.Sprintf("%d.%02d", 1800+i%3000, i%100), fmt.Sprintf("2024-%02d-%02d", 1+i%12, 1+i%28)
}

// writeBenchInput writes n records as CSV, JSON or XML.
func writeBenchInput(tb testing.TB, path, format string, n int) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	switch format {
	case "csv":
		w.WriteString("id,title,rome,commune,contract,salary,date\n")
		for i := 0; i < n; i++ {
			id, title, rome, commune, contract, salary, date := benchRecord(i)
			fmt.Fprintf(w, "%s,\"%s\",%s,%s,%s,%s,%s\n", id, strings.ReplaceAll(title, `"`, `""`), rome, commune, contract, salary, date)
		}
	case "json":
		w.WriteString(`{"resultats":[`)
		for i := 0; i < n; i++ {
			if i > 0 {
				w.WriteString(",\n")
			}
			id, title, rome, commune, contract, salary, date := benchRecord(i)
			fmt.Fprintf(w, `{"id":%q,"title":%q,"rome":%q,"commune":%q,"contract":%q,"salary":%s,"date":%q}`, id, title, rome, commune, contract, salary, date)
		}
		w.WriteString("]}\n")
	case "xml":
		w.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<offres>\n")
		for i := 0; i < n; i++ {
			id, title, rome, commune, contract, salary, date := benchRecord(i)
			title = strings.ReplaceAll(title, `"`, "&quot;")
			fmt.Fprintf(w, "<offre><id>%s</id><title>%s</title><rome>%s</rome><commune>%s</commune><contract>%s</contract><salary>%s</salary><date>%s</date></offre>\n", id, title, rome, commune, contract, salary, date)
		}
		w.WriteString("</offres>\n")
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	f.Close()
}

func benchMapping(format, file string) string {
	ls := map[string]string{
		"csv":  `rml:logicalSource [ rml:source "` + file + `"; rml:referenceFormulation ql:CSV ];`,
		"json": `rml:logicalSource [ rml:source "` + file + `"; rml:referenceFormulation ql:JSONPath; rml:iterator "$.resultats[*]" ];`,
		"xml":  `rml:logicalSource [ rml:source "` + file + `"; rml:referenceFormulation ql:XPath; rml:iterator "/offres/offre" ];`,
	}[format]
	return prefixes + "<#Offre> " + ls + benchPOMs
}

func benchmarkFormat(b *testing.B, format string) {
	dir := b.TempDir()
	file := "offres." + format
	writeBenchInput(b, filepath.Join(dir, file), format, benchRecords)
	m, err := Parse(strings.NewReader(benchMapping(format, file)), "")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var quads int64
	for i := 0; i < b.N; i++ {
		w := ntriples.NewWriter(io.Discard)
		st, err := m.Execute(context.Background(), Options{BaseDir: dir}, w)
		if err != nil {
			b.Fatal(err)
		}
		if st.Quads != 7*benchRecords {
			b.Fatalf("quads = %d, want %d", st.Quads, 7*benchRecords)
		}
		w.Flush()
		quads += st.Quads
	}
	b.ReportMetric(float64(quads)/b.Elapsed().Seconds(), "triples/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(quads), "ns/triple")
}

func BenchmarkCSV(b *testing.B)  { benchmarkFormat(b, "csv") }
func BenchmarkJSON(b *testing.B) { benchmarkFormat(b, "json") }
func BenchmarkXML(b *testing.B)  { benchmarkFormat(b, "xml") }

// BenchmarkJoin measures a child CSV joined to a 10 000-row parent.
func BenchmarkJoin(b *testing.B) {
	dir := b.TempDir()
	writeBenchInput(b, filepath.Join(dir, "offres.csv"), "csv", benchRecords)
	var sb strings.Builder
	sb.WriteString("code,nom\n")
	for i := 0; i < 10000; i++ {
		fmt.Fprintf(&sb, "%05d,Commune %d\n", 6000+i, i)
	}
	os.WriteFile(filepath.Join(dir, "communes.csv"), []byte(sb.String()), 0o644)
	m, err := Parse(strings.NewReader(prefixes+`
<#Offre> rml:logicalSource [ rml:source "offres.csv" ];
  rr:subjectMap [ rr:template "http://ex.org/offre/{id}" ];
  rr:predicateObjectMap [ rr:predicate ex:commune; rr:objectMap [ rr:parentTriplesMap <#Commune>;
     rr:joinCondition [ rr:child "commune"; rr:parent "code" ] ] ] .
<#Commune> rml:logicalSource [ rml:source "communes.csv" ];
  rr:subjectMap [ rr:template "http://ex.org/commune/{code}" ] ;
  rr:predicateObjectMap [ rr:predicate ex:nom; rr:objectMap [ rml:reference "nom" ] ] .
`), "")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var quads int64
	for i := 0; i < b.N; i++ {
		st, err := m.Execute(context.Background(), Options{BaseDir: dir}, ntriples.NewWriter(io.Discard))
		if err != nil {
			b.Fatal(err)
		}
		quads += st.Quads
	}
	b.ReportMetric(float64(quads)/b.Elapsed().Seconds(), "triples/s")
}

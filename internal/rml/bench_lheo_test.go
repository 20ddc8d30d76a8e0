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

// writeLHEO writes an LHEO-like document: formations of actions of
// sessions, 4 sessions per action and 2 actions per formation, with the
// action's places and hours AFTER its sessions (as in real Intercarif
// exports), so that "../" references need the whole action.
func writeLHEO(tb testing.TB, path string, sessions int) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<lheo xmlns=\"http://www.lheo.org/2.2\">\n <offres>\n")
	const perAction, perFormation = 4, 2
	s := 0
	for fi := 0; s < sessions; fi++ {
		fmt.Fprintf(w, "  <formation numero=\"F%d\">\n   <intitule-formation>Formation %d</intitule-formation>\n", fi, fi)
		for a := 0; a < perFormation && s < sessions; a++ {
			fmt.Fprintf(w, "   <action numero=\"A%d-%d\">\n", fi, a)
			for k := 0; k < perAction && s < sessions; k++ {
				fmt.Fprintf(w, "    <session numero=\"S%d\"><periode><debut>2024%02d01</debut><fin>2024%02d28</fin></periode></session>\n", s, 1+s%12, 1+s%12)
				s++
			}
			fmt.Fprintf(w, "    <nombre-heures-total>%d</nombre-heures-total>\n", 100+a)
			fmt.Fprintf(w, "    <organisme-financeur><code-financeur>10</code-financeur><nb-places-financees>%d</nb-places-financees></organisme-financeur>\n", 5+fi%7)
			fmt.Fprintf(w, "    <organisme-financeur><code-financeur>4</code-financeur><nb-places-financees>3</nb-places-financees></organisme-financeur>\n")
			w.WriteString("   </action>\n")
		}
		fmt.Fprintf(w, "   <code-niveau-sortie>%d</code-niveau-sortie>\n  </formation>\n", 3+fi%4)
	}
	w.WriteString(" </offres>\n</lheo>\n")
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	f.Close()
}

// lheoSessionMapping iterates over the sessions and reads the action's
// hours and places (after the sessions) and the formation's level (after
// its actions): 6 triples per session.
const lheoSessionMapping = `
<#Session> rml:logicalSource [ rml:source "lheo.xml"; rml:referenceFormulation ql:XPath;
    rml:iterator "/lheo/offres/formation/action/session" ];
  rr:subjectMap [ rr:template "http://ex.org/session/{@numero}"; rr:class ex:Session ];
  rr:predicateObjectMap [ rr:predicate ex:start; rr:objectMap [ rml:reference "periode/debut" ] ],
    [ rr:predicate ex:hours; rr:objectMap [ rml:reference "../nombre-heures-total"; rr:datatype xsd:decimal ] ],
    [ rr:predicate ex:places; rr:objectMap [ rml:reference "sum(../organisme-financeur/nb-places-financees)"; rr:datatype xsd:integer ] ],
    [ rr:predicate ex:level; rr:objectMap [ rml:reference "../../code-niveau-sortie" ] ],
    [ rr:predicate ex:training; rr:objectMap [ rr:template "http://ex.org/formation/{../../@numero}" ] ] .
`

// lheoSessionOnlyMapping reads only the session itself: the session is
// the streamed unit, and everything else must still be dropped.
const lheoSessionOnlyMapping = `
<#Session> rml:logicalSource [ rml:source "lheo.xml"; rml:referenceFormulation ql:XPath;
    rml:iterator "/lheo/offres/formation/action/session" ];
  rr:subjectMap [ rr:template "http://ex.org/session/{@numero}"; rr:class ex:Session ];
  rr:predicateObjectMap [ rr:predicate ex:start; rr:objectMap [ rml:reference "periode/debut" ] ],
    [ rr:predicate ex:end; rr:objectMap [ rml:reference "periode/fin" ] ] .
`

// BenchmarkXMLDeepIterator maps sessions nested in formations and actions,
// reading their ancestors' later children, or only themselves. The cost per
// session must not grow with the file (it was quadratic): compare the
// ns/session of the two sizes.
func BenchmarkXMLDeepIterator(b *testing.B) {
	for _, c := range []struct {
		name     string
		mapping  string
		triples  int // per session
		sessions int
	}{
		{"ancestors/5000", lheoSessionMapping, 6, 5_000},
		{"ancestors/20000", lheoSessionMapping, 6, 20_000},
		{"session-only/5000", lheoSessionOnlyMapping, 3, 5_000},
		{"session-only/20000", lheoSessionOnlyMapping, 3, 20_000},
	} {
		sessions := c.sessions
		b.Run(c.name, func(b *testing.B) {
			dir := b.TempDir()
			writeLHEO(b, filepath.Join(dir, "lheo.xml"), sessions)
			m, err := Parse(strings.NewReader(prefixes+c.mapping), "")
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
				if st.Quads != int64(c.triples*sessions) {
					b.Fatalf("quads = %d, want %d", st.Quads, c.triples*sessions)
				}
				quads += st.Quads
			}
			b.ReportMetric(float64(quads)/b.Elapsed().Seconds(), "triples/s")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*sessions), "ns/session")
		})
	}
}

// Command morphkgc-gen writes the synthetic inputs (labelled synthetic: generated, no
// real record) that run.sh feeds to both RML engines, Open Emploi's and Morph-KGC:
//
//	go run ./bench/morphkgc -format csv -n 100000 -o offres.csv
//	go run ./bench/morphkgc -format json -n 100000 -o offres.json
//	go run ./bench/morphkgc -format lheo -n 100000 -o sessions.xml   # LHEO-like, n sessions
//	go run ./bench/morphkgc -format communes -o communes.csv         # the join's parent
//	go run ./bench/morphkgc -format csv -size 1073741824 -o big.csv  # by size
//
// Records are a pure function of their index, so both engines read the same bytes
// and the outputs can be compared line by line.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	format := flag.String("format", "csv", "csv, json, lheo or communes")
	n := flag.Int("n", 100000, "records (offers, or LHEO sessions)")
	size := flag.Int64("size", 0, "csv only: if > 0, write records until the file reaches this many bytes")
	out := flag.String("o", "", "output file")
	flag.Parse()
	if err := gen(*format, *n, *size, *out); err != nil {
		fmt.Fprintln(os.Stderr, "morphkgc-gen:", err)
		os.Exit(1)
	}
}

// communes is the number of distinct communes the offers point to (codes 06000 to
// 06899); the join maps each to one of 30 zones.
const communes = 900

type offer struct{ id, title, rome, commune, contract, salary, date string }

func record(i int) offer {
	return offer{
		id:       fmt.Sprint(i),
		title:    fmt.Sprintf("Développeur, \"full stack\" n°%d", i),
		rome:     fmt.Sprintf("M18%02d", i%100),
		commune:  fmt.Sprintf("%05d", 6000+i%communes),
		contract: [...]string{"CDI", "CDD", "MIS"}[i%3],
		salary:   fmt.Sprintf("%d.%02d", 1800+i%3000, 1+i%99),
		date:     fmt.Sprintf("2024-%02d-%02d", 1+i%12, 1+i%28),
	}
}

func gen(format string, n int, size int64, out string) error {
	if out == "" {
		return fmt.Errorf("-o is required")
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	cw := &countWriter{w: w}
	switch format {
	case "csv":
		io.WriteString(cw, "id,title,rome,commune,contract,salary,date\n")
		for i := 0; size > 0 && cw.n < size || size == 0 && i < n; i++ {
			r := record(i)
			fmt.Fprintf(cw, "%s,\"%s\",%s,%s,%s,%s,%s\n", r.id, strings.ReplaceAll(r.title, `"`, `""`), r.rome, r.commune, r.contract, r.salary, r.date)
		}
	case "json":
		io.WriteString(cw, `{"resultats":[`)
		for i := 0; i < n; i++ {
			if i > 0 {
				io.WriteString(cw, ",\n")
			}
			r := record(i)
			fmt.Fprintf(cw, `{"id":%q,"title":%q,"rome":%q,"commune":%q,"contract":%q,"salary":%s,"date":%q}`, r.id, r.title, r.rome, r.commune, r.contract, r.salary, r.date)
		}
		io.WriteString(cw, "]}\n")
	case "lheo":
		lheo(cw, n)
	case "communes":
		io.WriteString(cw, "code,zone,name\n")
		for i := 0; i < communes; i++ {
			fmt.Fprintf(cw, "%05d,93%02d,Commune synthétique %d\n", 6000+i, 1+i%30, i)
		}
	default:
		return fmt.Errorf("unknown format %q (want csv, json, lheo or communes)", format)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// lheo writes n sessions shaped like the LHEO 2.2 catalogues of the CARIF-OREF
// (formation > action > session, attributes, nested addresses), without the namespace:
// two sessions per action, one action per formation.
func lheo(w io.Writer, n int) {
	io.WriteString(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<lheo>\n<offres>\n")
	for i := 0; i < n; i += 2 {
		k := i / 2
		fmt.Fprintf(w, "<formation numero=\"F%d\">\n<intitule-formation>Titre professionnel développeur &amp; \"web\" n°%d</intitule-formation>\n<action numero=\"A%d\">\n<niveau-entree-obligatoire>0</niveau-entree-obligatoire>\n", k, k, k)
		for j := i; j < i+2 && j < n; j++ {
			fmt.Fprintf(w, "<session numero=\"S%d\">\n<periode><debut>2024%02d%02d</debut><fin>2025%02d%02d</fin></periode>\n"+
				"<adresse-inscription><adresse><ville>Ville synthétique %d</ville><codepostal>%05d</codepostal></adresse></adresse-inscription>\n"+
				"<etat-recrutement>%d</etat-recrutement>\n</session>\n",
				j, 1+j%12, 1+j%28, 1+(j+6)%12, 1+(j+3)%28, j%communes, 6000+j%communes, 1+j%3)
		}
		io.WriteString(w, "</action>\n</formation>\n")
	}
	io.WriteString(w, "</offres>\n</lheo>\n")
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

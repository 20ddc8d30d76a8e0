// Command morphkgc-bench generates the benchmark input shared with
// Morph-KGC and runs our RML engine on it, printing its throughput.
//
//	go run ./bench/morphkgc gen -format csv -n 100000 -o offres.csv
//	go run ./bench/morphkgc run -mapping mapping.ttl -in offres.csv -out out.nq
//
// run.sh drives both engines; see it for the comparison.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/openemploi360/openemploi/internal/ntriples"
	"github.com/openemploi360/openemploi/internal/rml"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: morphkgc-bench gen|run [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = gen(os.Args[2:])
	case "run":
		err = run(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "morphkgc-bench:", err)
		os.Exit(1)
	}
}

func record(i int) (id, title, rome, commune, contract, salary, date string) {
	return fmt.Sprint(i), fmt.Sprintf("Développeur, \"full stack\" n°%d", i), fmt.Sprintf("M18%02d", i%100),
		fmt.Sprintf("%05d", 6000+i%900), [...]string{"CDI", "CDD", "MIS"}[i%3],
		fmt.Sprintf("%d.%02d", 1800+i%3000, 1+i%99), fmt.Sprintf("2024-%02d-%02d", 1+i%12, 1+i%28)
}

func gen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	format := fs.String("format", "csv", "csv, json or xml")
	n := fs.Int("n", 100000, "records")
	size := fs.Int64("size", 0, "if > 0, write CSV records until the file reaches this many bytes")
	out := fs.String("o", "", "output file")
	fs.Parse(args)
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	var written int64
	cw := &countWriter{w: w, n: &written}
	switch *format {
	case "csv":
		io.WriteString(cw, "id,title,rome,commune,contract,salary,date\n")
		for i := 0; *size > 0 && written < *size || *size == 0 && i < *n; i++ {
			id, title, rome, commune, contract, salary, date := record(i)
			fmt.Fprintf(cw, "%s,\"%s\",%s,%s,%s,%s,%s\n", id, strings.ReplaceAll(title, `"`, `""`), rome, commune, contract, salary, date)
		}
	case "json":
		io.WriteString(cw, `{"resultats":[`)
		for i := 0; i < *n; i++ {
			if i > 0 {
				io.WriteString(cw, ",\n")
			}
			id, title, rome, commune, contract, salary, date := record(i)
			fmt.Fprintf(cw, `{"id":%q,"title":%q,"rome":%q,"commune":%q,"contract":%q,"salary":%s,"date":%q}`, id, title, rome, commune, contract, salary, date)
		}
		io.WriteString(cw, "]}\n")
	case "xml":
		io.WriteString(cw, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<offres>\n")
		for i := 0; i < *n; i++ {
			id, title, rome, commune, contract, salary, date := record(i)
			title = strings.ReplaceAll(title, `"`, "&quot;")
			fmt.Fprintf(cw, "<offre><id>%s</id><title>%s</title><rome>%s</rome><commune>%s</commune><contract>%s</contract><salary>%s</salary><date>%s</date></offre>\n", id, title, rome, commune, contract, salary, date)
		}
		io.WriteString(cw, "</offres>\n")
	default:
		return fmt.Errorf("unknown format %q", *format)
	}
	return w.Flush()
}

type countWriter struct {
	w io.Writer
	n *int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	*c.n += int64(n)
	return n, err
}

func run(args []string) error {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	mapping := fs.String("mapping", "", "RML mapping (Turtle)")
	in := fs.String("in", "", "input file (matched to the single rml:source)")
	out := fs.String("out", "/dev/null", "N-Quads output")
	fs.Parse(args)
	m, err := rml.LoadFile(*mapping)
	if err != nil {
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	defer f.Close()
	w := ntriples.NewWriter(f)
	start := time.Now()
	opt := rml.Options{}
	if *in != "" {
		opt.Inputs = []string{*in}
	}
	st, err := m.Execute(context.Background(), opt, w)
	if err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	secs := time.Since(start).Seconds()
	fmt.Printf("openemploi: records=%d triples=%d bytes=%d seconds=%.3f triples_per_s=%.0f\n",
		st.Records, st.Quads, st.Bytes, secs, float64(st.Quads)/secs)
	return nil
}

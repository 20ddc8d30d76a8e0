// Command ceiling is the bare loop the RML engine is measured against: it reads the
// benchmark's offres.csv (bench/morphkgc) and writes exactly the N-Quads that
// bench/morphkgc/mapping.ttl makes of it, with the least work a Go program can do —
// encoding/csv reusing its record, hand-written N-Quads into one buffered writer, no
// mapping, no term values, no allocation per triple. run.sh times it as a separate
// process beside `openemploi map` and checks both outputs are the same quads.
//
//	ceiling -in offres.csv -o out.nq
//	ceiling -profile cpu.pprof -mapping mapping.ttl -in offres.csv   # the engine, profiled
//
// With -profile it runs the engine itself in this process under the CPU profiler
// (for `go tool pprof -top`: where the engine's time goes beyond the bare loop).
package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"

	"github.com/openemploi360/openemploi/internal/ntriples"
	"github.com/openemploi360/openemploi/internal/rml"
)

func main() {
	in := flag.String("in", "offres.csv", "input CSV (bench/morphkgc -format csv)")
	out := flag.String("o", "/dev/null", "output N-Quads")
	profile := flag.String("profile", "", "instead: run the engine on -mapping under the CPU profiler, writing the profile here")
	mapping := flag.String("mapping", "mapping.ttl", "with -profile: the RML mapping")
	flag.Parse()
	var err error
	if *profile != "" {
		err = engine(*mapping, *in, *out, *profile)
	} else {
		err = bare(*in, *out)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ceiling:", err)
		os.Exit(1)
	}
}

const (
	rdfType  = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
	graph    = " <http://ex.org/offres> .\n"
	xsdDec   = "\"^^<http://www.w3.org/2001/XMLSchema#decimal>"
	xsdDate  = "\"^^<http://www.w3.org/2001/XMLSchema#date>"
	subjBase = "<http://ex.org/offre/"
)

// bare maps each record as mapping.ttl does: 7 quads, columns by header position.
func bare(in, out string) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	o, err := os.Create(out)
	if err != nil {
		return err
	}
	defer o.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<16))
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		return fmt.Errorf("%s: header: %w", in, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	var idx [7]int
	for i, name := range []string{"id", "title", "rome", "commune", "contract", "salary", "date"} {
		c, ok := col[name]
		if !ok {
			return fmt.Errorf("%s: no column %q", in, name)
		}
		idx[i] = c
	}
	w := bufio.NewWriterSize(o, 1<<16)
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: line %d: %w", in, line, err)
		}
		id, title, rome, commune, contract, salary, date := rec[idx[0]], rec[idx[1]], rec[idx[2]], rec[idx[3]], rec[idx[4]], rec[idx[5]], rec[idx[6]]
		if id == "" {
			continue // a template with no value makes no subject, so no triple
		}
		subj := func(pred string) {
			w.WriteString(subjBase)
			iri(w, id)
			w.WriteString("> ")
			w.WriteString(pred)
		}
		subj(rdfType)
		w.WriteString("<http://ex.org/JobOffer>" + graph)
		if title != "" {
			subj("<http://ex.org/title> \"")
			literal(w, title)
			w.WriteString("\"@fr" + graph)
		}
		if rome != "" {
			subj("<http://ex.org/rome> <http://ex.org/rome/")
			iri(w, rome)
			w.WriteString(">" + graph)
		}
		if commune != "" {
			subj("<http://ex.org/commune> <http://ex.org/commune/")
			iri(w, commune)
			w.WriteString(">" + graph)
		}
		if contract != "" {
			subj("<http://ex.org/contract> \"")
			literal(w, contract)
			w.WriteString("\"" + graph)
		}
		if salary != "" {
			subj("<http://ex.org/salary> \"")
			literal(w, salary)
			w.WriteString(xsdDec + graph)
		}
		if date != "" {
			subj("<http://ex.org/date> \"")
			literal(w, date)
			w.WriteString(xsdDate + graph)
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return o.Close()
}

// literal writes s escaped for an N-Triples string.
func literal(w *bufio.Writer, s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '"':
			esc = `\"`
		case '\\':
			esc = `\\`
		case '\n':
			esc = `\n`
		case '\r':
			esc = `\r`
		default:
			continue
		}
		w.WriteString(s[start:i])
		w.WriteString(esc)
		start = i + 1
	}
	w.WriteString(s[start:])
}

// iri writes s percent-encoded as an R2RML template value: unreserved ASCII kept,
// every other byte as %XX (the benchmark's values are ASCII).
func iri(w *bufio.Writer, s string) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			w.WriteByte(c)
			continue
		}
		w.WriteByte('%')
		w.WriteByte(hex[c>>4])
		w.WriteByte(hex[c&15])
	}
}

// engine runs the RML engine as `openemploi map` does, under the CPU profiler.
func engine(mapping, in, out, profile string) error {
	pf, err := os.Create(profile)
	if err != nil {
		return err
	}
	defer pf.Close()
	if err := pprof.StartCPUProfile(pf); err != nil {
		return err
	}
	defer pprof.StopCPUProfile()
	m, err := rml.LoadFile(mapping)
	if err != nil {
		return err
	}
	o, err := os.Create(out)
	if err != nil {
		return err
	}
	defer o.Close()
	w := ntriples.NewWriter(o)
	if _, err := m.Execute(context.Background(), rml.Options{Inputs: []string{in}}, w); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return o.Close()
}

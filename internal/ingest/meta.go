package ingest

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/openemploi360/openemploi/internal/ntriples"
	"github.com/openemploi360/openemploi/internal/sparqlq"
	"github.com/openemploi360/openemploi/internal/vocab"
)

// Terms of the metadata graph (doc/vocabulary.md).
const (
	rdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
	xsdNS   = "http://www.w3.org/2001/XMLSchema#"
	dctNS   = "http://purl.org/dc/terms/"
	dcatNS  = "http://www.w3.org/ns/dcat#"
	provNS  = "http://www.w3.org/ns/prov#"
	voidNS  = "http://rdfs.org/ns/void#"
	langFR  = "fr"
)

// description writes, as N-Triples, what oeg:meta says about a run and each graph it
// produced: the PROV activity with its input files, and per graph its DCAT/DCT
// description with dcat:hasCurrentVersion naming the graph that holds its data. Written with the N-Triples writer (never pasted into SPARQL), loaded
// into a scratch graph, and copied into oeg:meta by the update that makes the run live.
func description(src Source, res Result, versions map[string]string) ([]byte, error) {
	var buf bytes.Buffer
	w := ntriples.NewWriter(&buf)
	iri := ntriples.NewIRI
	str := ntriples.NewLiteral
	ts := func(t time.Time) ntriples.Term {
		return ntriples.NewTyped(t.UTC().Format(time.RFC3339), xsdNS+"dateTime")
	}
	integer := func(n int64) ntriples.Term { return ntriples.NewTyped(strconv.FormatInt(n, 10), xsdNS+"integer") }
	var err error
	add := func(s, p string, o ntriples.Term) {
		if err == nil {
			err = w.WriteTriple(iri(s), iri(p), o)
		}
	}
	run := vocab.Run(res.RunID)
	add(run, rdfType, iri(provNS+"Activity"))
	add(run, provNS+"startedAtTime", ts(res.Started))
	add(run, provNS+"endedAtTime", ts(res.Ended))
	add(run, vocab.Property("sourceName"), str(src.Name))
	add(run, vocab.Property("rowsRead"), integer(res.Records))
	add(run, vocab.Property("rowsRejected"), integer(res.Rejected))
	for _, f := range res.Files {
		file := vocab.File(f.SHA256)
		add(run, provNS+"used", iri(file))
		add(file, rdfType, iri(provNS+"Entity"))
		add(file, vocab.Property("fileName"), str(filepath.Base(f.Path)))
		add(file, vocab.Property("sha256"), str(f.SHA256))
		add(file, vocab.Property("byteSize"), integer(f.Size))
	}
	graphs := sortedKeys(res.Graphs)
	for _, g := range graphs {
		title, publisher := src.Title, src.Publisher
		if len(graphs) > 1 {
			title += " (" + strings.TrimPrefix(g, vocab.GraphNS) + ")"
		}
		if name, month, ok := vocab.DerivedOf(g); ok {
			// The aggregates of one month of offers: computed by us from that month's
			// graph, under its licence and with its dates.
			title = "Agrégats des offres d'emploi (" + month + ") — " + src.Title
			publisher = "Open Emploi 360 (calculé à partir de : " + src.Publisher + ")"
			add(g, provNS+"wasDerivedFrom", iri(vocab.Graph(name, month)))
		}
		add(g, rdfType, iri(provNS+"Entity"))
		add(g, rdfType, iri(dcatNS+"Dataset"))
		add(g, dctNS+"title", ntriples.NewLang(title, langFR))
		add(g, dctNS+"publisher", str(publisher))
		if sparqlq.CheckIRI(src.License) == nil {
			add(g, dctNS+"license", iri(src.License))
		} else {
			add(g, dctNS+"license", str(src.License))
		}
		if src.Issued != "" {
			if _, perr := time.Parse(time.DateOnly, src.Issued); perr == nil {
				add(g, dctNS+"issued", ntriples.NewTyped(src.Issued, xsdNS+"date"))
			} else {
				add(g, dctNS+"issued", str(src.Issued))
			}
		}
		add(g, dctNS+"modified", ts(res.Ended))
		add(g, voidNS+"triples", integer(res.Graphs[g]))
		add(g, vocab.Property("synthetic"), ntriples.NewTyped(strconv.FormatBool(src.Synthetic), xsdNS+"boolean"))
		add(g, vocab.Property("sourceName"), str(src.Name))
		add(g, vocab.Property("mappingVersion"), str(fmt.Sprintf("%s@%d", filepath.Base(src.Mapping), src.Version)))
		add(g, provNS+"wasGeneratedBy", iri(run))
		add(g, dcatNS+"hasCurrentVersion", iri(versions[g]))
	}
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		return nil, fmt.Errorf("writing the run's description: %w", err)
	}
	return buf.Bytes(), nil
}

// Package kgtest loads the labelled test fixture (fixture.nq: a few métiers, two zones
// d'emploi, six months of synthetic offers and the territorial indicators, written for
// these tests per doc/vocabulary.md) into a store with the offers aggregates an import
// writes: one month graph per source and month (oeg:derived/<source>/<YYYY-MM>,
// computed by internal/aggregate from the fixture's offers, record by record as the
// import streams them), live in oeg:meta like every graph. So every test of the
// readers and of the API reads what an import will write.
//
// LoadReference computes instead the reference aggregates of queries/derived/*.ru into
// oeg:derived, for the tests that compare the two or test the reference itself.
package kgtest

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/knakk/rdf"

	"github.com/openemploi360/openemploi/internal/aggregate"
	"github.com/openemploi360/openemploi/internal/ntriples"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/vocab"
	"github.com/openemploi360/openemploi/queries"
)

// Fixture is the N-Quads test dataset.
//
//go:embed fixture.nq
var Fixture []byte

// Run is the import run the month graphs of MonthGraphs are versions of: their data
// lives in oeg:derived/<source>/<YYYY-MM>/v/kgtest, which oeg:meta names as the
// current version of the logical month graph, so a query that reads a month graph by
// its logical name instead of through oeg:meta finds nothing.
const Run = "kgtest"

// Modified is the dct:modified of the month graphs' descriptions, the fixture's import
// date, so the data version of a loaded fixture does not depend on the clock.
const Modified = "2026-11-23T07:00:00Z"

// Load loads Fixture into c with the month graphs of its offers.
func Load(tb testing.TB, c *store.Client) {
	tb.Helper()
	LoadWith(tb, c, Fixture)
}

// LoadWith loads datasets (N-Quads: the fixture, more offers, their descriptions in
// oeg:meta…) into c, then the month graphs computed from the live offers of them all.
func LoadWith(tb testing.TB, c *store.Client, datasets ...[]byte) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	all := bytes.Join(datasets, []byte("\n"))
	if err := c.LoadQuads(ctx, bytes.NewReader(all)); err != nil {
		tb.Fatalf("kgtest: load the datasets: %v", err)
	}
	months, err := MonthGraphs(bytes.NewReader(all))
	if err != nil {
		tb.Fatalf("kgtest: %v", err)
	}
	if err := c.LoadQuads(ctx, bytes.NewReader(months)); err != nil {
		tb.Fatalf("kgtest: load the month graphs: %v", err)
	}
}

// LoadReference loads Fixture into c and runs the reference aggregates
// (queries/derived/*.ru into oeg:derived); no month graph is written.
func LoadReference(tb testing.TB, c *store.Client) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := c.LoadQuads(ctx, bytes.NewReader(Fixture)); err != nil {
		tb.Fatalf("kgtest: load fixture: %v", err)
	}
	if err := RunDerived(ctx, c); err != nil {
		tb.Fatalf("kgtest: %v", err)
	}
}

// RunDerived runs queries/derived/*.ru in name order.
func RunDerived(ctx context.Context, c *store.Client) error {
	files, err := fs.Glob(queries.FS, "derived/*.ru")
	if err != nil {
		return err
	}
	for _, f := range files {
		b, err := fs.ReadFile(queries.FS, f)
		if err != nil {
			return err
		}
		if err := c.Update(ctx, string(b)); err != nil {
			return &derivedErr{f, err}
		}
	}
	return nil
}

type derivedErr struct {
	file string
	err  error
}

func (e *derivedErr) Error() string { return "derived " + e.file + ": " + e.err.Error() }
func (e *derivedErr) Unwrap() error { return e.err }

// Vocabulary MonthGraphs reads and writes.
const (
	rdfType   = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
	xsdNS     = "http://www.w3.org/2001/XMLSchema#"
	dcatNS    = "http://www.w3.org/ns/dcat#"
	dctNS     = "http://purl.org/dc/terms/"
	provNS    = "http://www.w3.org/ns/prov#"
	voidNS    = "http://rdfs.org/ns/void#"
	licenceOE = "https://www.etalab.gouv.fr/licence-ouverte-open-licence"
)

var (
	jobOffer   = vocab.Property("JobOffer")
	synthetic  = vocab.Property("synthetic")
	zoneEmploi = vocab.Property("zoneEmploi")
	geoGraph   = vocab.Graph("geo")
)

// MonthGraphs computes, from an N-Quads dataset, the month graphs an import of its
// offers writes, and returns them as N-Quads with their descriptions in oeg:meta.
//
// As the import: only live graphs count (a logical graph of oeg:meta and the current
// version it names; staging graphs and old versions are left out); each offer is one
// record, its triples with those of the resources it names in the same graph (its
// hiring organisation), fed to one aggregate.Offers per source (vocab.GraphSource of the
// logical graph), synthetic as oeg:meta says of the source's graphs; communes' zones
// come from the live geo graph. Each month graph goes live as a version of run Run.
func MonthGraphs(dataset io.Reader) ([]byte, error) {
	byGraph := map[string][]ntriples.Triple{}
	dec := rdf.NewQuadDecoder(dataset, rdf.NQuads)
	for n := 1; ; n++ {
		q, err := dec.Decode()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("month graphs: dataset, quad %d: %w", n, err)
		}
		g := q.Ctx.String()
		byGraph[g] = append(byGraph[g], ntriples.Triple{S: ntriples.FromRDF(q.Subj), P: ntriples.FromRDF(q.Pred), O: ntriples.FromRDF(q.Obj)})
	}

	// The live graphs, as oeg:meta names them, and what it says of them.
	current, syntheticOf := map[string]string{}, map[string]bool{}
	described := map[string]map[string]ntriples.Term{} // graph → dct: property → value
	for _, t := range byGraph[vocab.MetaGraph] {
		switch t.P.Value {
		case dcatNS + "hasCurrentVersion":
			current[t.S.Value] = t.O.Value
		case synthetic:
			syntheticOf[t.S.Value] = t.O.Value == "true" || t.O.Value == "1"
		case dctNS + "title", dctNS + "publisher", dctNS + "license":
			if described[t.S.Value] == nil {
				described[t.S.Value] = map[string]ntriples.Term{}
			}
			described[t.S.Value][t.P.Value] = t.O
		}
	}
	zones := aggregate.Zones{}
	if geo, ok := current[geoGraph]; ok {
		for _, t := range byGraph[geo] {
			if t.P.Value == zoneEmploi {
				zones[t.S.Value] = t.O.Value
			}
		}
	}

	type src struct {
		offers    *aggregate.Offers
		synthetic bool
		graph     string // the first graph read, to name in a disagreement
	}
	sources := map[string]*src{}
	logicals := make([]string, 0, len(current))
	for lg := range current {
		logicals = append(logicals, lg)
	}
	sort.Strings(logicals)
	for _, lg := range logicals {
		if vocab.IsReserved(lg) {
			continue // the metadata, aggregates already computed
		}
		triples := byGraph[current[lg]]
		bySubject := map[ntriples.Term][]ntriples.Triple{}
		var offers []ntriples.Term
		for _, t := range triples {
			bySubject[t.S] = append(bySubject[t.S], t)
			if t.P.Value == rdfType && t.O.Kind == ntriples.IRI && t.O.Value == jobOffer {
				offers = append(offers, t.S)
			}
		}
		if len(offers) == 0 {
			continue
		}
		name := vocab.GraphSource(lg)
		s := sources[name]
		if s == nil {
			s = &src{offers: aggregate.NewOffers(name, syntheticOf[lg], zones), synthetic: syntheticOf[lg], graph: lg}
			sources[name] = s
		} else if s.synthetic != syntheticOf[lg] {
			return nil, fmt.Errorf("month graphs: source %s: %s is synthetic %v, %s is %v", name, s.graph, s.synthetic, lg, syntheticOf[lg])
		}
		sort.Slice(offers, func(i, j int) bool { return offers[i].Value < offers[j].Value })
		isOffer := map[ntriples.Term]bool{}
		for _, o := range offers {
			isOffer[o] = true
		}
		for _, o := range offers {
			// the record: the offer and what it names that the same graph describes
			// (its organisation), as the mapping emits them together
			record := append([]ntriples.Triple(nil), bySubject[o]...)
			seen := map[ntriples.Term]bool{o: true}
			for _, t := range bySubject[o] {
				if t.O.Kind != ntriples.Literal && !seen[t.O] && !isOffer[t.O] {
					seen[t.O] = true
					record = append(record, bySubject[t.O]...)
				}
			}
			s.offers.Record(record)
		}
	}

	var buf bytes.Buffer
	w := ntriples.NewWriter(&buf)
	iri := ntriples.NewIRI
	meta := iri(vocab.MetaGraph)
	names := make([]string, 0, len(sources))
	for name := range sources {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		s := sources[name]
		for _, month := range s.offers.Months() {
			lg := vocab.DerivedMonthGraph(name, month)
			version := iri(vocab.VersionGraph(lg, Run))
			var n int64
			if err := s.offers.Write(month, func(sub, p, o ntriples.Term) error {
				n++
				return w.WriteQuad(sub, p, o, version)
			}); err != nil {
				return nil, fmt.Errorf("month graphs: writing %s: %w", lg, err)
			}
			// described as the import describes it (ingest's description): computed by
			// us from that month's offers, under their licence
			offers := vocab.Graph(name, month)
			from := described[offers]
			if from == nil {
				from = described[s.graph]
			}
			title, publisher, licence := "Agrégats des offres d'emploi ("+month+")", "Open Emploi 360", iri(licenceOE)
			if t, ok := from[dctNS+"title"]; ok {
				title += " — " + t.Value
			}
			if p, ok := from[dctNS+"publisher"]; ok {
				publisher += " (calculé à partir de : " + p.Value + ")"
			}
			if l, ok := from[dctNS+"license"]; ok {
				licence = l
			}
			if _, ok := current[offers]; ok {
				if err := w.WriteQuad(iri(lg), iri(provNS+"wasDerivedFrom"), iri(offers), meta); err != nil {
					return nil, fmt.Errorf("month graphs: describing %s: %w", lg, err)
				}
			}
			for _, po := range [][2]ntriples.Term{
				{iri(rdfType), iri(provNS + "Entity")},
				{iri(rdfType), iri(dcatNS + "Dataset")},
				{iri(dctNS + "title"), ntriples.NewLang(title, "fr")},
				{iri(dctNS + "publisher"), ntriples.NewLiteral(publisher)},
				{iri(dctNS + "license"), licence},
				{iri(dctNS + "modified"), ntriples.NewTyped(Modified, xsdNS+"dateTime")},
				{iri(voidNS + "triples"), ntriples.NewTyped(strconv.FormatInt(n, 10), xsdNS+"integer")},
				{iri(synthetic), ntriples.NewTyped(strconv.FormatBool(s.synthetic), xsdNS+"boolean")},
				{iri(vocab.Property("sourceName")), ntriples.NewLiteral(name)},
				{iri(dcatNS + "hasCurrentVersion"), version},
			} {
				if err := w.WriteQuad(iri(lg), po[0], po[1], meta); err != nil {
					return nil, fmt.Errorf("month graphs: describing %s: %w", lg, err)
				}
			}
		}
	}
	if err := w.Flush(); err != nil {
		return nil, fmt.Errorf("month graphs: %w", err)
	}
	return buf.Bytes(), nil
}

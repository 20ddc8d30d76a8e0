package ingest

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/openemploi360/openemploi/internal/ntriples"
	"github.com/openemploi360/openemploi/internal/store"
)

const idNS = "https://data.dataregionsud.fr/openemploi/id/"

const metaPrefixes = `PREFIX dct: <http://purl.org/dc/terms/>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX void: <http://rdfs.org/ns/void#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX oep: <https://data.dataregionsud.fr/openemploi/def/>
`

// metadataUpdate builds the update that replaces the description of every graph the
// run produced (and removes those of dropped graphs), run in the same request as the
// swap so the meta graph never describes data that is not there.
func metadataUpdate(src Source, res Result, dropped []string) (string, error) {
	var b strings.Builder
	b.WriteString(metaPrefixes)
	meta, err := store.IRIRef(MetaGraph)
	if err != nil {
		return "", err
	}
	graphs := sortedKeys(res.Graphs)
	for _, g := range append(append([]string{}, graphs...), dropped...) {
		ref, err := store.IRIRef(g)
		if err != nil {
			return "", fmt.Errorf("graph %q: %w", g, err)
		}
		fmt.Fprintf(&b, "DELETE WHERE { GRAPH %s { %s ?p ?o } } ;\n", meta, ref)
	}
	for _, g := range dropped {
		ref, _ := store.IRIRef(g)
		fmt.Fprintf(&b, "DROP SILENT GRAPH %s ;\n", ref)
	}
	run := idNS + "run/" + res.RunID
	runRef, err := store.IRIRef(run)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(&b, "INSERT DATA { GRAPH %s {\n", meta)
	ts := func(t time.Time) string { return ntriples.Quote(t.UTC().Format(time.RFC3339)) + "^^xsd:dateTime" }
	fmt.Fprintf(&b, "  %s a prov:Activity ; prov:startedAtTime %s ; prov:endedAtTime %s ;\n    oep:sourceName %s ; oep:rowsRead %d ; oep:rowsRejected %d",
		runRef, ts(res.Started), ts(res.Ended), ntriples.Quote(src.Name), res.Records, res.Rejected)
	for _, f := range res.Files {
		fmt.Fprintf(&b, " ;\n    prov:used %s", fileRef(f))
	}
	b.WriteString(" .\n")
	for _, f := range res.Files {
		fmt.Fprintf(&b, "  %s a prov:Entity ; oep:fileName %s ; oep:sha256 %s ; oep:byteSize %d .\n",
			fileRef(f), ntriples.Quote(filepath.Base(f.Path)), ntriples.Quote(f.SHA256), f.Size)
	}
	for _, g := range graphs {
		ref, _ := store.IRIRef(g)
		title := src.Title
		if len(graphs) > 1 {
			title += " (" + strings.TrimPrefix(g, GraphNS) + ")"
		}
		fmt.Fprintf(&b, "  %s a prov:Entity, dcat:Dataset ;\n    dct:title %s@fr ; dct:publisher %s ;\n", ref, ntriples.Quote(title), ntriples.Quote(src.Publisher))
		if lic, err := store.IRIRef(src.License); err == nil {
			fmt.Fprintf(&b, "    dct:license %s ;\n", lic)
		} else {
			fmt.Fprintf(&b, "    dct:license %s ;\n", ntriples.Quote(src.License))
		}
		if src.Issued != "" {
			if _, err := time.Parse("2006-01-02", src.Issued); err == nil {
				fmt.Fprintf(&b, "    dct:issued %s^^xsd:date ;\n", ntriples.Quote(src.Issued))
			} else {
				fmt.Fprintf(&b, "    dct:issued %s ;\n", ntriples.Quote(src.Issued))
			}
		}
		fmt.Fprintf(&b, "    dct:modified %s ; void:triples %d ; oep:synthetic %s ;\n    oep:sourceName %s ; oep:mappingVersion %s ; prov:wasGeneratedBy %s .\n",
			ts(res.Ended), res.Graphs[g], strconv.FormatBool(src.Synthetic), ntriples.Quote(src.Name),
			ntriples.Quote(fmt.Sprintf("%s@%d", filepath.Base(src.Mapping), src.Version)), runRef)
	}
	b.WriteString("} }\n")
	return b.String(), nil
}

func fileRef(f FileInfo) string { return "<" + idNS + "file/" + f.SHA256 + ">" }

// countGraph returns the number of distinct triples of a graph: the mapping may emit
// the same triple twice (a label repeated on every row) and the store keeps one.
func countGraph(ctx context.Context, c *store.Client, graph string) (int64, error) {
	ref, err := store.IRIRef(graph)
	if err != nil {
		return 0, err
	}
	res, err := c.Select(ctx, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH "+ref+" { ?s ?p ?o } }")
	if err != nil {
		return 0, err
	}
	rows := res.Solutions()
	if len(rows) != 1 {
		return 0, fmt.Errorf("counting %s: %d result rows", graph, len(rows))
	}
	return strconv.ParseInt(rows[0]["n"].String(), 10, 64)
}

// describeDerived (re)writes the description of graph oeg:derived: the aggregates are a
// dataset like any other, so every figure the diagnostic takes from them can name its
// publisher, date and the live graphs it was computed from.
func (im *Importer) describeDerived(ctx context.Context) error {
	n, err := countGraph(ctx, im.Store, DerivedGraph)
	if err != nil {
		return err
	}
	now := ntriples.Quote(im.now().UTC().Format(time.RFC3339)) + "^^xsd:dateTime"
	u := metaPrefixes + fmt.Sprintf(`DELETE WHERE { GRAPH <%[1]s> { <%[2]s> ?p ?o } } ;
INSERT { GRAPH <%[1]s> {
  <%[2]s> a prov:Entity, dcat:Dataset ;
    dct:title "Agrégats calculés à l'import (offres par métier, zone et mois ; salaires ; contrats)"@fr ;
    dct:publisher "Open Emploi 360 (calculé à partir des sources citées)" ;
    dct:license <https://www.etalab.gouv.fr/licence-ouverte-open-licence> ;
    dct:modified %[3]s ; void:triples %[4]d ; oep:synthetic ?synthetic ;
    oep:sourceName "derived" ; oep:mappingVersion "queries/derived" .
  <%[2]s> prov:wasDerivedFrom ?g .
} } WHERE {
  { SELECT (COALESCE(MAX(?s), false) AS ?synthetic) WHERE {
      GRAPH <%[1]s> { ?x oep:synthetic ?s ; oep:sourceName ?name . FILTER(STRSTARTS(?name, "offres")) } } }
  OPTIONAL { GRAPH <%[1]s> { ?g oep:sourceName ?src . FILTER(STRSTARTS(?src, "offres")) } }
}`, MetaGraph, DerivedGraph, now, n)
	return im.Store.Update(ctx, u)
}

package ontology_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/knakk/rdf"
	"github.com/piprate/json-gold/ld"

	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
	"github.com/openemploi360/openemploi/ontology"
)

func TestMain(m *testing.M) { storetest.Main(m) }

const (
	rdfType  = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
	rdfsNS   = "http://www.w3.org/2000/01/rdf-schema#"
	owlNS    = "http://www.w3.org/2002/07/owl#"
	qbNS     = "http://purl.org/linked-data/cube#"
	idNS     = "https://data.dataregionsud.fr/openemploi/id/"
	shapesNS = "https://data.dataregionsud.fr/openemploi/def/shapes/"
)

func decode(t *testing.T, name string) []rdf.Triple {
	t.Helper()
	b, err := ontology.File(name)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := rdf.NewTripleDecoder(bytes.NewReader(b), rdf.Turtle).DecodeAll()
	if err != nil {
		t.Fatalf("%s does not parse with knakk/rdf: %v", name, err)
	}
	if len(ts) == 0 {
		t.Fatalf("%s is empty", name)
	}
	return ts
}

func allTriples(t *testing.T) map[string][]rdf.Triple {
	t.Helper()
	out := map[string][]rdf.Triple{}
	for _, f := range ontology.TurtleFiles {
		out[f] = decode(t, f)
	}
	return out
}

// TestTurtleFilesParse decodes every embedded Turtle file with knakk/rdf, the decoder
// the import uses, and checks that no file is left out of TurtleFiles.
func TestTurtleFilesParse(t *testing.T) {
	listed := map[string]bool{}
	for _, f := range ontology.TurtleFiles {
		listed[f] = true
		t.Run(f, func(t *testing.T) { decode(t, f) })
	}
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".ttl") && !listed[e.Name()] {
			t.Errorf("%s is not in ontology.TurtleFiles", e.Name())
		}
	}
}

func TestHeader(t *testing.T) {
	ts := decode(t, "oep.ttl")
	want := map[string]string{
		owlNS + "versionIRI":               "<" + ontology.VersionIRI + ">",
		"http://purl.org/dc/terms/license": "<https://www.apache.org/licenses/LICENSE-2.0>",
		"http://purl.org/dc/terms/created": `"2026-11-23"^^<http://www.w3.org/2001/XMLSchema#date>`,
		rdfType:                            "<" + owlNS + "Ontology>",
	}
	for _, tr := range ts {
		if tr.Subj.String() != ontology.NS {
			continue
		}
		if w, ok := want[tr.Pred.String()]; ok && tr.Obj.Serialize(rdf.NTriples) == w {
			delete(want, tr.Pred.String())
		}
	}
	for p, o := range want {
		t.Errorf("ontology header lacks %s %s", p, o)
	}
}

// declared returns the oep: terms oep.ttl declares as a class or a property.
func declared(t *testing.T) map[string]bool {
	kinds := map[string]bool{
		owlNS + "Class": true, owlNS + "ObjectProperty": true, owlNS + "DatatypeProperty": true,
		"http://www.w3.org/1999/02/22-rdf-syntax-ns#Property": true,
		qbNS + "DimensionProperty":                            true, qbNS + "MeasureProperty": true,
	}
	out := map[string]bool{}
	for _, tr := range decode(t, "oep.ttl") {
		s := tr.Subj.String()
		if tr.Pred.String() == rdfType && kinds[tr.Obj.String()] && strings.HasPrefix(s, ontology.NS) {
			out["oep:"+strings.TrimPrefix(s, ontology.NS)] = true
		}
	}
	return out
}

// TestContractTermsDeclared parses doc/vocabulary.md and checks that oep.ttl declares
// exactly the oep: terms the contract names: none missing, none invented.
func TestContractTermsDeclared(t *testing.T) {
	md, err := os.ReadFile("../doc/vocabulary.md")
	if err != nil {
		t.Fatal(err)
	}
	contract := map[string]bool{}
	for _, m := range regexp.MustCompile("oep:([A-Za-z][A-Za-z0-9]*)").FindAllStringSubmatch(string(md), -1) {
		contract["oep:"+m[1]] = true
	}
	if len(contract) < 50 {
		t.Fatalf("found only %d oep: terms in doc/vocabulary.md; did the table format change?", len(contract))
	}
	decl := declared(t)
	for term := range contract {
		if !decl[term] {
			t.Errorf("%s is in doc/vocabulary.md but not declared in oep.ttl", term)
		}
	}
	for term := range decl {
		if !contract[term] {
			t.Errorf("%s is declared in oep.ttl but not in doc/vocabulary.md", term)
		}
	}
}

// TestTermsDocumented checks every class and property has French and English labels
// and a comment, and every property a domain (rdfs:domain or schema:domainIncludes)
// except the measures, whose domain is qb:Observation through the DSDs.
func TestTermsDocumented(t *testing.T) {
	labels := map[string]map[string]bool{}
	comments := map[string]bool{}
	for _, tr := range decode(t, "oep.ttl") {
		s := tr.Subj.String()
		switch tr.Pred.String() {
		case rdfsNS + "label":
			if labels[s] == nil {
				labels[s] = map[string]bool{}
			}
			if l, ok := tr.Obj.(rdf.Literal); ok {
				labels[s][l.Lang()] = true
			}
		case rdfsNS + "comment":
			comments[s] = true
		}
	}
	for term := range declared(t) {
		iri := ontology.NS + strings.TrimPrefix(term, "oep:")
		if !labels[iri]["fr"] || !labels[iri]["en"] {
			t.Errorf("%s lacks an rdfs:label in French or English", term)
		}
		if !comments[iri] {
			t.Errorf("%s lacks an rdfs:comment", term)
		}
	}
}

// known lists the terms of other vocabularies our files may use. A term that is not
// here is either a typo or an invention (modeling.md, pitfalls 6 and 7: skos:memberOf,
// skos:hasTopConept); add one only after checking it in the vocabulary's own spec.
var known = map[string][]string{
	"http://www.w3.org/1999/02/22-rdf-syntax-ns#": {"type", "Property", "first", "rest", "nil", "langString", "JSON"},
	rdfsNS: {"label", "comment", "domain", "range", "subClassOf", "subPropertyOf", "seeAlso"},
	owlNS: {"Class", "ObjectProperty", "DatatypeProperty", "Ontology", "equivalentClass", "inverseOf",
		"versionIRI", "versionInfo"},
	"http://www.w3.org/2001/XMLSchema#":    {"string", "integer", "decimal", "boolean", "date", "dateTime"},
	"http://www.w3.org/2004/02/skos/core#": {"Concept", "ConceptScheme", "prefLabel", "altLabel", "notation", "inScheme", "broader", "related", "closeMatch", "broadMatch", "exactMatch"},
	"http://purl.org/dc/terms/":            {"title", "description", "license", "created", "modified", "publisher", "source", "issued"},
	"http://schema.org/": {"JobPosting", "EducationalOccupationalProgram", "CourseInstance", "Organization",
		"MonetaryAmount", "Occupation", "TrainStation", "domainIncludes", "rangeIncludes", "title", "datePosted",
		"occupationalCategory", "employmentType", "hiringOrganization", "baseSalary", "minValue", "maxValue",
		"currency", "unitText", "name", "provider", "startDate", "endDate"},
	"http://rdf.insee.fr/def/geo#": {"Commune", "CommuneDeleguee", "CommuneAssociee", "ArrondissementMunicipal",
		"Departement", "Region", "ZoneDEmploi2020", "GroupementStatistiqueDeCommunes", "codeINSEE", "nom", "subdivisionDe",
		"subdivisionDirecteDe"},
	qbNS: {"Observation", "DataSet", "DataStructureDefinition", "DimensionProperty", "MeasureProperty",
		"component", "dimension", "measure", "order", "componentRequired", "structure", "dataSet", "concept"},
	"http://purl.org/linked-data/sdmx/2009/dimension#": {"refArea"},
	"http://purl.org/linked-data/sdmx/2009/concept#":   {"refPeriod"},
	"http://www.w3.org/ns/prov#":                       {"Entity", "Activity", "wasGeneratedBy", "startedAtTime", "endedAtTime", "used"},
	"http://www.w3.org/ns/dcat#":                       {"Dataset"},
	"http://rdfs.org/ns/void#":                         {"triples"},
	"http://purl.org/vocab/vann/":                      {"preferredNamespacePrefix", "preferredNamespaceUri"},
	"http://www.opengis.net/ont/geosparql#":            {"hasGeometry", "asWKT", "wktLiteral"},
	"http://www.w3.org/ns/shacl#": {"NodeShape", "PropertyShape", "IRI", "Literal", "BlankNode", "Warning", "Violation", "Info",
		"targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "property", "path", "inversePath",
		"minCount", "maxCount", "datatype", "class", "nodeKind", "pattern", "flags", "in", "hasValue", "uniqueLang",
		"languageIn", "minInclusive", "maxInclusive", "minExclusive", "maxExclusive", "minLength", "maxLength",
		"lessThan", "lessThanOrEquals", "equals", "disjoint", "node", "not", "and", "or", "xone",
		"qualifiedValueShape", "qualifiedMinCount", "qualifiedMaxCount", "severity", "message", "deactivated"},
	"https://ontologies.mindmatcher.org/carto/": {"Occupation", "Skill", "Offer"},
	"http://data.europa.eu/esco/model#":         {"Occupation", "Skill"},
}

// TestNoInventedTerms checks that every IRI our files use in another vocabulary's
// namespace is a known term of it, and that our files never describe (as subject) a
// term outside our own namespaces.
func TestNoInventedTerms(t *testing.T) {
	ours := []string{ontology.NS, idNS}
	isOurs := func(iri string) bool {
		for _, ns := range ours {
			if strings.HasPrefix(iri, ns) {
				return true
			}
		}
		return false
	}
	check := func(file string, term rdf.Term) {
		if term.Type() != rdf.TermIRI {
			return
		}
		iri := term.String()
		if isOurs(iri) {
			return
		}
		for ns, locals := range known {
			if strings.HasPrefix(iri, ns) {
				local := strings.TrimPrefix(iri, ns)
				if local == "" {
					return // the vocabulary itself, e.g. in rdfs:seeAlso
				}
				for _, l := range locals {
					if l == local {
						return
					}
				}
				t.Errorf("%s uses %s, which is not a known term of %s", file, iri, ns)
				return
			}
		}
	}
	for file, ts := range allTriples(t) {
		for _, tr := range ts {
			check(file, tr.Subj)
			check(file, tr.Pred)
			check(file, tr.Obj)
			if tr.Subj.Type() == rdf.TermIRI && !isOurs(tr.Subj.String()) {
				t.Errorf("%s describes %s, a term of another vocabulary", file, tr.Subj)
			}
		}
	}
}

// TestStoresLoadOntology loads every file into Fuseki and Oxigraph twice: as the
// N-Triples the import writes (knakk/rdf decoding) and as Turtle parsed by the store
// itself; both must give the triple count knakk/rdf decoded.
func TestStoresLoadOntology(t *testing.T) {
	files := allTriples(t)
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		ctx := context.Background()
		for _, f := range ontology.TurtleFiles {
			ts := files[f]
			var nt strings.Builder
			for _, tr := range ts {
				nt.WriteString(tr.Serialize(rdf.NTriples))
			}
			viaNT := "http://example.org/nt/" + f
			if err := c.PostGraph(ctx, viaNT, strings.NewReader(nt.String())); err != nil {
				t.Fatalf("%s as N-Triples: %v", f, err)
			}
			viaTTL := "http://example.org/ttl/" + f
			b, _ := ontology.File(f)
			postTurtle(t, c, viaTTL, b)
			for _, g := range []string{viaNT, viaTTL} {
				if n := countTriples(t, c, g); n != len(ts) {
					t.Errorf("%s: %d triples in %s, knakk/rdf decoded %d", f, n, g, len(ts))
				}
			}
		}
	})
}

func postTurtle(t *testing.T, c *store.Client, graph string, body []byte) {
	t.Helper()
	u := c.Endpoints().GSP + "?graph=" + url.QueryEscape(graph)
	resp, err := http.Post(u, "text/turtle", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("POST Turtle to %s: %s: %s", u, resp.Status, msg)
	}
}

func countTriples(t *testing.T, c *store.Client, graph string) int {
	t.Helper()
	ref, err := store.IRIRef(graph)
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Select(context.Background(), fmt.Sprintf("SELECT (COUNT(*) AS ?n) WHERE { GRAPH %s { ?s ?p ?o } }", ref))
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if _, err := fmt.Sscan(res.Results.Bindings[0]["n"].Value, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestContext checks context.jsonld: it is valid JSON-LD for json-gold, its terms
// expand to declared oep: terms or known terms of other vocabularies, labels come out
// as language maps and numbers with the contract's datatypes.
func TestContext(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(ontology.Context(), &doc); err != nil {
		t.Fatalf("context.jsonld: %v", err)
	}
	ctx, ok := doc["@context"].(map[string]any)
	if !ok {
		t.Fatal("context.jsonld has no @context object")
	}
	decl := declared(t)
	for term, def := range ctx {
		id := ""
		switch d := def.(type) {
		case string:
			id = d
		case map[string]any:
			id, _ = d["@id"].(string)
		}
		if strings.HasPrefix(id, "oep:") && !decl[id] {
			t.Errorf("context term %q maps to %s, not declared in oep.ttl", term, id)
		}
	}

	proc := ld.NewJsonLdProcessor()
	opts := ld.NewJsonLdOptions("")
	// A loader that refuses everything: the context must be self-contained.
	opts.DocumentLoader = refusingLoader{}
	in := map[string]any{
		"@context":   ctx,
		"id":         "oeid:rome/M1805",
		"type":       "Occupation",
		"prefLabel":  map[string]any{"fr": "Études et développement informatique"},
		"notation":   "M1805",
		"inScheme":   "oeid:scheme/rome",
		"offerCount": 31,
		"executive":  true,
	}
	out, err := proc.Expand(in, opts)
	if err != nil {
		t.Fatalf("expand with context.jsonld: %v", err)
	}
	got, _ := json.Marshal(out)
	for _, want := range []string{
		`"@id":"https://data.dataregionsud.fr/openemploi/id/rome/M1805"`,
		`"@type":["https://data.dataregionsud.fr/openemploi/def/Occupation"]`,
		`"http://www.w3.org/2004/02/skos/core#prefLabel":[{"@language":"fr","@value":"Études et développement informatique"}]`,
		`"http://www.w3.org/2004/02/skos/core#inScheme":[{"@id":"https://data.dataregionsud.fr/openemploi/id/scheme/rome"}]`,
		`"https://data.dataregionsud.fr/openemploi/def/offerCount":[{"@type":"http://www.w3.org/2001/XMLSchema#integer","@value":31}]`,
	} {
		if !strings.Contains(string(got), want) {
			t.Errorf("expanded document lacks %s\n%s", want, got)
		}
	}
	var terms []string
	for k := range ctx {
		terms = append(terms, k)
	}
	sort.Strings(terms)
	t.Logf("%d context entries", len(terms))
}

type refusingLoader struct{}

func (refusingLoader) LoadDocument(u string) (*ld.RemoteDocument, error) {
	return nil, errors.New("context.jsonld must not load remote documents, asked for " + u)
}

// Package vocab is the one vocabulary of Open Emploi 360: the namespaces of
// doc/vocabulary.md, the builders of instance IRIs, the names of the named graphs and
// the region the service covers. Nothing else spells the base IRI, builds an IRI by
// concatenation or recognises one by substring: it asks this package.
//
// The builders take codes that the caller has already validated (a ROME code, a zone
// code); they do not escape, because a code never needs it. Parsers (MetierCode,
// Code, …) are the inverse and say whether the IRI was of that kind at all.
package vocab

import "strings"

// Base is the root of every IRI the project mints.
const Base = "https://data.dataregionsud.fr/openemploi/"

// Namespaces (prefixes of doc/vocabulary.md).
const (
	Def     = Base + "def/"        // oep: classes and properties
	Fn      = Base + "def/fn/"     // oefn: RML/FNML functions
	Shapes  = Base + "def/shapes/" // oesh: SHACL shapes
	ID      = Base + "id/"         // oeid: instances
	GraphNS = Base + "graph/"      // oeg: named graphs
	Mapping = Base + "mapping/"    // one namespace per RML mapping
	Context = Base + "context.jsonld"
)

// Well-known named graphs.
const (
	MetaGraph    = GraphNS + "meta"    // DCAT/PROV description of every live graph
	DerivedGraph = GraphNS + "derived" // the former single graph of offers aggregates (read by nothing now; dropped by migrate-legacy)
	// DerivedPrefix starts the graphs of the offers aggregates streamed while mapping,
	// one per source and month: oeg:derived/<source>/<YYYY-MM> (DerivedMonthGraph).
	DerivedPrefix = DerivedGraph + "/"
	OntologyGraph = GraphNS + "ontology" // the ontology and shapes
	StagingPrefix = GraphNS + "staging/" // graphs of an import not yet live
	// SynonymsGraph holds the steward-edited skills vocabulary (mappings/skills-synonyms.ttl
	// or its replacement); SynonymsSource is its name in oeg:meta and the leases.
	SynonymsGraph  = GraphNS + SynonymsSource
	SynonymsSource = "skills-synonyms"
)

// The region the service covers: Provence-Alpes-Côte d'Azur (INSEE region code 93).
const (
	RegionCode  = "93"
	RegionLabel = "Provence-Alpes-Côte d'Azur"
)

// Région Sud's départements (INSEE codes), in the order the connectors page through them.
var Departements = []string{"04", "05", "06", "13", "83", "84"}

// Kinds of instance, the first path segment under ID.
const (
	KindMetier      = "rome"        // a ROME 4 fiche
	KindMetierV3    = "rome-v3"     // a ROME v3 fiche (BMO publishes by v3 code)
	KindItem        = "rome-item"   // a ROME 4 compétence or savoir
	KindZone        = "ze2020"      // a zone d'emploi 2020
	KindCommune     = "commune"     // a commune (INSEE code)
	KindRegion      = "region"      // a region (INSEE code)
	KindDepartement = "departement" // a département (INSEE code)
	KindBassin      = "bassin-bmo"  // a BMO employment basin
	KindOffer       = "offre"       // a job offer
	KindFormation   = "formation"   // a training (LHEO formation)
	KindSession     = "session"     // a training session (LHEO action/session)
	KindOrganisme   = "organisme"   // a training body
	KindNAF         = "naf"         // a NAF sector
	KindDataset     = "dataset"     // a qb:DataSet
	KindObservation = "obs"         // a qb:Observation
	KindRun         = "run"         // a PROV activity (one import run)
	KindFile        = "file"        // an input file of a run
	KindScheme      = "scheme"      // a SKOS concept scheme of ours
	KindSkillTerm   = "skill-term"  // a concept of the skills vocabulary (mappings/skills-synonyms.ttl)
	KindSource      = "source"      // a catalog source, subject of its refresh state
)

// IRI returns the instance IRI of the given kind and code: ID + kind + "/" + code.
func IRI(kind, code string) string { return ID + kind + "/" + code }

// Code returns the code of an instance IRI of the given kind, and false when iri is
// not of that kind (or has nothing after the kind).
func Code(kind, iri string) (string, bool) {
	p := ID + kind + "/"
	if !strings.HasPrefix(iri, p) || len(iri) == len(p) {
		return "", false
	}
	return iri[len(p):], true
}

// Builders of the instance IRIs the service asks for most.
func Metier(code string) string   { return IRI(KindMetier, code) }
func MetierV3(code string) string { return IRI(KindMetierV3, code) }
func Zone(code string) string     { return IRI(KindZone, code) }
func Commune(code string) string  { return IRI(KindCommune, code) }
func Region(code string) string   { return IRI(KindRegion, code) }
func Item(code string) string     { return IRI(KindItem, code) }
func Run(id string) string        { return IRI(KindRun, id) }
func File(id string) string       { return IRI(KindFile, id) }
func Source(name string) string   { return IRI(KindSource, name) }

// RegionIRI is the IRI of the region the service covers.
var RegionIRI = Region(RegionCode)

// MetierCode returns the ROME code of a fiche IRI (ROME 4 or v3).
func MetierCode(iri string) (string, bool) {
	if c, ok := Code(KindMetier, iri); ok {
		return c, true
	}
	return Code(KindMetierV3, iri)
}

// Property returns an oep: property or class IRI by its local name.
func Property(local string) string { return Def + local }

// Graph returns the live graph name of a source, with an optional partition
// (a month for the offers): oeg:<source> or oeg:<source>/<partition>.
func Graph(source string, partition ...string) string {
	g := GraphNS + source
	for _, p := range partition {
		if p != "" {
			g += "/" + p
		}
	}
	return g
}

// IsGraph reports whether iri is one of our named graphs.
func IsGraph(iri string) bool { return strings.HasPrefix(iri, GraphNS) }

// IsReserved reports whether a graph name belongs to the service itself (metadata,
// derived aggregates, ontology, staging) rather than to an imported source.
func IsReserved(iri string) bool {
	return iri == MetaGraph || iri == DerivedGraph || iri == OntologyGraph || strings.HasPrefix(iri, StagingPrefix) ||
		strings.HasPrefix(iri, DerivedPrefix)
}

// DerivedMonthGraph returns the logical graph of the aggregates of one source's offers
// posted in one month ("2025-01"): oeg:derived/offres-ft/2025-01. It is a companion of
// the source's partition oeg:offres-ft/2025-01, made by the same import run and live in
// the same update of the metadata, so an import's aggregates cost what it brings.
func DerivedMonthGraph(source, month string) string { return DerivedPrefix + source + "/" + month }

// IsDerived reports whether iri is a graph of streamed aggregates (DerivedMonthGraph),
// logical or one of its versions.
func IsDerived(iri string) bool { return strings.HasPrefix(iri, DerivedPrefix) }

// DerivedOf returns the source and month of a DerivedMonthGraph (or of a version of
// one), and false when iri is not one.
func DerivedOf(iri string) (source, month string, ok bool) {
	if logical, _, v := VersionOf(iri); v {
		iri = logical
	}
	if !IsDerived(iri) {
		return "", "", false
	}
	source, month, ok = strings.Cut(iri[len(DerivedPrefix):], "/")
	if !ok || source == "" || month == "" || strings.Contains(month, "/") {
		return "", "", false
	}
	return source, month, true
}

// VersionSep separates a logical graph from its run in a version graph's name:
// oeg:rome4/v/<run> holds the triples one import run loaded for oeg:rome4. The live
// version of each logical graph is named in oeg:meta (dcat:hasCurrentVersion).
const VersionSep = "/v/"

// VersionGraph returns the graph one run loads a logical graph into.
func VersionGraph(logical, run string) string { return logical + VersionSep + run }

// VersionOf returns the logical graph and the run of a version graph, and false when
// iri is not one (a logical graph, a graph not ours, or nothing after the separator).
func VersionOf(iri string) (logical, run string, ok bool) {
	if !IsGraph(iri) {
		return "", "", false
	}
	i := strings.LastIndex(iri, VersionSep)
	if i < len(GraphNS) || i+len(VersionSep) == len(iri) {
		return "", "", false
	}
	run = iri[i+len(VersionSep):]
	if strings.Contains(run, "/") {
		return "", "", false
	}
	return iri[:i], run, true
}

// GraphSource returns the source name of a graph of ours: "offres-ft" for
// oeg:offres-ft/2024-06, "" for a graph that is not ours.
func GraphSource(iri string) string {
	if !IsGraph(iri) {
		return ""
	}
	rest := iri[len(GraphNS):]
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// Package ontology ships the Open Emploi 360 ontology (oep.ttl, schemes.ttl,
// datasets.ttl, alignments.ttl), its SHACL shapes (shapes.ttl) and the JSON-LD context
// (context.jsonld) inside the binary, so that every command loads exactly the version
// it was built and tested with into the graph oeg:ontology.
package ontology

import (
	"embed"
	"fmt"

	"github.com/openemploi360/openemploi/internal/vocab"
)

// Namespaces of the vocabulary contract (doc/vocabulary.md). They are frozen: a change
// is a new contract version, never an edit.
// They are vocab's, named here for the readers of the ontology.
const (
	NS       = vocab.Def     // oep:
	IDNS     = vocab.ID      // oeid:
	GraphNS  = vocab.GraphNS // oeg:
	ShapesNS = vocab.Shapes  // oesh:
	Version  = "1.0"
	// Issued is the date this release of the ontology files was published: the
	// data date /api/sources shows for graph oeg:ontology, like dct:issued of a dataset.
	Issued = "2026-12-05"
	// VersionIRI is the owl:versionIRI of this release of the ontology.
	VersionIRI = NS + Version
	// Graph is the named graph the ontology and the shapes are loaded into.
	Graph = GraphNS + "ontology"
)

//go:embed *.ttl context.jsonld
var files embed.FS

// TurtleFiles lists, in load order, the Turtle files that make up graph oeg:ontology.
var TurtleFiles = []string{"oep.ttl", "schemes.ttl", "datasets.ttl", "alignments.ttl", "shapes.ttl"}

// File returns the content of one embedded file by name, e.g. "shapes.ttl".
func File(name string) ([]byte, error) {
	b, err := files.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("ontology: read embedded %s: %w", name, err)
	}
	return b, nil
}

// Shapes returns shapes.ttl.
func Shapes() []byte { return must("shapes.ttl") }

// Context returns context.jsonld, the JSON-LD @context of API responses.
func Context() []byte { return must("context.jsonld") }

// must reads a file that the go:embed pattern guarantees is present; a failure means
// the package was built without it, which is a programming error.
func must(name string) []byte {
	b, err := File(name)
	if err != nil {
		panic(err)
	}
	return b
}

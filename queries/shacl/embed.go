// Package shaclq holds the SPARQL internal/shacl sends besides the queries it compiles
// from the shapes (queries/shacl/*.rq, one query per file, header convention of
// queries/README.md), loaded through internal/sparqlq.
package shaclq

import "embed"

// FS holds every query of the validator.
//
//go:embed *.rq
var FS embed.FS

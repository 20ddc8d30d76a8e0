// Package storeq holds the SPARQL of the `openemploi store` commands
// (queries/store/*.rq, one query per file, header convention of queries/README.md),
// loaded through internal/sparqlq.
package storeq

import "embed"

// FS holds every query of the store commands.
//
//go:embed *.rq
var FS embed.FS

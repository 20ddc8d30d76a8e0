// Package ingestq holds the SPARQL an import runs (queries/ingest/*.rq and *.ru, one
// query or update per file, header convention of queries/README.md), loaded by
// internal/ingest through internal/sparqlq.
package ingestq

import "embed"

// FS holds every query and update of the import.
//
//go:embed *.rq *.ru
var FS embed.FS

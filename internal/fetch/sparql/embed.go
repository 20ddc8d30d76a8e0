// Package sparql holds the connectors' SPARQL Updates (provenance of a download, the
// refresh state of a source), one per file with the queries/ header convention, read by
// internal/sparqlq. They live here rather than in queries/ because they are updates the
// connectors alone run; the read side is queries/source-refresh.rq.
package sparql

import "embed"

// FS holds the *.ru files.
//
//go:embed *.ru
var FS embed.FS

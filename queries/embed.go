// Package queries holds the SPARQL of Open Emploi 360: one query per *.rq file, read by
// internal/sparqlq, and the derived aggregates (derived/*.ru), SPARQL Updates the import
// runs after loading a source. README.md explains the header convention.
package queries

import "embed"

// FS holds every query (*.rq) and derived aggregate (derived/*.ru).
//
//go:embed *.rq derived/*.ru
var FS embed.FS

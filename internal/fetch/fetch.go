// Package fetch runs the connectors of the catalog's sources and the scheduled
// refresh: for each source whose fetch settings (mappings/catalog.yaml) say it is due,
// get its files (France Travail's API, or a portal download), import what changed
// through the normal staged, validated, atomic import, and record what happened — in a
// local state file (validators, checksums imported) and in the store's metadata graph
// (the download's URL and time on the imported file's PROV description, and the
// source's last check and last change, which /api/sources shows).
//
// The connectors themselves are francetravail (the Offres d'emploi v2 API) and portal
// (conditional HTTP downloads).
package fetch

import (
	"context"

	"github.com/openemploi360/openemploi/internal/ingest"
	"github.com/openemploi360/openemploi/mappings"
)

// Importer imports a source's files; *ingest.Importer is one. A failed import leaves the
// live graphs as they were.
type Importer interface {
	Import(ctx context.Context, src mappings.Source, files []string) (ingest.Result, error)
}

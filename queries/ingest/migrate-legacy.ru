# name: migrate-legacy
# returns: SPARQL Update, idempotent: a source graph described in oeg:meta without a
#   dcat:hasCurrentVersion (loaded before versioned graphs, or by hand) is its own
#   current version. Queries read data only through dcat:hasCurrentVersion, so this
#   keeps such a store readable until the source is re-imported. Metadata only, but
#   for the single aggregates graph oeg:derived of stores made before the aggregates
#   were streamed per month (oeg:derived/<source>/<month>): nothing reads it any more,
#   so it and its description go (re-importing the offers rebuilds the aggregates).
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX oeg:  <https://data.dataregionsud.fr/openemploi/graph/>

INSERT { GRAPH oeg:meta { ?g dcat:hasCurrentVersion ?g } }
WHERE {
  GRAPH oeg:meta { ?g a dcat:Dataset FILTER NOT EXISTS { ?g dcat:hasCurrentVersion ?v } }
  FILTER(?g != oeg:derived)
} ;

DELETE WHERE { GRAPH oeg:meta { oeg:derived ?p ?o } } ;

DROP SILENT GRAPH oeg:derived

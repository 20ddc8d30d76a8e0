# name: go-live
# param: graphs iri-list the logical graphs whose description is replaced: those the run produced and those a non-partitioned re-import no longer produces
# param: pending iri the scratch graph holding the run's new descriptions (each naming its graph's new version with dcat:hasCurrentVersion)
# returns: SPARQL Update, the one request that makes a run live: it removes the old
#   descriptions of the graphs (and so their dcat:hasCurrentVersion), copies the new
#   ones from the pending graph into oeg:meta and drops the pending graph. It touches
#   metadata only, never data: the new versions were loaded under their own names and
#   the old ones are dropped after, so its cost does not grow with the data.
PREFIX oeg: <https://data.dataregionsud.fr/openemploi/graph/>

DELETE { GRAPH oeg:meta { ?g ?p ?o } }
WHERE  { VALUES ?g { $graphs } GRAPH oeg:meta { ?g ?p ?o } } ;

INSERT { GRAPH oeg:meta { ?s ?p ?o } }
WHERE  { GRAPH $pending { ?s ?p ?o } } ;

DROP SILENT GRAPH $pending

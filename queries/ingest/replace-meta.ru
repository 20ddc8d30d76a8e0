# name: replace-meta
# param: graphs iri-list the graphs whose description is replaced (those the run produced and those it drops)
# param: dropped iri-list the graphs a non-partitioned re-import no longer produces
# param: pending iri the scratch graph holding the run's new descriptions
# returns: SPARQL Update, run in the request that makes the run's data live: removes the
#   old descriptions of the graphs, drops the graphs the source no longer produces,
#   copies the new descriptions from the pending graph into oeg:meta and drops it. The
#   metadata never describes data that is not there.
PREFIX oeg: <https://data.dataregionsud.fr/openemploi/graph/>

DELETE { GRAPH oeg:meta { ?g ?p ?o } }
WHERE  { VALUES ?g { $graphs } GRAPH oeg:meta { ?g ?p ?o } } ;

DELETE { GRAPH ?g { ?s ?p ?o } }
WHERE  { VALUES ?g { $dropped } GRAPH ?g { ?s ?p ?o } } ;

INSERT { GRAPH oeg:meta { ?s ?p ?o } }
WHERE  { GRAPH $pending { ?s ?p ?o } } ;

DROP SILENT GRAPH $pending

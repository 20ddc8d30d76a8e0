# name: drop-meta
# param: graphs iri-list the live graphs to withdraw
# returns: SPARQL Update: removes the descriptions of the graphs from oeg:meta and their
#   triples, in one transaction.
PREFIX oeg: <https://data.dataregionsud.fr/openemploi/graph/>

DELETE { GRAPH oeg:meta { ?g ?p ?o } }
WHERE  { VALUES ?g { $graphs } GRAPH oeg:meta { ?g ?p ?o } } ;

DELETE { GRAPH ?g { ?s ?p ?o } }
WHERE  { VALUES ?g { $graphs } GRAPH ?g { ?s ?p ?o } }

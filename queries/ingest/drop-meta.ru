# name: drop-meta
# param: graphs iri-list the live logical graphs to withdraw
# returns: SPARQL Update: removes the descriptions of the graphs from oeg:meta, and with
#   them their dcat:hasCurrentVersion, in one small transaction. The versions' data is
#   dropped after, graph by graph (`store gc` finishes the job if that is interrupted).
PREFIX oeg: <https://data.dataregionsud.fr/openemploi/graph/>

DELETE { GRAPH oeg:meta { ?g ?p ?o } }
WHERE  { VALUES ?g { $graphs } GRAPH oeg:meta { ?g ?p ?o } }

# name: go-live
# param: run iri the run going live, which must hold its source's lease
# param: now datetime the time of the request (the importer's clock)
# param: graphs iri-list the logical graphs whose description is replaced: those the run produced and those a non-partitioned re-import no longer produces
# param: pending iri the scratch graph holding the run's new descriptions (each naming its graph's new version with dcat:hasCurrentVersion)
# returns: SPARQL Update, the one request that makes a run live. It first marks the run
#   as going live if its lease is still valid; every later operation runs only for a
#   marked run, so a run whose lease expired (and whose graphs `store gc` may have
#   dropped) changes nothing. Then: the old descriptions of the graphs go (and with them
#   their dcat:hasCurrentVersion), the new ones are copied from the pending graph, the
#   lease and the mark are removed, the pending graph dropped. Metadata only, never
#   data: the new versions were loaded under their own names and the old ones are
#   dropped after, so its cost does not grow with the data.
PREFIX oep: <https://data.dataregionsud.fr/openemploi/def/>
PREFIX oeg: <https://data.dataregionsud.fr/openemploi/graph/>

INSERT { GRAPH oeg:meta { $run oep:goingLive true } }
WHERE  { GRAPH oeg:meta { $run oep:leaseExpires ?t } FILTER(?t > $now) } ;

DELETE { GRAPH oeg:meta { ?g ?p ?o } }
WHERE  { GRAPH oeg:meta { $run oep:goingLive true } VALUES ?g { $graphs } GRAPH oeg:meta { ?g ?p ?o } } ;

INSERT { GRAPH oeg:meta { ?s ?p ?o } }
WHERE  { GRAPH oeg:meta { $run oep:goingLive true } GRAPH $pending { ?s ?p ?o } } ;

DELETE WHERE { GRAPH oeg:meta { $run oep:goingLive ?m ; oep:leaseSource ?s ; oep:leaseExpires ?t } } ;

DROP SILENT GRAPH $pending

# name: renew-lease
# param: run iri the run holding the lease
# param: now datetime the time of the request (the importer's clock)
# param: expires datetime the new end of the lease
# returns: SPARQL Update, the heartbeat: moves the end of the run's lease to $expires,
#   only if the lease has not expired (an expired lease is lost for good: `store gc` may
#   already have dropped the run's graphs).
PREFIX oep: <https://data.dataregionsud.fr/openemploi/def/>
PREFIX oeg: <https://data.dataregionsud.fr/openemploi/graph/>

DELETE { GRAPH oeg:meta { $run oep:leaseExpires ?t } }
INSERT { GRAPH oeg:meta { $run oep:leaseExpires $expires } }
WHERE  { GRAPH oeg:meta { $run oep:leaseExpires ?t } FILTER(?t > $now) }

# name: expire-leases
# param: now datetime the time of `store gc` (its clock)
# returns: SPARQL Update: removes from oeg:meta the leases that expired before $now
#   (runs killed before going live).
PREFIX oep: <https://data.dataregionsud.fr/openemploi/def/>
PREFIX oeg: <https://data.dataregionsud.fr/openemploi/graph/>

DELETE { GRAPH oeg:meta { ?run oep:leaseSource ?s ; oep:leaseExpires ?t } }
WHERE  { GRAPH oeg:meta { ?run oep:leaseSource ?s ; oep:leaseExpires ?t } FILTER(?t <= $now) }

# name: release-lease
# param: run iri the run whose lease ends
# returns: SPARQL Update: removes the run's lease from oeg:meta.
PREFIX oep: <https://data.dataregionsud.fr/openemploi/def/>
PREFIX oeg: <https://data.dataregionsud.fr/openemploi/graph/>

DELETE WHERE { GRAPH oeg:meta { $run oep:leaseSource ?s ; oep:leaseExpires ?t } }

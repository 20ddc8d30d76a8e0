# name: acquire-lease
# param: run iri the run asking for the lease (oeid:run/<id>)
# param: source string the source it imports
# param: now datetime the time of the request (the importer's clock)
# param: expires datetime until when the lease holds unless renewed
# returns: SPARQL Update: records in oeg:meta that the run holds the source's lease,
#   unless another run holds a lease of the same source that has not expired. Two
#   requests racing may both write theirs: the importer reads the leases back and the
#   smallest run IRI keeps it (see leases.rq).
PREFIX oep: <https://data.dataregionsud.fr/openemploi/def/>
PREFIX oeg: <https://data.dataregionsud.fr/openemploi/graph/>

INSERT { GRAPH oeg:meta { $run oep:leaseSource $source ; oep:leaseExpires $expires } }
WHERE {
  FILTER NOT EXISTS {
    GRAPH oeg:meta { ?other oep:leaseSource $source ; oep:leaseExpires ?t FILTER(?t > $now) }
  }
}

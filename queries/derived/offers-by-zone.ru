# name: offers-by-zone
# reference: the definition of these aggregates, no longer run by imports. An import
#   computes them while mapping (internal/aggregate), one graph per source and month
#   (oeg:derived/<source>/<YYYY-MM>), and the diagnostic folds the live months
#   (aggregate.Fold); internal/aggregate's tests check on the sample that the fold equals
#   what this update writes. Run it by hand to audit a store (it writes oeg:derived,
#   which nothing reads, and which the next import's migrate-legacy drops).
# returns: SPARQL Update. Replaces, in oeg:derived, the observations of dataset
#   <https://data.dataregionsud.fr/openemploi/id/dataset/offres>: number of job offers per métier (oep:occupation) x zone d'emploi
#   (oep:refArea, plus oeid:region/93 for the whole region, where offers without a commune count too) x month posted (oep:refPeriod
#   "YYYY-MM"), with the provenance of the dataset (prov:wasDerivedFrom each offers graph,
#   prov:generatedAtTime). Offers are read from live graphs only (the current versions named in oeg:meta),
#   never from the staging graphs a killed import may leave. Idempotent: it first deletes what it wrote last time. The API
#   reads these rather than counting raw offers on each request.
PREFIX oep:    <https://data.dataregionsud.fr/openemploi/def/>
PREFIX oeid:   <https://data.dataregionsud.fr/openemploi/id/>
PREFIX oeg:    <https://data.dataregionsud.fr/openemploi/graph/>
PREFIX schema: <http://schema.org/>
PREFIX qb:     <http://purl.org/linked-data/cube#>
PREFIX prov:   <http://www.w3.org/ns/prov#>
PREFIX dcat:   <http://www.w3.org/ns/dcat#>

DELETE { GRAPH oeg:derived { ?obs ?p ?o } }
WHERE  { GRAPH oeg:derived { ?obs qb:dataSet <https://data.dataregionsud.fr/openemploi/id/dataset/offres> ; ?p ?o } } ;

DELETE { GRAPH oeg:derived { <https://data.dataregionsud.fr/openemploi/id/dataset/offres> ?p ?o } }
WHERE  { GRAPH oeg:derived { <https://data.dataregionsud.fr/openemploi/id/dataset/offres> ?p ?o } } ;

INSERT {
  GRAPH oeg:derived {
    ?obs a qb:Observation ;
         qb:dataSet <https://data.dataregionsud.fr/openemploi/id/dataset/offres> ;
         oep:refArea ?area ;
         oep:refPeriod ?month ;
         oep:occupation ?fiche ;
         oep:offerCount ?n .
  }
}
WHERE {
  {
    SELECT ?area ?month ?fiche (COUNT(DISTINCT ?offer) AS ?n)
    WHERE {
      GRAPH oeg:meta { ?lg a dcat:Dataset ; dcat:hasCurrentVersion ?g }
      GRAPH ?g {
        ?offer a oep:JobOffer ;
               schema:occupationalCategory ?fiche ;
               schema:datePosted ?posted .
      }
      # An offer counts in the zone of its commune, and in the region whether or not
      # it has a commune (issue 11: offers without one vanished from the region).
      { GRAPH ?g { ?offer oep:commune ?commune } GRAPH oeg:meta { oeg:geo dcat:hasCurrentVersion ?geo } GRAPH ?geo { ?commune oep:zoneEmploi ?area } }
      UNION
      { BIND(<https://data.dataregionsud.fr/openemploi/id/region/93> AS ?area) }
      BIND(SUBSTR(STR(?posted), 1, 7) AS ?month)
    }
    GROUP BY ?area ?month ?fiche
  }
  BIND(IRI(CONCAT(STR(oeid:), "obs/offres/", REPLACE(STR(?area), "^.*/", ""), "/", ?month, "/",
                  REPLACE(STR(?fiche), "^.*/", ""))) AS ?obs)
} ;

INSERT {
  GRAPH oeg:derived {
    <https://data.dataregionsud.fr/openemploi/id/dataset/offres> prov:wasDerivedFrom ?g ;
                        prov:generatedAtTime ?now .
  }
}
WHERE {
  { SELECT DISTINCT ?g WHERE { GRAPH oeg:meta { ?g a dcat:Dataset ; dcat:hasCurrentVersion ?v } GRAPH ?v { ?offer a oep:JobOffer } } }
  BIND(NOW() AS ?now)
}

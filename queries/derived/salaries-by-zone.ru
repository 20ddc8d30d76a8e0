# name: salaries-by-zone
# reference: the definition of these aggregates, no longer run by imports. An import
#   computes them while mapping (internal/aggregate), one graph per source and month
#   (oeg:derived/<source>/<YYYY-MM>), and the diagnostic folds the live months
#   (aggregate.Fold); internal/aggregate's tests check on the sample that the fold equals
#   what this update writes. Run it by hand to audit a store (it writes oeg:derived,
#   which nothing reads, and which the next import's migrate-legacy drops).
# returns: SPARQL Update. Replaces, in oeg:derived, the observations of dataset
#   oeid:dataset/offres-salaires: per métier x zone d'emploi (and x oeid:region/93, offers without a commune included), the
#   first quartile, median and third quartile (nearest-rank, salaries rounded to 10
#   euros) of the monthly gross salary offered, and n, the number of offers that state one. Offers without a salary are left
#   out, never counted as 0 (the original application's mean did that). oep:refPeriod is
#   the span of months posted, "YYYY-MM/YYYY-MM". Idempotent; provenance as offers-by-zone.
PREFIX oep:    <https://data.dataregionsud.fr/openemploi/def/>
PREFIX oeid:   <https://data.dataregionsud.fr/openemploi/id/>
PREFIX oeg:    <https://data.dataregionsud.fr/openemploi/graph/>
PREFIX schema: <http://schema.org/>
PREFIX qb:     <http://purl.org/linked-data/cube#>
PREFIX prov:   <http://www.w3.org/ns/prov#>
PREFIX dcat:   <http://www.w3.org/ns/dcat#>

DELETE { GRAPH oeg:derived { ?obs ?p ?o } }
WHERE  { GRAPH oeg:derived { ?obs qb:dataSet <https://data.dataregionsud.fr/openemploi/id/dataset/offres-salaires> ; ?p ?o } } ;

DELETE { GRAPH oeg:derived { <https://data.dataregionsud.fr/openemploi/id/dataset/offres-salaires> ?p ?o } }
WHERE  { GRAPH oeg:derived { <https://data.dataregionsud.fr/openemploi/id/dataset/offres-salaires> ?p ?o } } ;

INSERT {
  GRAPH oeg:derived {
    ?obs a qb:Observation ;
         qb:dataSet <https://data.dataregionsud.fr/openemploi/id/dataset/offres-salaires> ;
         oep:refArea ?area ;
         oep:refPeriod ?period ;
         oep:occupation ?fiche ;
         oep:salaryQ1 ?q1 ;
         oep:medianMonthlySalary ?median ;
         oep:salaryQ3 ?q3 ;
         oep:salaryN ?n .
  }
}
WHERE {
  {
    # Salaries are rounded to 10 euros and counted per distinct value (k offers at s),
    # so the ranking join below pairs distinct values, not offers. Rounded to the euro,
    # the busiest métier of the region had 1 320 distinct values at 30 000 offers
    # (870 000 pairs, quadratic in volume: 12 s of this update's 21 s on Fuseki); to 10
    # euros it has 302, and a quartile moves by 5 euros at most. (A histogram in a
    # scratch graph, read once, was tried and was slower on Fuseki: 36 s.) For each value s, le = offers at or below s; the
    # p-quantile (nearest rank) is the smallest s with le >= p*n. The largest value
    # always qualifies, so the 1e12 stand-in never wins a MIN.
    SELECT ?area ?fiche (SAMPLE(?total) AS ?n)
           (MIN(IF(4 * ?le >= ?total, ?s, 1000000000000.0)) AS ?q1)
           (MIN(IF(2 * ?le >= ?total, ?s, 1000000000000.0)) AS ?median)
           (MIN(IF(4 * ?le >= 3 * ?total, ?s, 1000000000000.0)) AS ?q3)
           (MIN(?first1) AS ?first) (MAX(?last1) AS ?last)
    WHERE {
      {
        SELECT ?area ?fiche ?s (SUM(?k2) AS ?le) (SAMPLE(?m1) AS ?first1) (SAMPLE(?m2) AS ?last1)
        WHERE {
          {
            SELECT ?area ?fiche ?s (COUNT(DISTINCT ?offer) AS ?k) (MIN(?month) AS ?m1) (MAX(?month) AS ?m2)
            WHERE {
              GRAPH oeg:meta { ?lg a dcat:Dataset ; dcat:hasCurrentVersion ?g }
              GRAPH ?g {
                ?offer a oep:JobOffer ; schema:occupationalCategory ?fiche ;
                       oep:monthlyGrossSalary ?salary ; schema:datePosted ?posted .
              }
              { GRAPH ?g { ?offer oep:commune ?c } GRAPH oeg:meta { oeg:geo dcat:hasCurrentVersion ?geo } GRAPH ?geo { ?c oep:zoneEmploi ?area } }
              UNION
              { BIND(<https://data.dataregionsud.fr/openemploi/id/region/93> AS ?area) }
              BIND(ROUND(?salary / 10) * 10 AS ?s)
              BIND(SUBSTR(STR(?posted), 1, 7) AS ?month)
            }
            GROUP BY ?area ?fiche ?s
          }
          {
            SELECT ?area ?fiche ?s2 (COUNT(DISTINCT ?offer) AS ?k2)
            WHERE {
              GRAPH oeg:meta { ?lg a dcat:Dataset ; dcat:hasCurrentVersion ?g }
              GRAPH ?g {
                ?offer a oep:JobOffer ; schema:occupationalCategory ?fiche ;
                       oep:monthlyGrossSalary ?salary ; schema:datePosted ?posted .
              }
              { GRAPH ?g { ?offer oep:commune ?c } GRAPH oeg:meta { oeg:geo dcat:hasCurrentVersion ?geo } GRAPH ?geo { ?c oep:zoneEmploi ?area } }
              UNION
              { BIND(<https://data.dataregionsud.fr/openemploi/id/region/93> AS ?area) }
              BIND(ROUND(?salary / 10) * 10 AS ?s2)
            }
            GROUP BY ?area ?fiche ?s2
          }
          FILTER(?s2 <= ?s)
        }
        GROUP BY ?area ?fiche ?s
      }
      {
        SELECT ?area ?fiche (COUNT(DISTINCT ?o) AS ?total)
        WHERE {
          GRAPH oeg:meta { ?lh a dcat:Dataset ; dcat:hasCurrentVersion ?h }
          GRAPH ?h { ?o a oep:JobOffer ; schema:occupationalCategory ?fiche ;
                        oep:monthlyGrossSalary ?x . }
          { GRAPH ?h { ?o oep:commune ?cc } GRAPH oeg:meta { oeg:geo dcat:hasCurrentVersion ?geo } GRAPH ?geo { ?cc oep:zoneEmploi ?area } }
          UNION
          { BIND(<https://data.dataregionsud.fr/openemploi/id/region/93> AS ?area) }
        }
        GROUP BY ?area ?fiche
      }
    }
    GROUP BY ?area ?fiche
  }
  BIND(CONCAT(?first, "/", ?last) AS ?period)
  BIND(IRI(CONCAT(STR(oeid:), "obs/offres-salaires/", REPLACE(STR(?area), "^.*/", ""), "/",
                  REPLACE(STR(?fiche), "^.*/", ""))) AS ?obs)
} ;

INSERT {
  GRAPH oeg:derived {
    <https://data.dataregionsud.fr/openemploi/id/dataset/offres-salaires> prov:wasDerivedFrom ?g ;
        prov:generatedAtTime ?now .
  }
}
WHERE {
  { SELECT DISTINCT ?g WHERE { GRAPH oeg:meta { ?g a dcat:Dataset ; dcat:hasCurrentVersion ?v } GRAPH ?v { ?offer a oep:JobOffer } } }
  BIND(NOW() AS ?now)
}

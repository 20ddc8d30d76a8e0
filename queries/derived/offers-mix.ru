# name: offers-mix
# reference: the definition of these aggregates, no longer run by imports. An import
#   computes them while mapping (internal/aggregate), one graph per source and month
#   (oeg:derived/<source>/<YYYY-MM>), and the diagnostic folds the live months
#   (aggregate.Fold); internal/aggregate's tests check on the sample that the fold equals
#   what this update writes. Run it by hand to audit a store (it writes oeg:derived,
#   which nothing reads, and which the next import's migrate-legacy drops).
# returns: SPARQL Update. Replaces, in oeg:derived, three breakdowns of job offers per
#   métier x zone d'emploi (and x oeid:region/93, offers without a commune included), over every month loaded, each an
#   oep:offerCount observation with one extra dimension:
#   - oeid:dataset/offres-contrats:   schema:employmentType (contract code: CDI, CDD, MIS…)
#   - oeid:dataset/offres-experience: oep:experienceRequired (D débutant, E expérimenté, S)
#   - oeid:dataset/offres-employeurs: schema:name (the hiring organisation's name),
#     oep:synthetic (true when any of its offers comes from a synthetic graph) and
#     oep:naf (the employer's NAF code as its offers give it, when they do), for every
#     employer of a zone d'emploi: the diagnostic ranks them by offers, then by the
#     affinity of their sector with the métier and their size, and one-offer employers
#     are most of them (130 of 130 for M1811 in Marseille). At the region level only
#     employers with at least 2 offers, or every employer of a métier that has at most
#     10, are written: there one-offer employers of a busy métier are a tie of
#     thousands (one per offer), for a list no section reads past the tenth.
#   oep:refPeriod is the span of months posted, "YYYY-MM/YYYY-MM". Idempotent; provenance
#   as offers-by-zone.
PREFIX oep:    <https://data.dataregionsud.fr/openemploi/def/>
PREFIX oeid:   <https://data.dataregionsud.fr/openemploi/id/>
PREFIX oeg:    <https://data.dataregionsud.fr/openemploi/graph/>
PREFIX schema: <http://schema.org/>
PREFIX qb:     <http://purl.org/linked-data/cube#>
PREFIX prov:   <http://www.w3.org/ns/prov#>
PREFIX dcat:   <http://www.w3.org/ns/dcat#>

DELETE { GRAPH oeg:derived { ?obs ?p ?o } }
WHERE  {
  VALUES ?ds { <https://data.dataregionsud.fr/openemploi/id/dataset/offres-contrats>
               <https://data.dataregionsud.fr/openemploi/id/dataset/offres-experience>
               <https://data.dataregionsud.fr/openemploi/id/dataset/offres-employeurs> }
  GRAPH oeg:derived { ?obs qb:dataSet ?ds ; ?p ?o }
} ;

DELETE { GRAPH oeg:derived { ?ds ?p ?o } }
WHERE  {
  VALUES ?ds { <https://data.dataregionsud.fr/openemploi/id/dataset/offres-contrats>
               <https://data.dataregionsud.fr/openemploi/id/dataset/offres-experience>
               <https://data.dataregionsud.fr/openemploi/id/dataset/offres-employeurs> }
  GRAPH oeg:derived { ?ds ?p ?o }
} ;

INSERT {
  GRAPH oeg:derived {
    ?obs a qb:Observation ;
         qb:dataSet ?ds ;
         oep:refArea ?area ;
         oep:refPeriod ?period ;
         oep:occupation ?fiche ;
         ?dim ?key ;
         oep:offerCount ?n .
  }
}
WHERE {
  {
    SELECT ?ds ?dim ?slug ?area ?fiche ?key (COUNT(DISTINCT ?offer) AS ?n)
           (MIN(?month) AS ?first) (MAX(?month) AS ?last)
    WHERE {
      GRAPH oeg:meta { ?lg a dcat:Dataset ; dcat:hasCurrentVersion ?g }
      GRAPH ?g {
        ?offer a oep:JobOffer ; schema:occupationalCategory ?fiche ;
               schema:datePosted ?posted .
        {
          ?offer schema:employmentType ?key .
          BIND(<https://data.dataregionsud.fr/openemploi/id/dataset/offres-contrats> AS ?ds)
          BIND(schema:employmentType AS ?dim) BIND("offres-contrats" AS ?slug)
        } UNION {
          ?offer oep:experienceRequired ?key .
          BIND(<https://data.dataregionsud.fr/openemploi/id/dataset/offres-experience> AS ?ds)
          BIND(oep:experienceRequired AS ?dim) BIND("offres-experience" AS ?slug)
        }
      }
      { GRAPH ?g { ?offer oep:commune ?c } GRAPH oeg:meta { oeg:geo dcat:hasCurrentVersion ?geo } GRAPH ?geo { ?c oep:zoneEmploi ?area } }
      UNION
      { BIND(<https://data.dataregionsud.fr/openemploi/id/region/93> AS ?area) }
      BIND(SUBSTR(STR(?posted), 1, 7) AS ?month)
    }
    GROUP BY ?ds ?dim ?slug ?area ?fiche ?key
  }
  BIND(CONCAT(?first, "/", ?last) AS ?period)
  BIND(IRI(CONCAT(STR(oeid:), "obs/", ?slug, "/", REPLACE(STR(?area), "^.*/", ""), "/",
                  REPLACE(STR(?fiche), "^.*/", ""), "/", ENCODE_FOR_URI(STR(?key)))) AS ?obs)
} ;

INSERT {
  GRAPH oeg:derived {
    ?obs a qb:Observation ;
         qb:dataSet <https://data.dataregionsud.fr/openemploi/id/dataset/offres-employeurs> ;
         oep:refArea ?area ;
         oep:refPeriod ?period ;
         oep:occupation ?fiche ;
         schema:name ?key ;
         oep:naf ?naf ;
         oep:synthetic ?synthetic ;
         oep:offerCount ?n .
  }
}
WHERE {
  {
    SELECT ?area ?fiche ?key (COUNT(DISTINCT ?offer) AS ?n) (MIN(?month) AS ?first) (MAX(?month) AS ?last)
           (MAX(?offerNaf) AS ?naf) (MAX(?fromSynthetic) AS ?anySynthetic)
    WHERE {
      GRAPH oeg:meta { ?lg a dcat:Dataset ; dcat:hasCurrentVersion ?g
                       OPTIONAL { ?lg oep:synthetic ?graphSynthetic } }
      BIND(IF(COALESCE(?graphSynthetic, false), 1, 0) AS ?fromSynthetic)
      GRAPH ?g {
        ?offer a oep:JobOffer ; schema:occupationalCategory ?fiche ;
               schema:datePosted ?posted ; schema:hiringOrganization/schema:name ?key .
        OPTIONAL { ?offer oep:naf ?offerNaf }
      }
      { GRAPH ?g { ?offer oep:commune ?c } GRAPH oeg:meta { oeg:geo dcat:hasCurrentVersion ?geo } GRAPH ?geo { ?c oep:zoneEmploi ?area } }
      UNION
      { BIND(<https://data.dataregionsud.fr/openemploi/id/region/93> AS ?area) }
      BIND(SUBSTR(STR(?posted), 1, 7) AS ?month)
    }
    GROUP BY ?area ?fiche ?key
  }
  {
    # how many employers each métier × area has
    SELECT ?area ?fiche (COUNT(DISTINCT ?key2) AS ?employers)
    WHERE {
      GRAPH oeg:meta { ?lh a dcat:Dataset ; dcat:hasCurrentVersion ?h }
      GRAPH ?h {
        ?offer2 a oep:JobOffer ; schema:occupationalCategory ?fiche ;
                schema:hiringOrganization/schema:name ?key2 .
      }
      { GRAPH ?h { ?offer2 oep:commune ?c2 } GRAPH oeg:meta { oeg:geo dcat:hasCurrentVersion ?geo } GRAPH ?geo { ?c2 oep:zoneEmploi ?area } }
      UNION
      { BIND(<https://data.dataregionsud.fr/openemploi/id/region/93> AS ?area) }
    }
    GROUP BY ?area ?fiche
  }
  FILTER(?n >= 2 || ?employers <= 10 || ?area != <https://data.dataregionsud.fr/openemploi/id/region/93>)
  BIND(CONCAT(?first, "/", ?last) AS ?period)
  # an employer is synthetic when any of its offers comes from a synthetic graph: the
  # aggregates mix real and generated offers, an employer's origin does not
  BIND(?anySynthetic = 1 AS ?synthetic)
  BIND(IRI(CONCAT(STR(oeid:), "obs/offres-employeurs/", REPLACE(STR(?area), "^.*/", ""), "/",
                  REPLACE(STR(?fiche), "^.*/", ""), "/", ENCODE_FOR_URI(STR(?key)))) AS ?obs)
} ;

INSERT {
  GRAPH oeg:derived { ?ds prov:wasDerivedFrom ?g ; prov:generatedAtTime ?now . }
}
WHERE {
  VALUES ?ds { <https://data.dataregionsud.fr/openemploi/id/dataset/offres-contrats>
               <https://data.dataregionsud.fr/openemploi/id/dataset/offres-experience>
               <https://data.dataregionsud.fr/openemploi/id/dataset/offres-employeurs> }
  { SELECT DISTINCT ?g WHERE { GRAPH oeg:meta { ?g a dcat:Dataset ; dcat:hasCurrentVersion ?v } GRAPH ?v { ?offer a oep:JobOffer } } }
  BIND(NOW() AS ?now)
}

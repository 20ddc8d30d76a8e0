# name: describe-derived
# param: modified datetime when the aggregates were last computed
# param: triples integer the triples of oeg:derived
# returns: SPARQL Update. (Re)writes the description of oeg:derived in oeg:meta: the
#   aggregates are a dataset like any other, so every figure the diagnostic takes from
#   them can name its publisher, date and the live graphs of offers it was computed from
#   (prov:wasDerivedFrom), and is synthetic when any of them is.
PREFIX dct:  <http://purl.org/dc/terms/>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX void: <http://rdfs.org/ns/void#>
PREFIX oep:  <https://data.dataregionsud.fr/openemploi/def/>
PREFIX oeg:  <https://data.dataregionsud.fr/openemploi/graph/>

DELETE WHERE { GRAPH oeg:meta { oeg:derived ?p ?o } } ;

INSERT { GRAPH oeg:meta {
  oeg:derived a prov:Entity, dcat:Dataset ;
    dct:title "Agrégats calculés à l'import (offres par métier, zone et mois ; salaires ; contrats)"@fr ;
    dct:publisher "Open Emploi 360 (calculé à partir des sources citées)" ;
    dct:license <https://www.etalab.gouv.fr/licence-ouverte-open-licence> ;
    dct:modified $modified ; void:triples $triples ; oep:synthetic ?synthetic ;
    oep:sourceName "derived" ; oep:mappingVersion "queries/derived" .
  oeg:derived prov:wasDerivedFrom ?g .
} } WHERE {
  { SELECT (COALESCE(MAX(?s), false) AS ?synthetic) WHERE {
      GRAPH oeg:meta { ?x oep:synthetic ?s ; oep:sourceName ?name . FILTER(STRSTARTS(?name, "offres")) } } }
  OPTIONAL { GRAPH oeg:meta { ?g oep:sourceName ?src . FILTER(STRSTARTS(?src, "offres")) } }
}

# name: refresh-state
# param: subject iri the source's state node (oeid:source/NAME)
# param: source string the catalog name
# param: checked string last check, xsd:dateTime lexical form
# param: changed string last change, xsd:dateTime lexical form, "" when none yet
# param: outcome string ok, unchanged or error
# returns: nothing: an update replacing the source's refresh state in oeg:meta, read by
#   queries/source-refresh.rq for /api/sources.
PREFIX oeg:  <https://data.dataregionsud.fr/openemploi/graph/>
PREFIX oep:  <https://data.dataregionsud.fr/openemploi/def/>
PREFIX xsd:  <http://www.w3.org/2001/XMLSchema#>

DELETE WHERE { GRAPH oeg:meta { $subject ?p ?o . } } ;
INSERT {
  GRAPH oeg:meta {
    $subject oep:refreshOf $source ; oep:lastChecked ?checked ; oep:lastChanged ?changed ; oep:lastOutcome $outcome .
  }
}
WHERE {
  BIND(STRDT($checked, xsd:dateTime) AS ?checked)
  # An unbound ?changed leaves its triple out of the template.
  BIND(IF($changed = "", ?unbound, STRDT($changed, xsd:dateTime)) AS ?changed)
}

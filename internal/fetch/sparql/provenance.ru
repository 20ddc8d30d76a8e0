# name: provenance
# param: file iri the file entity an import recorded (oeid:file/SHA256)
# param: url iri where the connector got it (download URL, or the API's search URL)
# param: at string when, as an xsd:dateTime lexical form
# returns: nothing: an update that adds the download to the file's PROV description in
#   oeg:meta (dcat:downloadURL, prov:generatedAtTime), replacing an earlier time.
PREFIX oeg:  <https://data.dataregionsud.fr/openemploi/graph/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX xsd:  <http://www.w3.org/2001/XMLSchema#>

DELETE { GRAPH oeg:meta { $file prov:generatedAtTime ?old . } }
INSERT { GRAPH oeg:meta { $file dcat:downloadURL $url ; prov:generatedAtTime ?at . } }
WHERE {
  GRAPH oeg:meta {
    $file a prov:Entity .
    OPTIONAL { $file prov:generatedAtTime ?old . }
  }
  BIND(STRDT($at, xsd:dateTime) AS ?at)
}

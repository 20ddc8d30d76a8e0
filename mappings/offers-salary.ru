# name: offers-salary
# returns: SPARQL Update. For every France Travail-style offer (oep:salaryText like
#   "Mensuel de 3000.00 Euros à 3500.00 Euros sur 12 mois", "Annuel de 40000,00 Euros",
#   "Horaire de 11.88 Euros"), writes in the offer's own graph:
#     schema:baseSalary <offer#salaire> a schema:MonetaryAmount ; schema:minValue ;
#       schema:maxValue ; schema:currency "EUR" ; schema:unitText "YEAR"|"MONTH"|"HOUR"
#     oep:monthlyGrossSalary  the middle of the range per month: annual / 12, monthly as is,
#       hourly × 151.67 (legal full-time hours per month), rounded to the cent.
#   Why here and not in the RML mapping: the API gives the pay as text only and RML
#   functions have neither regular expressions nor arithmetic.
#   Idempotent: it first removes what it wrote (the <offer#salaire> nodes). Offers whose
#   text does not follow the pattern, or that have no text, are left without pay.
#   Must run before the salary aggregates (salaries-by-zone).
#   The import runs it on its staging graphs, before SHACL validation and the swap, so the
#   pay is validated, counted and swapped in with the offers (catalog field `transform`).
# param: graphs iri-list  the graphs to process (an import binds its staging graphs)
PREFIX oep:    <https://data.dataregionsud.fr/openemploi/def/>
PREFIX schema: <http://schema.org/>
PREFIX xsd:    <http://www.w3.org/2001/XMLSchema#>

DELETE { GRAPH ?g { ?offer schema:baseSalary ?b ; oep:monthlyGrossSalary ?m . ?b ?p ?o } }
WHERE {
  VALUES ?g { $graphs }
  GRAPH ?g {
    ?offer a oep:JobOffer ; oep:salaryText ?t ; schema:baseSalary ?b .
    FILTER(STR(?b) = CONCAT(STR(?offer), "#salaire"))
    ?b ?p ?o .
    OPTIONAL { ?offer oep:monthlyGrossSalary ?m }
  }
} ;

INSERT {
  GRAPH ?g {
    ?offer schema:baseSalary ?b ; oep:monthlyGrossSalary ?monthly .
    ?b a schema:MonetaryAmount ; schema:minValue ?min ; schema:maxValue ?max ;
       schema:currency "EUR" ; schema:unitText ?unit .
  }
}
WHERE {
  VALUES ?g { $graphs }
  GRAPH ?g { ?offer a oep:JobOffer ; oep:salaryText ?t . }
  FILTER(REGEX(?t, "^(Annuel|Mensuel|Horaire) de [0-9]+([.,][0-9]+)? Euros"))
  BIND(REPLACE(?t, "^([A-Za-z]+) de .*$", "$1") AS ?u)
  BIND(REPLACE(REPLACE(?t, "^[A-Za-z]+ de ([0-9]+([.,][0-9]+)?) Euros.*$", "$1"), ",", ".") AS ?minS)
  BIND(IF(REGEX(?t, " à [0-9]"),
          REPLACE(REPLACE(?t, "^.* à ([0-9]+([.,][0-9]+)?) Euros.*$", "$1"), ",", "."),
          ?minS) AS ?maxS)
  BIND(xsd:decimal(?minS) AS ?min)
  BIND(xsd:decimal(?maxS) AS ?max)
  BIND(IF(?u = "Annuel", "YEAR", IF(?u = "Mensuel", "MONTH", "HOUR")) AS ?unit)
  BIND((?min + ?max) / 2 AS ?mid)
  BIND(IF(?unit = "YEAR", ?mid / 12, IF(?unit = "MONTH", ?mid, ?mid * 151.67)) AS ?perMonth)
  BIND(ROUND(?perMonth * 100) / 100 AS ?monthly)
  FILTER(?monthly > 0)
  BIND(IRI(CONCAT(STR(?offer), "#salaire")) AS ?b)
}

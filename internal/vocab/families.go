package vocab

import "strings"

// Families of sources: several sources publish the same kind of data (offers from
// France Travail, Apec or the generator; trainings from an LHEO export or the
// generator), and the diagnostic asks about the kind, not the source. A source belongs
// to a family when its name starts with the family's name and a dash.
const (
	FamilyOffers    = "offres"     // oeg:offres-ft/2024-06, oeg:offres-synth/…, oeg:offres-apec/…
	FamilyTrainings = "formations" // oeg:formations-lheo, oeg:formations-synth
)

// InFamily reports whether iri is a graph of ours whose source belongs to family.
func InFamily(iri, family string) bool {
	return strings.HasPrefix(GraphSource(iri), family+"-")
}

// Appellation returns the IRI of a ROME appellation.
func Appellation(code string) string { return IRI(KindAppellation, code) }

// KindAppellation is a ROME 4 appellation (a job title of a fiche).
const KindAppellation = "rome-appellation"

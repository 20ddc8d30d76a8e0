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

// GraphPartition returns the partition of a logical graph of ours ("2024-06" for
// oeg:offres-ft/2024-06: the month its offers were posted), "" when it has none.
func GraphPartition(iri string) string {
	if logical, _, ok := VersionOf(iri); ok {
		iri = logical
	}
	if !IsGraph(iri) {
		return ""
	}
	rest := iri[len(GraphNS):]
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		return rest[i+1:]
	}
	return ""
}

// InterregionalZone reports whether a zone d'emploi 2020 code is one INSEE gives to a
// zone straddling regions ("0053" Avignon, "0064" Valréas): the first two characters
// of a zone's code are its region's, "00" when it has several. The region's data
// holds only its own communes of such a zone.
func InterregionalZone(code string) bool { return len(code) == 4 && strings.HasPrefix(code, "00") }

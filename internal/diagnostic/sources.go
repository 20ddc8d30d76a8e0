package diagnostic

import (
	"regexp"

	"github.com/openemploi360/openemploi/internal/vocab"
)

var monthRe = regexp.MustCompile(`^\d{4}-\d{2}$`)

// completeSources fills the temporal coverage a graph's name tells when oeg:meta does
// not state it: a graph of offers partitioned by month covers that month, and the
// derived aggregates, computed from every offers graph, cover the span of those.
func completeSources(l []SourceInfo) []SourceInfo {
	out := append([]SourceInfo(nil), l...)
	var offers Span
	for i := range out {
		if out[i].Temporal == (Span{}) {
			if p := vocab.GraphPartition(out[i].IRI); monthRe.MatchString(p) {
				out[i].Temporal = Span{From: p, To: p}
			}
		}
		if t := out[i].Temporal; vocab.InFamily(out[i].IRI, vocab.FamilyOffers) && t.From != "" && t.To != "" {
			if offers.From == "" || t.From < offers.From {
				offers.From = t.From
			}
			if t.To > offers.To {
				offers.To = t.To
			}
		}
	}
	for i := range out {
		if out[i].IRI == vocab.DerivedGraph && out[i].Temporal == (Span{}) {
			out[i].Temporal = offers
		}
	}
	return withAggregates(out)
}

// withAggregates describes oeg:derived, the dataset the market figures cite, from the
// graphs it is made of: the offers aggregates are one graph per source and month
// (oeg:derived/<source>/<month>), each described in oeg:meta, and a figure folds
// several. The description covers their months, was modified when the latest was, and
// is synthetic when any is. Without month graphs (or when oeg:meta describes
// oeg:derived itself, a store from before) the list is unchanged.
func withAggregates(l []SourceInfo) []SourceInfo {
	agg := SourceInfo{IRI: vocab.DerivedGraph,
		Title:     "Agrégats des offres d'emploi (offres par métier, zone et mois ; contrats ; employeurs ; salaires), calculés à l'import",
		Publisher: "Open Emploi 360 (calculé à partir des offres citées)"}
	found := false
	for _, s := range l {
		if s.IRI == vocab.DerivedGraph {
			return l
		}
		_, month, ok := vocab.DerivedOf(s.IRI)
		if !ok {
			continue
		}
		found = true
		if agg.Temporal.From == "" || month < agg.Temporal.From {
			agg.Temporal.From = month
		}
		if month > agg.Temporal.To {
			agg.Temporal.To = month
		}
		if s.Modified > agg.Modified {
			agg.Modified = s.Modified
		}
		agg.Synthetic = agg.Synthetic || s.Synthetic
		if agg.License == "" {
			agg.License = s.License
		} else if s.License != agg.License {
			agg.License = "licences des sources des offres"
		}
	}
	if !found {
		return l
	}
	return append(l, agg)
}

// vintages returns, by graph, the date its data describes: the end of its temporal
// coverage when known, else its issue date. Figures that rest on a whole graph
// (population, stations) take it as their period.
func vintages(l []SourceInfo) map[string]string {
	out := map[string]string{}
	for _, s := range l {
		switch {
		case s.Temporal.To != "":
			out[s.IRI] = s.Temporal.To
		case s.Issued != "":
			out[s.IRI] = s.Issued
		}
	}
	return out
}

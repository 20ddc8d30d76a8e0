package diagnostic

import (
	"regexp"

	"github.com/openemploi360/openemploi/internal/vocab"
)

var monthRe = regexp.MustCompile(`^\d{4}-\d{2}$`)

// completeSources fills the temporal coverage a graph's name tells when oeg:meta does
// not state it: a graph of offers partitioned by month covers that month.
func completeSources(l []SourceInfo) []SourceInfo {
	out := append([]SourceInfo(nil), l...)
	for i := range out {
		if out[i].Temporal == (Span{}) {
			if p := vocab.GraphPartition(out[i].IRI); monthRe.MatchString(p) {
				out[i].Temporal = Span{From: p, To: p}
			}
		}
	}
	return out
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

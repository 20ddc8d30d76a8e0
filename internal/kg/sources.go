package kg

// The reads of diagnostic.Catalog (queries/sources.rq).

import (
	"context"

	"github.com/openemploi360/openemploi/internal/diagnostic"
)

// Sources reads the graph descriptions of oeg:meta.
func (k *KG) Sources(ctx context.Context) ([]diagnostic.SourceInfo, error) {
	rows, err := k.selectRows(ctx, "sources", nil)
	if err != nil {
		return nil, err
	}
	var out []diagnostic.SourceInfo
	seen := map[string]bool{}
	for _, r := range rows {
		if seen[r.str("graph")] {
			continue
		}
		seen[r.str("graph")] = true
		s := diagnostic.SourceInfo{IRI: r.str("graph"), Title: r.str("title"), Publisher: r.str("publisher"),
			License: r.str("license"), Modified: r.str("modified"), Issued: r.str("issued"),
			Temporal: diagnostic.Span{From: r.str("from"), To: r.str("to")}, Synthetic: r.str("synthetic") == "true" || r.str("synthetic") == "1"}
		if r.has("triples") {
			n := int64(r.int("triples"))
			s.Triples = &n
		}
		out = append(out, s)
	}
	return out, nil
}

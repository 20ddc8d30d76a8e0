package diagnostic

import (
	"reflect"

	"github.com/openemploi360/openemploi/internal/vocab"
)

// syntheticGraphs returns the graphs whose content is wholly or partly synthetic: those
// oeg:meta marks so, and the derived aggregates when any live offers graph is
// synthetic (they are computed from every offer loaded, with no provenance per figure).
func syntheticGraphs(sources []SourceInfo) map[string]bool {
	out := map[string]bool{}
	for _, s := range sources {
		if s.Synthetic {
			out[s.IRI] = true
			if vocab.InFamily(s.IRI, vocab.FamilyOffers) {
				out[vocab.DerivedGraph] = true
			}
		}
	}
	return out
}

var (
	stringType = reflect.TypeOf("")
	boolType   = reflect.TypeOf(false)
)

// markSynthetic sets Synthetic on every value of an answer that has a Source graph
// and a Synthetic flag (Figure, Training, Company) when its graph is synthetic — unless
// the value states its own origin (OriginKnown), which is finer — so the
// answer says it beside the figure and not only in the list of sources. It walks the
// diagnostic by reflection: a section added later is covered without a change here.
// v is a pointer to the diagnostic (or to any answer holding figures).
func markSynthetic(v any, synthetic map[string]bool) {
	if len(synthetic) > 0 {
		mark(reflect.ValueOf(v), synthetic)
	}
}

func mark(v reflect.Value, synthetic map[string]bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			mark(v.Elem(), synthetic)
		}
	case reflect.Struct:
		src, syn := v.FieldByName("Source"), v.FieldByName("Synthetic")
		known := v.FieldByName("OriginKnown")
		stated := known.IsValid() && known.Type() == boolType && known.Bool()
		if src.IsValid() && syn.IsValid() && src.Type() == stringType && syn.Type() == boolType && syn.CanSet() && !stated {
			if synthetic[src.String()] {
				syn.SetBool(true)
			}
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				mark(v.Field(i), synthetic)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			mark(v.Index(i), synthetic)
		}
	case reflect.Map:
		// map values are not addressable: mark a copy and put it back
		if k := v.Type().Elem().Kind(); k != reflect.Struct && k != reflect.Pointer {
			return
		}
		for _, key := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(key))
			mark(e, synthetic)
			v.SetMapIndex(key, e)
		}
	}
}

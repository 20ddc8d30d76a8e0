package rml

// A template such as "http://ex.org/rome/{rome}" makes the same few hundred
// IRIs over and over: one string allocated per record and per template was
// most of the engine's garbage. An interner hands back the string made the
// first time instead. Templates that make a new value per record (subject
// IRIs from an id) would only fill the table, so each interner watches its
// hit rate and stops looking after a window with too few hits.

const (
	// internWindow is how many lookups are judged at a time.
	internWindow = 4096
	// internMax bounds the table (about a megabyte of IRIs).
	internMax = 1 << 14
)

type interner struct {
	m       map[string]string
	lookups int
	hits    int
	off     bool
}

// get returns b as a string, the same string as before when b was seen.
// A nil interner allocates every time.
func (in *interner) get(b []byte) string {
	if in == nil || in.off {
		return string(b)
	}
	if s, ok := in.m[string(b)]; ok { // no allocation for the lookup
		in.hits++
		in.count()
		return s
	}
	s := string(b)
	if in.m == nil {
		in.m = make(map[string]string, 64)
	}
	if len(in.m) < internMax {
		in.m[s] = s
	}
	in.count()
	return s
}

// count ends a window: fewer than half the lookups found their string,
// the values are mostly new and looking them up is wasted.
func (in *interner) count() {
	if in.lookups++; in.lookups < internWindow {
		return
	}
	if in.hits < internWindow/2 {
		in.off, in.m = true, nil
	}
	in.lookups, in.hits = 0, 0
}

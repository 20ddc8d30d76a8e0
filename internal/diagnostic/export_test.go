package diagnostic

import "context"

// Helpers for the external tests (package diagnostic_test), which use diagtest and so
// cannot live inside the package.

// ResolveZone resolves a zone as a request field would be, over src's index.
func ResolveZone(src Source, field, in string) (Zone, error) {
	ix, err := loadIndex(context.Background(), src, "test")
	if err != nil {
		return Zone{}, err
	}
	return ix.resolveZone(field, in)
}

// ResolveSkill resolves a profile skill by code or label over src's index.
func ResolveSkill(src Source, code, label string) (Skill, bool, error) {
	ix, err := loadIndex(context.Background(), src, "test")
	if err != nil {
		return Skill{}, false, err
	}
	s, ok := ix.resolveSkill(code, label)
	return s, ok, nil
}

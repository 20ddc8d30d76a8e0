package skills

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/openemploi360/openemploi/mappings"
)

// romeDir is the project's own copy of the ROME 4 export (the bundled real sample).
var romeDir = filepath.Join("..", "..", "testdata", "sample", "rome_v4")

var (
	sharedOnce sync.Once
	sharedRef  *Referential
	sharedIx   *Index
	sharedErr  error
)

// mustIndex returns the index of the bundled referential and vocabulary, built once
// per test binary: the build is what BenchmarkBuild measures, not what tests test.
func mustIndex(tb testing.TB) (*Index, *Referential) {
	tb.Helper()
	sharedOnce.Do(func() {
		sharedRef, sharedErr = LoadROME4(romeDir)
		if sharedErr != nil {
			return
		}
		var voc *Vocabulary
		voc, sharedErr = ParseVocabulary("skills-synonyms.ttl", mappings.SkillsSynonyms)
		if sharedErr != nil {
			return
		}
		sharedIx, sharedErr = Build(context.Background(), sharedRef, voc)
	})
	if sharedErr != nil {
		tb.Fatal(sharedErr)
	}
	return sharedIx, sharedRef
}

func mustRead(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

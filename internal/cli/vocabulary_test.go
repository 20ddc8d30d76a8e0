package cli

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/openemploi360/openemploi/internal/diagnostic"
	"github.com/openemploi360/openemploi/internal/kg"
	"github.com/openemploi360/openemploi/internal/skills"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
	"github.com/openemploi360/openemploi/internal/vocab"
	"github.com/openemploi360/openemploi/mappings"
)

// TestOntologyLoadSynonyms runs `openemploi ontology load` and checks graph
// oeg:skills-synonyms holds the embedded vocabulary, described in oeg:meta like a
// source; then a steward's file replaces it, and a broken file is refused with the
// store unchanged.
func TestOntologyLoadSynonyms(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		ctx := context.Background()
		k, err := kg.New(c)
		if err != nil {
			t.Fatal(err)
		}
		k.VersionTTL = 0
		vocabulary := func(t *testing.T) *skills.Vocabulary {
			t.Helper()
			st, err := k.SkillSynonyms(ctx)
			if err != nil {
				t.Fatal(err)
			}
			v, err := skills.VocabularyFromStatements("store", st)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		meta := func(t *testing.T) diagnostic.SourceInfo {
			t.Helper()
			srcs, err := k.Sources(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range srcs {
				if s.IRI == vocab.SynonymsGraph {
					return s
				}
			}
			t.Fatalf("oeg:meta does not describe %s: %+v", vocab.SynonymsGraph, srcs)
			return diagnostic.SourceInfo{}
		}

		t.Run("Embedded", func(t *testing.T) {
			out, stderr, err := run(t, append([]string{"ontology", "load"}, storeFlagsFor(c)...)...)
			if err != nil {
				t.Fatalf("%v\n%s", err, stderr)
			}
			if !strings.Contains(out, "skills vocabulary mappings/skills-synonyms.ttl: ") || !strings.Contains(out, vocab.SynonymsGraph) {
				t.Errorf("stdout = %q", out)
			}
			want, err := skills.ParseVocabulary("embedded", mappings.SkillsSynonyms)
			if err != nil {
				t.Fatal(err)
			}
			if got := vocabulary(t); !reflect.DeepEqual(got, want) {
				t.Errorf("the store's vocabulary is not the embedded one: %d synonyms, %d forms; want %d, %d",
					len(got.Synonyms), len(got.Forms), len(want.Synonyms), len(want.Forms))
			}
			m := meta(t)
			if m.Publisher != "Open Emploi 360" || m.License != "https://www.apache.org/licenses/LICENSE-2.0" ||
				m.Issued != mappings.SkillsSynonymsIssued || !strings.Contains(m.Title, "Vocabulaire des compétences") ||
				m.Triples == nil || *m.Triples < 100 || m.Synthetic {
				t.Errorf("oeg:meta of the vocabulary = %+v", m)
			}
		})

		dir := t.TempDir()
		t.Run("StewardFile", func(t *testing.T) {
			file := filepath.Join(dir, "mes-synonymes.ttl")
			ttl := `@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://data.dataregionsud.fr/openemploi/id/rome-item/100025> skos:altLabel "XQZW"@fr .
`
			if err := os.WriteFile(file, []byte(ttl), 0o644); err != nil {
				t.Fatal(err)
			}
			day := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
			if err := os.Chtimes(file, day, day); err != nil {
				t.Fatal(err)
			}
			if _, stderr, err := run(t, append([]string{"ontology", "load", "--synonyms", file}, storeFlagsFor(c)...)...); err != nil {
				t.Fatalf("%v\n%s", err, stderr)
			}
			want := []skills.Synonym{{Item: vocab.Item("100025"), Text: "XQZW"}}
			if got := vocabulary(t); !reflect.DeepEqual(got.Synonyms, want) || len(got.Forms) != 0 {
				t.Errorf("after the steward's load: %+v, want only %+v", got, want)
			}
			if m := meta(t); m.Issued != "2026-03-14" || m.Triples == nil || *m.Triples != 1 {
				t.Errorf("oeg:meta after the steward's load = %+v", m)
			}
		})

		t.Run("BrokenFileRefused", func(t *testing.T) {
			file := filepath.Join(dir, "casse.ttl")
			ttl := `@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://data.dataregionsud.fr/openemploi/id/skill-term/x> skos:prefLabel "X" ; skos:altLabel "Y" .
`
			if err := os.WriteFile(file, []byte(ttl), 0o644); err != nil {
				t.Fatal(err)
			}
			before := dataset(t, c)
			_, _, err := run(t, append([]string{"ontology", "load", "--synonyms", file}, storeFlagsFor(c)...)...)
			if err == nil || !strings.Contains(err.Error(), "casse.ttl") || !strings.Contains(err.Error(), "links to no ROME item") {
				t.Errorf("err = %v, want it to name the file and the concept's fault", err)
			}
			if after := dataset(t, c); !reflect.DeepEqual(before, after) {
				t.Errorf("the store changed: %d quads before, %d after", len(before), len(after))
			}
		})
	})
}

package skills

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/mappings"
)

// BenchmarkBuild builds the index of the whole ROME 4 referential (items, head and
// acronym labels, synonyms, appellations): what the service pays once per data
// version.
func BenchmarkBuild(b *testing.B) {
	ref, err := LoadROME4(romeDir)
	if err != nil {
		b.Fatal(err)
	}
	voc, err := ParseVocabulary("skills-synonyms.ttl", mappings.SkillsSynonyms)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(context.Background(), ref, voc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResolve resolves the five-skill data-engineer profile towards M1811.
func BenchmarkResolve(b *testing.B) {
	ix, _ := mustIndex(b)
	in := []string{"python", "SQL", "gestion de bases de données", "apache spark", "modélisation de données"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ix.Resolve(context.Background(), in, []string{"M1811"}); err != nil {
			b.Fatal(err)
		}
	}
}

// benchCV is a ten-line CV, generated here rather than committed.
func benchCV() string {
	return strings.Join([]string{
		"Data engineer — 6 ans d'expérience",
		"Compétences : Python, SQL, Spark, Kafka, Hadoop.",
		"Conception de pipelines de données et modélisation des bases de données.",
		"Déploiement sur le cloud AWS, environnement Linux.",
		"Anglais technique. Travail en méthode agile (Scrum).",
		"Formation : Master MIAGE, Université d'Aix-Marseille.",
		"Autonome, rigoureux.",
	}, "\n")
}

// BenchmarkSuggest proposes skills from a ten-line CV.
func BenchmarkSuggest(b *testing.B) {
	ix, _ := mustIndex(b)
	text := benchCV()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ix.Suggest(context.Background(), text, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSuggestAtCap proposes skills from a text of MaxTextChars characters (the
// CV repeated): the worst accepted case.
func BenchmarkSuggestAtCap(b *testing.B) {
	ix, _ := mustIndex(b)
	cv := benchCV() + "\n"
	text := strings.Repeat(cv, MaxTextChars/len([]rune(cv)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ix.Suggest(context.Background(), text, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSuggestTooLong is the 255 KB text of issue 10: refused before any work.
func BenchmarkSuggestTooLong(b *testing.B) {
	ix, _ := mustIndex(b)
	text := strings.Repeat("Python, SQL, Kafka. ", 255*1024/20)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ix.Suggest(context.Background(), text, nil); !errors.Is(err, ErrTextTooLong) {
			b.Fatal(err)
		}
	}
}

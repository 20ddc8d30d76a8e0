package kg

import (
	"cmp"
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/openemploi360/openemploi/internal/ingest"
	"github.com/openemploi360/openemploi/internal/skills"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
	"github.com/openemploi360/openemploi/internal/vocab"
)

// TestSkillSynonyms imports a tiny vocabulary into oeg:skills-synonyms as
// `openemploi ontology load` does, reads it back, and compares the triples and the
// vocabulary built from them with what the Turtle file says.
func TestSkillSynonyms(t *testing.T) {
	const ttl = `@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix item: <https://data.dataregionsud.fr/openemploi/id/rome-item/> .
@prefix term: <https://data.dataregionsud.fr/openemploi/id/skill-term/> .
@prefix scheme: <https://data.dataregionsud.fr/openemploi/id/scheme/> .
scheme:skill-terms a skos:ConceptScheme ; dct:publisher "Open Emploi 360" .
item:100025 skos:altLabel "langage SQL"@fr ; skos:hiddenLabel "sequel" .
term:xqzw skos:prefLabel "Xylo Quartz"@fr ; skos:altLabel "XQZW" ; skos:broadMatch item:100023 .
term:w skos:inScheme scheme:skill-word-forms ; skos:prefLabel "gérer" ; skos:altLabel "gestion" .
`
	const (
		skos   = "http://www.w3.org/2004/02/skos/core#"
		xqzw   = vocab.Base + "id/skill-term/xqzw"
		word   = vocab.Base + "id/skill-term/w"
		terms  = vocab.Base + "id/scheme/skill-terms"
		rdfTyp = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
	)
	lit := func(s, p, o string) skills.Statement {
		return skills.Statement{Subject: s, Predicate: p, Object: o, Literal: true}
	}
	iri := func(s, p, o string) skills.Statement { return skills.Statement{Subject: s, Predicate: p, Object: o} }
	// dct:publisher is not read: the engine needs labels, matches, schemes only.
	want := []skills.Statement{
		lit(vocab.Item("100025"), skos+"altLabel", "langage SQL"),
		lit(vocab.Item("100025"), skos+"hiddenLabel", "sequel"),
		iri(terms, rdfTyp, skos+"ConceptScheme"),
		lit(word, skos+"altLabel", "gestion"),
		iri(word, skos+"inScheme", skills.WordFormScheme),
		lit(word, skos+"prefLabel", "gérer"),
		lit(xqzw, skos+"altLabel", "XQZW"),
		iri(xqzw, skos+"broadMatch", vocab.Item("100023")),
		lit(xqzw, skos+"prefLabel", "Xylo Quartz"),
	}
	sortSt := func(st []skills.Statement) {
		slices.SortFunc(st, func(a, b skills.Statement) int {
			return cmp.Or(cmp.Compare(a.Subject, b.Subject), cmp.Compare(a.Predicate, b.Predicate), cmp.Compare(a.Object, b.Object))
		})
	}
	sortSt(want)
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		ctx := context.Background()
		k := mustKG(t, c)
		if got, err := k.SkillSynonyms(ctx); err != nil || len(got) != 0 {
			t.Fatalf("before the import: %v, %v; want no triple", got, err)
		}
		src := ingest.Source{Name: vocab.SynonymsSource, Title: "test vocabulary", Graph: vocab.SynonymsGraph,
			Publisher: "test", License: "https://www.etalab.gouv.fr/licence-ouverte-open-licence", Version: 1, Issued: "2026-01-01"}
		im := &ingest.Importer{Store: c, Logf: t.Logf}
		if _, err := im.ImportTurtle(ctx, src, vocab.SynonymsSource, map[string][]byte{"v.ttl": []byte(ttl)}); err != nil {
			t.Fatal(err)
		}
		got, err := k.SkillSynonyms(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sortSt(got)
		if !slices.Equal(got, want) {
			t.Errorf("triples\n got %+v\nwant %+v", got, want)
		}
		fromStore, err := skills.VocabularyFromStatements("store", got)
		if err != nil {
			t.Fatal(err)
		}
		fromFile, err := skills.ParseVocabulary("v.ttl", []byte(ttl))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(fromStore, fromFile) {
			t.Errorf("vocabulary\nstore %+v\n file %+v", fromStore, fromFile)
		}
	})
}

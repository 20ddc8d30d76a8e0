package skills

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/knakk/rdf"

	"github.com/openemploi360/openemploi/internal/vocab"
	"github.com/openemploi360/openemploi/mappings"
)

func TestAnalyzerSameTerms(t *testing.T) {
	ix, _ := mustIndex(t)
	for _, tc := range []struct{ name, a, b string }{
		{"AccentsFolded", "réalisation", "realisation"},
		{"ElisionDropped", "l'anglais", "anglais"},
		{"NounIsVerb", "gestion de bases de données", "gérer des bases de données"},
		{"AdjectiveIsNoun", "rigoureux", "rigueur"},
		{"PluralIsSingular", "bases de données", "base de donnée"},
		{"AcronymAnyCase", "ppsps", "PPSPS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := ix.an.terms(tc.a), ix.an.terms(tc.b)
			if !slices.Equal(a, b) {
				t.Errorf("%q → %v, %q → %v: want the same terms", tc.a, a, tc.b, b)
			}
		})
	}
	for _, tc := range []struct{ name, a, b string }{
		{"AcronymNotStemmed", "SPS", "SPSS"},
		{"DifferentWords", "comptabilité", "compatibilité"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if a, b := ix.an.terms(tc.a), ix.an.terms(tc.b); slices.Equal(a, b) {
				t.Errorf("%q and %q both → %v: want different terms", tc.a, tc.b, a)
			}
		})
	}
}

func TestAnalyzerSpans(t *testing.T) {
	ix, _ := mustIndex(t)
	text := "Compétences : Python, SQL.\nAnglais"
	toks := ix.an.analyze(text)
	var got []string
	for _, tk := range toks {
		got = append(got, text[tk.start:tk.end])
	}
	if want := []string{"Compétences", "Python", "SQL", "Anglais"}; !slices.Equal(got, want) {
		t.Fatalf("spans %q, want %q", got, want)
	}
	if !toks[1].brk || toks[2].brk || !toks[2].comma || !toks[3].brk {
		t.Errorf("boundaries: %+v", toks)
	}
}

func TestParseVocabulary(t *testing.T) {
	const pre = `@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix item: <https://data.dataregionsud.fr/openemploi/id/rome-item/> .
@prefix term: <https://data.dataregionsud.fr/openemploi/id/skill-term/> .
@prefix scheme: <https://data.dataregionsud.fr/openemploi/id/scheme/> .
`
	t.Run("OK", func(t *testing.T) {
		v, err := ParseVocabulary("t.ttl", []byte(pre+`
scheme:skill-terms a skos:ConceptScheme ; skos:prefLabel "Vocabulaire" .
item:404167 skos:altLabel "SQL"@fr ; skos:hiddenLabel "sequel" .
term:spark skos:prefLabel "Apache Spark" ; skos:altLabel "Spark" ; skos:broadMatch item:117221 .
term:w skos:inScheme scheme:skill-word-forms ; skos:prefLabel "gérer" ; skos:altLabel "gestion" .
`))
		if err != nil {
			t.Fatal(err)
		}
		want := []Synonym{
			{Item: vocab.Item("117221"), Text: "Apache Spark", Via: "Apache Spark", Broad: true},
			{Item: vocab.Item("117221"), Text: "Spark", Via: "Apache Spark", Broad: true},
			{Item: vocab.Item("404167"), Text: "SQL"},
			{Item: vocab.Item("404167"), Text: "sequel", Hidden: true},
		}
		if !slices.Equal(v.Synonyms, want) {
			t.Errorf("synonyms\n got %+v\nwant %+v", v.Synonyms, want)
		}
		if len(v.Forms) != 1 || v.Forms[0].Canonical != "gérer" || !slices.Equal(v.Forms[0].Forms, []string{"gestion"}) {
			t.Errorf("forms %+v", v.Forms)
		}
	})
	for _, tc := range []struct{ name, ttl, want string }{
		{"ConceptLinksNothing", `term:x skos:prefLabel "X" ; skos:altLabel "Y" .`, "links to no ROME item"},
		{"ConceptWithoutPrefLabel", `term:x skos:altLabel "Y" ; skos:exactMatch item:1 .`, "no skos:prefLabel"},
		{"ItemWithMatch", `item:1 skos:altLabel "Y" ; skos:exactMatch item:2 .`, "put the match on a concept"},
		{"WordWithoutPrefLabel", `term:w skos:inScheme scheme:skill-word-forms ; skos:altLabel "x" .`, "no skos:prefLabel"},
		{"BadTurtle", `item:1 skos:altLabel "unterminated .`, "after 0 triples"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseVocabulary("t.ttl", []byte(pre+tc.ttl))
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "t.ttl") {
				t.Errorf("err = %v, want it to name the file and say %q", err, tc.want)
			}
		})
	}
}

// TestVocabularyOrderFree checks the store's graph (a set of triples in no order,
// without repeats) gives the same vocabulary as the file: the embedded file's triples
// reversed and doubled build what the file builds.
func TestVocabularyOrderFree(t *testing.T) {
	fromFile, err := ParseVocabulary("skills-synonyms.ttl", mappings.SkillsSynonyms)
	if err != nil {
		t.Fatal(err)
	}
	var st []Statement
	dec := rdf.NewTripleDecoder(bytes.NewReader(mappings.SkillsSynonyms), rdf.Turtle)
	for {
		tr, err := dec.Decode()
		if err != nil {
			break
		}
		_, lit := tr.Obj.(rdf.Literal)
		st = append(st, Statement{Subject: tr.Subj.String(), Predicate: tr.Pred.String(), Object: tr.Obj.String(), Literal: lit})
	}
	if len(st) < 100 {
		t.Fatalf("decoded %d triples of the embedded vocabulary", len(st))
	}
	slices.Reverse(st)
	st = append(st, st...)
	fromStore, err := VocabularyFromStatements("store", st)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromFile, fromStore) {
		t.Errorf("the vocabulary depends on the order of its triples:\nfile  %+v\nstore %+v", fromFile.Synonyms[:3], fromStore.Synonyms[:3])
	}
}

func TestBuildSkipsUnknownItem(t *testing.T) {
	voc := &Vocabulary{Synonyms: []Synonym{{Item: vocab.Item("999999"), Text: "Xylophone"}, {Item: vocab.Item("1"), Text: "planning"}}}
	ix, err := Build(context.Background(), tinyReferential(), voc)
	if err != nil {
		t.Fatal(err)
	}
	if got := ix.UnknownVocabularyItems(); !slices.Equal(got, []string{vocab.Item("999999")}) {
		t.Errorf("unknown items %v", got)
	}
	res, err := ix.Resolve(context.Background(), []string{"planning", "xylophone"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res[0].Recognised || res[0].Item.Code != "1" || res[1].Recognised {
		t.Errorf("%+v", res)
	}
}

// TestVocabularyItemsExist keeps mappings/skills-synonyms.ttl true to the referential
// the project ships: every item it names exists.
func TestVocabularyItemsExist(t *testing.T) {
	ix, _ := mustIndex(t)
	if u := ix.UnknownVocabularyItems(); len(u) > 0 {
		t.Errorf("skills-synonyms.ttl names items the ROME 4 referential does not have: %v", u)
	}
}

func TestResolve(t *testing.T) {
	ix, _ := mustIndex(t)
	ctx := context.Background()
	t.Run("DataEngineerFiveSkills", func(t *testing.T) {
		in := []string{"python", "SQL", "gestion de bases de données", "apache spark", "modélisation de données"}
		want := []string{"113798", "404167", "404167", "117221", "120323"}
		res, err := ix.Resolve(ctx, in, []string{"M1811"})
		if err != nil {
			t.Fatal(err)
		}
		profile := map[string]int{}
		for i, r := range res {
			if r.Input != in[i] || !r.Recognised || r.Item.Code != want[i] || r.Tier != TierFiche || r.Fiche != "M1811" || r.Why == "" || r.Matched == "" {
				t.Errorf("%q → %+v, want %s on the fiche with a reason", in[i], r, want[i])
			}
			profile[r.Item.Code] = 0
		}
		m := ix.Match("M1811", profile)
		if m.Light == Red || m.Light == Unknown {
			t.Errorf("match %v %%, fit %v %%, light %s: want not red", deref(m.Pct), deref(m.FitPct), m.Light)
		}
	})
	t.Run("NothingDropped", func(t *testing.T) {
		in := []string{"xqzv wrrbl", "", "de la", "404167", "TOEIC", "python"}
		res, err := ix.Resolve(ctx, in, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != len(in) {
			t.Fatalf("%d results for %d inputs", len(res), len(in))
		}
		for i := range 3 {
			if res[i].Recognised || res[i].Note == "" || res[i].Input != in[i] {
				t.Errorf("%q → %+v, want not recognised with a note", in[i], res[i])
			}
		}
		if r := res[3]; !r.Recognised || r.Item.Code != "404167" {
			t.Errorf("a typed item code → %+v", r)
		}
		if r := res[4]; !r.Recognised || r.Item.Code != "404316" || r.Matched != r.Item.Label {
			t.Errorf("hidden label → %+v, want 404316 shown by its own label", r)
		}
		if r := res[5]; !r.Recognised || r.Item.Code != "113798" || r.Tier != TierReferentiel {
			t.Errorf("python without target → %+v", r)
		}
	})
	t.Run("SuggestionWhenClose", func(t *testing.T) {
		res, err := ix.Resolve(ctx, []string{"programmation quantique de bases spatiales"}, []string{"M1811"})
		if err != nil {
			t.Fatal(err)
		}
		if r := res[0]; r.Recognised || r.Suggestion == "" || !strings.Contains(r.Note, r.Suggestion) {
			t.Errorf("→ %+v, want not recognised with a suggestion in the note", r)
		}
	})
	t.Run("Cancelled", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := ix.Resolve(cctx, []string{"python"}, nil); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
}

func TestSuggest(t *testing.T) {
	ix, _ := mustIndex(t)
	ctx := context.Background()
	t.Run("TooLong", func(t *testing.T) {
		for _, n := range []int{MaxTextChars + 1, 255 * 1024} {
			_, err := ix.Suggest(ctx, strings.Repeat("é", n), nil)
			var tl *TextTooLongError
			if !errors.Is(err, ErrTextTooLong) || !errors.As(err, &tl) || tl.Max != MaxTextChars {
				t.Errorf("%d characters: err = %v, want a TextTooLongError", n, err)
			}
			if err != nil && strings.Contains(err.Error(), "é") {
				t.Errorf("the error holds the text: %v", err)
			}
		}
		if _, err := ix.Suggest(ctx, strings.Repeat("é", MaxTextChars), nil); err != nil {
			t.Errorf("%d characters: %v", MaxTextChars, err)
		}
	})
	t.Run("Cancelled", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := ix.Suggest(cctx, "Python, SQL", nil); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("SpansListsAndDuplicates", func(t *testing.T) {
		text := "Compétences : Python, SQL, Spark.\nJ'utilise Python tous les jours."
		ps, err := ix.Suggest(ctx, text, []string{"M1811"})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, p := range ps {
			if _, dup := got[p.Item.Code]; dup {
				t.Errorf("item %s proposed twice", p.Item.Code)
			}
			got[p.Item.Code] = p.Excerpt
			if text[p.Start:p.End] != p.Excerpt {
				t.Errorf("%s: excerpt %q is not text[%d:%d]", p.Item.Code, p.Excerpt, p.Start, p.End)
			}
		}
		for code, excerpt := range map[string]string{"113798": "Python", "404167": "SQL", "117221": "Spark"} {
			if got[code] != excerpt {
				t.Errorf("%s: excerpt %q, want %q (all: %v)", code, got[code], excerpt, got)
			}
		}
		if p := ps[0]; p.Start != strings.Index(text, "Python") || p.Fiche != "M1811" {
			t.Errorf("first proposal %+v: want the first Python, on the fiche M1811", p)
		}
	})
	t.Run("NothingInPlainChat", func(t *testing.T) {
		ps, err := ix.Suggest(ctx, "Bonjour, je vous écris pour vous dire que je suis disponible lundi.", nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 0 {
			t.Errorf("proposals from a text without skills: %+v", ps)
		}
	})
}

func TestSearchAppellations(t *testing.T) {
	ix, _ := mustIndex(t)
	for _, tc := range []struct{ text, fiche string }{
		{"Data engineer — 6 ans d'expérience", "M1811"},
		{"infirmière en soins généraux", "J1506"},
		{"conducteur de travaux bâtiment", "F1201"},
	} {
		hits, err := ix.SearchAppellations(context.Background(), tc.text, 3)
		if err != nil {
			t.Fatal(err)
		}
		var fiches []string
		for _, h := range hits {
			fiches = append(fiches, h.Appellation.Fiche)
		}
		if !slices.Contains(fiches, tc.fiche) {
			t.Errorf("%q → fiches %v, want %s among them", tc.text, fiches, tc.fiche)
		}
	}
}

// TestSuggestAptitudeList reads a Carto.net-like list of aptitudes: one per line or
// separated by semicolons, no sentences.
func TestSuggestAptitudeList(t *testing.T) {
	ix, _ := mustIndex(t)
	text := "Aptitudes :\n- Travail en équipe ; Rigueur ; Autonomie\n- Maîtrise d'Excel\n- Anglais courant\n- Gestion de la paie"
	ps, err := ix.Suggest(context.Background(), text, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, p := range ps {
		got[p.Item.Code] = true
	}
	for _, code := range []string{"300490", "300460", "403039", "404316"} {
		if !got[code] {
			t.Errorf("item %s not proposed; proposals: %v", code, got)
		}
	}
	if !got["300306"] && !got["122090"] {
		t.Errorf("la paie: neither 300306 nor 122090 proposed; proposals: %v", got)
	}
}

package shacl_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/openemploi360/openemploi/internal/shacl"
	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
)

// jenaJar finds the Fuseki server jar, which bundles Jena's SHACL engine (shacl.shacl).
func jenaJar(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("java"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("no java: CI must have it to run Fuseki")
		}
		t.Skip("no java: skipping the cross-check with Jena SHACL")
	}
	cands := []string{os.Getenv("OPENEMPLOI_FUSEKI_JAR")}
	if root, err := storetest.RepoRoot(); err == nil {
		cands = append(cands, filepath.Join(root, storetest.FusekiJar))
	}
	for _, c := range cands {
		if c == "" {
			continue
		}
		if _, err := os.Stat(c); err == nil {
			return c
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no Fuseki jar (OPENEMPLOI_FUSEKI_JAR): CI must have it (scripts/stores.sh fetch)")
	}
	t.Skip("no Fuseki jar (OPENEMPLOI_FUSEKI_JAR): skipping the cross-check with Jena SHACL")
	return ""
}

const shNS = "http://www.w3.org/ns/shacl#"

// jenaReport runs Jena's SHACL validator and returns its Turtle report.
func jenaReport(t *testing.T, jar, shapes, data string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "java", "-cp", jar, "shacl.shacl", "validate", "--shapes", shapes, "--data", data).Output()
	if err != nil {
		t.Fatalf("jena shacl validate: %v", err)
	}
	return out
}

// jenaResults loads Jena's report into the store (knakk/rdf cannot read every Turtle
// Jena writes) and returns conformance and the results as "focus path constraint"
// lines, in the form our report uses.
func jenaResults(t *testing.T, c *store.Client, graph string, report []byte) (conforms bool, lines []string) {
	t.Helper()
	u := c.Endpoints().GSP + "?graph=" + url.QueryEscape(graph)
	resp, err := http.Post(u, "text/turtle", bytes.NewReader(report))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("load Jena's report: %s", resp.Status)
	}
	q := `PREFIX sh: <http://www.w3.org/ns/shacl#>
SELECT ?conforms ?focus ?path ?inv ?comp WHERE { GRAPH <` + graph + `> {
  ?report sh:conforms ?conforms .
  OPTIONAL { ?report sh:result ?r . ?r sh:focusNode ?focus ; sh:sourceConstraintComponent ?comp .
    OPTIONAL { ?r sh:resultPath ?path FILTER(isIRI(?path)) }
    OPTIONAL { ?r sh:resultPath/sh:inversePath ?inv } }
} }`
	res, err := c.Select(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range res.Results.Bindings {
		conforms = row["conforms"].Value == "true"
		comp, ok := row["comp"]
		if !ok {
			continue
		}
		focus := "_:"
		if f := row["focus"]; f.Type == "uri" {
			focus = f.Value
		}
		path := ""
		if p, ok := row["path"]; ok {
			path = compactForTest(p.Value)
		} else if inv, ok := row["inv"]; ok {
			path = "^" + compactForTest(inv.Value)
		}
		name := strings.TrimSuffix(strings.TrimPrefix(comp.Value, shNS), "ConstraintComponent")
		name = "sh:" + string(unicode.ToLower(rune(name[0]))) + name[1:]
		lines = append(lines, focus+" "+path+" "+name)
	}
	return conforms, dedupeSorted(lines)
}

func compactForTest(iri string) string {
	for _, p := range [][2]string{
		{"oep:", "https://data.dataregionsud.fr/openemploi/def/"},
		{"skos:", "http://www.w3.org/2004/02/skos/core#"},
		{"schema:", "http://schema.org/"},
		{"igeo:", "http://rdf.insee.fr/def/geo#"},
		{"dct:", "http://purl.org/dc/terms/"},
		{"prov:", "http://www.w3.org/ns/prov#"},
		{"qb:", "http://purl.org/linked-data/cube#"},
	} {
		if strings.HasPrefix(iri, p[1]) {
			return p[0] + strings.TrimPrefix(iri, p[1])
		}
	}
	return "<" + iri + ">"
}

func dedupeSorted(lines []string) []string {
	sort.Strings(lines)
	var out []string
	for i, l := range lines {
		if i == 0 || l != lines[i-1] {
			out = append(out, l)
		}
	}
	return out
}

// TestSameAsJena validates the sample files with Jena's SHACL engine and with ours
// (on each store) and compares conformance and the (focus, path, constraint) results.
func TestSameAsJena(t *testing.T) {
	jar := jenaJar(t)
	shapes := "../../ontology/shapes.ttl"
	s, err := shacl.Default()
	if err != nil {
		t.Fatal(err)
	}
	files := []string{"testdata/valid.ttl", "testdata/invalid.ttl"}
	reports := map[string][]byte{}
	for _, f := range files {
		reports[f] = jenaReport(t, jar, shapes, f)
	}
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		for i, f := range files {
			g := graphNS + "staging/jena" + string(rune('a'+i))
			loadFile(t, c, g, f)
			jenaConforms, jenaLines := jenaResults(t, c, "http://example.org/jena-report/"+string(rune('a'+i)), reports[f])
			rep, err := s.Validate(context.Background(), c, g, 0)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range rep.Violations {
				focus := v.Focus
				if strings.HasPrefix(focus, "_:") {
					focus = "_:"
				}
				got = append(got, focus+" "+v.Path+" "+v.Constraint)
			}
			got = dedupeSorted(got)
			// Jena's conforms is false for warnings too; ours only for violations.
			if (len(rep.Violations) == 0) != jenaConforms {
				t.Errorf("%s: we report %d results, Jena conforms=%v", f, len(rep.Violations), jenaConforms)
			}
			if strings.Join(got, "\n") != strings.Join(jenaLines, "\n") {
				t.Errorf("%s: results differ from Jena's\n ours:\n  %s\n Jena:\n  %s", f,
					strings.Join(got, "\n  "), strings.Join(jenaLines, "\n  "))
			}
			if len(jenaLines) == 0 && f == "testdata/invalid.ttl" {
				t.Errorf("Jena's report for %s was not read", f)
			}
		}
	})
}

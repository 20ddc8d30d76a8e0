package rml

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/antchfx/xmlquery"
)

func TestXPathReach(t *testing.T) {
	tests := []struct {
		expr string
		want int
	}{
		{"name", 0},
		{"@numero", 0},
		{"a/b/text()", 0},
		{".", 0},
		{"../nombre-places", -1},
		{"../../@numero", -2},
		{"../../code-niveau-sortie", -2},
		{"sum(../organisme-financeur/nb-places-financees)", -1},
		{"(action/session)[1]/../nombre-heures-total", 0},
		{"((action/session)[1]/../../x)[1]", 0},
		{"((action/session)[1]/../../../x)[1]", -1},
		{"x[../@a = 'b']", 0},
		{"x[../../@a = 'b']", -1},
		{"following-sibling::session[1]/@numero", -1},
		{"parent::action/@numero", -1},
		{"substring(sum(a/b), 1, 100*count(a/b))", 0},
		{"concat(../a, '-', ../../b)", -2},
		{"count(../*) > 1", -1},
		{"nombre-heures-total div 2", 0},
		{"'../not/a/path'", 0},
		{"/lheo/@version", reachRoot},
		{"//x", reachRoot},
		{"ancestor::formation/@numero", reachRoot},
		{"id('x')", reachRoot},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			if got := xpathReach(tc.expr); got != tc.want {
				t.Errorf("xpathReach(%q) = %d, want %d (tokens %q)", tc.expr, got, tc.want, xpathTokens(tc.expr))
			}
		})
	}
}

func TestStreamDepth(t *testing.T) {
	tests := []struct {
		name, iterator string
		refs           []string
		want           int
	}{
		{"record itself", "/a/b/c", []string{"x", "@y"}, 3},
		{"parent", "/a/b/c", []string{"x", "../y"}, 2},
		{"grand-parent", "/a/b/c", []string{"../../@id"}, 1},
		{"beyond the document element", "/a/b/c", []string{"../../../../x"}, 0},
		{"absolute reference", "/a/b/c", []string{"/a/@v"}, 0},
		{"attribute predicate above", "/a/b[@t='1']/c", []string{"x"}, 3},
		{"child predicate above", "/a/b[x='1']/c", []string{"x"}, 2},
		{"positional predicate", "/a/b[2]/c", []string{"x"}, 1},
		{"positional on the record", "/a/b/c[last()]", []string{"x"}, 2},
		{"descendant iterator", "//c", []string{"x"}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := newXMLReader(strings.NewReader(""), tc.iterator)
			if err != nil {
				t.Fatal(err)
			}
			for _, ref := range tc.refs {
				if _, err := r.compile(ref); err != nil {
					t.Fatal(err)
				}
			}
			if got := r.streamDepth(); got != tc.want {
				t.Errorf("streamDepth = %d, want %d", got, tc.want)
			}
		})
	}
}

// lheoSample has the action's hours and places after its sessions, and the
// formation's level after its actions, as in real LHEO exports.
const lheoSample = `<?xml version="1.0" encoding="UTF-8"?>
<lheo xmlns="http://www.lheo.org/2.2"><offres>
<formation numero="F1">
  <action numero="A1">
    <session numero="S1"><debut>20240101</debut></session>
    <session numero="S2"><debut>20240201</debut></session>
    <nombre-heures-total>400</nombre-heures-total>
    <organisme-financeur><nb-places-financees>8</nb-places-financees></organisme-financeur>
    <organisme-financeur><nb-places-financees>4</nb-places-financees></organisme-financeur>
  </action>
  <action numero="A2" type="x">
    <session numero="S3"><debut>bad date</debut></session>
    <nombre-heures-total>35</nombre-heures-total>
  </action>
  <code-niveau-sortie>4</code-niveau-sortie>
</formation>
<formation numero="F2">
  <action numero="A3"><session numero="S4"/><nombre-heures-total>70</nombre-heures-total></action>
</formation>
</offres></lheo>`

func TestXMLDeepIteratorReadsLaterSiblings(t *testing.T) {
	tests := []struct {
		name, iterator, pom string
		want                []string
	}{
		{"parent's later child", "/lheo/offres/formation/action/session",
			`rr:predicate ex:hours; rr:objectMap [ rml:reference "../nombre-heures-total" ]`,
			[]string{`<http://ex.org/S1> <http://ex.org/hours> "400" .`, `<http://ex.org/S2> <http://ex.org/hours> "400" .`,
				`<http://ex.org/S3> <http://ex.org/hours> "35" .`, `<http://ex.org/S4> <http://ex.org/hours> "70" .`}},
		{"sum over the parent", "/lheo/offres/formation/action/session",
			`rr:predicate ex:places; rr:objectMap [ rml:reference "sum(../organisme-financeur/nb-places-financees)" ]`,
			[]string{`<http://ex.org/S1> <http://ex.org/places> "12" .`, `<http://ex.org/S2> <http://ex.org/places> "12" .`,
				`<http://ex.org/S3> <http://ex.org/places> "0" .`, `<http://ex.org/S4> <http://ex.org/places> "0" .`}},
		{"grand-parent's later child", "/lheo/offres/formation/action/session",
			`rr:predicate ex:level; rr:objectMap [ rml:reference "../../code-niveau-sortie" ]`,
			[]string{`<http://ex.org/S1> <http://ex.org/level> "4" .`, `<http://ex.org/S2> <http://ex.org/level> "4" .`,
				`<http://ex.org/S3> <http://ex.org/level> "4" .`}},
		{"following sibling", "/lheo/offres/formation/action/session",
			`rr:predicate ex:next; rr:objectMap [ rml:reference "following-sibling::session[1]/@numero" ]`,
			[]string{`<http://ex.org/S1> <http://ex.org/next> "S2" .`}},
		{"attribute predicate above", "/lheo/offres/formation/action[@type='x']/session",
			`rr:predicate ex:hours; rr:objectMap [ rml:reference "../nombre-heures-total" ]`,
			[]string{`<http://ex.org/S3> <http://ex.org/hours> "35" .`}},
		{"positional predicate", "/lheo/offres/formation/action/session[2]",
			`rr:predicate ex:action; rr:objectMap [ rml:reference "../@numero" ]`,
			[]string{`<http://ex.org/S2> <http://ex.org/action> "A1" .`}},
		{"child predicate above", "/lheo/offres/formation[code-niveau-sortie='4']/action/session",
			`rr:predicate ex:f; rr:objectMap [ rml:reference "../../@numero" ]`,
			[]string{`<http://ex.org/S1> <http://ex.org/f> "F1" .`, `<http://ex.org/S2> <http://ex.org/f> "F1" .`, `<http://ex.org/S3> <http://ex.org/f> "F1" .`}},
		{"descendant iterator (whole document)", "//session",
			`rr:predicate ex:hours; rr:objectMap [ rml:reference "../nombre-heures-total" ]`,
			[]string{`<http://ex.org/S1> <http://ex.org/hours> "400" .`, `<http://ex.org/S2> <http://ex.org/hours> "400" .`,
				`<http://ex.org/S3> <http://ex.org/hours> "35" .`, `<http://ex.org/S4> <http://ex.org/hours> "70" .`}},
		{"absolute reference (whole document)", "/lheo/offres/formation/action/session",
			`rr:predicate ex:n; rr:objectMap [ rml:reference "count(/lheo/offres/formation)" ]`,
			[]string{`<http://ex.org/S1> <http://ex.org/n> "2" .`, `<http://ex.org/S2> <http://ex.org/n> "2" .`,
				`<http://ex.org/S3> <http://ex.org/n> "2" .`, `<http://ex.org/S4> <http://ex.org/n> "2" .`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mapping := `
<#M> rml:logicalSource [ rml:source "l.xml"; rml:referenceFormulation ql:XPath; rml:iterator "` + tc.iterator + `" ];
  rr:subjectMap [ rr:template "http://ex.org/{@numero}" ];
  rr:predicateObjectMap [ ` + tc.pom + ` ] .
`
			got, _, err := run(t, mapping, map[string][]byte{"l.xml": []byte(lheoSample)}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			wantLines(t, got, tc.want...)
		})
	}
}

func TestXMLDeepWhere(t *testing.T) {
	mapping := `
<#M> rml:logicalSource [ rml:source "l.xml"; rml:referenceFormulation ql:XPath; rml:iterator "/lheo/offres/formation/action/session" ];
  rr:subjectMap [ rr:template "http://ex.org/{@numero}" ];
  rr:predicateObjectMap [ rr:predicate ex:start; rr:objectMap [ rr:datatype xsd:date;
    fnml:functionValue [
      rr:predicateObjectMap [ rr:predicate fno:executes; rr:objectMap [ rr:constant oefn:toDate ] ];
      rr:predicateObjectMap [ rr:predicate oefn:value; rr:objectMap [ rml:reference "debut" ] ];
      rr:predicateObjectMap [ rr:predicate oefn:layout; rr:objectMap [ rr:constant "20060102" ] ] ] ] ];
  rr:predicateObjectMap [ rr:predicate ex:level; rr:objectMap [ rml:reference "../../code-niveau-sortie" ] ] .
`
	_, st, err := run(t, mapping, map[string][]byte{"l.xml": []byte(lheoSample)}, Options{MaxRejects: -1})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Rejects) != 1 {
		t.Fatalf("rejects = %v", st.Rejects)
	}
	// The unit is the formation (../../ reaches it): formation[1], then
	// positions among siblings below it.
	if got, want := st.Rejects[0].String(), `l.xml:/lheo/offres/formation[1]/action[2]/session[1]/debut: field debut: "bad date" does not match`; !strings.HasPrefix(got, want) {
		t.Errorf("reject = %s, want prefix %s", got, want)
	}
}

func TestXPathArgHazard(t *testing.T) {
	tests := []struct {
		expr string
		want bool
	}{
		{"concat(count(action[1]), '-', count(action[1]))", true},
		{"substring(sum((a/b)[1]/c), 1, 100*count((a/b)[1]/c))", true},
		{"concat(count(action[@numero='A1']), '-', @numero)", true},
		{"concat(action[1]/@numero, '-', .)", true},
		{"substring(sum(a/b), 1, 100*count(a/b))", false},
		{"substring(action[1]/@numero, 1, 3)", false},
		{"concat(@numero, '-', action[2]/@numero)", false},
		{"count(action[1]) + count(action[1])", false},
		{"sum((action/session)[1]/../organisme-financeur/nb-places-financees)", false},
		{"((action/session)[1]/../x)[1]", false},
		{"concat(a[b and c], '-')", false},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			if got := xpathArgHazard(tc.expr); got != tc.want {
				t.Errorf("xpathArgHazard = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestXMLStreamKeepsTreeSmall: whatever the unit, the tree the stream
// parser holds stays the size of one record's ancestors, not of the part
// of the file read so far (which made deep iterators quadratic).
func TestXMLStreamKeepsTreeSmall(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lheo.xml")
	writeLHEO(t, path, 400)
	for _, refs := range [][]string{{"@numero"}, {"../nombre-heures-total"}, {"../../@numero"}} {
		t.Run(refs[0], func(t *testing.T) {
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			r, err := newXMLReader(f, "/lheo/offres/formation/action/session")
			if err != nil {
				t.Fatal(err)
			}
			for _, ref := range refs {
				if _, err := r.compile(ref); err != nil {
					t.Fatal(err)
				}
			}
			records, most := 0, 0
			err = r.each(func() error {
				records++
				n := 0
				var walk func(*xmlquery.Node)
				walk = func(x *xmlquery.Node) {
					for ; x != nil; x = x.NextSibling {
						n++
						walk(x.FirstChild)
					}
				}
				walk(xmlquery.GetRoot(r.cur))
				most = max(most, n)
				return nil
			}, nil)
			if err != nil {
				t.Fatal(err)
			}
			// one formation of 2 actions of 4 sessions is ~150 nodes; the
			// whole file is ~7 000.
			if records != 400 || most > 300 {
				t.Errorf("records = %d, largest tree = %d nodes, want 400 and at most one formation's", records, most)
			}
		})
	}
}

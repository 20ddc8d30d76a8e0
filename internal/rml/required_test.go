package rml

import (
	"strings"
	"testing"
)

// TestRequired: a subject whose key is wrapped in oefn:required rejects the
// record when the key is empty or missing, naming the field and the
// record; without it, plain RML silently produces nothing for that record.
func TestRequired(t *testing.T) {
	subject := func(ref string) string {
		return `rr:subjectMap ` + fnObject("oefn:required",
			param("oefn:value", `[ rr:template "http://ex.org/o/{`+ref+`}" ]`)+
				param("oefn:fieldName", `[ rr:constant "identifiant de l'offre" ]`)) + `;`
	}
	plain := func(ref string) string { return `rr:subjectMap [ rr:template "http://ex.org/o/{` + ref + `}" ];` }
	tests := []struct {
		name, ls, file, data string
		subject              func(string) string
		ref                  string
		wantWhere            []string // rejects' Where, in order (the field inside the record when the format has a path for it)
	}{
		{"CSV", `rml:source "d.csv"`, "d.csv", "id,titre\n1,Dev\n,Compta\n3,Chef\n", subject, "id", []string{"line 3"}},
		{"CSV plain RML drops silently", `rml:source "d.csv"`, "d.csv", "id,titre\n1,Dev\n,Compta\n3,Chef\n", plain, "id", nil},
		{"JSON", `rml:source "d.json"; rml:referenceFormulation ql:JSONPath; rml:iterator "$.r[*]"`, "d.json",
			`{"r":[{"id":"1","titre":"Dev"},{"id":null,"titre":"Compta"},{"id":"3","titre":"Chef"},{"titre":"Sans"}]}`, subject, "id",
			[]string{"/r/1/id", "/r/3/id"}},
		{"XML", `rml:source "d.xml"; rml:referenceFormulation ql:XPath; rml:iterator "/l/o"`, "d.xml",
			`<l><o id="1"><titre>Dev</titre></o><o id=""><titre>Compta</titre></o><o id="3"><titre>Chef</titre></o></l>`, subject, "@id",
			[]string{"/l/o[2]/@id"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mapping := `
<#M> rml:logicalSource [ ` + tc.ls + ` ];
  ` + tc.subject(tc.ref) + `
  rr:predicateObjectMap [ rr:predicate ex:titre; rr:objectMap [ rml:reference "titre" ] ] .
`
			got, st, err := run(t, mapping, map[string][]byte{tc.file: []byte(tc.data)}, Options{MaxRejects: -1})
			if err != nil {
				t.Fatal(err)
			}
			wantLines(t, got, `<http://ex.org/o/1> <http://ex.org/titre> "Dev" .`, `<http://ex.org/o/3> <http://ex.org/titre> "Chef" .`)
			if len(st.Rejects) != len(tc.wantWhere) || st.Rejected != int64(len(tc.wantWhere)) {
				t.Fatalf("rejects = %v (%d), want at %q", st.Rejects, st.Rejected, tc.wantWhere)
			}
			for i, r := range st.Rejects {
				if r.Source != tc.file || r.Where != tc.wantWhere[i] || r.Field != "identifiant de l'offre" || r.Reason != "required value is empty" {
					t.Errorf("reject %d = %+v, want %s:%s field \"identifiant de l'offre\": required value is empty", i, r, tc.file, tc.wantWhere[i])
				}
			}
		})
	}
}

// TestRequiredObject: on a plain reference, without fieldName, the reject
// names the reference and, for JSON, points at the field.
func TestRequiredObject(t *testing.T) {
	mapping := `
<#M> rml:logicalSource [ rml:source "d.json"; rml:referenceFormulation ql:JSONPath; rml:iterator "$.r[*]" ];
  rr:subjectMap [ rr:template "http://ex.org/o/{id}" ];
  rr:predicateObjectMap [ rr:predicate ex:commune; rr:objectMap ` + fnObject("oefn:required", param("oefn:value", `[ rml:reference "lieu.commune" ]`)) + ` ] .
`
	got, st, err := run(t, mapping, map[string][]byte{"d.json": []byte(`{"r":[{"id":"1","lieu":{"commune":"06088"}},{"id":"2","lieu":{"commune":"  "}}]}`)}, Options{MaxRejects: -1})
	if err != nil {
		t.Fatal(err)
	}
	wantLines(t, got, `<http://ex.org/o/1> <http://ex.org/commune> "06088" .`)
	if len(st.Rejects) != 1 || st.Rejects[0].String() != "d.json:/r/1/lieu/commune: field lieu.commune: required value is empty" {
		t.Errorf("rejects = %v", st.Rejects)
	}
	// MaxRejects 0 (the default): the empty value fails the run, naming it.
	_, _, err = run(t, mapping, map[string][]byte{"d.json": []byte(`{"r":[{"id":"2"}]}`)}, Options{})
	if err == nil || !strings.Contains(err.Error(), "d.json:/r/0/lieu/commune: field lieu.commune: required value is empty") {
		t.Errorf("err = %v", err)
	}
}

// TestRejectOncePerRecord: a JSON record read by two iterators (two
// passes over the file) and bad in both counts as one reject.
func TestRejectOncePerRecord(t *testing.T) {
	mapping := `
<#A> rml:logicalSource [ rml:source "d.json"; rml:referenceFormulation ql:JSONPath; rml:iterator "$.r[*]" ];
  rr:subjectMap [ rr:template "http://ex.org/a/{id}" ];
  rr:predicateObjectMap [ rr:predicate ex:site; rr:objectMap [ rml:reference "site"; rr:termType rr:IRI ] ] .
<#B> rml:logicalSource [ rml:source "d.json"; rml:referenceFormulation ql:JSONPath; rml:iterator "$.r[?(@.id)]" ];
  rr:subjectMap [ rr:template "http://ex.org/b/{id}" ];
  rr:predicateObjectMap [ rr:predicate ex:site; rr:objectMap [ rml:reference "site"; rr:termType rr:IRI ] ] .
`
	data := `{"r":[{"id":"1","site":"http://a.fr"},{"id":"2","site":"not an IRI"}]}`
	got, st, err := run(t, mapping, map[string][]byte{"d.json": []byte(data)}, Options{MaxRejects: -1})
	if err != nil {
		t.Fatal(err)
	}
	wantLines(t, got, `<http://ex.org/a/1> <http://ex.org/site> <http://a.fr> .`, `<http://ex.org/b/1> <http://ex.org/site> <http://a.fr> .`)
	if st.Rejected != 1 || len(st.Rejects) != 1 || st.Rejects[0].Where != "/r/1/site" {
		t.Errorf("rejected %d: %v", st.Rejected, st.Rejects)
	}
}

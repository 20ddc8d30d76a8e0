package store

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/openemploi360/openemploi/internal/apperr"
)

func TestNew(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cfg   Config
		want  Endpoints
		field string // the field an error names; "" means success
	}{
		{"fuseki", Config{Preset: Fuseki, BaseURL: "http://127.0.0.1:3030/openemploi/"},
			Endpoints{"http://127.0.0.1:3030/openemploi/query", "http://127.0.0.1:3030/openemploi/update", "http://127.0.0.1:3030/openemploi/data"}, ""},
		{"oxigraph", Config{Preset: Oxigraph, BaseURL: "https://store.example:7878"},
			Endpoints{"https://store.example:7878/query", "https://store.example:7878/update", "https://store.example:7878/store"}, ""},
		{"explicit URL wins", Config{Preset: Fuseki, BaseURL: "http://h/ds", QueryURL: "http://ro/ds/sparql"},
			Endpoints{"http://ro/ds/sparql", "http://h/ds/update", "http://h/ds/data"}, ""},
		{"generic", Config{Preset: Generic, QueryURL: "http://h/q", UpdateURL: "http://h/u", GSPURL: "http://h/g"},
			Endpoints{"http://h/q", "http://h/u", "http://h/g"}, ""},
		{"no preset means generic", Config{QueryURL: "http://h/q", UpdateURL: "http://h/u", GSPURL: "http://h/g"},
			Endpoints{"http://h/q", "http://h/u", "http://h/g"}, ""},
		{"generic without update URL", Config{Preset: Generic, QueryURL: "http://h/q", GSPURL: "http://h/g"}, Endpoints{}, "UpdateURL"},
		{"generic without GSP URL", Config{Preset: Generic, QueryURL: "http://h/q", UpdateURL: "http://h/u"}, Endpoints{}, "GSPURL"},
		{"fuseki without base", Config{Preset: Fuseki}, Endpoints{}, "BaseURL"},
		{"unknown preset", Config{Preset: "virtuoso", BaseURL: "http://h"}, Endpoints{}, "Preset"},
		{"bad scheme", Config{Preset: Oxigraph, BaseURL: "ftp://h"}, Endpoints{}, "BaseURL"},
		{"no host", Config{Preset: Oxigraph, BaseURL: "http:///x"}, Endpoints{}, "BaseURL"},
		{"relative", Config{Preset: Oxigraph, BaseURL: "localhost:7878"}, Endpoints{}, "BaseURL"},
		{"bad override", Config{Preset: Oxigraph, BaseURL: "http://h", GSPURL: "file:///etc/passwd"}, Endpoints{}, "GSPURL"},
		{"credentials in URL", Config{Preset: Oxigraph, BaseURL: "http://admin:hunter2@h"}, Endpoints{}, "BaseURL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(tc.cfg)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				if c.Endpoints() != tc.want {
					t.Errorf("endpoints %+v, want %+v", c.Endpoints(), tc.want)
				}
				return
			}
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Kind != apperr.Invalid || ae.Field != tc.field {
				t.Fatalf("New: %v, want an invalid error on field %s", err, tc.field)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
}

func TestNewDefaults(t *testing.T) {
	for _, tc := range []struct {
		retries, want int
	}{{0, 3}, {-1, 0}, {5, 5}} {
		c, err := New(Config{Preset: Oxigraph, BaseURL: "http://h", Retries: tc.retries})
		if err != nil {
			t.Fatal(err)
		}
		if c.cfg.Retries != tc.want || c.cfg.Timeout != defaultTimeout {
			t.Errorf("Retries %d: got retries %d timeout %s, want %d and %s", tc.retries, c.cfg.Retries, c.cfg.Timeout, tc.want, defaultTimeout)
		}
	}
}

func TestIRIRef(t *testing.T) {
	for _, tc := range []struct {
		iri string
		ok  bool
	}{
		{"https://data.dataregionsud.fr/openemploi/graph/rome4", true},
		{"urn:oe:staging/42/1", true},
		{"http://ex.org/é?q=1&r=2#x", true},
		{"", false},
		{"relative/path", false},
		{":nothing", false},
		{"1http://ex.org", false},
		{"http://ex.org/a b", false},
		{"http://ex.org/a>b", false},
		{"http://ex.org/a> } ; DROP ALL ; #", false},
		{"http://ex.org/\"", false},
		{"http://ex.org/{x}", false},
		{"http://ex.org/a|b", false},
		{"http://ex.org/a^b", false},
		{"http://ex.org/a`b", false},
		{`http://ex.org/a\u003E`, false},
		{"http://ex.org/a\nb", false},
		{"http://ex.org/a\x00b", false},
		{"http://ex.org/a\x7fb", false},
	} {
		t.Run(tc.iri, func(t *testing.T) {
			got, err := IRIRef(tc.iri)
			if (err == nil) != tc.ok {
				t.Fatalf("IRIRef(%q) = %q, %v; want ok=%v", tc.iri, got, err, tc.ok)
			}
			if tc.ok && got != "<"+tc.iri+">" {
				t.Errorf("IRIRef(%q) = %q", tc.iri, got)
			}
		})
	}
}

func TestQuadChecker(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		badLine  int // 0: accepted
	}{
		{"quads", "<urn:s> <urn:p> <urn:o> <urn:g> .\n_:b1 <urn:p> \"x\" _:g .\n", 0},
		{"literals that look like terms", `<urn:s> <urn:p> "<a> <b> <c> . \" ." <urn:g> .` + "\n", 0},
		{"lang and datatype", "<urn:s> <urn:p> \"x\"@fr-FR <urn:g> .\n<urn:s> <urn:p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> <urn:g> .\n", 0},
		{"comments and blank lines", "# a comment <a> <b> <c> .\n\n<urn:s> <urn:p> <urn:o> <urn:g> . # trailing\n", 0},
		{"bnode with dots", "_:a.b <urn:p> _:c.d _:g.\n", 0},
		{"no final newline", "<urn:s> <urn:p> <urn:o> <urn:g> .", 0},
		{"CRLF", "<urn:s> <urn:p> <urn:o> <urn:g> .\r\n<urn:s> <urn:p> <urn:o> <urn:g> .\r\n", 0},
		{"no spaces", "<urn:s><urn:p>\"o\"<urn:g>.\n", 0},
		{"triple", "<urn:s> <urn:p> <urn:o> <urn:g> .\n<urn:s> <urn:p> <urn:o> .\n", 2},
		{"triple with literal", "<urn:s> <urn:p> \"a . b\"@en .\n", 1},
		{"triple with typed literal", "\n\n<urn:s> <urn:p> \"1\"^^<urn:dt>.\n", 3},
		{"triple ending in bnode", "<urn:s> <urn:p> _:o.\n", 1},
		{"triple ending in bnode at EOF", "<urn:s> <urn:p> _:o.", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// One byte at a time too, so that state carried across reads is tested.
			for _, r := range []io.Reader{strings.NewReader(tc.in), iotest.OneByteReader(strings.NewReader(tc.in))} {
				var out strings.Builder
				_, err := io.Copy(&out, &quadChecker{r: r})
				if tc.badLine == 0 {
					if err != nil {
						t.Fatalf("refused: %v", err)
					}
					if out.String() != tc.in {
						t.Errorf("output %q, want the input unchanged", out.String())
					}
					continue
				}
				var ae *apperr.Error
				if !errors.As(err, &ae) || ae.Kind != apperr.Invalid || ae.Field != fmt.Sprintf("N-Quads line %d", tc.badLine) {
					t.Fatalf("got %v, want an invalid error on line %d", err, tc.badLine)
				}
			}
		})
	}
}

func TestErrorText(t *testing.T) {
	for _, tc := range []struct {
		e    Error
		want string
	}{
		{Error{Op: "select", Endpoint: "http://h/q", Status: 400, Message: "Lexical error at line 1"},
			"store select http://h/q: 400 Bad Request: Lexical error at line 1"},
		{Error{Op: "gsp get", Endpoint: "http://h/data", Graph: "urn:g", Status: 404},
			"store gsp get http://h/data graph <urn:g>: 404 Not Found"},
		{Error{Op: "update", Endpoint: "http://h/u", Err: errors.New("dial tcp: connection\nrefused"), Attempts: 4},
			"store update http://h/u: dial tcp: connection refused (after 4 attempts)"},
		{Error{Op: "update", Endpoint: "http://h/u", Message: "no answer within 1s", Err: errors.New("deadline")},
			"store update http://h/u: no answer within 1s: deadline"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("got  %q\nwant %q", got, tc.want)
		}
	}
}

func TestReadMessage(t *testing.T) {
	long := strings.Repeat("word ", 200)
	msg := oneLineMessage(long)
	if n := len([]rune(msg)); n != maxMessage+1 || !strings.HasSuffix(msg, "…") {
		t.Errorf("long message cut to %d runes (%q), want %d and an ellipsis", n, msg, maxMessage+1)
	}
	if got := stripTags("<html><body><h2>HTTP ERROR 404</h2><p>Not&nbsp;here</p></body></html>"); strings.Join(strings.Fields(got), " ") != "HTTP ERROR 404 Not&nbsp;here" {
		t.Errorf("stripTags: %q", got)
	}
}

// BenchmarkQuadChecker measures the cost of the default-graph check on a LoadQuads
// body (it must stay far above what a store ingests: ~10⁵–10⁶ quads/s).
func BenchmarkQuadChecker(b *testing.B) {
	var sb strings.Builder
	for i := range 10000 {
		fmt.Fprintf(&sb, "<https://data.dataregionsud.fr/openemploi/id/offre/ft/%d> <http://schema.org/title> \"Développeur \\\"full stack\\\" n°%d\"@fr <https://data.dataregionsud.fr/openemploi/graph/offres-ft/2024-06> .\n", i, i)
	}
	data := sb.String()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := io.Copy(io.Discard, &quadChecker{r: strings.NewReader(data)}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(10000*b.N)/b.Elapsed().Seconds(), "quads/s")
}

func TestConfigHidesPassword(t *testing.T) {
	cfg := Config{Preset: Fuseki, BaseURL: "http://h/ds", User: "u", Password: "hunter2"}
	for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
		if got := fmt.Sprintf(f, cfg); strings.Contains(got, "hunter2") || !strings.Contains(got, "http://h/ds") {
			t.Errorf("Sprintf(%q) = %q: want the URL without the password", f, got)
		}
	}
	if got := fmt.Sprintf("%v", &cfg); strings.Contains(got, "hunter2") {
		t.Errorf("pointer: %q shows the password", got)
	}
}

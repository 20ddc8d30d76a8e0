package rml

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
)

// TestJSONValidator agrees with encoding/json on valid and invalid inputs.
func TestJSONValidator(t *testing.T) {
	for _, in := range []string{
		`[]`, `{}`, `0`, `-0.5e+10`, `"a\u00e9\n"`, `[1,2,{"a":[true,false,null]}]`, ` {"a" : "b" } `,
		`[1,]`, `{"a":}`, `{"a"}`, `0,`, `01`, `1.`, `-`, `[1 2]`, `{"a":1,}`, `"\x"`, "\"a\x01\"", `tru`, `[`, `{"a":1} {"b":2}`, `nul`, `1e`, `[-]`,
	} {
		_, err := io.Copy(io.Discard, &jsonValidator{r: strings.NewReader(in)})
		if valid := json.Valid([]byte(in)); valid != (err == nil) {
			t.Errorf("%q: validator error %v, encoding/json valid=%v", in, err, valid)
		}
	}
}

// BenchmarkJSONValidator measures the validator alone on offers-like JSON.
func BenchmarkJSONValidator(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteByte('[')
	for i := range 20000 {
		if i > 0 {
			buf.WriteByte(',')
		}
		fmt.Fprintf(&buf, `{"id":"%06d","intitule":"Développeur / Développeuse web","description":"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.","lieuTravail":{"libelle":"13 - Marseille","commune":"13055","latitude":43.29,"longitude":5.37},"salaire":{"libelle":"Mensuel de 2000.0 Euros sur 12.0 mois"},"nombrePostes":1}`, i)
	}
	buf.WriteByte(']')
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := io.Copy(io.Discard, &jsonValidator{r: bytes.NewReader(data)}); err != nil {
			b.Fatal(err)
		}
	}
}

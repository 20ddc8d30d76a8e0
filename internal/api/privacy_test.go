package api

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/store"
	"github.com/openemploi360/openemploi/internal/storetest"
)

// TestProfileNeverKept sends canary values in a profile and a CV text, on success and
// on error paths, then looks for them in the logs and in every graph of the store.
func TestProfileNeverKept(t *testing.T) {
	const skill, income, cv, spouse = "Canari-Compétence-7f3a9", 4321.77, "Canari-CV-b81c2 ligne secrète", "Canari-Conjoint-44d1"
	storetest.ForEach(t, func(t *testing.T, c *store.Client) {
		a := newTestAPI(t, c)
		bodies := []string{
			fmt.Sprintf(`{"metiers":["M1811"],"zones":["9312"],"profile":{"skills":[{"label":%q,"level":4},{"code":"100025","level":3}],"income":{"current":%v,"wishedMin":%v}}}`, skill, income, income),
			// error paths: a bad level next to the canary, an unknown spouse métier, a bad income
			fmt.Sprintf(`{"metiers":["M1811"],"profile":{"skills":[{"label":%q,"level":7}]}}`, skill),
			fmt.Sprintf(`{"metiers":["M1811"],"profile":{"spouseMetier":%q}}`, spouse),
			fmt.Sprintf(`{"metiers":["M1811"],"profile":{"income":{"current":-%v}},"extra":%q}`, income, skill),
		}
		for i, b := range bodies {
			resp, out := a.do(t, http.MethodPost, "/api/diagnostic", "", b)
			if i == 0 && resp.StatusCode != 200 {
				t.Fatalf("diagnostic: %d %s", resp.StatusCode, out)
			}
			if i > 0 {
				if resp.StatusCode < 400 {
					t.Fatalf("body %d accepted", i)
				}
				for _, canary := range []string{skill, spouse, "4321"} {
					if bytes.Contains(out, []byte(canary)) {
						t.Errorf("error response %d echoes %q: %s", i, canary, out)
					}
				}
			}
		}
		resp, out := a.do(t, http.MethodPost, "/api/skills/suggest", "", fmt.Sprintf(`{"text":%q}`, cv+" SQL"))
		if resp.StatusCode != 200 || !bytes.Contains(out, []byte("100025")) {
			t.Fatalf("suggest: %d %s", resp.StatusCode, out)
		}

		logs := a.logs.String()
		if !strings.Contains(logs, "/api/diagnostic") {
			t.Fatal("the log captured nothing: the test would prove nothing")
		}
		var dump bytes.Buffer
		if err := c.Construct(context.Background(), `CONSTRUCT { ?s ?p ?o } WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }`, &dump); err != nil {
			t.Fatal(err)
		}
		if dump.Len() < 1000 {
			t.Fatalf("store dump is %d bytes: the test would prove nothing", dump.Len())
		}
		for _, canary := range []string{skill, cv, spouse, "4321.77", "b81c2", "7f3a9"} {
			if strings.Contains(logs, canary) {
				t.Errorf("log contains %q", canary)
			}
			if strings.Contains(dump.String(), canary) {
				t.Errorf("store contains %q", canary)
			}
		}
	})
}

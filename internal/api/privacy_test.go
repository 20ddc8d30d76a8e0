package api

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/openemploi360/openemploi/internal/store"
)

// Canary values of a profile and a CV text: none may reach a log, an error response,
// a metric or the store.
const (
	canarySkill  = "Canari-Compétence-7f3a9"
	canaryIncome = 4321.77
	canaryCV     = "Canari-CV-b81c2 ligne secrète"
	canarySpouse = "Canari-Conjoint-44d1"
)

var canaries = []string{canarySkill, canaryCV, canarySpouse, "4321.77", "b81c2", "7f3a9"}

// sendCanaries posts profiles and a CV text holding the canaries, on success and on
// error paths, and checks that no error response echoes them.
func sendCanaries(t *testing.T, a *testAPI) {
	t.Helper()
	bodies := []string{
		fmt.Sprintf(`{"metiers":["M1811"],"zones":["9312"],"profile":{"skills":[{"label":%q,"level":4},{"code":"100025","level":3}],"income":{"current":%v,"wishedMin":%v}}}`, canarySkill, canaryIncome, canaryIncome),
		// error paths: a bad level next to the canary, an unknown spouse métier, a bad income
		fmt.Sprintf(`{"metiers":["M1811"],"profile":{"skills":[{"label":%q,"level":7}]}}`, canarySkill),
		fmt.Sprintf(`{"metiers":["M1811"],"profile":{"spouseMetier":%q}}`, canarySpouse),
		fmt.Sprintf(`{"metiers":["M1811"],"profile":{"income":{"current":-%v}},"extra":%q}`, canaryIncome, canarySkill),
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
			for _, canary := range []string{canarySkill, canarySpouse, "4321"} {
				if bytes.Contains(out, []byte(canary)) {
					t.Errorf("error response %d echoes %q: %s", i, canary, out)
				}
			}
		}
	}
	resp, out := a.do(t, http.MethodPost, "/api/skills/suggest", "", fmt.Sprintf(`{"text":%q}`, canaryCV+" SQL"))
	if resp.StatusCode != 200 || !bytes.Contains(out, []byte("100025")) {
		t.Fatalf("suggest: %d %s", resp.StatusCode, out)
	}
	// Also in a query string, where a careless client might put them.
	if resp, out := a.get(t, "/api/diagnostic?metier=M1811&income="+strings.ReplaceAll(canarySkill, "é", "%C3%A9")); resp.StatusCode != 400 || bytes.Contains(out, []byte("Canari")) {
		t.Errorf("profile in a query string: %d %s", resp.StatusCode, out)
	}
}

// checkNoCanary fails if any canary is in what.
func checkNoCanary(t *testing.T, name, what string) {
	t.Helper()
	for _, canary := range canaries {
		if strings.Contains(what, canary) {
			t.Errorf("%s contains %q", name, canary)
		}
	}
}

// TestProfileNeverKept: on the fake, nothing of a profile or a CV reaches the logs,
// an error response or /metrics.
func TestProfileNeverKept(t *testing.T) {
	a := newFakeAPI(t)
	sendCanaries(t, a.testAPI)
	logs := a.logs.String()
	if !strings.Contains(logs, "/api/diagnostic") {
		t.Fatal("the log captured nothing: the test would prove nothing")
	}
	checkNoCanary(t, "the log", logs)
	resp, m := a.get(t, "/metrics")
	if resp.StatusCode != 200 || !bytes.Contains(m, []byte(`route="/api/diagnostic"`)) {
		t.Fatalf("/metrics %d does not time the diagnostic: the test would prove nothing\n%s", resp.StatusCode, m)
	}
	checkNoCanary(t, "/metrics", string(m))
}

// testProfileNeverStored: nothing of a profile or a CV reaches the logs or any graph
// of the store (TestStore runs it on each store).
func testProfileNeverStored(t *testing.T, a *testAPI, c *store.Client) {
	sendCanaries(t, a)
	checkNoCanary(t, "the log", a.logs.String())
	var dump bytes.Buffer
	if err := c.Construct(context.Background(), `CONSTRUCT { ?s ?p ?o } WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }`, &dump); err != nil {
		t.Fatal(err)
	}
	if dump.Len() < 1000 {
		t.Fatalf("store dump is %d bytes: the test would prove nothing", dump.Len())
	}
	checkNoCanary(t, "the store", dump.String())
}

// Package acceptance checks the diagnostic the way a consultant reads it, on the real
// bundled sample: its tests import every source of mappings/catalog.yaml with its
// bundled files and the ontology (what `openemploi import --all --sample
// --with-ontology` does, through internal/ingest), plus a small synthetic set of offers
// and sessions from internal/synth (labelled synthetic, as the demo loads), once per
// test binary and store kind, then run the real diagnostic service (internal/kg over
// the store) and compare what it says with figures recomputed independently from the
// source files.
//
// The package holds only tests; each subtest is one "Done when" item of an issue
// (issue 11: every figure true, dated and never hidden; issue 10: the five-skill
// data-engineer profile).
//
//	go test -count=1 -p 1 ./internal/acceptance/
//
// It needs the stores of internal/storetest (OPENEMPLOI_TEST_FUSEKI or
// OPENEMPLOI_FUSEKI_JAR, oxigraph on PATH).
package acceptance

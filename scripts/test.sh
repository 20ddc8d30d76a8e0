#!/usr/bin/env bash
# Runs every test: Go unit and integration tests against real Fuseki and Oxigraph, then
# the browser tests against a server holding the bundled sample. One Fuseki serves all
# test packages (each test gets its own in-memory dataset through the admin API);
# Oxigraph servers are started per test by internal/storetest.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
mkdir -p var/log var/run

# Reuse a Fuseki started by `make demo` (tests only create and delete their own
# in-memory datasets through the admin API); otherwise start one and stop it at the end.
if scripts/stores.sh status 2>/dev/null | grep -q '^fuseki: running'; then
  echo "test: reusing the running Fuseki"
else
  scripts/stores.sh start-fuseki --mem >/dev/null
  trap 'scripts/stores.sh stop fuseki >/dev/null 2>&1 || true' EXIT
fi
eval "$(scripts/stores.sh env)"
export OPENEMPLOI_TEST_FUSEKI OPENEMPLOI_FUSEKI_JAR

echo "== go test (Fuseki at $OPENEMPLOI_TEST_FUSEKI, Oxigraph per test)"
if ! go test -count=1 -p 2 -timeout 20m ./... 2>&1 | tee var/log/go-test.log; then
  echo "test: go test failed (log: var/log/go-test.log)" >&2
  exit 1
fi

echo "== browser tests"
scripts/e2e.sh

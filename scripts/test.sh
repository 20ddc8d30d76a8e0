#!/usr/bin/env bash
# Runs every test: Go unit and integration tests against real Fuseki and Oxigraph, then
# the browser tests against a server holding the bundled sample. One Fuseki serves all
# test packages (each test gets its own in-memory dataset through the admin API);
# Oxigraph servers are started per test by internal/storetest.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
mkdir -p var/log var/run

cleanup() { scripts/stores.sh stop >/dev/null 2>&1 || true; }
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
scripts/stores.sh start-fuseki --mem --port "$port" >/dev/null
export OPENEMPLOI_TEST_FUSEKI="http://127.0.0.1:$port"
export OPENEMPLOI_FUSEKI_JAR="$root/.cache/fuseki/jena-fuseki-server-5.6.0.jar"

echo "== go test (Fuseki at $OPENEMPLOI_TEST_FUSEKI, Oxigraph per test)"
go test -count=1 -p 2 -timeout 15m ./... 2>&1 | tee var/log/go-test.log
status=${PIPESTATUS[0]}
if [[ $status != 0 ]]; then
  echo "go test failed" >&2
  exit "$status"
fi

echo "== browser tests"
scripts/e2e.sh

#!/usr/bin/env bash
# Browser tests: a fresh Fuseki dataset with the bundled sample, `openemploi serve` on a
# free port, then playwright-core driving Debian's chromium (never a downloaded browser).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=$root/bin/openemploi
[[ -x $bin ]] || go build -o "$bin" ./cmd/openemploi
mkdir -p var/log var/run e2e/artifacts

started_fuseki=""
if [[ -z "${OPENEMPLOI_TEST_FUSEKI:-}" ]]; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  scripts/stores.sh start-fuseki --mem --port "$port" >/dev/null
  OPENEMPLOI_TEST_FUSEKI="http://127.0.0.1:$port"
  started_fuseki=1
fi
ds="e2e$$"
curl -fsS -XPOST "$OPENEMPLOI_TEST_FUSEKI/\$/datasets" --data "dbName=$ds&dbType=mem" >/dev/null
export OPENEMPLOI_STORE="$OPENEMPLOI_TEST_FUSEKI/$ds" OPENEMPLOI_STORE_PRESET=fuseki

serve_pid=""
cleanup() {
  [[ -n $serve_pid ]] && kill "$serve_pid" 2>/dev/null || true
  curl -fsS -XDELETE "$OPENEMPLOI_TEST_FUSEKI/\$/datasets/$ds" >/dev/null 2>&1 || true
  [[ -n $started_fuseki ]] && scripts/stores.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "e2e: importing the bundled sample into $OPENEMPLOI_STORE"
"$bin" ontology load >var/log/e2e-import.log 2>&1
"$bin" import --all --sample --progress plain >>var/log/e2e-import.log 2>&1 || { cat var/log/e2e-import.log >&2; exit 1; }

addr_file=var/run/e2e.addr
rm -f "$addr_file"
OPENEMPLOI_ADDR_FILE=$addr_file "$bin" serve --addr 127.0.0.1:0 --request-timeout 120s --store-timeout 120s >var/log/e2e-serve.log 2>&1 &
serve_pid=$!
for _ in $(seq 1 100); do [[ -s $addr_file ]] && break; sleep 0.1; done
[[ -s $addr_file ]] || { cat var/log/e2e-serve.log >&2; echo "e2e: server did not start" >&2; exit 1; }
export OPENEMPLOI_URL="http://$(cat "$addr_file")"
echo "e2e: server at $OPENEMPLOI_URL"
# Ready means the store answers and the per-data-version caches are warm.
for _ in $(seq 1 600); do
  curl -fsS -o /dev/null "$OPENEMPLOI_URL/readyz" 2>/dev/null && break
  sleep 0.5
done
curl -fsS "$OPENEMPLOI_URL/readyz" || { tail -20 var/log/e2e-serve.log >&2; echo "e2e: server never became ready" >&2; exit 1; }
echo

if [[ ! -d e2e/node_modules/playwright-core ]]; then
  (cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
fi
(cd e2e && E2E_TIMEOUT_MS=${E2E_TIMEOUT_MS:-120000} node --test --test-reporter=spec)

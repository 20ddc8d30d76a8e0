#!/usr/bin/env bash
# The import against the plain upload, on the same data, in one run (issue 12 item 3).
#
#   bench/import/run.sh                      # 1 month of PACA-volume synthetic offers, Fuseki TDB2
#   bench/import/run.sh --months 6           # six months in one import
#   bench/import/run.sh --store oxigraph     # Oxigraph (RocksDB) instead
#   bench/import/run.sh --scale 0.1          # a tenth of the volume, for a quick look
#
# Data: `openemploi synth` (50 000 offers a month at scale 1; synthetic, labelled so),
# mapped once to N-Quads as the catalog's offres-synth does (offres-ft's mapping,
# source=synth). Each measure starts a fresh store
# of its own on a free loopback port, under var/bench-import/ (deleted at the end):
#   upload  curl POSTs the N-Quads to the store's Graph Store Protocol endpoint;
#   import  `openemploi import offres-synth` on the JSON files: map (with SHACL per
#           record and the aggregates of each month, in the stream), load into new
#           versions (offers and aggregates), count check, the class checks that need
#           the referentials, go live.
# The import's store first gets the sample's geo and rome4 (not timed): the SHACL
# shapes and the aggregates read them. Prints wall times, the ratio, both peak RSS
# (the store's, the importer's) and the import's own step times.
# Needs: java 17+ and the Fuseki jar ($OPENEMPLOI_FUSEKI_JAR or .cache/fuseki/), or
# oxigraph on PATH; curl; GNU time.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
months=1
kind=fuseki
scale=1
while [ $# -gt 0 ]; do
  case "$1" in
    --months) months=$2; shift 2 ;;
    --store) kind=$2; shift 2 ;;
    --scale) scale=$2; shift 2 ;;
    *) echo "usage: $0 [--months N] [--store fuseki|oxigraph] [--scale F]" >&2; exit 2 ;;
  esac
done
jar=${OPENEMPLOI_FUSEKI_JAR:-$repo/.cache/fuseki/jena-fuseki-server-5.6.0.jar}
work=$repo/var/bench-import
rm -rf "$work"
mkdir -p "$work"
store_pid=""
cleanup() {
  local rc=$?
  [ -n "$store_pid" ] && kill "$store_pid" 2>/dev/null && wait "$store_pid" 2>/dev/null || true
  if [ $rc -ne 0 ]; then
    for f in map.log import.log import-store.log upload-store.log; do
      [ -s "$work/$f" ] && { echo "--- $f" >&2; tail -15 "$work/$f" >&2; }
    done
  fi
  rm -rf "$work" 2>/dev/null || { sleep 1; rm -rf "$work"; }
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# start_store NAME: a fresh store; sets store_pid, store_url, gsp_url, preset.
start_store() {
  local name=$1 port db
  port=$(free_port)
  db=$work/$name-db
  mkdir -p "$db"
  if [ "$kind" = fuseki ]; then
    [ -s "$jar" ] || { echo "no Fuseki jar at $jar (scripts/stores.sh fetch)" >&2; exit 1; }
    sed -e "s|@LOCATION@|$db|" -e "s|@QUERY_TIMEOUT@|600000,1800000|" \
      "$repo/scripts/fuseki/openemploi-tdb2.ttl" >"$work/$name-config.ttl"
    FUSEKI_BASE=$work/$name-base java -Xmx${FUSEKI_HEAP:-3g} -jar "$jar" --localhost --port "$port" \
      --conf "$work/$name-config.ttl" >"$work/$name-store.log" 2>&1 &
    store_pid=$!
    store_url=http://127.0.0.1:$port/openemploi
    gsp_url=$store_url/data
    preset=fuseki
  else
    oxigraph serve --location "$db" --bind "127.0.0.1:$port" >"$work/$name-store.log" 2>&1 &
    store_pid=$!
    store_url=http://127.0.0.1:$port
    # the plain upload uses Oxigraph's bulk loader, as the import does (its
    # transactional load took 4× the time and twice the memory on one month)
    gsp_url="$store_url/store?no_transaction"
    preset=oxigraph
  fi
  for _ in $(seq 300); do
    curl -fsS -o /dev/null --max-time 2 -X POST -H 'Content-Type: application/sparql-query' \
      --data 'ASK {}' "$store_url/query" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "the store did not start: $(tail -5 "$work/$name-store.log")" >&2
  exit 1
}

# peak_rss_kb PID: sampled every 0.2 s into $work/rss until the pid file is removed.
sample_rss() {
  local pid=$1 out=$2 peak=0 rss
  while [ -f "$out.on" ]; do
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    [ "${rss:-0}" -gt "$peak" ] && peak=$rss
    sleep 0.2
  done
  echo "$peak" >"$out"
}

stop_store() { kill "$store_pid" 2>/dev/null; wait "$store_pid" 2>/dev/null || true; store_pid=""; }

now() { date +%s.%N; }

(cd "$repo" && go build -o "$work/openemploi" ./cmd/openemploi)
oe=$work/openemploi
export OPENEMPLOI_STATE_DIR=$work/state

echo "== data: $months month(s) of synthetic offers at scale $scale"
(cd "$repo" && "$oe" synth --out "$work/synth" --months "$months" --scale "$scale" --sessions 0 >/dev/null)
files=$(ls "$work"/synth/offres-synth-*.json* | tr '\n' ' ')
ins=""
for f in $files; do ins="$ins --input $f"; done
# shellcheck disable=SC2086
(cd "$repo" && "$oe" map mappings/offres-ft.rml.ttl --param source=synth $ins -o "$work/offers.nq" 2>"$work/map.log")
quads=$(wc -l <"$work/offers.nq")
echo "   $(du -h "$work/synth" | tail -1 | cut -f1) of JSON, $quads quads"

echo "== plain upload ($kind, fresh store)"
start_store upload
touch "$work/rss-upload.on"; sample_rss "$store_pid" "$work/rss-upload" & sampler=$!
t0=$(now)
# -T streams the file (--data-binary @ reads it all into memory first)
curl -fsS -o /dev/null -X POST -H 'Content-Type: application/n-quads' -T "$work/offers.nq" "$gsp_url"
t1=$(now)
rm -f "$work/rss-upload.on"; wait $sampler
upload=$(echo "$t1 - $t0" | bc)
stop_store

echo "== openemploi import ($kind, fresh store)"
start_store import
flags=(--store "$store_url" --store-preset "$preset" --progress none --store-timeout 30m)
(cd "$repo" && "$oe" import geo --sample "${flags[@]}" >"$work/import.log" 2>&1 &&
  "$oe" import rome4 --sample --no-validate "${flags[@]}" >>"$work/import.log" 2>&1)
touch "$work/rss-import.on"; sample_rss "$store_pid" "$work/rss-import" & sampler=$!
t0=$(now)
# shellcheck disable=SC2086
(cd "$repo" && /usr/bin/time -f "%M" -o "$work/importer-rss" "$oe" import offres-synth $files "${flags[@]}" \
  >"$work/import.out" 2>"$work/import.log")
t1=$(now)
rm -f "$work/rss-import.on"; wait $sampler
import=$(echo "$t1 - $t0" | bc)
stop_store

printf '\n%-28s %10s %14s\n' "" "wall (s)" "store RSS (MB)"
printf '%-28s %10.1f %14d\n' "plain GSP upload (curl)" "$upload" $(($(cat "$work/rss-upload") / 1024))
printf '%-28s %10.1f %14d\n' "openemploi import" "$import" $(($(cat "$work/rss-import") / 1024))
printf 'ratio import / upload: %.2f   importer peak RSS: %d MB\n' "$(echo "$import / $upload" | bc -l)" $(($(cat "$work/importer-rss") / 1024))
echo
echo "where the import's time goes (its own log):"
grep -E "mapped .* in|loaded in|loaded .* while mapping|counted in|transform .*done in|SHACL validation passed in|validating the loaded graphs|live: " "$work/import.log" | sed 's/^/  /'

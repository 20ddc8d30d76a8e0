#!/usr/bin/env bash
# Compare our RML engine with Morph-KGC on the same generated input and an
# equivalent mapping (mapping.ttl / mapping-json.ttl: 7 triples per record).
#
#   bench/morphkgc/run.sh                 # 100 000 CSV records
#   bench/morphkgc/run.sh --n 500000      # more records
#   bench/morphkgc/run.sh --format json   # JSON input ($.resultats[*]); also xml (/offres/offre)
#   bench/morphkgc/run.sh --big           # also: peak RSS of our engine on a 1 GB CSV
#
# Morph-KGC is installed with pip into a virtualenv ($MORPH_VENV, default
# ~/.cache/openemploi/morph-kgc-venv). If it does not install, the script says
# so and reports our engine alone.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
n=100000
format=csv
big=0
while [ $# -gt 0 ]; do
  case "$1" in
    --n) n=$2; shift 2 ;;
    --format) format=$2; shift 2 ;;
    --big) big=1; shift ;;
    *) echo "usage: $0 [--n N] [--format csv|json] [--big]" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

venv=${MORPH_VENV:-$HOME/.cache/openemploi/morph-kgc-venv}
morph=1
if ! "$venv/bin/python" -c 'import morph_kgc' 2>/dev/null; then
  echo "installing morph-kgc into $venv ..."
  if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q morph-kgc; } >"$work/pip.log" 2>&1; then
    echo "morph-kgc did not install (see below); reporting our engine only" >&2
    tail -5 "$work/pip.log" >&2
    morph=0
  fi
fi

(cd "$repo" && go build -o "$work/bench" ./bench/morphkgc)
case "$format" in
  csv) cp "$here/mapping.ttl" "$work/mapping.ttl" ;;
  json|xml) cp "$here/mapping-$format.ttl" "$work/mapping.ttl" ;;
  *) echo "unknown format $format" >&2; exit 2 ;;
esac
cd "$work"
"$work/bench" gen -format "$format" -n "$n" -o "offres.$format"
echo "input: $n records, $(du -h "offres.$format" | cut -f1) of $format"

ours=$("$work/bench" run -mapping mapping.ttl -in "offres.$format" -out ours.nq)
echo "$ours"
ours_tps=$(sed -n 's/.*triples_per_s=\([0-9.]*\).*/\1/p' <<<"$ours")

if [ "$morph" = 1 ]; then
  cat >morph.ini <<INI
[CONFIGURATION]
output_file: morph.nq
output_format: N-QUADS
number_of_processes: 1

[DataSource1]
mappings: mapping.ttl
INI
  start=$(date +%s.%N)
  "$venv/bin/python" -m morph_kgc morph.ini >morph.log 2>&1 || { echo "morph-kgc failed:"; tail -20 morph.log; exit 1; }
  end=$(date +%s.%N)
  morph_triples=$(wc -l <morph.nq)
  ours_triples=$(wc -l <ours.nq)
  awk -v t="$morph_triples" -v s="$start" -v e="$end" -v o="$ours_tps" -v ot="$ours_triples" 'BEGIN {
    secs = e - s; tps = t / secs
    printf "morph-kgc: triples=%d seconds=%.3f triples_per_s=%.0f (process start included)\n", t, secs, tps
    printf "ratio (ours / morph-kgc): %.1fx\n", o / tps
    if (t != ot) printf "WARNING: triple counts differ (ours %d, morph-kgc %d)\n", ot, t
  }'
fi

if [ "$big" = 1 ]; then
  rm -f ours.nq morph.nq
  "$work/bench" gen -format csv -size 1073741824 -o offres-big.csv
  echo "big input: $(du -h offres-big.csv | cut -f1) of CSV"
  /usr/bin/time -v "$work/bench" run -mapping "$here/mapping.ttl" -in offres-big.csv -out /dev/null 2>time.log
  grep -E 'Maximum resident set size|Elapsed \(wall clock\)' time.log
fi

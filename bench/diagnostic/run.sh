#!/usr/bin/env bash
# The diagnostic under load, on a data set this script builds itself: a fresh store it
# starts (Fuseki TDB2 by default, in a temporary directory, on a free port), the
# ontology and every source's bundled sample, then synthetic offers and training
# sessions (labelled synthetic in the store) at the given scale. Then
# `go run ./bench/diagnostic`: warm-up, --n distinct cold diagnostics (cache off), warm
# (cached) ones, the raw SPARQL of the same queries, the slowest queries by name.
#
#   bench/diagnostic/run.sh                      scale 0.1 (5 000 synthetic offers a month, 6 months)
#   bench/diagnostic/run.sh --scale 1            PACA volume (50 000 a month): long import, opt-in
#   bench/diagnostic/run.sh --store oxigraph --n 400
#
# The store is stopped and its data deleted at the end. Output: var/bench/diagnostic-<store>-<scale>.txt.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=../lib.sh
source "$repo/bench/lib.sh"

scale=0.1 kind=fuseki n=200 warm=1000
while (($#)); do
	case $1 in
	--scale) scale=$2; shift 2 ;;
	--store) kind=$2; shift 2 ;;
	--n) n=$2; shift 2 ;;
	--warm) warm=$2; shift 2 ;;
	*) echo "usage: $0 [--scale S] [--store fuseki|oxigraph] [--n N] [--warm N]" >&2; exit 2 ;;
	esac
done

work=$(mktemp -d)
stores() { OPENEMPLOI_VAR_DIR=$work/var "$repo/scripts/stores.sh" "$@"; }
cleanup() {
	stores stop >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$repo/var/bench"
out=$repo/var/bench/diagnostic-$kind-$scale.txt
bin=$work/openemploi
(cd "$repo" && go build -o "$bin" ./cmd/openemploi && go build -o "$work/bench" ./bench/diagnostic)

case $kind in
fuseki) url=$(stores start-fuseki --tdb2 "$work/db") ;;
oxigraph) url=$(stores start-oxigraph --location "$work/db") ;;
*) bench_die "unknown store $kind (want fuseki or oxigraph)" ;;
esac
export OPENEMPLOI_STORE=$url OPENEMPLOI_STORE_PRESET=$kind

{
	echo "== diagnostic benchmark: $kind at $url, sample + synthetic scale $scale, $n cold requests"
	bench_machine
} | tee "$out"
t0=$(date +%s)
cd "$repo"
"$bin" import --all --sample --with-ontology --progress none >"$work/import.log" 2>&1 ||
	{ tail -20 "$work/import.log" >&2; bench_die "importing the sample failed"; }
"$bin" synth --out "$work/synth" --scale "$scale" >"$work/synth.log" 2>&1 ||
	{ tail -20 "$work/synth.log" >&2; bench_die "synth failed"; }
"$bin" import offres-synth "$work"/synth/offres-synth-*.json --progress none >>"$work/import.log" 2>&1 ||
	{ tail -20 "$work/import.log" >&2; bench_die "importing the synthetic offers failed"; }
"$bin" import formations-synth "$work/synth/formations-synth.xml" --progress none >>"$work/import.log" 2>&1 ||
	{ tail -20 "$work/import.log" >&2; bench_die "importing the synthetic sessions failed"; }
echo "data set built in $(($(date +%s) - t0)) s: $(ls "$work"/synth/offres-synth-*.json | wc -l) months of synthetic offers" | tee -a "$out"

"$work/bench" -preset "$kind" -store "$url" -n "$n" -warm "$warm" | tee -a "$out"
echo "(saved in $out)"

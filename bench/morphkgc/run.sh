#!/usr/bin/env bash
# Our RML engine (`openemploi map`) against Morph-KGC 2.10.0 (pinned in
# requirements.txt, installed into the project venv .cache/venv), both as separate
# processes on the same mapping and the same generated input, timed the same way
# (bench/lib.sh: one warm-up run, then --runs runs under /usr/bin/time; median, min and
# max wall time, CPU time, peak RSS). The outputs must be the same quads (sorted
# N-Quads compared byte for byte): any difference fails the run.
#
#   bench/morphkgc/run.sh                          csv json lheo join, 100 000 records, 3 runs
#   bench/morphkgc/run.sh --n 20000 --runs 5 --cases "csv join"
#   bench/morphkgc/run.sh --big                    also our engine alone on a 1 GB CSV (peak RSS)
#
# Cases: csv (mapping.ttl, 7 triples a record), json (mapping-json.ttl, streamed
# $.resultats[*]), lheo (mapping-lheo.ttl, LHEO-like XML, sessions in actions in
# formations), join (mapping-join.ttl, offers joined to 900 communes on the commune
# code). Morph-KGC runs with number_of_processes 1: each case is one triples map (two
# for join), which it would not split further. Results: var/bench/morphkgc.tsv.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=../lib.sh
source "$repo/bench/lib.sh"

n=100000 runs=3 cases="csv json lheo join" big=0
while (($#)); do
	case $1 in
	--n) n=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--cases) cases=$2; shift 2 ;;
	--big) big=1; shift ;;
	*) echo "usage: $0 [--n N] [--runs R] [--cases \"csv json lheo join\"] [--big]" >&2; exit 2 ;;
	esac
done

bench_need_time
venv=$("$repo/scripts/stores.sh" venv -r "$here/requirements.txt")
py=$venv/bin/python
morph_version=$("$py" -c 'import importlib.metadata as m; print(m.version("morph-kgc"))')
want=$(sed -n 's/^morph-kgc==//p' "$here/requirements.txt")
[[ $morph_version == "$want" ]] || bench_die "Morph-KGC $morph_version in $venv, want $want"

BENCH_WORK=$(mktemp -d)
trap 'rm -rf "$BENCH_WORK"' EXIT
mkdir -p "$repo/var/bench"
BENCH_TSV=$repo/var/bench/morphkgc.tsv
: >"$BENCH_TSV"
(cd "$repo" && go build -o "$BENCH_WORK/openemploi" ./cmd/openemploi && go build -o "$BENCH_WORK/gen" ./bench/morphkgc)
cd "$BENCH_WORK"

echo "== Morph-KGC $morph_version vs openemploi map ($(git -C "$repo" describe --always --dirty)), $n records, warm-up + $runs runs"
bench_machine
rows=()
for c in $cases; do
	case $c in
	csv) mapping=mapping.ttl; "$BENCH_WORK/gen" -format csv -n "$n" -o offres.csv ;;
	json) mapping=mapping-json.ttl; "$BENCH_WORK/gen" -format json -n "$n" -o offres.json ;;
	lheo) mapping=mapping-lheo.ttl; "$BENCH_WORK/gen" -format lheo -n "$n" -o sessions.xml ;;
	join)
		mapping=mapping-join.ttl
		"$BENCH_WORK/gen" -format csv -n "$n" -o offres.csv
		"$BENCH_WORK/gen" -format communes -o communes.csv
		;;
	*) bench_die "unknown case $c (want csv, json, lheo or join)" ;;
	esac
	cp "$here/$mapping" "$c.ttl"
	printf '[CONFIGURATION]\noutput_file: %s\noutput_format: N-QUADS\nnumber_of_processes: 1\n\n[DataSource1]\nmappings: %s\n' \
		"morph-$c.nq" "$c.ttl" >"morph-$c.ini"
	measure "ours-$c" "$runs" "$BENCH_WORK/openemploi" map "$c.ttl" -o "ours-$c.nq"
	measure "morph-$c" "$runs" "$py" -m morph_kgc "morph-$c.ini"
	same_quads "ours-$c.nq" "morph-$c.nq" || bench_die "$c: Morph-KGC and our engine disagree (see above)"
	rows+=("$c $(wc -l <"ours-$c.nq")")
	rm -f ours-"$c".nq morph-"$c".nq
done

echo
printf '%-5s %9s | %-20s %6s %6s | %-20s %6s %6s | %6s %6s\n' case triples "ours wall s" "CPU s" "RSS MB" \
	"Morph-KGC wall s" "CPU s" "RSS MB" "wall×" "CPU×"
ratio() { awk -v a="$(measured "morph-$1" "$2")" -v b="$(measured "ours-$1" "$2")" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }'; }
for row in "${rows[@]}"; do
	read -r c triples <<<"$row"
	printf '%-5s %9d | %6.2f (%5.2f-%5.2f) %6.2f %6.0f | %6.2f (%5.2f-%5.2f) %6.2f %6.0f | %6s %6s\n' "$c" "$triples" \
		"$(measured "ours-$c" median)" "$(measured "ours-$c" min)" "$(measured "ours-$c" max)" "$(measured "ours-$c" cpu)" "$(measured "ours-$c" rss)" \
		"$(measured "morph-$c" median)" "$(measured "morph-$c" min)" "$(measured "morph-$c" max)" "$(measured "morph-$c" cpu)" "$(measured "morph-$c" rss)" \
		"$(ratio "$c" median)" "$(ratio "$c" cpu)"
done
echo "wall s: median (min-max) of the runs; CPU s: median user+sys; RSS: peak resident set"
echo "wall× / CPU×: Morph-KGC's median over ours (on a shared machine CPU× is the steadier one)"
echo "outputs: the same quads (sorted N-Quads, byte for byte) in every case"

if ((big)); then
	"$BENCH_WORK/gen" -format csv -size 1073741824 -o offres.csv
	cp "$here/mapping.ttl" csv.ttl
	echo
	echo "big: $(du -h offres.csv | cut -f1) of CSV, our engine alone (Morph-KGC loads it whole)"
	measure ours-big 1 "$BENCH_WORK/openemploi" map csv.ttl -o /dev/null
	printf 'big: %.1f s, peak RSS %.0f MB, %s\n' "$(measured ours-big median)" "$(measured ours-big rss)" "$(tail -1 ours-big.log)"
fi

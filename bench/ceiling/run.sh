#!/usr/bin/env bash
# How close the RML engine comes to the bare loop: `openemploi map` with
# bench/morphkgc/mapping.ttl against bench/ceiling (encoding/csv + hand-written N-Quads
# into a buffered writer, nothing else) on the same generated CSV, both as separate
# processes timed the same way (bench/lib.sh: warm-up, then --runs runs; medians). The
# two outputs must be the same quads. Then the engine once more in-process under the CPU
# profiler, and the top of the profile: where the time beyond the bare loop goes.
#
#   bench/ceiling/run.sh                   500 000 records (3.5 M triples), 5 runs
#   bench/ceiling/run.sh --n 1000000 --runs 3 --top 25
#
# Results: var/bench/ceiling.tsv, the profile in var/bench/ceiling-engine.pprof.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=../lib.sh
source "$repo/bench/lib.sh"

n=500000 runs=5 top=20
while (($#)); do
	case $1 in
	--n) n=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--top) top=$2; shift 2 ;;
	*) echo "usage: $0 [--n N] [--runs R] [--top K]" >&2; exit 2 ;;
	esac
done

bench_need_time
BENCH_WORK=$(mktemp -d)
trap 'rm -rf "$BENCH_WORK"' EXIT
mkdir -p "$repo/var/bench"
BENCH_TSV=$repo/var/bench/ceiling.tsv
: >"$BENCH_TSV"
(cd "$repo" && go build -o "$BENCH_WORK/openemploi" ./cmd/openemploi &&
	go build -o "$BENCH_WORK/gen" ./bench/morphkgc && go build -o "$BENCH_WORK/ceiling" ./bench/ceiling)
cd "$BENCH_WORK"
cp "$repo/bench/morphkgc/mapping.ttl" mapping.ttl
"$BENCH_WORK/gen" -format csv -n "$n" -o offres.csv

echo "== engine vs bare loop on CSV: $n records ($(du -h offres.csv | cut -f1)), warm-up + $runs runs"
bench_machine
measure bare "$runs" "$BENCH_WORK/ceiling" -in offres.csv -o bare.nq
measure engine "$runs" "$BENCH_WORK/openemploi" map mapping.ttl -o engine.nq
same_quads engine.nq bare.nq || bench_die "the engine and the bare loop disagree (see above)"
triples=$(wc -l <engine.nq)
rm -f engine.nq bare.nq

b=$(measured bare median) e=$(measured engine median)
echo
printf '%-8s %9s %-24s %8s %10s %8s\n' "" triples "wall s median (min-max)" "CPU s" "Mtriples/s" "RSS MB"
for who in bare engine; do
	printf '%-8s %9d %6.2f (%5.2f-%5.2f)       %8.2f %10.2f %8.0f\n' "$who" "$triples" \
		"$(measured "$who" median)" "$(measured "$who" min)" "$(measured "$who" max)" "$(measured "$who" cpu)" \
		"$(awk -v t="$triples" -v s="$(measured "$who" median)" 'BEGIN { print (s > 0 ? t / s / 1e6 : 0) }')" \
		"$(measured "$who" rss)"
done
awk -v b="$b" -v e="$e" -v bc="$(measured bare cpu)" -v ec="$(measured engine cpu)" 'BEGIN {
	printf "engine / bare loop: %.2fx the wall time (the engine runs at %.0f%% of the bare loop'"'"'s speed), %.2fx the CPU time; goal: within 2x\n", e / b, 100 * b / e, ec / bc }'

echo
echo "== where the engine's time goes (CPU profile of one in-process run, top $top by flat time)"
"$BENCH_WORK/ceiling" -profile "$repo/var/bench/ceiling-engine.pprof" -mapping mapping.ttl -in offres.csv -o /dev/null
(cd "$repo" && go tool pprof -top -nodecount="$top" "$BENCH_WORK/ceiling" var/bench/ceiling-engine.pprof 2>/dev/null) |
	sed -n '/^Showing\|flat%/,$p'
echo
echo "== the same, our packages only, by cumulative time (time spent in a function and what it calls)"
(cd "$repo" && go tool pprof -top -cum -show='openemploi/internal' -nodecount="$top" "$BENCH_WORK/ceiling" var/bench/ceiling-engine.pprof 2>/dev/null) |
	sed -n '/flat%/,$p'

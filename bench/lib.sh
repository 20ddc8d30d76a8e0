# Shared by the benchmark scripts (sourced, not run): one way to time a process, one
# way to compare outputs, one header naming the machine.
#
# measure LABEL RUNS CMD...   runs CMD once to warm up (file cache, Python bytecode),
#   then RUNS times, each under /usr/bin/time, and appends one line to $BENCH_TSV:
#   label, runs, median/min/max wall seconds, median CPU seconds (user+sys), max peak
#   RSS in MB. CMD's stdout and stderr go to $BENCH_WORK/LABEL.log; a failing run
#   fails the benchmark. Whole process against whole process: start-up, mapping load
#   and writing the output are inside the figure on both sides.
# same_quads A B   fails unless the two N-Quads files hold the same set of lines (sorted
#   bytewise; no benchmark mapping makes blank nodes, so no isomorphism is needed).

bench_die() { echo "bench: $*" >&2; exit 1; }

bench_need_time() {
	[[ -x /usr/bin/time ]] && return
	if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
		echo "bench: apt-get install time (GNU time, for peak RSS)" >&2
		apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
	fi
	[[ -x /usr/bin/time ]] || bench_die "/usr/bin/time is missing (apt-get install time)"
}

bench_machine() {
	echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
}

measure() {
	local label=$1 runs=$2
	shift 2
	local log=$BENCH_WORK/$label.log tf=$BENCH_WORK/$label.time i
	"$@" >"$log" 2>&1 || { tail -20 "$log" >&2; bench_die "$label: warm-up run failed: $*"; }
	: >"$tf"
	for ((i = 0; i < runs; i++)); do
		/usr/bin/time -o "$tf" -a -f '%e %U %S %M' "$@" >"$log" 2>&1 ||
			{ tail -20 "$log" >&2; bench_die "$label: run $((i + 1)) failed: $*"; }
	done
	# Medians of the sorted columns (mawk has no asort): wall, then CPU = user + sys.
	local wall cpu rss
	wall=$(awk '{ print $1 }' "$tf" | sort -n | awk '{ v[NR] = $1 } END { printf "%.3f\t%.3f\t%.3f", v[int((NR + 1) / 2)], v[1], v[NR] }')
	cpu=$(awk '{ print $2 + $3 }' "$tf" | sort -n | awk '{ v[NR] = $1 } END { printf "%.3f", v[int((NR + 1) / 2)] }')
	rss=$(awk '$4 > m { m = $4 } END { printf "%.1f", m / 1024 }' "$tf")
	printf '%s\t%d\t%s\t%s\t%s\n' "$label" "$runs" "$wall" "$cpu" "$rss" >>"$BENCH_TSV"
}

# measured LABEL FIELD: a field of LABEL's line (median, min, max, cpu, rss).
measured() {
	awk -F'\t' -v l="$1" -v f="$2" '$1 == l {
		i = (f == "median") ? 3 : (f == "min") ? 4 : (f == "max") ? 5 : (f == "cpu") ? 6 : 7
		print $i }' "$BENCH_TSV"
}

same_quads() {
	local a=$1 b=$2
	LC_ALL=C sort -u "$a" >"$a.sorted"
	LC_ALL=C sort -u "$b" >"$b.sorted"
	if ! cmp -s "$a.sorted" "$b.sorted"; then
		echo "bench: outputs differ: $a ($(wc -l <"$a.sorted") distinct lines) vs $b ($(wc -l <"$b.sorted")):" >&2
		diff "$a.sorted" "$b.sorted" | head -10 >&2
		return 1
	fi
	rm -f "$a.sorted" "$b.sorted"
}

#!/usr/bin/env bash
# Real triple stores for development, tests and CI: Apache Jena Fuseki 5.6.0 and
# Oxigraph 0.5.13, started on the loopback interface only.
#
#   scripts/stores.sh fetch                        get the Fuseki jar (Maven) and oxigraph (PyPI,
#                                                  into the project venv .cache/venv)
#   scripts/stores.sh start-fuseki [--mem|--tdb2 DIR] [--port P]
#                                                  dataset /openemploi; prints the dataset URL
#   scripts/stores.sh start-oxigraph [--location DIR] [--port P]
#                                                  in memory unless --location; prints the URL
#   scripts/stores.sh stop [fuseki|oxigraph]       stop what this script started
#   scripts/stores.sh status                       what runs, where
#   scripts/stores.sh venv [PIP ARGS...]           make .cache/venv if missing, pip install
#                                                  PIP ARGS into it (e.g. -r FILE); prints its path
#   scripts/stores.sh env                          export lines for the tests (OPENEMPLOI_TEST_FUSEKI,
#                                                  OPENEMPLOI_FUSEKI_JAR, OPENEMPLOI_OXIGRAPH, PATH)
#
# Python: nothing is installed into the system or user Python (Debian's refuses pip,
# PEP 668). Oxigraph goes into a virtual environment, .cache/venv, made with the
# system python3 (as root, Debian's python3-venv is installed when missing); its
# bin/ comes first on the PATH that `env` prints. OPENEMPLOI_OXIGRAPH, when set,
# names another oxigraph binary and nothing is installed.
#
# Files: jar in .cache/fuseki/, pid/port/url files in var/run/, logs in var/log/,
# Fuseki's state (FUSEKI_BASE) in var/fuseki-base/, default TDB2 database in
# var/fuseki-db/. Environment: OPENEMPLOI_VAR_DIR (another var/, for a second set of
# stores beside the usual one: the benchmarks start their own), FUSEKI_QUERY_TIMEOUT
# ("first-result,total" ms, default "30000,120000"), FUSEKI_HEAP (default 2g), JAVA
# (default java).
set -euo pipefail

FUSEKI_VERSION=5.6.0
OXIGRAPH_VERSION=0.5.13

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=$ROOT/.cache
VAR=${OPENEMPLOI_VAR_DIR:-$ROOT/var}
RUN=$VAR/run
LOG=$VAR/log
VENV=$CACHE/venv
FUSEKI_JAR=$CACHE/fuseki/jena-fuseki-server-$FUSEKI_VERSION.jar
JAVA=${JAVA:-java}

die() { echo "stores.sh: $*" >&2; exit 1; }
note() { echo "stores.sh: $*" >&2; }

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

alive() { [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null; }

pid_of() { [[ -f $RUN/$1.pid ]] && cat "$RUN/$1.pid" || true; }

# wait_http URL SECONDS PID: until URL answers 2xx, the process dies or time is up.
wait_http() {
	local url=$1 limit=$2 pid=$3 waited=0
	until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
		alive "$pid" || return 1
		((waited++ < limit * 5)) || return 1
		sleep 0.2
	done
}

refuse_if_running() {
	local name=$1 pid
	pid=$(pid_of "$name")
	if alive "$pid"; then
		die "$name already runs (pid $pid, $(cat "$RUN/$name.url" 2>/dev/null)); run: $0 stop $name"
	fi
}

cmd_fetch() {
	if [[ -s $FUSEKI_JAR ]]; then
		note "Fuseki jar present: $FUSEKI_JAR"
	else
		command -v mvn >/dev/null || die "mvn not found (apt-get install maven)"
		mkdir -p "$CACHE/fuseki"
		mvn -q -B dependency:copy \
			-Dartifact=org.apache.jena:jena-fuseki-server:$FUSEKI_VERSION \
			-DoutputDirectory="$CACHE/fuseki"
		[[ -s $FUSEKI_JAR ]] || die "mvn did not produce $FUSEKI_JAR"
		note "Fuseki jar: $FUSEKI_JAR"
	fi
	fetch_oxigraph
	java_ok || note "warning: Fuseki $FUSEKI_VERSION needs Java 17 or later"
}

# ensure_venv makes .cache/venv with the system python3 ($PYTHON overrides),
# installing Debian's python3-venv (which brings ensurepip) first when it is missing
# and we are root.
ensure_venv() {
	[[ -x $VENV/bin/python ]] && "$VENV/bin/python" -c 'import pip' 2>/dev/null && return
	# Debian's python3 first, so the venv does not depend on a user's pyenv or conda.
	local py=${PYTHON:-}
	if [[ -z $py && -x /usr/bin/python3 ]]; then
		py=/usr/bin/python3
	elif [[ -z $py ]]; then
		py=$(command -v python3 || true)
	fi
	if [[ -z $py ]]; then
		as_root_apt python3 python3-venv || die "python3 not found (apt-get install python3 python3-venv)"
		py=/usr/bin/python3
	fi
	if ! "$py" -c 'import ensurepip, venv' 2>/dev/null; then
		as_root_apt python3-venv ||
			die "$py cannot make a virtual environment (apt-get install python3-venv)"
	fi
	rm -rf "$VENV"
	"$py" -m venv "$VENV" || die "$py -m venv $VENV failed"
	note "virtual environment: $VENV ($("$VENV/bin/python" --version))"
}

# as_root_apt PKG...: install Debian packages when root with apt-get; false otherwise.
as_root_apt() {
	[[ "${OPENEMPLOI_SKIP_APT:-}" != 1 ]] || return 1
	[[ $(id -u) == 0 ]] && command -v apt-get >/dev/null || return 1
	note "apt-get install $*"
	apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# venv_pip SPEC...: pip install into the project venv, quietly unless it fails.
venv_pip() {
	ensure_venv
	local log=$CACHE/pip.log
	if ! "$VENV/bin/python" -m pip install --disable-pip-version-check -q "$@" >"$log" 2>&1; then
		tail -20 "$log" >&2
		die "pip install $* into $VENV failed (log: $log)"
	fi
}

fetch_oxigraph() {
	if [[ -n ${OPENEMPLOI_OXIGRAPH:-} ]]; then
		note "oxigraph from OPENEMPLOI_OXIGRAPH: $("$OPENEMPLOI_OXIGRAPH" --version)"
		return
	fi
	local have=""
	[[ -x $VENV/bin/oxigraph ]] && have=$("$VENV/bin/oxigraph" --version 2>/dev/null | awk '{print $2}')
	if [[ $have == "$OXIGRAPH_VERSION" ]]; then
		note "oxigraph present: $VENV/bin/oxigraph $have"
		return
	fi
	mkdir -p "$CACHE"
	venv_pip "oxigraph==$OXIGRAPH_VERSION"
	[[ -x $VENV/bin/oxigraph ]] || die "pip installed oxigraph but $VENV/bin/oxigraph is missing"
	note "oxigraph: $VENV/bin/oxigraph $("$VENV/bin/oxigraph" --version | awk '{print $2}')"
}

# oxigraph_bin: OPENEMPLOI_OXIGRAPH, the venv's, or one on PATH, in that order.
oxigraph_bin() {
	if [[ -n ${OPENEMPLOI_OXIGRAPH:-} ]]; then
		echo "$OPENEMPLOI_OXIGRAPH"
	elif [[ -x $VENV/bin/oxigraph ]]; then
		echo "$VENV/bin/oxigraph"
	else
		command -v oxigraph || true
	fi
}

java_ok() {
	local v
	v=$("$JAVA" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
	[[ -n $v && $v -ge 17 ]]
}

cmd_start_fuseki() {
	local mode=tdb2 db=$VAR/fuseki-db port=""
	while (($#)); do
		case $1 in
		--mem) mode=mem; shift ;;
		--tdb2) [[ $# -ge 2 ]] || die "--tdb2 needs a directory"; mode=tdb2; db=$2; shift 2 ;;
		--port) [[ $# -ge 2 ]] || die "--port needs a number"; port=$2; shift 2 ;;
		*) die "start-fuseki: unknown option $1 (want --mem, --tdb2 DIR, --port P)" ;;
		esac
	done
	[[ -s $FUSEKI_JAR ]] || die "no $FUSEKI_JAR: run $0 fetch"
	java_ok || die "Fuseki $FUSEKI_VERSION needs Java 17 or later ($JAVA -version)"
	refuse_if_running fuseki
	[[ -n $port ]] || port=$(free_port)
	[[ $port =~ ^[0-9]+$ ]] || die "bad port $port"
	mkdir -p "$RUN" "$LOG" "$VAR/fuseki-base"

	local conf=$RUN/fuseki-config.ttl timeout=${FUSEKI_QUERY_TIMEOUT:-30000,120000}
	if [[ $mode == tdb2 ]]; then
		mkdir -p "$db"
		db=$(cd "$db" && pwd)
		# The path goes into a Turtle string: refuse what would need escaping.
		[[ $db != *[\"\\]* ]] || die "database path $db contains a quote or backslash"
		sed -e "s|@LOCATION@|$db|" -e "s|@QUERY_TIMEOUT@|$timeout|" \
			"$ROOT/scripts/fuseki/openemploi-tdb2.ttl" >"$conf"
	else
		sed -e "s|@QUERY_TIMEOUT@|$timeout|" "$ROOT/scripts/fuseki/openemploi-mem.ttl" >"$conf"
	fi

	FUSEKI_BASE=$VAR/fuseki-base nohup "$JAVA" "-Xmx${FUSEKI_HEAP:-2g}" -jar "$FUSEKI_JAR" \
		--localhost --port "$port" --conf "$conf" >"$LOG/fuseki.log" 2>&1 &
	local pid=$!
	echo "$pid" >"$RUN/fuseki.pid"
	echo "$port" >"$RUN/fuseki.port"
	if ! wait_http "http://127.0.0.1:$port/\$/ping" 300 "$pid"; then
		kill "$pid" 2>/dev/null || true
		rm -f "$RUN/fuseki.pid" "$RUN/fuseki.port"
		tail -20 "$LOG/fuseki.log" >&2
		die "Fuseki did not start on port $port (log: $LOG/fuseki.log)"
	fi
	local url=http://127.0.0.1:$port/openemploi
	echo "$url" >"$RUN/fuseki.url"
	local desc="in memory"
	[[ $mode == mem ]] || desc="TDB2 $db"
	note "Fuseki $FUSEKI_VERSION ($desc) pid $pid, admin API at http://127.0.0.1:$port/\$/"
	echo "$url"
}

cmd_start_oxigraph() {
	local location="" port=""
	while (($#)); do
		case $1 in
		--location) [[ $# -ge 2 ]] || die "--location needs a directory"; location=$2; shift 2 ;;
		--port) [[ $# -ge 2 ]] || die "--port needs a number"; port=$2; shift 2 ;;
		*) die "start-oxigraph: unknown option $1 (want --location DIR, --port P)" ;;
		esac
	done
	local bin
	bin=$(oxigraph_bin)
	[[ -n $bin ]] || die "no oxigraph: run $0 fetch"
	refuse_if_running oxigraph
	[[ -n $port ]] || port=$(free_port)
	[[ $port =~ ^[0-9]+$ ]] || die "bad port $port"
	mkdir -p "$RUN" "$LOG"
	local args=(serve --bind "127.0.0.1:$port")
	if [[ -n $location ]]; then
		mkdir -p "$location"
		args+=(--location "$location")
	fi
	nohup "$bin" "${args[@]}" >"$LOG/oxigraph.log" 2>&1 &
	local pid=$!
	echo "$pid" >"$RUN/oxigraph.pid"
	echo "$port" >"$RUN/oxigraph.port"
	if ! wait_http "http://127.0.0.1:$port/query?query=ASK%7B%7D" 60 "$pid"; then
		kill "$pid" 2>/dev/null || true
		rm -f "$RUN/oxigraph.pid" "$RUN/oxigraph.port"
		tail -20 "$LOG/oxigraph.log" >&2
		die "oxigraph did not start on port $port (log: $LOG/oxigraph.log)"
	fi
	local url=http://127.0.0.1:$port
	echo "$url" >"$RUN/oxigraph.url"
	note "Oxigraph $("$bin" --version | awk '{print $2}') (${location:-in memory}) pid $pid"
	echo "$url"
}

stop_one() {
	local name=$1 pid
	pid=$(pid_of "$name")
	if alive "$pid"; then
		kill "$pid"
		for _ in $(seq 1 50); do
			alive "$pid" || break
			sleep 0.2
		done
		if alive "$pid"; then
			kill -9 "$pid" 2>/dev/null || true
		fi
		note "$name stopped (pid $pid)"
	fi
	rm -f "$RUN/$name.pid" "$RUN/$name.port" "$RUN/$name.url"
}

cmd_stop() {
	case ${1:-all} in
	fuseki | oxigraph) stop_one "$1" ;;
	all) stop_one fuseki; stop_one oxigraph ;;
	*) die "stop: unknown store $1 (want fuseki or oxigraph)" ;;
	esac
}

cmd_status() {
	local name pid rc=0
	for name in fuseki oxigraph; do
		pid=$(pid_of "$name")
		if alive "$pid"; then
			echo "$name: running, pid $pid, $(cat "$RUN/$name.url" 2>/dev/null)"
		else
			echo "$name: not running"
			rc=3
		fi
	done
	return $rc
}

cmd_env() {
	local pid
	pid=$(pid_of fuseki)
	alive "$pid" && echo "export OPENEMPLOI_TEST_FUSEKI=http://127.0.0.1:$(cat "$RUN/fuseki.port")"
	[[ -s $FUSEKI_JAR ]] && echo "export OPENEMPLOI_FUSEKI_JAR=$FUSEKI_JAR"
	local ox
	ox=$(oxigraph_bin)
	[[ -n $ox ]] && echo "export OPENEMPLOI_OXIGRAPH=$ox"
	[[ -d $VENV/bin ]] && echo "export PATH=$VENV/bin:\$PATH"
	true
}

case ${1:-} in
fetch) shift; cmd_fetch "$@" ;;
start-fuseki) shift; cmd_start_fuseki "$@" ;;
start-oxigraph) shift; cmd_start_oxigraph "$@" ;;
stop) shift; cmd_stop "$@" ;;
status) shift; cmd_status "$@" ;;
env) shift; cmd_env "$@" ;;
venv) shift; mkdir -p "$CACHE"; if (($#)); then venv_pip "$@"; else ensure_venv; fi; echo "$VENV" ;;
*) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Installs what a fresh machine lacks to run Open Emploi 360 and its tests. Needs Go,
# Java 17+ and Maven; everything else is installed here, idempotently:
#   - the Fuseki 5.6.0 jar (Maven Central) into .cache/fuseki/;
#   - Oxigraph 0.5.13 (PyPI) into the project virtual environment .cache/venv/, made
#     with Debian's python3 — nothing goes into the system or user Python (PEP 668);
#   - as root with apt-get, the Debian packages that are missing: python3 and
#     python3-venv, nodejs and npm, chromium (browser tests);
#   - the pinned Node packages of the dashboard's unit tests (internal/dashboard) and
#     of the browser tests (e2e/, playwright-core, no browser download).
# OPENEMPLOI_SKIP_APT=1 never calls apt-get (it says what is missing instead).
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1 || { echo "setup: $1 is required ($2)" >&2; exit 1; }; }
need go "https://go.dev/dl"
need java "Java 17: apt-get install openjdk-17-jre-headless"
need mvn "apt-get install maven"

can_apt() { [[ "${OPENEMPLOI_SKIP_APT:-}" != 1 && $(id -u) == 0 ]] && command -v apt-get >/dev/null; }

# Debian packages, by the command they provide.
missing=()
# The interpreter scripts/stores.sh makes the venv with: Debian's, unless PYTHON says.
py=${PYTHON:-/usr/bin/python3}
[[ -x $py ]] || py=$(command -v python3 || true)
if [[ -z $py ]]; then
  missing+=(python3 python3-venv)
elif ! "$py" -c 'import ensurepip, venv' 2>/dev/null; then
  missing+=(python3-venv)
fi
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if ((${#missing[@]})); then
  if can_apt; then
    echo "setup: apt-get install ${missing[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: missing Debian packages: ${missing[*]} (as root: apt-get install ${missing[*]})" >&2
    for p in python3 python3-venv curl; do
      [[ " ${missing[*]} " == *" $p "* ]] && { echo "setup: $p is required" >&2; exit 1; }
    done
  fi
fi

scripts/stores.sh fetch

npm_ci() {
  local dir=$1 marker=$2
  [[ -f $dir/package-lock.json ]] || return 0
  if ! command -v npm >/dev/null 2>&1; then
    echo "setup: npm not found; skipping $dir (apt-get install npm)" >&2
    return 0
  fi
  # node_modules newer than the lock file: nothing to do.
  if [[ -d $dir/node_modules/$marker && ! $dir/package-lock.json -nt $dir/node_modules/.package-lock.json ]]; then
    return 0
  fi
  echo "setup: npm ci in $dir/"
  (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
}
npm_ci internal/dashboard esbuild
npm_ci e2e playwright-core
echo "setup: ok"

#!/usr/bin/env bash
# Installs what a fresh machine lacks to run Open Emploi 360 and its tests: the Fuseki
# jar (Maven Central), Oxigraph (PyPI), Node packages of the browser tests, and, as
# root, Debian's chromium. Idempotent: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1 || { echo "setup: $1 is required ($2)" >&2; exit 1; }; }
need go "https://go.dev/dl"
need java "Java 17: apt-get install openjdk-17-jre-headless"
need mvn "apt-get install maven"
need python3 "apt-get install python3 python3-pip"

if [[ "${OPENEMPLOI_SKIP_APT:-}" != 1 ]] && ! command -v chromium >/dev/null 2>&1; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian chromium (browser tests)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: chromium not found; browser tests need Debian's chromium (sudo apt-get install chromium)" >&2
  fi
fi

scripts/stores.sh fetch

if command -v npm >/dev/null 2>&1 && [[ -f e2e/package.json ]] && [[ ! -d e2e/node_modules/playwright-core ]]; then
  echo "setup: npm ci in e2e/ (playwright-core, no browser download)"
  (cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
fi
echo "setup: ok"

#!/usr/bin/env bash
# The main job on the bundled sample: Fuseki (TDB2 in var/fuseki-db), the ontology and
# every source of the catalog with its sample, synthetic offers and sessions at a demo
# scale (labelled synthetic), then the service and its dashboard. A second run reuses
# the running Fuseki and skips the import when mappings and sample have not changed.
#   OPENEMPLOI_ADDR (127.0.0.1:8080)  OPENEMPLOI_FUSEKI_PORT (3030)
#   OPENEMPLOI_SYNTH_SCALE (0.1 = 5 000 offers a month; 1 = PACA volume, 50 000)
# At PACA volume, import the offers one month per run instead (see README: a swap is one
# transaction, and Oxigraph holds a transaction in memory).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=bin/openemploi
addr=${OPENEMPLOI_ADDR:-127.0.0.1:8080}
port=${OPENEMPLOI_FUSEKI_PORT:-3030}
scale=${OPENEMPLOI_SYNTH_SCALE:-0.1}
mkdir -p var/run

if scripts/stores.sh status 2>/dev/null | grep -q '^fuseki: running'; then
  echo "demo: reusing the running Fuseki"
else
  scripts/stores.sh start-fuseki --tdb2 var/fuseki-db --port "$port" >/dev/null
fi
export OPENEMPLOI_STORE
OPENEMPLOI_STORE=$(cat var/run/fuseki.url)
export OPENEMPLOI_STORE_PRESET=fuseki

# What the store holds is a function of the mappings, the sample, the generator and
# the scale: import again only when one of them changed.
stamp=$( (git ls-files -s mappings testdata/sample testdata/apec internal/synth ontology queries/derived 2>/dev/null || true; echo "scale=$scale") | sha256sum | cut -c1-16)
if [[ "$(cat var/run/demo.stamp 2>/dev/null)" == "$stamp" ]] && "$bin" store ping >/dev/null 2>&1; then
  echo "demo: the store already holds this sample (var/run/demo.stamp); skipping the import"
else
  echo "demo: importing the bundled sample into $OPENEMPLOI_STORE (a few minutes on 2 cores)"
  # the ontology and the steward-editable skills vocabulary (graph oeg:skills-synonyms)
  "$bin" ontology load
  "$bin" import --all --sample --progress auto
  echo "demo: generating synthetic offers and sessions (scale $scale)"
  "$bin" synth --out var/synth --scale "$scale" >/dev/null
  "$bin" import offres-synth var/synth/offres-synth-*.json --progress auto
  "$bin" import formations-synth var/synth/formations-synth.xml --progress auto
  echo "$stamp" > var/run/demo.stamp
fi
"$bin" store graphs | head -40

echo
echo "  Open Emploi 360 is ready: http://$addr/"
echo "  API: http://$addr/api/diagnostic?metier=M1811&zone=9312&zone=9306   (Ctrl-C stops the service; 'make stores-stop' stops Fuseki)"
echo
exec "$bin" serve --addr "$addr"

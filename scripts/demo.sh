#!/usr/bin/env bash
# The whole demo on a fresh machine: install, generate a synthetic force, run the pipeline,
# show the queue, and serve the web app.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
PEOPLE="${PEOPLE:-2000}"
YEARS="${YEARS:-1}"
PORT="${PORT:-8000}"
uv run probity synth --people "$PEOPLE" --years "$YEARS" --seed 7 --out demo/exports
uv run probity run demo/exports --workspace demo/workspace
uv run probity queue --workspace demo/workspace --limit 15
echo "Open http://127.0.0.1:${PORT}/ (Ctrl-C to stop)"
exec "$UV_HOME/bin/uv" run probity serve --workspace demo/workspace --port "$PORT"

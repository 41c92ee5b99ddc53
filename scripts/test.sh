#!/usr/bin/env bash
# The whole test suite on a fresh machine: install, lint, type-check, test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
uv run ruff check src tests benchmarks
uv run ruff format --check src tests benchmarks
uv run mypy
uv run pytest "$@"

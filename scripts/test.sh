#!/usr/bin/env bash
# The whole test suite on a fresh machine: install, lint, type-check, test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
# The browser tests drive Debian's Chromium (Playwright never downloads a browser here).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing Debian's chromium for the browser tests" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "the browser tests need Debian's chromium: sudo apt-get install chromium" >&2
    exit 1
  fi
fi
# The case store is tested against a real PostgreSQL server as well as SQLite.
source scripts/postgres.sh
uv run ruff check src tests benchmarks
uv run ruff format --check src tests benchmarks
uv run mypy
uv run pytest "$@"

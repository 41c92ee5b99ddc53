#!/usr/bin/env bash
# The whole test suite on a fresh machine: install, lint, type-check, test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
# The browser tests drive Debian's Chromium (Playwright never downloads a browser here).
source scripts/debian.sh
command -v chromium >/dev/null 2>&1 || need_debian chromium "the browser tests"
# The Spark path (`--engine spark`) is tested in Spark's local mode, which runs on Java 17.
command -v java >/dev/null 2>&1 || need_debian openjdk-17-jre-headless "the Spark tests"
# The case store is tested against a real PostgreSQL server as well as SQLite.
source scripts/postgres.sh
uv run ruff check src tests benchmarks
uv run ruff format --check src tests benchmarks
uv run mypy
# Two workers, one test file each at a time: module fixtures stay on one worker.
uv run pytest -n auto --dist loadfile "$@"

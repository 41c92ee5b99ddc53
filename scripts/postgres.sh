# Sourced by scripts/test.sh: start a throwaway PostgreSQL server for the case-store tests and
# export its address as PROBITY_TEST_POSTGRES_URL (stopped and removed when the tests end).
# Skipped when PROBITY_TEST_POSTGRES_URL is already set (a server of your own).
if [ -z "${PROBITY_TEST_POSTGRES_URL:-}" ]; then
  ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || need_debian postgresql "the case-store tests"
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  PG_DIR="$(mktemp -d /tmp/probity-pg.XXXXXX)"
  PG_PORT="${PG_PORT:-55432}"
  # PostgreSQL refuses to run as root: the server runs as the postgres user then.
  as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  [ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
  as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U probity >/dev/null
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-k $PG_DIR -p $PG_PORT -c listen_addresses=''" start >/dev/null
  trap 'as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null; rm -rf "$PG_DIR"' EXIT
  export PROBITY_TEST_POSTGRES_URL="postgresql+psycopg://probity@/postgres?host=$PG_DIR&port=$PG_PORT"
fi

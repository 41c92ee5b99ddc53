"""Daily runs: the audit log's look-ups per person and month, carried over from the last run.

Counting every look-up in the audit log by person and month is most of the model stage's work
at the scale of a large force, and a new day changes only the months its records fall in. So
each run keeps the counts (`log_months`), and a daily run keeps the last run's for every month
before the first month a new record falls in, counting again from that month on, when that is
exact:

- the counting query and the DuckDB release give the signature the last run recorded;
- the audit log was unchanged or only appended to at ingest, and every new record has a time;
- whose accounts are whose (`account_person`) is as the last run left it.

Otherwise the whole log is counted again.
"""

from __future__ import annotations

import hashlib
from datetime import date

import duckdb

from probity.detectors.carry import same_rows
from probity.warehouse.engine import Engine

KEPT = "log_months"
PREVIOUS_COUNTS = "previous_log_months"
PREVIOUS_ACCOUNTS = "previous_log_months_account_person"

# Look-ups and look-ups citing no reference, per person and month, over `{log}`.
COUNTS = """SELECT p.person_key, date_trunc('month', x.event_time), count(*),
                  count(*) FILTER (WHERE x.linked_reference IS NULL)
           FROM {log} x JOIN account_person p ON p.account_id = x.account_id GROUP BY ALL"""


def signature() -> str:
    return hashlib.sha256((COUNTS + duckdb.__version__).encode()).hexdigest()


def set_aside(engine: Engine) -> list[str]:
    """In a copy of the last run's warehouse: keep its counts, and whose accounts were whose
    when it counted; returns the tables kept, for `resume`."""
    for table in (PREVIOUS_COUNTS, PREVIOUS_ACCOUNTS):
        engine.execute(f"DROP TABLE IF EXISTS {table}")
    if engine.table_exists(KEPT) and engine.table_exists("account_person"):
        engine.execute(f"ALTER TABLE {KEPT} RENAME TO {PREVIOUS_COUNTS}")
        engine.execute(f"CREATE TABLE {PREVIOUS_ACCOUNTS} AS FROM account_person")
    return [PREVIOUS_COUNTS, PREVIOUS_ACCOUNTS]


def drop_previous(engine: Engine) -> None:
    for table in (PREVIOUS_COUNTS, PREVIOUS_ACCOUNTS):
        engine.execute(f"DROP TABLE IF EXISTS {table}")


def counted_since(
    engine: Engine, last_signature: str | None, plan: tuple[str, int] | None
) -> tuple[date | None, str]:
    """The first month to count again (`date.max` when no record is new), or None with the
    reason the whole log is counted; `plan` is how ingest took the audit log (mode, records
    kept)."""
    if not engine.table_exists(PREVIOUS_COUNTS):
        return None, "the last run kept no counts"
    if last_signature != signature():
        return None, "the counting query changed since the last run"
    mode, kept = plan or ("full", 0)
    if mode == "full":
        return None, "access_log was read in full"
    if not same_rows(engine, "account_person", PREVIOUS_ACCOUNTS):
        return None, "account_person changed"
    if mode == "unchanged":
        return date.max, ""
    untimed, first = engine.fetch(
        f"""SELECT count(*) FILTER (WHERE event_time IS NULL), min(event_time)
            FROM access_log WHERE _source_row > {int(kept)}"""
    )[0]
    if untimed:
        return None, "a new record of access_log has no time"
    if first is None:
        return date.max, ""
    return date(first.year, first.month, 1), ""


def counts(since: date | None) -> str:
    """SQL: the counts, whole or (from `since`) the last run's before that month and the
    months from it counted again."""
    if since is None:
        return COUNTS.format(log="access_log")
    earlier = f"SELECT * FROM {PREVIOUS_COUNTS}"
    if since == date.max:
        return earlier
    day = f"TIMESTAMP '{since.isoformat()}'"
    return f"""{earlier} WHERE month < {day} OR month IS NULL
               UNION ALL
               SELECT * FROM ({COUNTS.format(log=f"(FROM access_log WHERE event_time >= {day})")})"""


def note(since: date | None, why: str, run_id: str | None) -> str:
    if since is None:
        return f"counted in full{': ' + why if why else ''}"
    if since == date.max:
        return f"all months kept from run {run_id}"
    return f"months before {since.isoformat()} kept from run {run_id}"

"""The audit log's look-ups per person and month, carried over from the last run.

Counting every look-up in the audit log by person and month feeds both the early-warning model
(look-ups, and those citing no reference) and `unreferenced_lookups` (the same for look-ups of
person records, with their first and last times), and at the scale of a large force it is one
of the costliest passes of a run. So it is done once, in the warehouse stage, and each run keeps
the counts (`log_months`); a daily run keeps the last run's for every month before the first
month a new record falls in, counting again from that month on, when that is exact:

- the counting query and the DuckDB release give the signature the last run recorded;
- the audit log was unchanged or only appended to at ingest (the records read again as they
  were), and every new record has a time;
- whose accounts are whose (`account_person`) is as the last run left it.

Otherwise the whole log is counted again. The report's `warehouse.log_months` says which.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import duckdb

from probity.warehouse.engine import Engine
from probity.warehouse.growth import LastBuild, not_by_day, same_rows

KEPT = "log_months"
PREVIOUS_COUNTS = "previous_log_months"
PREVIOUS_ACCOUNTS = "previous_log_months_account_person"

# Per person and month over `{log}`: look-ups and those citing no reference; then the same for
# look-ups of person records, and the first and last of those.
COUNTS = """SELECT p.person_key, date_trunc('month', x.event_time) AS month,
                  count(*) AS lookups,
                  count(*) FILTER (WHERE x.linked_reference IS NULL) AS unreferenced,
                  count(*) FILTER (WHERE x.subject_kind = 'person') AS person_lookups,
                  count(*) FILTER (WHERE x.subject_kind = 'person'
                                     AND x.linked_reference IS NULL) AS person_unreferenced,
                  min(x.event_time) FILTER (WHERE x.subject_kind = 'person') AS first_person_at,
                  max(x.event_time) FILTER (WHERE x.subject_kind = 'person') AS last_person_at
           FROM {log} x JOIN account_person p ON p.account_id = x.account_id GROUP BY ALL"""


def signature() -> str:
    return hashlib.sha256((COUNTS + duckdb.__version__).encode()).hexdigest()


def set_aside(engine: Engine) -> list[str]:
    """In a copy of the last run's warehouse: keep its counts, and whose accounts were whose
    when it counted; returns the tables kept, for `resume`."""
    drop_previous(engine)
    if engine.table_exists(KEPT) and engine.table_exists("account_person"):
        engine.execute(f"ALTER TABLE {KEPT} RENAME TO {PREVIOUS_COUNTS}")
        engine.execute(f"CREATE TABLE {PREVIOUS_ACCOUNTS} AS FROM account_person")
    return [PREVIOUS_COUNTS, PREVIOUS_ACCOUNTS]


def drop_previous(engine: Engine) -> None:
    for table in (PREVIOUS_COUNTS, PREVIOUS_ACCOUNTS):
        engine.execute(f"DROP TABLE IF EXISTS {table}")


def build(engine: Engine, last: LastBuild | None) -> dict[str, Any] | None:
    """Write `log_months` (after `account_person`), from the last run's where it can; the
    report's note, or None when there is no audit log."""
    if not engine.table_exists("access_log"):
        drop_previous(engine)
        return None
    since, why = (None, "") if last is None else counted_since(engine, last)
    engine.execute(f"CREATE OR REPLACE TABLE {KEPT} AS {counts(since)}")
    drop_previous(engine)
    return {
        "signature": signature(),
        "counted": note(since, why, last.run_id if last else None),
    }


def counted_since(engine: Engine, last: LastBuild) -> tuple[date | None, str]:
    """The first month to count again (`date.max` when no record is new), or None with the
    reason the whole log is counted."""
    if not engine.table_exists(PREVIOUS_COUNTS):
        return None, "the last run kept no counts"
    if last.report.get("log_months", {}).get("signature") != signature():
        return None, "the counting query changed since the last run"
    mode, kept = last.plans.get("access_log", ("full", 0))
    why = not_by_day("access_log", mode)
    if why:
        return None, why
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

"""Daily runs: carrying a detector's evidence for earlier days over from the last run.

Some detectors find evidence day by day: whether a rostered shift left any trace depends on the
records of that day and the morning after, and on nothing older or newer. For such a detector
(`DayLocal`), a daily run keeps the last run's evidence for every day before the earliest day a
new record could change, finds evidence again from that day on, and draws signals from the whole
of it as a full run does. Evidence is carried over only when that is exact:

- the detector's queries, thresholds and declaration, and the DuckDB release, give the
  signature the last run recorded;
- every dated table it reads was unchanged or only appended to at ingest (its new records are
  those after the kept ones), and every new record has a day;
- every `fixed` table (who is who, whose accounts are whose) is as the last run left it.

Otherwise the detector runs in full, as it always does on Spark. Each run keeps the whole
evidence of such detectors (`day_evidence__<detector>`) for the next run to carry.

The look-ups several detectors share (`shared.py`) are found record by record of the audit log,
so they are carried over by record rather than by day (`kept_lookups__<name>`): the last run's
for the audit-log records this run kept, and look-ups found among the new records, when the
query and every other table it reads are as they were.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import duckdb

from probity.contract import TABLES
from probity.detectors.shared import SHARED, SharedLookups
from probity.warehouse.dialect import tables_read
from probity.warehouse.engine import Engine

SOURCE_TABLES = frozenset(t.name for t in TABLES)

Params = Mapping[str, float]


@dataclass(frozen=True)
class DayLocal:
    """How a detector's evidence depends on days: the evidence dated on or after a day
    (`evidence_since`, the same rows the full query gives for those days), the source tables
    whose records are dated (table -> SQL of a record's day, over the table's own columns), how
    many days after its own a day's evidence reads, the tables that must be unchanged, and the
    derived tables built record by record from those (`through`)."""

    evidence_since: Callable[[Params, date], str]
    dated: Mapping[str, str]
    after: int = 0
    fixed: tuple[str, ...] = ()
    through: tuple[str, ...] = ()


@dataclass(frozen=True)
class LastDetection:
    """What a daily run knows of the last run: its id, its report's `detectors` and
    `shared_lookups`, and how this run's ingest planned each table (mode and records kept)."""

    run_id: str
    detectors: Mapping[str, Any]
    plans: Mapping[str, tuple[str, int]]
    shared: Mapping[str, Any] = field(default_factory=dict)


def kept_evidence(detector: str) -> str:
    return f"day_evidence__{detector}"


def kept_lookups(shared: str) -> str:
    return f"kept_lookups__{shared}"


def previous(table: str) -> str:
    return f"previous_{table}"


def signature(
    name: str, local: DayLocal, params: Params, evidence_sql: str, signal_sql: str
) -> str:
    """Changes with anything besides the records that could change the detector's evidence."""
    text = json.dumps(
        {
            "detector": name,
            "evidence": evidence_sql,
            "since": local.evidence_since(params, date(2000, 1, 1)),
            "signals": signal_sql,
            "dated": dict(local.dated),
            "after": local.after,
            "fixed": list(local.fixed),
            "through": list(local.through),
            "duckdb": duckdb.__version__,
        },
        sort_keys=True,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def set_aside(engine: Engine, day_local: Iterable[tuple[str, DayLocal]]) -> list[str]:
    """In a copy of the last run's warehouse: keep each day-local detector's evidence, each
    shared look-up and the tables they need unchanged as that run left them; returns the
    tables kept, for `resume`. Look-ups kept for names no longer shared (an earlier release's)
    are dropped: nothing reads them again."""
    current = {kept_lookups(s.name) for s in SHARED}
    for (stale,) in engine.fetch(
        "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND starts_with(table_name, ?)",
        [kept_lookups("")],
    ):
        if stale not in current:
            engine.execute(f'DROP TABLE "{stale}"')
    kept = []
    for table in _carried_tables(day_local):
        engine.execute(f"DROP TABLE IF EXISTS {previous(table)}")
        if engine.table_exists(table):
            engine.execute(f"ALTER TABLE {table} RENAME TO {previous(table)}")
        kept.append(previous(table))
    return kept


def drop_previous(engine: Engine, day_local: Iterable[tuple[str, DayLocal]]) -> None:
    for table in _carried_tables(day_local):
        engine.execute(f"DROP TABLE IF EXISTS {previous(table)}")


def _carried_tables(day_local: Iterable[tuple[str, DayLocal]]) -> list[str]:
    """Each detector's kept evidence and each shared look-up's rows, then every derived table
    they need unchanged (`links` is set aside by identity resolution, for its own use)."""
    found = list(day_local)
    fixed = {t for _, local in found for t in local.fixed}
    for shared in SHARED:
        fixed |= _read_besides_log(shared) - SOURCE_TABLES - {"links"}
    return (
        [kept_evidence(name) for name, _ in found]
        + [kept_lookups(s.name) for s in SHARED]
        + sorted(fixed)
    )


def carry_since(
    engine: Engine, name: str, local: DayLocal, sign: str, last: LastDetection
) -> tuple[date | None, str]:
    """The first day whose evidence must be found again (`date.max` when no record is new),
    or None with the reason the detector runs in full."""
    before = last.detectors.get(name, {})
    if not engine.table_exists(previous(kept_evidence(name))):
        return None, "the last run kept no evidence of it"
    if before.get("status") != "ran" or before.get("signature") != sign:
        return None, "its queries or thresholds changed since the last run"
    for table in local.fixed:
        if not same_rows(engine, table, previous(table)):
            return None, f"{table} changed"
    days: list[date] = []
    for table, day in local.dated.items():
        mode, kept = last.plans.get(table, ("full", 0))
        if mode == "full":
            return None, f"{table} was read in full"
        if mode == "unchanged":
            continue
        undated, first = engine.fetch(
            f"""SELECT count(*) FILTER (WHERE ({day}) IS NULL), min({day})
                FROM "{table}" WHERE _source_row > {int(kept)}"""
        )[0]
        if undated:
            return None, f"a new record of {table} has no day"
        if first is not None:
            days.append(first)
    if not days:
        return date.max, ""
    return min(days) - timedelta(days=local.after), ""


def same_rows(engine: Engine, table: str, other: str) -> bool:
    """Whether two tables hold the same rows, as many times each."""
    if not (engine.table_exists(table) and engine.table_exists(other)):
        return False
    differ = engine.fetch(
        f"""SELECT count(*) FROM ((FROM "{table}" EXCEPT ALL FROM "{other}")
                                  UNION ALL (FROM "{other}" EXCEPT ALL FROM "{table}"))"""
    )
    return int(differ[0][0]) == 0


def carried_evidence(name: str, local: DayLocal, params: Params, since: date) -> str:
    """SQL: the last run's evidence before `since`, and evidence found again from it on."""
    earlier = f"SELECT * FROM {previous(kept_evidence(name))}"
    if since == date.max:
        return earlier
    return f"""{earlier} WHERE CAST(occurred_at AS DATE) < DATE '{since.isoformat()}'
               UNION ALL BY NAME ({local.evidence_since(params, since)})"""


def lookups_signature(shared: SharedLookups) -> str:
    return hashlib.sha256((shared.template + duckdb.__version__).encode()).hexdigest()


def _read_besides_log(shared: SharedLookups) -> set[str]:
    return tables_read(shared.sql) - {"access_log"}


def carry_lookups(engine: Engine, shared: SharedLookups, last: LastDetection) -> tuple[int, str]:
    """How many leading audit-log records (by `_source_row`) the last run's look-ups can be
    kept for, with 0 and the reason when they must be found again in full: the query is the
    same, the log kept those records as they were, and every other table it reads is as the
    last run left it (a source table unchanged at ingest, a derived one equal to its copy)."""
    signatures = last.shared.get("signatures", {})
    if signatures.get(shared.name) != lookups_signature(shared):
        return 0, "its query changed since the last run"
    if not engine.table_exists(previous(kept_lookups(shared.name))):
        return 0, "the last run kept no look-ups"
    mode, kept = last.plans.get("access_log", ("full", 0))
    if mode == "full":
        return 0, "access_log was read in full"
    for table in sorted(_read_besides_log(shared)):
        if table in SOURCE_TABLES:
            if last.plans.get(table, ("full", 0))[0] != "unchanged":
                return 0, f"{table} changed"
        elif not engine.table_exists(previous(table)):
            return 0, f"{table} was not kept from the last run"
        elif not same_rows(engine, table, previous(table)):
            return 0, f"{table} changed"
    return int(kept), ""


def carried_lookups(shared: SharedLookups, kept: int) -> str:
    """SQL: the last run's look-ups among the first `kept` audit-log records, and look-ups
    found among the records after them."""
    return f"""SELECT * FROM {previous(kept_lookups(shared.name))} WHERE _source_row <= {kept}
               UNION ALL BY NAME
               ({shared.over(f"(FROM access_log WHERE _source_row > {kept})")})"""

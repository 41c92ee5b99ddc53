"""Derived tables a daily run extends instead of building them again.

`duty_intervals` holds a row per shift worked, each made from one roster record (through
`person_refs`), and keeps that record's `_source_row`. When the roster was unchanged or only
appended to since the last run (`ingest/incremental.py`: its first records kept as they were),
`person_refs` is the same and so is the table's query, then the last run's table, less the
rows of the records read again, plus the rows of every record after them, is the table a full
build gives. Otherwise, or with no last run, it is built in full. The report's
`warehouse.grown` says which, and why.

Each run records the query's signature and a fingerprint of the fixed tables in its report
(`warehouse`), so the next can tell; the table itself is set aside from the copied warehouse
(`set_aside`) before the copy is cleared for the new run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import duckdb

from probity.warehouse.engine import Engine


@dataclass(frozen=True)
class Growing:
    # The source table each row is made from, one record at a time (`_source_row` kept).
    source: str
    # The table's query over a relation of `source` records (the table's name, or a subquery).
    sql: Callable[[str], str]
    # Derived tables the query reads besides: they must be as the last run left them.
    fixed: tuple[str, ...] = ()


@dataclass(frozen=True)
class LastBuild:
    """What a daily run knows of the last run: its id, its report's `warehouse` section and
    each source table's ingest plan (mode, records kept)."""

    run_id: str
    report: Mapping[str, Any]
    plans: Mapping[str, tuple[str, int]]


def not_by_day(table: str, mode: str) -> str | None:
    """Why the days of a table's new records cannot tell which days changed since the last run
    (its ingest `mode`): it was read in full, or records read again changed; else None."""
    if mode == "full":
        return f"{table} was read in full"
    if mode == "tail_changed":
        return f"records of {table} read again differ from those loaded last time"
    return None


def previous(table: str) -> str:
    """The name a table of the last run's is kept under in the new run's warehouse (by this
    module and by the detectors' carry, one name space: a table is set aside by one of them)."""
    return f"previous_{table}"


def same_rows(engine: Engine, table: str, other: str) -> bool:
    """Whether two tables hold the same rows, as many times each."""
    if not (engine.table_exists(table) and engine.table_exists(other)):
        return False
    differ = engine.fetch(
        f"""SELECT count(*) FROM ((FROM "{table}" EXCEPT ALL FROM "{other}")
                                  UNION ALL (FROM "{other}" EXCEPT ALL FROM "{table}"))"""
    )
    return int(differ[0][0]) == 0


def set_aside(engine: Engine, growing: Mapping[str, Growing]) -> list[str]:
    """In a copy of the last run's warehouse: keep each growing table under its previous name;
    returns those names, for `resume` to keep."""
    kept = []
    for name in growing:
        engine.execute(f"DROP TABLE IF EXISTS {previous(name)}")
        if engine.table_exists(name):
            engine.execute(f"ALTER TABLE {name} RENAME TO {previous(name)}")
            kept.append(previous(name))
    return kept


def signature(growing: Growing) -> str:
    text = json.dumps(
        [growing.sql("{source}"), growing.source, list(growing.fixed), duckdb.__version__]
    )
    return hashlib.sha256(text.encode()).hexdigest()


def fingerprint(engine: Engine, table: str) -> str:
    """An order-free fingerprint of a (small) table's rows, repeats counted."""
    rows = engine.fetch(f'SELECT count(*), sum(hash(t)::HUGEINT) FROM "{table}" t')
    return f"{rows[0][0]}:{rows[0][1]}"


def build(engine: Engine, name: str, growing: Growing, last: LastBuild | None) -> str:
    """Build `name`, from the last run's table where it can be; what was done."""
    why = _why_built_in_full(engine, name, growing, last)
    if why is not None:
        engine.execute(f"CREATE OR REPLACE TABLE {name} AS {growing.sql(growing.source)}")
        engine.execute(f"DROP TABLE IF EXISTS {previous(name)}")
        return f"built in full: {why}" if why else "built in full"
    assert last is not None
    engine.execute(f"ALTER TABLE {previous(name)} RENAME TO {name}")
    mode, kept = last.plans[growing.source]
    if mode == "unchanged":
        return f"kept from run {last.run_id}"
    # Records after the first `kept` were read again (a Parquet row group cut short) or are new.
    engine.execute(f"DELETE FROM {name} WHERE _source_row > {int(kept)}")
    new = f"(FROM {growing.source} WHERE _source_row > {int(kept)})"
    engine.execute(f"INSERT INTO {name} {growing.sql(new)}")
    return f"rows of {growing.source} records after {kept:,} added to run {last.run_id}'s"


def _why_built_in_full(
    engine: Engine, name: str, growing: Growing, last: LastBuild | None
) -> str | None:
    """None when the last run's table can be grown; else why not ('' for a first run)."""
    if last is None:
        return ""
    if not engine.table_exists(previous(name)):
        return f"the last run kept no {name}"
    if last.report.get("signatures", {}).get(name) != signature(growing):
        return "its query changed since the last run"
    mode, _ = last.plans.get(growing.source, ("full", 0))
    if mode == "full":
        return f"{growing.source} was read in full"
    for table in growing.fixed:
        if last.report.get("fixed", {}).get(table) != fingerprint(engine, table):
            return f"{table} changed"
    return None


def record(engine: Engine, growing: Mapping[str, Growing]) -> dict[str, Any]:
    """What the next run needs to know of this run's growing tables."""
    fixed = {t for g in growing.values() for t in g.fixed}
    return {
        "signatures": {name: signature(g) for name, g in growing.items()},
        "fixed": {t: fingerprint(engine, t) for t in sorted(fixed)},
    }

"""Daily runs: carrying a detector's evidence for earlier days over from the last run.

Some detectors find evidence day by day: whether a rostered shift left any trace depends on the
records of that day and the morning after, and on nothing older or newer. For such a detector
(`DayLocal`), a daily run keeps the last run's evidence for every day before the earliest day a
new record could change, finds evidence again from that day on, and draws signals from the whole
of it as a full run does. Evidence is carried over only when that is exact:

- the detector's queries, thresholds and declaration, and the DuckDB release, give the
  signature the last run recorded;
- every dated table it reads was unchanged or only appended to at ingest (its new records are
  those after the kept ones, and those read again are as they were), and every new record has
  a day;
- every `fixed` table (who is who, whose accounts are whose) is as the last run left it;
- every record meets what the detector assumes of its dates (`assumes`: an overtime claim's
  hours lie within a day of its work date).

Otherwise the detector runs in full, as it always does on Spark. Each run keeps the whole
evidence of such detectors (`day_evidence__<detector>`) for the next run to carry.

The look-ups several detectors share (`shared.py`) are found record by record of the audit log,
by matching each record against keys (ties), so they are carried over by record rather than by
day (`kept_lookups__<name>`, with the keys in `kept_keys__<name>`): the records this run kept
that matched then, or match a key added since, are matched again (the tie may be gone, or
another added), and the new records are matched in full; when the query and the tables that
decide a match besides the keys are as they were.
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
from probity.detectors.shared import LOG_COLUMNS, SHARED, SharedLookups
from probity.warehouse.engine import Engine
from probity.warehouse.growth import not_by_day, previous, same_rows

SOURCE_TABLES = frozenset(t.name for t in TABLES)

Params = Mapping[str, float]


# The first day each dated source table's record can touch, as SQL over the table's columns
# (an absence from its start): what `DayLocal.dated` maps a table to.
RECORD_DAY = {
    "roster": "duty_date",
    "absences": "start_date",
    "overtime_claims": "work_date",
    "building_access": "CAST(event_time AS DATE)",
    "access_log": "CAST(event_time AS DATE)",
    "incidents": "CAST(opened_time AS DATE)",
    "incident_attendance": "CAST(arrived_time AS DATE)",
    "stop_search": "CAST(event_time AS DATE)",
    "use_of_force": "CAST(event_time AS DATE)",
}


def record_days(*tables: str) -> dict[str, str]:
    """`DayLocal.dated` for `tables`, in the order given."""
    return {t: RECORD_DAY[t] for t in tables}


def rows_from(table: str, column: str, day: date | None) -> str:
    """SQL for `evidence_since`: `table`, or with `day` its records whose `column` is on or
    after that day (a relation, so that the scan skips the earlier row groups unread)."""
    if day is None:
        return table
    return f"(FROM {table} WHERE {column} >= DATE '{day.isoformat()}')"


@dataclass(frozen=True)
class Finished:
    """For a detector whose rows found day by day are not yet its evidence: its rows over all
    days (`rows`), and its evidence from a table of them (`evidence`), which may read records
    of any day. The rows are what is kept and carried; the evidence is finished from all of
    them in every run."""

    rows: Callable[[Params], str]
    evidence: Callable[[Params, str], str]


@dataclass(frozen=True)
class Assumption:
    """A condition every record of `table` meets (`sql`, over its columns, given the detector's
    thresholds) for a day's evidence to read nothing more than `after` days from its own; said
    in words by `says`. When a record does not meet it, the detector runs in full."""

    table: str
    sql: Callable[[Params], str]
    says: str


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
    # With `finished`, `evidence_since` gives the rows that are finished into evidence.
    finished: Finished | None = None
    # What every record must meet for `after` to hold (checked in every daily run).
    assumes: tuple[Assumption, ...] = ()


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


def kept_keys(shared: str) -> str:
    return f"kept_keys__{shared}"


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
            "assumes": [[a.table, a.sql(params)] for a in local.assumes],
            "finished": (
                [local.finished.rows(params), local.finished.evidence(params, "rows")]
                if local.finished
                else None
            ),
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
    current = {kept(s.name) for s in SHARED for kept in (kept_lookups, kept_keys)}
    for (stale,) in engine.fetch(
        """SELECT table_name FROM duckdb_tables()
           WHERE NOT temporary AND (starts_with(table_name, ?) OR starts_with(table_name, ?))""",
        [kept_lookups(""), kept_keys("")],
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
    """Each detector's kept evidence, each shared look-up's rows and keys, then every derived
    table they need unchanged."""
    found = list(day_local)
    fixed = {t for _, local in found for t in local.fixed}
    for shared in SHARED:
        fixed |= set(shared.fixed) - SOURCE_TABLES
    return (
        [kept_evidence(name) for name, _ in found]
        + [kept(s.name) for s in SHARED for kept in (kept_lookups, kept_keys)]
        + sorted(fixed)
    )


def carry_since(
    engine: Engine, name: str, local: DayLocal, params: Params, sign: str, last: LastDetection
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
    broken = broken_assumption(engine, local, params)
    if broken:
        return None, broken
    days: list[date] = []
    for table, day in local.dated.items():
        mode, kept = last.plans.get(table, ("full", 0))
        why = not_by_day(table, mode)
        if why:
            return None, why
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


def broken_assumption(engine: Engine, local: DayLocal, params: Params) -> str | None:
    """Why evidence cannot be carried over when a record breaks one of `local.assumes`; else
    None. Old records are checked too: a new record of a later day can change the evidence
    of an old one that breaks it, and that evidence would be kept."""
    for assumption in local.assumes:
        (n,) = engine.fetch(
            f"""SELECT count(*) FROM "{assumption.table}"
                WHERE NOT coalesce({assumption.sql(params)}, false)"""
        )[0]
        if n:
            return (
                f"{n:,} records of {assumption.table} break the assumption that {assumption.says}"
            )
    return None


def carry_evidence(engine: Engine, name: str, local: DayLocal, params: Params, since: date) -> None:
    """Keep the last run's evidence before `since` where it is (set aside under its previous
    name), and add the evidence found again from `since` on: only the days found again are
    written, not the years of evidence before them."""
    kept = kept_evidence(name)
    engine.execute(f"DROP TABLE IF EXISTS {kept}")
    engine.execute(f"ALTER TABLE {previous(kept)} RENAME TO {kept}")
    if since == date.max:
        return
    day = f"DATE '{since.isoformat()}'"
    engine.execute(
        f"DELETE FROM {kept} WHERE NOT coalesce(CAST(occurred_at AS DATE) < {day}, false)"
    )
    engine.execute(f"INSERT INTO {kept} BY NAME ({local.evidence_since(params, since)})")


def lookups_signature(shared: SharedLookups) -> str:
    text = json.dumps([shared.template, shared.keys, list(shared.fixed), duckdb.__version__])
    return hashlib.sha256(text.encode()).hexdigest()


def carry_lookups(engine: Engine, shared: SharedLookups, last: LastDetection) -> tuple[int, str]:
    """How many leading audit-log records (by `_source_row`) the last run's look-ups can be
    kept for, with 0 and the reason when they must be found again in full: the query is the
    same, the log kept those records as they were, and every table besides the keys that
    decides a match is as the last run left it (a source table unchanged at ingest, a derived
    one equal to its copy)."""
    signatures = last.shared.get("signatures", {})
    if signatures.get(shared.name) != lookups_signature(shared):
        return 0, "its query changed since the last run"
    for table in (kept_lookups(shared.name), kept_keys(shared.name)):
        if not engine.table_exists(previous(table)):
            return 0, f"the last run kept no {table}"
    mode, kept = last.plans.get("access_log", ("full", 0))
    if mode == "full":
        return 0, "access_log was read in full"
    for table in shared.fixed:
        if table in SOURCE_TABLES:
            if last.plans.get(table, ("full", 0))[0] != "unchanged":
                return 0, f"{table} changed"
        elif not same_rows(engine, table, previous(table)):
            return 0, f"{table} changed"
    return int(kept), ""


ADDED_KEYS, ADDED_RECORDS = "_added_keys", "_added_records"


def match_added_keys(engine: Engine, shared: SharedLookups, kept: int) -> tuple[int, int, int]:
    """Put the keys this run has and the last did not, and that a record among the first `kept`
    audit-log records could match, in `ADDED_KEYS`, and those records that match one in
    `ADDED_RECORDS` (temporary tables); how many of each, and how many added keys begin after
    every kept record (`matches_after`), so were not looked for.
    A key is an account and a subject. With `matches_after`, it matches look-ups from the
    earliest time any of its ties gives (none: all of them), and it is added too when that
    time is earlier than the last run's.
    The records are matched on the few columns a match needs and fetched whole later: reading
    every column of the log for a handful of records costs more than the pass it saves."""
    keys, before = kept_keys(shared.name), previous(kept_keys(shared.name))
    after = shared.matches_after or "CAST(NULL AS TIMESTAMP)"
    pairs = f"""SELECT account_id, subject_id, bool_or({after} IS NULL) AS always,
                       min({after}) AS first FROM {{}} GROUP BY ALL"""
    last = None
    if shared.matches_after:  # a key beginning after the last kept record matches none of them
        last = engine.fetch(
            f"SELECT max(event_time) FROM access_log WHERE _source_row <= {int(kept)}"
        )[0][0]
    engine.execute(
        f"""CREATE OR REPLACE TEMP TABLE {ADDED_KEYS} AS
            WITH now AS ({pairs.format(keys)}), was AS ({pairs.format(before)})
            SELECT n.account_id, n.subject_id, coalesce(n.always OR n.first < ?, false) AS can_match
            FROM now n LEFT JOIN was w ON w.account_id = n.account_id AND w.subject_id = n.subject_id
            WHERE w.account_id IS NULL OR (n.always AND NOT w.always)
               OR (NOT n.always AND NOT w.always AND n.first < w.first)""",
        [last],
    )
    engine.execute(
        f"""CREATE OR REPLACE TEMP TABLE {ADDED_RECORDS} AS
            SELECT l._source_row FROM access_log l
            SEMI JOIN (FROM {ADDED_KEYS} WHERE can_match) k
              ON k.account_id = l.account_id AND k.subject_id = l.subject_id
            WHERE l._source_row <= {int(kept)}"""
    )
    counts = engine.fetch(
        f"""SELECT (SELECT count(*) FILTER (WHERE can_match) FROM {ADDED_KEYS}),
                   (SELECT count(*) FROM {ADDED_RECORDS}),
                   (SELECT count(*) FILTER (WHERE NOT can_match) FROM {ADDED_KEYS})"""
    )
    return int(counts[0][0]), int(counts[0][1]), int(counts[0][2])


def drop_added(engine: Engine) -> None:
    for table in (ADDED_KEYS, ADDED_RECORDS):
        engine.execute(f"DROP TABLE IF EXISTS temp.{table}")


def carried_lookups(shared: SharedLookups, kept: int) -> str:
    """SQL: the pass over the records that can match among the first `kept` audit-log records
    (those that matched in the last run, and those matching an added key: `match_added_keys`)
    and over every record after them, against this run's keys."""
    columns = ", ".join(LOG_COLUMNS)
    # The records matching an added key are read from the log, the others from the last run's
    # rows (one row per reason a record matched: one of each): the two are kept apart, so that
    # no second pass over them all is needed to drop records in both.
    matched_before = f"""
        SELECT DISTINCT {columns} FROM {previous(kept_lookups(shared.name))}
        WHERE _source_row <= {kept} AND _source_row NOT IN (SELECT _source_row FROM {ADDED_RECORDS})"""
    matching_added = f"""
        SELECT {", ".join(f"l.{c}" for c in LOG_COLUMNS)} FROM access_log l
        SEMI JOIN {ADDED_RECORDS} m ON m._source_row = l._source_row"""
    new = f"SELECT {columns} FROM access_log WHERE _source_row > {kept}"
    log = f"({matched_before} UNION ALL {matching_added} UNION ALL {new})"
    return shared.over(log, kept_keys(shared.name))

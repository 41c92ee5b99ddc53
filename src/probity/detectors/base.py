"""What a detector is, and how one is run against the warehouse.

A detector is two SQL statements over the warehouse: one selecting evidence rows (each tied
to a source row by lineage), one turning a person's evidence into a signal with a strength
in (0, 1] and a reason sentence. A count detector adds a null model (`null_model.py`): what
chance predicts for everyone it tests, from which the framework decides whom to keep and how
strong each signal is. Running them is the framework's job, not the detector's.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import pyarrow as pa

from probity.contract.outputs import CONCERNS, Purpose
from probity.detectors.carry import (
    DayLocal,
    LastDetection,
    Params,
    carried_lookups,
    carry_evidence,
    carry_lookups,
    carry_since,
    drop_added,
    kept_evidence,
    kept_keys,
    kept_lookups,
    match_added_keys,
    signature,
)
from probity.detectors.null_model import NullModel, calibrate, one_in
from probity.detectors.shared import SHARED, SharedLookups, shared_read, warehouse_tables
from probity.warehouse.dialect import tables_read
from probity.warehouse.engine import Engine
from probity.warehouse.spark import SparkEngine


@dataclass(frozen=True)
class Threshold:
    name: str
    default: float
    meaning: str


@dataclass(frozen=True)
class Detector:
    name: str
    concern: str
    purpose: Purpose
    title: str
    looks_for: str
    why: str
    inputs: tuple[str, ...]
    innocent_explanations: tuple[str, ...]
    thresholds: tuple[Threshold, ...]
    # Evidence rows: person_key, source_table, source_file, source_row, occurred_at, detail,
    # plus any columns the signal query needs.
    evidence_sql: Callable[[Params], str]
    # Over `_evidence`: person_key, strength, reason, period_start, period_end.
    signal_sql: Callable[[Params], str]
    # Evidence found day by day, which a daily run can carry over for earlier days.
    day_local: DayLocal | None = None
    # For a count detector: whom it tests and what chance predicts for them. Its `_signals`
    # are then candidates, kept at the false-discovery rate with the calibrated strength.
    null_model: NullModel | None = None

    def __post_init__(self) -> None:
        if self.concern not in CONCERNS:
            raise ValueError(f"{self.name}: unknown concern {self.concern!r}")
        if self.concern == "welfare" and self.purpose != "welfare":
            raise ValueError(f"{self.name}: welfare concerns serve the welfare purpose only")
        if self.null_model is not None and not {"fdr", "prior"} <= {
            t.name for t in self.thresholds
        }:
            raise ValueError(f"{self.name}: a null-model detector needs `calibrated(...)` settings")

    def params(self, overrides: Mapping[str, float] | None = None) -> dict[str, float]:
        values = {t.name: t.default for t in self.thresholds}
        for key, value in (overrides or {}).items():
            if key not in values:
                raise ValueError(f"{self.name}: unknown threshold {key!r}")
            values[key] = value
        return values


def calibrated(prior: float, fdr: float = 0.1) -> tuple[Threshold, ...]:
    """The two settings of every null-model detector (`null_model.py`).

    The false-discovery rate is a tenth: the queue is a screen that people review, and at a
    twentieth a rate three or four times the peers' is lost among a few thousand people
    tested. Where nothing is to be found, Benjamini–Hochberg keeps anyone at all with
    probability at most `fdr`, so a force with nothing to find still gets next to nothing."""
    return (
        Threshold("fdr", fdr, "false-discovery rate over everyone tested (Benjamini–Hochberg)"),
        Threshold(
            "prior",
            prior,
            "prior probability of a true concern for a person tested, before the evidence",
        ),
    )


def rule_strength(severity: str, among: str = "true") -> str:
    """SQL for a rule breach's strength (a finding by definition: overtime on a sick day, a
    posting above the vetting held), on the scale of the calibrated detectors: `severity`, the
    probability that a reviewer finds a real concern in such a breach, less where this run finds
    the breach common (a share of the workforce read from `_evidence`): a systemic failing, such
    as a vetting backlog, says less about each person it touches. From a fifth of the workforce
    on, a third of the severity is kept. `among` (SQL over `_evidence`) counts one kind of
    breach apart from another the rule also finds."""
    share = (
        f"(SELECT count(DISTINCT person_key) FROM _evidence WHERE {among}) "
        "/ greatest(1, (SELECT count(*) FROM person_dim))"
    )
    return f"(({severity}) * greatest(1.0 / 3, 1 - 5 * {share}))"


SIGNALS_DDL = """CREATE OR REPLACE TABLE signals (
    signal_id VARCHAR, detector VARCHAR, concern VARCHAR, purpose VARCHAR, person_key VARCHAR,
    strength DOUBLE, reason VARCHAR, period_start TIMESTAMP, period_end TIMESTAMP, evidence_rows BIGINT)"""
EVIDENCE_DDL = """CREATE OR REPLACE TABLE evidence (
    signal_id VARCHAR, source_table VARCHAR, source_file VARCHAR, source_row BIGINT,
    occurred_at TIMESTAMP, detail VARCHAR)"""


@dataclass
class DetectorOutcome:
    name: str
    status: Literal["ran", "skipped"]
    signals: int = 0
    reason: str | None = None
    # Shared look-ups this detector was the first to read, with the seconds building them took.
    built: dict[str, float] = field(default_factory=dict)
    # For each of those, what was kept from the last run, or why it was built in full.
    built_notes: dict[str, str] = field(default_factory=dict)
    # A day-local detector's signature, and what of its evidence came from the last run.
    signature: str | None = None
    carried: str | None = None
    # A null-model detector's people tested, fitted dispersion and people kept.
    null_model: dict[str, float] | None = None


def run_detector(
    engine: Engine,
    detector: Detector,
    params: Params,
    absent_tables: set[str],
    spark: SparkEngine | None = None,
    last: LastDetection | None = None,
) -> DetectorOutcome:
    """Run one detector into the `signals` and `evidence` tables of `engine`; with `spark`, the
    detector's own queries run there, over the tables `warehouse_inputs` handed it. With `last`
    (a daily run on DuckDB), a day-local detector carries its evidence for earlier days over
    from the last run when that is exact (`carry.py`)."""
    missing = [t for t in detector.inputs if t in absent_tables]
    if missing:
        return DetectorOutcome(
            detector.name, "skipped", reason=f"input not provided: {', '.join(missing)}"
        )
    if "min_peers" in params:
        # A peer comparison needs a peer group with enough others in it somewhere.
        largest = int(
            engine.fetch("SELECT coalesce(max(peer_group_size), 0) FROM peer_groups")[0][0]
        )
        if largest - 1 < params["min_peers"]:
            return DetectorOutcome(
                detector.name,
                "skipped",
                reason=f"too few peers: the largest peer group has {max(largest - 1, 0)} others "
                f"for each member; comparisons need {int(params['min_peers'])}",
            )
    built: dict[str, float] = {}
    notes: dict[str, str] = {}
    for shared in shared_read(detector.evidence_sql(params), detector.signal_sql(params)):
        if not _has_shared(engine, shared, spark):
            built[shared.name], notes[shared.name] = _build_shared(engine, shared, spark, last)
    sign, carried = None, None
    evidence_is_view = False
    if spark is None:
        local = detector.day_local
        if local is None:
            evidence = detector.evidence_sql(params)
            engine.execute(f"CREATE OR REPLACE TEMP TABLE _evidence AS {evidence}")
        else:
            # What is found day by day is kept for the next run, in place.
            sign, carried = _keep_day_evidence(engine, detector, params, last)
            kept = kept_evidence(detector.name)
            if local.finished is not None:  # the evidence is finished from all of the rows
                finished = local.finished.evidence(params, kept)
                engine.execute(f"CREATE OR REPLACE TEMP TABLE _evidence AS {finished}")
            else:  # read where it is kept: a copy of millions of rows would only cost time
                engine.execute(f"CREATE OR REPLACE TEMP VIEW _evidence AS FROM {kept}")
                evidence_is_view = True
        engine.execute(f"CREATE OR REPLACE TEMP TABLE _signals AS {detector.signal_sql(params)}")
        tested = (
            engine.fetch_arrow(detector.null_model.tested_sql(params))
            if detector.null_model
            else None
        )
    else:
        tested = _compute_on_spark(spark, engine, detector, params)
    null_model = None if tested is None else _keep_calibrated(engine, detector, params, tested)
    engine.execute(
        """INSERT INTO signals
           SELECT ? || ':' || s.person_key, ?, ?, ?, s.person_key, s.strength, s.reason,
                  s.period_start, s.period_end, (SELECT count(*) FROM _evidence e WHERE e.person_key = s.person_key)
           FROM _signals s""",
        [detector.name, detector.name, detector.concern, detector.purpose],
    )
    engine.execute(
        """INSERT INTO evidence
           SELECT ? || ':' || e.person_key, e.source_table, e.source_file, e.source_row, e.occurred_at, e.detail
           FROM _evidence e WHERE e.person_key IN (SELECT person_key FROM _signals)""",
        [detector.name],
    )
    n = int(engine.fetch("SELECT count(*) FROM _signals")[0][0])
    engine.execute(f"DROP {'VIEW' if evidence_is_view else 'TABLE'} _evidence")
    engine.execute("DROP TABLE _signals")
    return DetectorOutcome(
        detector.name,
        "ran",
        signals=n,
        built=built,
        built_notes=notes,
        signature=sign,
        carried=carried,
        null_model=null_model,
    )


def _keep_calibrated(
    engine: Engine, detector: Detector, params: Params, tested: pa.Table
) -> dict[str, float]:
    """Keep the candidate `_signals` the null model finds at the false-discovery rate, with the
    calibrated strength and the chance of the count in the reason."""
    assert detector.null_model is not None
    found = calibrate(tested, detector.null_model.kind, params["fdr"], params["prior"])
    chance = pa.array([one_in(p) for p in found.table.column("p_value").to_pylist()], pa.string())
    engine.register("_calibrated", found.table.append_column("chance", chance))
    # In place: `_signals` is a temporary table on DuckDB, a registered one after Spark.
    engine.execute(
        "DELETE FROM _signals WHERE person_key NOT IN (SELECT person_key FROM _calibrated)"
    )
    engine.execute(
        """UPDATE _signals SET strength = c.strength,
                  reason = rtrim(_signals.reason, '.') || '; ' || ? || ': ' || c.chance || '.'
           FROM _calibrated c WHERE _signals.person_key = c.person_key""",
        [detector.null_model.chance],
    )
    engine.execute("DROP TABLE _calibrated")
    return {"tested": found.tested, "dispersion": found.dispersion, "kept": found.flagged}


def _keep_day_evidence(
    engine: Engine, detector: Detector, params: Params, last: LastDetection | None
) -> tuple[str, str | None]:
    """Write a day-local detector's rows found day by day (its evidence, or the rows finished
    into it) to the table kept for the next run: carried over from the last run where that is
    exact, the rest found (`carry.py`). Returns its signature, and what was kept from the last
    run (or why nothing was)."""
    local = detector.day_local
    assert local is not None
    evidence = detector.evidence_sql(params)
    sign = signature(detector.name, local, params, evidence, detector.signal_sql(params))
    kept = kept_evidence(detector.name)
    if last is not None:
        since, why = carry_since(engine, detector.name, local, params, sign, last)
        if since is not None:
            carry_evidence(engine, detector.name, local, params, since)
            if since == date.max:
                return sign, f"all evidence kept from run {last.run_id}"
            return sign, f"evidence before {since.isoformat()} kept from run {last.run_id}"
    rows = local.finished.rows(params) if local.finished is not None else evidence
    engine.execute(f"CREATE OR REPLACE TABLE {kept} AS {rows}")
    return sign, None if last is None else f"found in full: {why}"


def _has_shared(engine: Engine, shared: SharedLookups, spark: SparkEngine | None) -> bool:
    if spark is not None:
        return spark.has_view(shared.name)
    return bool(
        engine.fetch(
            "SELECT 1 FROM duckdb_views() WHERE temporary AND view_name = ?", [shared.name]
        )
    )


def _build_shared(
    engine: Engine, shared: SharedLookups, spark: SparkEngine | None, last: LastDetection | None
) -> tuple[float, str]:
    """Build a shared look-up; the seconds it took, and what was kept from the last run (or
    why nothing was). On DuckDB it is a table kept for the next run, read through a view."""
    started = time.perf_counter()
    note = ""
    if spark is not None:  # in one view: Spark plans the pass over a cached view of the keys
        # with the keys' whole plan in it, and ran out of memory writing it out
        spark.cache_view(shared.name, shared.sql)
        spark.fetch_arrow(f"SELECT count(*) FROM {shared.name}")  # Spark caches on first use
        for view, sql in shared.views.items():
            spark.cache_view(view, sql)
    else:
        keys = kept_keys(shared.name)
        engine.execute(f"CREATE OR REPLACE TABLE {keys} AS {shared.keys}")
        query = shared.over("access_log", keys)
        if last is not None:
            kept, why = carry_lookups(engine, shared, last)
            if kept:
                keys_added, records, later = match_added_keys(engine, shared, kept)
                query = carried_lookups(shared, kept)
                note = (
                    f"look-ups in audit-log records 1–{kept:,} kept from run {last.run_id}; "
                    f"{records:,} of those records match one of {keys_added:,} added keys"
                    + (f" ({later:,} more begin after the last of them)" if later else "")
                )
            else:
                note = f"found in full: {why}"
        table = kept_lookups(shared.name)
        engine.execute(f"CREATE OR REPLACE TABLE {table} AS {query}")
        drop_added(engine)
        engine.execute(f"CREATE TEMP VIEW {shared.name} AS FROM {table}")
        for view, sql in shared.views.items():
            engine.execute(f"CREATE TEMP VIEW {view} AS {sql}")
    return round(time.perf_counter() - started, 3), note


def drop_shared(engine: Engine, spark: SparkEngine | None = None) -> None:
    """Stop reading the shared look-ups built in this run (when detection ends); DuckDB keeps
    their tables for the next run."""
    for shared in SHARED:
        for name in (*shared.views, shared.name):  # the views first: they read the table's
            if spark is not None and spark.has_view(name):
                spark.drop_view(name)
            engine.execute(f"DROP VIEW IF EXISTS temp.{name}")


def _compute_on_spark(
    spark: SparkEngine, engine: Engine, detector: Detector, params: Params
) -> pa.Table | None:
    """Evidence and signals computed by Spark, written to `engine` as the `_evidence` and
    `_signals` tables the DuckDB path would have made (evidence of signalled people only:
    the rest is never kept); for a null-model detector, the people it tests."""
    spark.cache_view("_evidence", detector.evidence_sql(params))
    spark.cache_view("_signals", detector.signal_sql(params))
    tested = (
        spark.fetch_arrow(detector.null_model.tested_sql(params)) if detector.null_model else None
    )
    engine.register(
        "_evidence",
        spark.fetch_arrow(
            "SELECT * FROM _evidence WHERE person_key IN (SELECT person_key FROM _signals)"
        ),
    )
    engine.register("_signals", spark.fetch_arrow("SELECT * FROM _signals"))
    spark.drop_view("_signals")
    spark.drop_view("_evidence")
    return tested


def warehouse_inputs(detectors: Iterable[Detector], params: Mapping[str, Params]) -> set[str]:
    """Every warehouse table the detectors' queries read (through shared look-ups too)."""
    read: set[str] = set()
    for d in detectors:
        p = params[d.name]
        read |= tables_read(d.evidence_sql(p)) | tables_read(d.signal_sql(p))
        if d.null_model is not None:
            read |= tables_read(d.null_model.tested_sql(p))
    return warehouse_tables(read - {"_evidence"})


def date_range_sql(start: str, end: str) -> str:
    """'between 3 Jan 2026 and 20 Jun 2026' (or 'on 3 Jan 2026' for one day), as SQL."""
    return (
        f"CASE WHEN CAST({start} AS DATE) = CAST({end} AS DATE) THEN 'on ' || strftime({start}, '%-d %b %Y') "
        f"ELSE 'between ' || strftime({start}, '%-d %b %Y') || ' and ' || strftime({end}, '%-d %b %Y') END"
    )

"""One run, stage by stage: ingest → resolve → warehouse → detect → model → rank → publish.

Each stage reads what the stage before it wrote. The run writes into its own folder and is
published only when every stage has succeeded; on any failure the report records it and the
last good run stays current.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from probity.casework.feedback import held_back, load_review_history
from probity.casework.store import CaseStore
from probity.detectors import carry
from probity.detectors.base import (
    EVIDENCE_DDL,
    SIGNALS_DDL,
    drop_shared,
    run_detector,
    warehouse_inputs,
)
from probity.detectors.registry import all_detectors, day_local_detectors
from probity.detectors.shared import SHARED
from probity.governance.audit import AuditLog
from probity.governance.pseudonyms import pseudonym, workspace_key
from probity.ingest.incremental import (
    Fingerprints,
    PreviousIngest,
    copy_warehouse,
    ingest_signature,
    previous_ingest,
    resume,
)
from probity.ingest.load import IngestResult, ingest
from probity.ingest.shrink import ShrinkRefused, shrinkage
from probity.ingest.sources import find_sources
from probity.model import reuse as model_reuse
from probity.model.early_warning import run_model
from probity.policy import POLICY_FILE, Policy, load_policy
from probity.publish.serving import build_serving_tables
from probity.publish.workspace import Workspace, WorkspaceError
from probity.ranking.gate import rank_with_gate
from probity.resolve.judgements import JudgementStore
from probity.resolve.linkage import OnSpark
from probity.resolve.resolver import resolve
from probity.resolve.reuse import PREVIOUS, LastRun, keep_previous
from probity.resolve.reuse import drop_previous as drop_previous_links
from probity.warehouse import growth, log_months
from probity.warehouse.engine import DuckDBEngine, memory_share
from probity.warehouse.growth import LastBuild
from probity.warehouse.spark import SparkEngine, SparkSettings, hand_over
from probity.warehouse.spill import SpillWatch
from probity.warehouse.views import GROWING, build_views

Progress = Callable[[str, str], None]


class RunFailed(Exception):
    def __init__(self, run_id: str, message: str) -> None:
        self.run_id = run_id
        super().__init__(message)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def run_pipeline(
    source: Path,
    workspace_root: Path,
    *,
    policy: Policy | None = None,
    progress: Progress = lambda stage, detail: None,
    actor: str | None = None,
    incremental: bool = True,
    spark_settings: SparkSettings | None = None,
    memory_limit: str | None = None,
    accept_shrink: str | None = None,
) -> dict[str, Any]:
    """Run every stage into a new run folder and publish it. With `incremental`, source tables
    whose files are unchanged since the last good run, or only grew at the end, are taken from
    that run rather than read again; every later stage runs in full, so the result is the
    same as a full run's. With `spark_settings`, Splink and the detectors run on Spark
    (`warehouse/spark.py`, `resolve/on_spark.py`). `memory_limit` caps DuckDB's memory (e.g.
    "8GB"; by default 40% of the machine's); beyond it DuckDB spills to disk, and the report
    gives each stage's `spilled_bytes`. Exports that shrank sharply against the last good run
    are refused (`ingest/shrink.py`) unless `accept_shrink` gives the reason they are right."""
    ws = Workspace(workspace_root)
    with ws.exclusive():
        policy = policy or load_policy(workspace_root / POLICY_FILE)
        ws.mark_abandoned()
        run_id = ws.new_run_id()
        run_dir = ws.run_dir(run_id)
        run_dir.mkdir(parents=True)
        report: dict[str, Any] = {
            "run_id": run_id,
            "status": "running",
            "started_at": _now(),
            "finished_at": None,
            "source": str(source.resolve()),
            "engine": "duckdb" if spark_settings is None else "spark",
            "stages": {},
        }
        ws.write_report(run_id, report)
        audit = AuditLog(workspace_root)
        report["policy_sha256"] = _record_policy_change(audit, policy, actor)
        engine: DuckDBEngine | None = None
        spark: SparkEngine | None = None
        stage_started = time.perf_counter()

        spill: SpillWatch | None = None

        def stage_done(name: str) -> None:
            nonlocal stage_started
            now = time.perf_counter()
            report["stages"][name] = {"seconds": round(now - stage_started, 3)}
            if spill is not None:  # the most the stage had spilled to disk at once
                report["stages"][name]["spilled_bytes"] = spill.lap()
            stage_started = now

        try:
            progress("ingest", "")
            engine, previous, fingerprints = _open_warehouse(
                ws, run_id, source, incremental, memory_limit or default_memory_limit()
            )
            report["memory_limit"] = engine.fetch("SELECT current_setting('memory_limit')")[0][0]
            if engine.spill_folder is not None:
                spill = SpillWatch(engine.spill_folder)
            report["ingest_signature"] = ingest_signature()
            report["ingest"] = {"previous_run": previous.run_id if previous else None}
            result = ingest(
                engine,
                source,
                progress=lambda table: progress("ingest", table),
                previous=previous,
                fingerprints=fingerprints,
            )
            report["tables"] = {name: _table_report(asdict(c)) for name, c in result.tables.items()}
            report["inputs"] = result.inputs()
            report["ingest"]["tables"] = {n: p.describe() for n, p in result.plans.items()}
            report["unknown_files"] = result.unknown_files
            report["absent_tables"] = result.absent_tables
            report["ingest"]["shrink_accepted"] = _check_shrink(
                ws, run_id, result, policy.ingest.max_shrink, accept_shrink, audit, actor
            )
            stage_done("ingest")

            progress("resolve", "")
            on_spark = None
            if spark_settings is not None:
                spark = SparkEngine(spark_settings)
                on_spark = OnSpark(spark, run_dir / "spark-linkage")
            last = None
            # What the last run resolved and learnt, for what a daily run can take over.
            before = ws.read_report(previous.run_id) if previous is not None else {}
            if previous is not None:
                plans = result.plans.items()
                unchanged = {n for n, plan in plans if plan.mode == "unchanged"}
                # the tables that only grew, and how many records each had last time
                grew = {
                    n: int(previous.inputs[n]["records"])
                    for n, plan in plans
                    if plan.mode == "appended"
                }
                last = LastRun(
                    previous.run_id, before.get("identities", {}), frozenset(unchanged), grew
                )
            report["identities"] = resolve(
                engine,
                policy.linkage,
                JudgementStore(workspace_root).as_table(),
                set(result.absent_tables),
                progress=lambda task: progress("resolve", task),
                on_spark=on_spark,
                last=last,
            )
            shutil.rmtree(run_dir / "spark-linkage", ignore_errors=True)
            stage_done("resolve")

            progress("warehouse", "")
            last_build = None
            if previous is not None:
                last_build = LastBuild(
                    previous.run_id,
                    before.get("warehouse", {}),
                    {n: (p.mode, p.kept) for n, p in result.plans.items()},
                )
            report["derived"], report["warehouse"] = build_views(engine, last_build)
            stage_done("warehouse")

            engine.execute(SIGNALS_DDL)
            engine.execute(EVIDENCE_DDL)
            absent = set(result.absent_tables)
            if spark is not None:
                wanted = [d for d in all_detectors() if policy.enabled(d.name)]
                params = {d.name: d.params(policy.thresholds(d.name)) for d in wanted}
                report["spark"] = hand_over(
                    engine, spark, warehouse_inputs(wanted, params), run_dir / "spark-input"
                )
            last_detection = None
            if previous is not None:
                last_detection = carry.LastDetection(
                    previous.run_id,
                    before.get("detectors", {}),
                    {n: (p.mode, p.kept) for n, p in result.plans.items()},
                    before.get("shared_lookups", {}),
                )
            report["detectors"], report["shared_lookups"] = _detect(
                engine, policy, absent, spark, last_detection, progress
            )
            if spark is not None:
                spark.close()
                spark = None
                shutil.rmtree(run_dir / "spark-input", ignore_errors=True)
            stage_done("detect")

            reviewed = CaseStore(workspace_root).reviewed_table()
            report["review"] = {"decisions": load_review_history(engine, reviewed)}

            progress("model", "")
            last_model = None
            if previous is not None:
                last_model = model_reuse.LastModel(previous.run_id, before.get("model", {}))
            report["model"] = (
                run_model(engine, policy.model.settings(), absent, last_model)
                if policy.model.enabled
                else {"status": "skipped", "reason": "disabled by policy"}
            )
            model_reuse.drop_previous(engine)
            stage_done("model")

            progress("rank", "")
            key = workspace_key(workspace_root)
            names = {
                str(r[0]): pseudonym(key, str(r[0]))
                for r in engine.fetch("SELECT person_key FROM person_dim")
            }
            engine.register(
                "pseudonyms",
                pa.table({"person_key": list(names), "pseudonym": list(names.values())}),
            )
            report["queue"], report["fairness"] = rank_with_gate(
                engine, names, policy.fairness.on_alert, policy.fairness.min_share
            )
            report["review"]["signals_already_reviewed"] = held_back(engine)
            stage_done("rank")

            progress("publish", "")
            report["serving"] = build_serving_tables(engine)
            engine.execute("CHECKPOINT")
            engine.close()
            report["status"] = "succeeded"
            report["finished_at"] = _now()
            ws.write_report(run_id, report)
            ws.publish(run_id)
            stage_done("publish")
            if spill is not None:
                spill.stop()
            ws.write_report(run_id, report)
            audit.append(
                "run",
                actor=actor,
                details={
                    "run_id": run_id,
                    "status": "succeeded",
                    "source": report["source"],
                    "policy_sha256": report["policy_sha256"],
                },
            )
            ws.prune(policy.runs_kept)
            return report
        except BaseException as e:  # includes KeyboardInterrupt: the report says it failed
            with contextlib.suppress(Exception):  # the engine may already be closed
                if engine is not None:
                    engine.close()
            with contextlib.suppress(Exception):
                if spark is not None:
                    spark.close()
            if spill is not None:
                spill.stop()
            report["status"] = "failed"
            report["finished_at"] = _now()
            report["error"] = str(e) or type(e).__name__
            ws.write_report(run_id, report)
            audit.append(
                "run",
                actor=actor,
                details={"run_id": run_id, "status": "failed", "error": report["error"]},
            )
            ws.prune(policy.runs_kept)
            if isinstance(e, Exception):
                raise RunFailed(run_id, report["error"]) from e
            raise


def _detect(
    engine: DuckDBEngine,
    policy: Policy,
    absent: set[str],
    spark: SparkEngine | None,
    last: carry.LastDetection | None,
    progress: Progress,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run every detector the policy enables; the report's `detectors` and `shared_lookups`."""
    detectors: dict[str, Any] = {}
    seconds: dict[str, float] = {}  # look-ups several detectors read: built once
    notes: dict[str, str] = {}
    for d in all_detectors():
        progress("detect", d.name)
        started = time.perf_counter()
        if not policy.enabled(d.name):
            detectors[d.name] = {"status": "skipped", "reason": "disabled by policy", "signals": 0}
            continue
        outcome = run_detector(engine, d, d.params(policy.thresholds(d.name)), absent, spark, last)
        seconds.update(outcome.built)
        notes.update({name: note for name, note in outcome.built_notes.items() if note})
        detectors[d.name] = {
            "status": outcome.status,
            "signals": outcome.signals,
            "concern": d.concern,
            "purpose": d.purpose,
            "seconds": round(time.perf_counter() - started - sum(outcome.built.values()), 3),
        }
        if outcome.reason:
            detectors[d.name]["reason"] = outcome.reason
        if outcome.signature:
            detectors[d.name]["signature"] = outcome.signature
        if outcome.carried:
            detectors[d.name]["carried"] = outcome.carried
        if outcome.null_model:
            detectors[d.name]["null_model"] = outcome.null_model
    drop_shared(engine, spark)
    carry.drop_previous(engine, day_local_detectors())
    drop_previous_links(engine)  # kept past resolve: the shared look-ups compare ties with them
    shared: dict[str, Any] = {"seconds": seconds}
    if spark is None:  # kept in the warehouse for the next run, which may carry them over
        shared["signatures"] = {s.name: carry.lookups_signature(s) for s in SHARED}
        shared["carried"] = notes
    return detectors, shared


# DuckDB would take 80% of the machine's memory. A run also holds Arrow buffers and Python, and
# reading the exports wants the operating system's page cache, so by default DuckDB gets 40%;
# beyond it work spills to disk (at Met scale only ingest spills, and no slower).
DEFAULT_MEMORY_SHARE = 0.4


def default_memory_limit() -> str:
    """DuckDB's memory limit when none is given: a share of this machine's memory."""
    return memory_share(DEFAULT_MEMORY_SHARE)


def _open_warehouse(
    ws: Workspace, run_id: str, source: Path, incremental: bool, memory_limit: str | None
) -> tuple[DuckDBEngine, PreviousIngest | None, Fingerprints]:
    """The new run's warehouse: a copy of the last good run's source tables when they can be
    reused (every other table dropped, to be built again), else empty; and the fingerprints of
    the exports in `source`, taken meanwhile."""
    target = ws.warehouse(run_id)
    last = ws.current_run() if incremental else None
    report = ws.read_report(last) if last else None
    previous = previous_ingest(report) if report else None
    if last is None or previous is None or not ws.warehouse(last).exists():
        fingerprints = Fingerprints(find_sources(source)[0], None)
        return DuckDBEngine(target, memory_limit=memory_limit), None, fingerprints
    fingerprints = Fingerprints(find_sources(source)[0], previous)
    copy_warehouse(ws.warehouse(last), target)
    engine = DuckDBEngine(target, memory_limit=memory_limit)
    keep_previous(engine)  # the last run's links, for tasks whose inputs did not change
    model_reuse.set_aside(engine)  # and its model, should it have learnt from the same examples
    # and the audit log's monthly counts, for months no new record falls in (before `carry`
    # sets whose accounts are whose aside under its own name)
    counts = log_months.set_aside(engine)
    # and the evidence of detectors that find it day by day, for days no new record touches
    carried = carry.set_aside(engine, day_local_detectors())
    # and the derived tables a day's new records only add to
    grown = growth.set_aside(engine, GROWING)
    kept = [*PREVIOUS.values(), *model_reuse.PREVIOUS.values(), *carried, *counts, *grown]
    return engine, resume(engine, previous, also_keep=kept), fingerprints


def _record_policy_change(audit: AuditLog, policy: Policy, actor: str | None) -> str:
    """The effective policy's fingerprint; a configuration event when it differs from the one
    the last run used, so every change of thresholds, roles of the model or retention is on
    the record."""
    digest = hashlib.sha256(policy.model_dump_json().encode()).hexdigest()
    previous = next(
        (
            e["details"].get("policy_sha256")
            for e in reversed(audit.entries())
            if e["action"] == "run" and e["details"].get("policy_sha256")
        ),
        None,
    )
    if previous != digest:
        audit.append(
            "configure",
            actor=actor,
            details={"what": "policy", "sha256": digest, "previous": previous},
        )
    return digest


def _check_shrink(
    ws: Workspace,
    run_id: str,
    result: IngestResult,
    max_fraction: float,
    accepted_because: str | None,
    audit: AuditLog,
    actor: str | None,
) -> list[str]:
    """Refuse exports that shrank against the published run, or record who accepted it."""
    last = ws.current_run()
    if last is None:
        return []
    try:
        before = ws.read_report(last).get("tables") or {}
    except WorkspaceError:
        return []
    records = {name: counts.rows_read for name, counts in result.tables.items()}
    shrinks = shrinkage(records, before, max_fraction)
    if not shrinks:
        return []
    if not (accepted_because or "").strip():
        raise ShrinkRefused(shrinks, last, max_fraction)
    described = [s.describe() for s in shrinks]
    audit.append(
        "accept_shrink",
        actor=actor,
        reason=str(accepted_because).strip(),
        details={"run_id": run_id, "last_good_run": last, "tables": described},
    )
    return described


def _table_report(counts: dict[str, Any]) -> dict[str, Any]:
    return {
        "file": counts["file"],
        "rows_read": counts["rows_read"],
        "rows_loaded": counts["rows_loaded"],
        "rows_quarantined": counts["rows_quarantined"],
        "quarantine_reasons": counts["quarantine_reasons"],
        "extra_columns": counts["extra_columns"],
        "missing_columns": counts["missing_columns"],
    }

"""Retention: what nobody acted on does not stay for ever.

- Signals (with their evidence and queue entries) whose evidence ends more than
  `signal_days` ago, about people no one has recorded a decision on for that purpose, are
  removed from every kept run.
- No-further-action decisions older than `no_further_action_days` are removed, from the case
  store and from the copies of it (`review_history`) that kept runs hold.

The audit log records that a removal happened and how much was removed, never what.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from probity.casework.feedback import REVIEW_HISTORY
from probity.casework.store import CaseStore
from probity.governance.audit import AuditLog
from probity.publish.serving import build_serving_tables
from probity.publish.workspace import Workspace
from probity.ranking.priority import build_queue
from probity.warehouse.engine import DuckDBEngine


@dataclass(frozen=True)
class RetentionResult:
    signals_removed: int
    evidence_removed: int
    queue_entries_removed: int
    decisions_removed: int
    history_rows_removed: int
    runs: int


def apply_retention(
    workspace: Path,
    *,
    signal_days: int,
    no_further_action_days: int,
    actor: str,
    now: datetime | None = None,
) -> RetentionResult:
    now = now or datetime.now(UTC)
    signal_cutoff = (now - timedelta(days=signal_days)).replace(tzinfo=None)
    decisions = CaseStore(workspace)
    recorded = decisions.all()
    acted_on = {(d.person_key, d.purpose) for d in recorded}
    nfa_cutoff = (now - timedelta(days=no_further_action_days)).isoformat()
    expired = [d for d in recorded if d.outcome == "no_further_action" and d.at < nfa_cutoff]
    expired_ids = [d.id for d in expired if d.id is not None]
    ws = Workspace(workspace)
    totals = [0, 0, 0]
    history_removed = 0
    runs = 0
    with ws.exclusive():
        for run_dir in sorted(ws.runs.iterdir()) if ws.runs.exists() else []:
            path = ws.warehouse(run_dir.name)
            if not path.exists():
                continue
            runs += 1
            # A signal with no dated evidence (a standing concern) dates from its run.
            finished = ws.read_report(run_dir.name).get("finished_at") or now.isoformat()
            ran_at = datetime.fromisoformat(finished).replace(tzinfo=None)
            for i, n in enumerate(_expire_signals(path, signal_cutoff, acted_on, ran_at)):
                totals[i] += n
            history_removed += _forget_decisions(path, expired_ids)
        removed_decisions = decisions.remove(expired)
    result = RetentionResult(
        totals[0], totals[1], totals[2], removed_decisions, history_removed, runs
    )
    AuditLog(workspace).append(
        "retention",
        actor=actor,
        details={
            "signal_days": signal_days,
            "no_further_action_days": no_further_action_days,
            **result.__dict__,
        },
    )
    return result


def _forget_decisions(path: Path, decision_ids: list[int]) -> int:
    """Remove decisions from a kept run's copy of the case store; returns the rows removed."""
    if not decision_ids:
        return 0
    engine = DuckDBEngine(path)
    try:
        if not engine.table_exists(REVIEW_HISTORY):
            return 0
        marks = ", ".join("?" for _ in decision_ids)
        where = f"WHERE decision_id IN ({marks})"
        removed = int(
            engine.fetch(f"SELECT count(*) FROM {REVIEW_HISTORY} {where}", decision_ids)[0][0]
        )
        if removed:
            engine.execute(f"DELETE FROM {REVIEW_HISTORY} {where}", decision_ids)
            engine.execute("CHECKPOINT")
        return removed
    finally:
        engine.close()


def _expire_signals(
    path: Path, cutoff: datetime, acted_on: set[tuple[str, str]], ran_at: datetime
) -> tuple[int, int, int]:
    engine = DuckDBEngine(path)
    try:
        engine.execute(
            """CREATE OR REPLACE TEMP TABLE _expired AS
               SELECT signal_id FROM signals s
               WHERE coalesce(s.period_end, s.period_start, ?) < ?""",
            [ran_at, cutoff],
        )
        for person_key, purpose in acted_on:
            engine.execute(
                """DELETE FROM _expired WHERE signal_id IN (
                     SELECT signal_id FROM signals WHERE person_key = ? AND purpose = ?)""",
                [person_key, purpose],
            )
        signals = int(engine.fetch("SELECT count(*) FROM _expired")[0][0])
        if not signals:
            return 0, 0, 0
        evidence = int(
            engine.fetch(
                "SELECT count(*) FROM evidence WHERE signal_id IN (SELECT * FROM _expired)"
            )[0][0]
        )
        before = int(engine.fetch("SELECT count(*) FROM queue")[0][0])
        engine.execute("DELETE FROM evidence WHERE signal_id IN (SELECT signal_id FROM _expired)")
        engine.execute("DELETE FROM signals WHERE signal_id IN (SELECT signal_id FROM _expired)")
        names = {
            str(k): str(p) for k, p in engine.fetch("SELECT person_key, pseudonym FROM pseudonyms")
        }
        build_queue(engine, names)
        after = int(engine.fetch("SELECT count(*) FROM queue")[0][0])
        if engine.table_exists("serving_timeline"):  # the person page's copy of the signals
            build_serving_tables(engine)
        engine.execute("CHECKPOINT")
        return signals, evidence, before - after
    finally:
        engine.close()

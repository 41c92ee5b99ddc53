"""Retention removes what nobody acted on once its period is over, and nothing else; the audit
log records that it happened, not what was removed."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import update

from probity.casework.feedback import load_review_history
from probity.casework.store import CaseStore
from probity.casework.tables import DecisionRow
from probity.governance.audit import AuditLog
from probity.governance.retention import RetentionResult, apply_retention
from probity.publish.workspace import Workspace
from probity.warehouse.engine import DuckDBEngine

PS = "professional_standards"


@pytest.fixture()
def ws(small_run: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "ws"
    shutil.copytree(small_run, copy)
    return copy


def _warehouse(ws: Path) -> DuckDBEngine:
    w = Workspace(ws)
    return DuckDBEngine(w.warehouse(w.require_current()), read_only=True)


def _people(ws: Path) -> list[str]:
    engine = _warehouse(ws)
    try:
        return [
            str(r[0])
            for r in engine.fetch(
                "SELECT person_key FROM queue WHERE purpose = ? ORDER BY rank", [PS]
            )
        ]
    finally:
        engine.close()


def _age(store: CaseStore, person_key: str) -> None:
    """Date the person's decisions long ago."""
    with store.engine.begin() as db:
        db.execute(
            update(DecisionRow)
            .where(DecisionRow.person_key == person_key)
            .values(decided_at=datetime(2021, 1, 1, tzinfo=UTC))
        )


def _apply(ws: Path, year: int) -> RetentionResult:
    """Retention with one-year periods, as on 1 January of `year`."""
    return apply_retention(
        ws,
        signal_days=365,
        no_further_action_days=365,
        actor="admin",
        now=datetime(year, 1, 1, tzinfo=UTC),
    )


def test_nothing_is_removed_before_its_time(ws: Path) -> None:
    result = _apply(ws, 2020)
    assert (result.signals_removed, result.queue_entries_removed, result.decisions_removed) == (
        0,
        0,
        0,
    )
    assert result.history_rows_removed == 0


def test_unacted_signals_expire_and_decided_ones_stay(ws: Path) -> None:
    queued = _people(ws)
    decided_nfa, referred = queued[0], queued[1]
    store = CaseStore(ws)
    store.record(decided_nfa, PS, "no_further_action", "explained by duties", "inv")
    store.record(referred, PS, "refer_professional_standards", "needs assessment", "inv")
    _age(store, decided_nfa)  # the no-further-action decision was taken long ago

    engine = _warehouse(ws)
    kept_signals = engine.fetch(
        "SELECT signal_id FROM signals WHERE purpose = ? AND person_key IN (?, ?) ORDER BY 1",
        [PS, decided_nfa, referred],
    )
    total = int(engine.fetch("SELECT count(*) FROM signals")[0][0])
    engine.close()

    result = _apply(ws, 2035)

    engine = _warehouse(ws)
    try:
        assert engine.fetch("SELECT signal_id FROM signals ORDER BY 1") == kept_signals
        assert result.signals_removed == total - len(kept_signals)
        orphans = engine.fetch(
            "SELECT count(*) FROM evidence WHERE signal_id NOT IN (SELECT signal_id FROM signals)"
        )
        assert orphans == [(0,)]
        # The person page's copy of the signals went with them.
        shown = engine.fetch(
            "SELECT DISTINCT person_key FROM serving_timeline WHERE source = 'signals'"
        )
        assert {str(r[0]) for r in shown} <= {decided_nfa, referred}
        assert {str(r[0]) for r in engine.fetch("SELECT person_key FROM queue")} == {
            decided_nfa,
            referred,
        }
    finally:
        engine.close()
    # The old no-further-action decision is gone; the referral stays.
    assert [(d.person_key, d.outcome) for d in CaseStore(ws).all()] == [
        (referred, "refer_professional_standards")
    ]
    event = AuditLog(ws).entries()[-1]
    assert event["action"] == "retention" and event["subject"] is None
    assert event["details"]["signals_removed"] == result.signals_removed
    assert event["details"]["decisions_removed"] == 1
    assert AuditLog(ws).verify().ok


def test_expired_decisions_leave_the_review_history_of_kept_runs(ws: Path) -> None:
    queued = _people(ws)
    store = CaseStore(ws)
    store.record(queued[0], PS, "no_further_action", "explained by duties", "inv")
    store.record(queued[1], PS, "no_further_action", "explained by duties", "inv")
    store.record(queued[2], PS, "refer_professional_standards", "needs assessment", "inv")
    _age(store, queued[0])  # only this one is past its period
    # The current run took all three decisions into account, as a run after them would.
    w = Workspace(ws)
    engine = DuckDBEngine(w.warehouse(w.require_current()))
    load_review_history(engine, store.reviewed_table())
    engine.close()

    result = _apply(ws, 2023)

    engine = _warehouse(ws)
    try:
        left = engine.fetch("SELECT DISTINCT person_key FROM review_history ORDER BY 1")
        assert [str(r[0]) for r in left] == sorted(queued[1:3])
    finally:
        engine.close()
    assert result.decisions_removed == 1
    assert result.history_rows_removed >= 1
    assert AuditLog(ws).entries()[-1]["details"]["history_rows_removed"] == (
        result.history_rows_removed
    )

"""A day-local detector's declaration covers every table its evidence reads, and its evidence
from a day on is exactly the full evidence of those days (`detectors/carry.py`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from probity.detectors.base import Detector, Params
from probity.detectors.carry import broken_assumption
from probity.detectors.registry import day_local_detectors, detector
from probity.publish.workspace import Workspace
from probity.warehouse.dialect import tables_read
from probity.warehouse.engine import DuckDBEngine
from probity.warehouse.views import DERIVED

LOCAL = day_local_detectors()


def _by_day(d: Detector, params: Params) -> str:
    """What a detector finds day by day: its evidence, or the rows finished into evidence."""
    assert d.day_local is not None
    finished = d.day_local.finished
    return finished.rows(params) if finished else d.evidence_sql(params)


def test_some_detector_carries_evidence() -> None:
    assert "rostered_no_activity" in dict(LOCAL)


@pytest.mark.parametrize(("name", "local"), LOCAL, ids=[n for n, _ in LOCAL])
def test_declaration_covers_every_table_read(name: str, local: object) -> None:
    d = detector(name)
    assert d.day_local is not None
    params = d.params()
    declared = set(d.day_local.dated) | set(d.day_local.fixed)
    read = tables_read(_by_day(d, params))
    assert read == tables_read(d.day_local.evidence_since(params, date(2025, 1, 1)))
    assert read <= declared | set(d.day_local.through), read - declared
    derived = dict(DERIVED)
    for table in d.day_local.through:  # built record by record from declared tables alone
        assert tables_read(derived[table]) <= declared, table


@pytest.mark.parametrize(("name", "local"), LOCAL, ids=[n for n, _ in LOCAL])
def test_evidence_from_a_day_is_the_full_evidence_of_those_days(
    name: str, local: object, small_run: Path
) -> None:
    d = detector(name)
    assert d.day_local is not None
    ws = Workspace(small_run)
    engine = DuckDBEngine(ws.warehouse(ws.require_current()), read_only=True)
    try:
        params = d.params()
        # A day with evidence of its own, some way before the last.
        days = engine.fetch(
            f"""SELECT DISTINCT CAST(occurred_at AS DATE) AS day FROM ({_by_day(d, params)})
                ORDER BY day DESC LIMIT 1 OFFSET 20"""
        )
        since = days[0][0]
        full = engine.fetch(
            f"""SELECT * FROM ({_by_day(d, params)})
                WHERE CAST(occurred_at AS DATE) >= DATE '{since}' ORDER BY ALL"""
        )
        later = engine.fetch(
            f"SELECT * FROM ({d.day_local.evidence_since(params, since)}) ORDER BY ALL"
        )
        assert full and later == full
    finally:
        engine.close()


def test_some_detector_finishes_its_rows_into_evidence() -> None:
    assert any(local.finished for _, local in LOCAL)


@pytest.mark.parametrize(
    ("name", "local"),
    [(n, local) for n, local in LOCAL if local.finished],
    ids=[n for n, local in LOCAL if local.finished],
)
def test_evidence_finished_from_kept_rows_is_the_full_evidence(
    name: str, local: object, small_run: Path
) -> None:
    """The evidence finished from a table of the rows is the detector's whole evidence."""
    d = detector(name)
    assert d.day_local is not None and d.day_local.finished is not None
    ws = Workspace(small_run)
    engine = DuckDBEngine(ws.warehouse(ws.require_current()), read_only=True)
    try:
        params = d.params()
        engine.execute(f"CREATE TEMP TABLE kept_rows AS {d.day_local.finished.rows(params)}")
        finished = engine.fetch(
            f"SELECT * FROM ({d.day_local.finished.evidence(params, 'kept_rows')}) ORDER BY ALL"
        )
        whole = engine.fetch(f"SELECT * FROM ({d.evidence_sql(params)}) ORDER BY ALL")
        assert whole and finished == whole
    finally:
        engine.close()


def test_a_claim_beyond_a_day_of_its_date_stops_the_carry() -> None:
    """Uncorroborated overtime keeps the evidence of earlier days only while every claim's
    hours lie within a day of its work date; one that does not makes it run in full."""
    local = detector("uncorroborated_overtime").day_local
    assert local is not None
    params = detector("uncorroborated_overtime").params()
    engine = DuckDBEngine()
    engine.execute(
        """CREATE TABLE overtime_claims AS SELECT * FROM (VALUES
             (DATE '2025-03-04', TIMESTAMP '2025-03-04 00:10', TIMESTAMP '2025-03-05 23:00'),
             (DATE '2025-03-04', NULL, NULL),
             (NULL, NULL, NULL))
           t(work_date, start_time, end_time)"""
    )
    assert broken_assumption(engine, local, params) is None
    for late in (
        "(DATE '2025-03-04', TIMESTAMP '2025-03-06 02:00', TIMESTAMP '2025-03-06 06:00')",
        "(DATE '2025-03-04', TIMESTAMP '2025-03-05 23:00', TIMESTAMP '2025-03-05 23:45')",
        "(NULL, TIMESTAMP '2025-03-05 08:00', TIMESTAMP '2025-03-05 16:00')",
    ):
        engine.execute("CREATE OR REPLACE TEMP TABLE kept AS FROM overtime_claims")
        engine.execute(f"INSERT INTO overtime_claims VALUES {late}")
        reason = broken_assumption(engine, local, params)
        assert reason == (
            "1 records of overtime_claims break the assumption that a claim's hours, with the "
            "margin, lie within a day of its work date"
        ), late
        engine.execute("DELETE FROM overtime_claims")
        engine.execute("INSERT INTO overtime_claims FROM kept")

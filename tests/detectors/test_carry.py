"""A day-local detector's declaration covers every table its evidence reads, and its evidence
from a day on is exactly the full evidence of those days (`detectors/carry.py`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from probity.detectors.registry import day_local_detectors, detector
from probity.publish.workspace import Workspace
from probity.warehouse.dialect import tables_read
from probity.warehouse.engine import DuckDBEngine
from probity.warehouse.views import DERIVED

LOCAL = day_local_detectors()


def test_some_detector_carries_evidence() -> None:
    assert "rostered_no_activity" in dict(LOCAL)


@pytest.mark.parametrize(("name", "local"), LOCAL, ids=[n for n, _ in LOCAL])
def test_declaration_covers_every_table_read(name: str, local: object) -> None:
    d = detector(name)
    assert d.day_local is not None
    params = d.params()
    declared = set(d.day_local.dated) | set(d.day_local.fixed)
    read = tables_read(d.evidence_sql(params))
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
            f"""SELECT DISTINCT CAST(occurred_at AS DATE) AS day FROM ({d.evidence_sql(params)})
                ORDER BY day DESC LIMIT 1 OFFSET 20"""
        )
        since = days[0][0]
        full = engine.fetch(
            f"""SELECT * FROM ({d.evidence_sql(params)})
                WHERE CAST(occurred_at AS DATE) >= DATE '{since}' ORDER BY ALL"""
        )
        later = engine.fetch(
            f"SELECT * FROM ({d.day_local.evidence_since(params, since)}) ORDER BY ALL"
        )
        assert full and later == full
    finally:
        engine.close()

"""The serving tables made at publish answer a person page exactly as the queries they are made
from do (which a run published without them still uses)."""

from __future__ import annotations

import shutil
from pathlib import Path

from probity.governance.access import PROFESSIONAL_STANDARDS, WELFARE
from probity.publish import casefile
from probity.publish.workspace import Workspace
from probity.warehouse.engine import DuckDBEngine

SERVING = ("serving_timeline", "serving_activity", "serving_recent", "serving_peer_stats")


def test_serving_tables_answer_as_the_queries_they_are_made_from(
    small_run: Path, tmp_path: Path
) -> None:
    ws = Workspace(small_run)
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(ws.warehouse(ws.require_current()), copy)
    engine = DuckDBEngine(copy)
    assert all(engine.table_exists(t) for t in SERVING)
    people = [
        str(r[0])
        for r in engine.fetch(
            "SELECT person_key FROM signals GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 12"
        )
    ]
    views = [
        (frozenset({PROFESSIONAL_STANDARDS}), False),
        (frozenset({WELFARE}), True),
        (frozenset({PROFESSIONAL_STANDARDS, WELFARE}), True),
    ]

    def pages() -> list[object]:
        return [
            (
                casefile.timeline(engine, p, purposes, health),
                casefile.activity(engine, p, purposes),
                casefile.peer_comparison(engine, p, purposes),
            )
            for p in people
            for purposes, health in views
        ]

    served = pages()
    for table in SERVING:
        engine.execute(f"DROP TABLE {table}")
    assert pages() == served
    assert any(timeline and activity and peers for timeline, activity, peers in served)
    engine.close()

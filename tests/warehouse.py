"""Run the stages up to detection on a hand-built export folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from probity.detectors.base import EVIDENCE_DDL, SIGNALS_DDL, run_detector
from probity.detectors.registry import detector
from probity.ingest.load import ingest
from probity.resolve.resolver import resolve
from probity.warehouse.engine import DuckDBEngine
from probity.warehouse.views import build_views


def prepared(
    folder: Path, before_resolve: Callable[[DuckDBEngine], None] | None = None
) -> tuple[DuckDBEngine, set[str]]:
    """Ingest, resolve and build the views; `before_resolve` may alter the loaded tables."""
    engine = DuckDBEngine()
    result = ingest(engine, folder)
    if before_resolve:
        before_resolve(engine)
    resolve(engine, absent_tables=set(result.absent_tables))
    build_views(engine)
    engine.execute(SIGNALS_DDL)
    engine.execute(EVIDENCE_DDL)
    return engine, set(result.absent_tables)


def signals(folder: Path, name: str) -> dict[str, str]:
    """person_key -> reason for every signal the detector raises on this folder."""
    return {p: r for p, (r, _) in strengths(folder, name).items()}


def strengths(folder: Path, name: str) -> dict[str, tuple[str, float]]:
    """person_key -> (reason, strength) for every signal the detector raises on this folder."""
    engine, absent = prepared(folder)
    d = detector(name)
    run_detector(engine, d, d.params(), absent)
    rows = engine.fetch("SELECT person_key, reason, strength FROM signals")
    return {str(p): (str(r), float(s)) for p, r, s in rows}

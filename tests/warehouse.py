"""Run the stages up to detection on a hand-built export folder."""

from __future__ import annotations

from pathlib import Path

from probity.detectors.base import EVIDENCE_DDL, SIGNALS_DDL, run_detector
from probity.detectors.registry import detector
from probity.ingest.load import ingest
from probity.resolve.resolver import resolve
from probity.warehouse.engine import DuckDBEngine
from probity.warehouse.views import build_views


def prepared(folder: Path) -> tuple[DuckDBEngine, set[str]]:
    engine = DuckDBEngine()
    result = ingest(engine, folder)
    resolve(engine)
    build_views(engine)
    engine.execute(SIGNALS_DDL)
    engine.execute(EVIDENCE_DDL)
    return engine, set(result.absent_tables)


def signals(folder: Path, name: str) -> dict[str, str]:
    """person_key -> reason for every signal the detector raises on this folder."""
    engine, absent = prepared(folder)
    d = detector(name)
    run_detector(engine, d, d.params(), absent)
    return {str(p): str(r) for p, r in engine.fetch("SELECT person_key, reason FROM signals")}

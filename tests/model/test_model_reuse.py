"""A daily run takes the early-warning model from the last run only when it would learn from
exactly the same examples, and what it takes is what training again would give."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from probity.model.early_warning import DETECTOR
from probity.pipeline import run_pipeline
from probity.publish.workspace import Workspace
from tests.model.test_early_warning import _force
from tests.test_cli import probity


def _model(workspace: Path) -> dict[str, list[tuple[Any, ...]]]:
    """The current run's model results, in a fixed order."""
    ws = Workspace(workspace)
    con = duckdb.connect(str(ws.warehouse(ws.require_current())), read_only=True)
    try:
        return {
            "scores": con.execute("SELECT * FROM model_scores ORDER BY ALL").fetchall(),
            "backtest": con.execute("SELECT * FROM model_backtest ORDER BY ALL").fetchall(),
            "signals": con.execute(
                "SELECT * FROM signals WHERE detector = ? ORDER BY ALL", [DETECTOR]
            ).fetchall(),
            "evidence": con.execute(
                """SELECT e.* FROM evidence e JOIN signals s USING (signal_id)
                   WHERE s.detector = ? ORDER BY ALL""",
                [DETECTOR],
            ).fetchall(),
        }
    finally:
        con.close()


def _without_run(section: dict[str, Any]) -> dict[str, Any]:
    """The section less what says how this run went about it (not what the model is)."""
    return {k: v for k, v in section.items() if k != "taken_from"}


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _force(tmp_path_factory.mktemp("force"))


def test_same_examples_take_the_last_model_and_match_training_again(
    exports: Path, tmp_path: Path
) -> None:
    first = run_pipeline(exports, tmp_path / "daily")
    second = run_pipeline(exports, tmp_path / "daily")
    assert first["model"]["status"] == "ran" and "taken_from" not in first["model"]
    assert second["model"]["taken_from"] == first["run_id"]
    assert _without_run(second["model"]) == _without_run(first["model"])
    shown = probity("report", "--workspace", tmp_path / "daily").stdout
    assert f"as trained in run {first['run_id']}" in shown
    taken = _model(tmp_path / "daily")
    assert taken["signals"] and taken["evidence"] and taken["backtest"]

    full = run_pipeline(exports, tmp_path / "full", incremental=False)
    assert "taken_from" not in full["model"]
    assert full["model"]["signature"] == second["model"]["signature"]
    assert _model(tmp_path / "full") == taken


def test_a_new_outcome_trains_again(exports: Path, tmp_path: Path) -> None:
    first = run_pipeline(exports, tmp_path / "daily")
    changed = tmp_path / "changed"
    shutil.copytree(exports, changed)
    with (changed / "conduct_cases.csv").open() as f:
        cases = list(csv.DictReader(f))
    cleared = next(c for c in cases if c["outcome"] == "no_case_to_answer")
    cleared["outcome"] = "written_warning"  # decided again: a new substantiated outcome
    with (changed / "conduct_cases.csv").open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(cases[0]))
        writer.writeheader()
        writer.writerows(cases)

    second = run_pipeline(changed, tmp_path / "daily")
    assert "taken_from" not in second["model"]
    assert second["model"]["signature"] != first["model"]["signature"]
    assert second["model"]["training_positives"] > first["model"]["training_positives"]
    full = run_pipeline(changed, tmp_path / "full", incremental=False)
    assert _without_run(full["model"]) == _without_run(second["model"])
    assert _model(tmp_path / "daily") == _model(tmp_path / "full")

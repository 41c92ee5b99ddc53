"""The transparency record is filled from the policy and the last run's figures, never by hand."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from probity.cli import app
from probity.publish.workspace import Workspace


def test_the_record_carries_the_last_runs_figures(small_run: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(small_run, ws)
    (ws / "policy.yaml").write_text(
        "transparency:\n  organisation: Example Constabulary\n  senior_responsible_owner: Deputy Chief Constable\n"
        "retention:\n  signal_days: 200\n"
    )
    result = CliRunner().invoke(app, ["transparency", "--workspace", str(ws), "--format", "json"])
    assert result.exit_code == 0, result.output
    rec = json.loads(result.stdout)
    w = Workspace(ws)
    report = w.read_report(w.require_current())

    assert rec["tier_1"]["organisation"] == "Example Constabulary"
    owner = rec["tier_2"]["owner_and_responsibility"]
    assert owner["senior_responsible_owner"] == "Deputy Chief Constable"
    assert rec["tier_2"]["data"]["retention"]["signals_nobody_acted_on_days"] == 200
    detectors = {d["name"]: d for d in rec["tier_2"]["tool_specification"]["detectors"]}
    assert {n: d["signals_last_run"] for n, d in detectors.items()} == {
        n: d["signals"] for n, d in report["detectors"].items()
    }
    latest = rec["tier_2"]["latest_run"]
    assert latest["run_id"] == report["run_id"]
    assert latest["queue"] == report["queue"]
    assert latest["fairness"]["alerts"] == report["fairness"]["alerts"]
    ps_black = next(
        g
        for g in report["fairness"]["purposes"]["professional_standards"]["groups"]["ethnicity"]
        if g["group"] == "Black"
    )
    assert (
        latest["fairness"]["ratios"]["professional_standards/ethnicity/Black"] == ps_black["ratio"]
    )
    sources = {s["table"]: s for s in rec["tier_2"]["data"]["sources"]}
    assert sources["access_log"]["lawful_regime"].startswith("DPA 2018 Part 3")
    assert sources["people"]["protected_columns"] == ["sex", "ethnicity"]
    assert sources["people"]["rows_loaded_last_run"] == report["tables"]["people"]["rows_loaded"]
    assert (
        rec["tier_2"]["tool_specification"]["early_warning_model"]["status"]
        == report["model"]["status"]
    )

    page = CliRunner().invoke(app, ["transparency", "--workspace", str(ws)]).stdout
    assert "Example Constabulary" in page and f"Run {report['run_id']}" in page

"""`probity evaluate --worlds`: every world built, run with the same defaults, and measured."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from probity.evaluation.worlds import flag_ratio_among_innocents
from tests.test_cli import probity


def test_each_world_is_built_run_and_measured_in_one_table(tmp_path: Path) -> None:
    worlds = tmp_path / "worlds"
    worlds.mkdir()
    (worlds / "plain.yaml").write_text("name: plain\n", encoding="utf-8")
    (worlds / "null-busy.yaml").write_text(
        "name: null-busy\nplanted: false\nlookup_volume: 3\n", encoding="utf-8"
    )
    ws = tmp_path / "ws"
    table = probity(
        "evaluate", "--worlds", worlds, "--workspace", ws, "--people", "300", "--seed", "2"
    ).stdout
    assert "recall (right concern)" in table and "null-busy" in table
    kept = json.loads((ws / "worlds" / "worlds.json").read_text(encoding="utf-8"))
    rows = {r["world"]: r for r in kept}
    assert set(rows) == {"plain", "null-busy"}
    assert rows["null-busy"]["planted"] == 0 and rows["null-busy"]["recall_right_concern"] is None
    assert rows["plain"]["planted"] > 0 and 0 <= rows["plain"]["recall_right_concern"] <= 1
    assert (ws / "worlds" / "plain" / "truth" / "planted.csv").exists()


def test_evaluate_wants_exports_and_truth_or_worlds(tmp_path: Path) -> None:
    result = probity("evaluate", "--workspace", tmp_path / "ws", check=False)
    assert result.returncode == 2 and "--worlds" in result.stderr


def test_the_flag_ratio_compares_groups_large_enough_among_innocents() -> None:
    people = pd.DataFrame(
        {
            "person_key": [f"P{i}" for i in range(600)],
            "ethnicity": ["A"] * 300 + ["B"] * 200 + ["C"] * 100,
        }
    )
    innocent = {f"P{i}" for i in range(600)}
    ranking = [f"P{i}" for i in range(0, 300, 10)] + [f"P{i}" for i in range(300, 500, 5)]
    # A: 30 of 300, B: 40 of 200; C is too small to compare.
    assert flag_ratio_among_innocents(people, ranking, innocent, len(ranking)) == 2.0
    assert flag_ratio_among_innocents(people, ranking, innocent - {"P0"}, 5) is None

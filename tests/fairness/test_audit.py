"""The fairness audit fires on a deliberately biased queue and stays quiet on a fair one."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pyarrow as pa

from probity.fairness.audit import DIMENSIONS, audit, group_counts
from probity.ranking.priority import QUEUE_DDL
from probity.warehouse.engine import DuckDBEngine

ETHNICITIES = ["White"] * 6 + ["Black", "Asian", "Mixed", "Other"]


def _warehouse(flag_rate: dict[str, float], people: int = 4000, seed: int = 1) -> DuckDBEngine:
    rng = random.Random(seed)
    engine = DuckDBEngine()
    ids = [f"E{i:05d}" for i in range(people)]
    ethnicity = [ETHNICITIES[i % len(ETHNICITIES)] for i in range(people)]
    sex = [("F", "M")[i % 2] for i in range(people)]
    engine.register(
        "_people",
        pa.table(
            {"person_id": ids, "sex": sex, "ethnicity": ethnicity, "leave_date": [None] * people},
            schema=pa.schema(
                [
                    ("person_id", pa.string()),
                    ("sex", pa.string()),
                    ("ethnicity", pa.string()),
                    ("leave_date", pa.date32()),
                ]
            ),
        ),
    )
    engine.execute("CREATE TABLE people AS SELECT * FROM _people")
    engine.execute(QUEUE_DDL)
    engine.execute("CREATE TABLE signals (detector VARCHAR, person_key VARCHAR, purpose VARCHAR)")
    rank = 0
    for pid, eth in zip(ids, ethnicity, strict=True):
        if rng.random() < flag_rate.get(eth, flag_rate["*"]):
            rank += 1
            engine.execute(
                "INSERT INTO queue VALUES ('professional_standards', ?, ?, ?, 50, 'complaint_pattern', 1, 'r')",
                [rank, pid, pid],
            )
    return engine


def test_a_biased_queue_raises_an_alert_for_the_over_flagged_group() -> None:
    result = audit(_warehouse({"Black": 0.09, "*": 0.03}))
    alerts = result["alerts"]
    assert any("ethnicity group 'Black'" in a for a in alerts), alerts
    assert not any("ethnicity group 'White'" in a for a in alerts)
    black = next(
        g
        for g in result["purposes"]["professional_standards"]["groups"]["ethnicity"]
        if g["group"] == "Black"
    )
    assert black["ratio_interval"][0] > 1.25


def test_a_fair_queue_raises_no_alert() -> None:
    result = audit(_warehouse({"*": 0.03}))
    assert result["alerts"] == []
    groups = result["purposes"]["professional_standards"]["groups"]["ethnicity"]
    for g in groups:
        lo, hi = g["ratio_interval"]
        assert lo <= g["ratio"] <= hi


def test_too_few_flagged_to_assess_raises_no_alert() -> None:
    # Ten people flagged, all Black: striking, but too few to say anything about a group.
    result = audit(_warehouse({"Black": 0.025, "*": 0.0}))
    section = result["purposes"]["professional_standards"]
    assert section["flagged"] < 20 and not section["assessable"]
    assert result["alerts"] == []


def test_small_groups_are_suppressed() -> None:
    engine = _warehouse({"*": 0.05}, people=4000)
    engine.execute("UPDATE people SET ethnicity = 'Rare' WHERE person_id IN ('E00000', 'E00001')")
    groups = audit(engine)["purposes"]["professional_standards"]["groups"]["ethnicity"]
    rare = next(g for g in groups if g["group"] == "Rare")
    assert rare == {"group": "Rare", "suppressed": True}


def _backtest(engine: DuckDBEngine, predicted: dict[str, float]) -> None:
    engine.execute(
        "CREATE TABLE model_backtest (person_key VARCHAR, cutoff DATE, label INTEGER, probability DOUBLE)"
    )
    engine.execute(
        f"""INSERT INTO model_backtest
            SELECT person_id, DATE '2025-01-01', CAST(hash(person_id) % 20 = 0 AS INTEGER),
                   CASE ethnicity WHEN '' THEN 0
                   {" ".join(f"WHEN '{k}' THEN {v}" for k, v in predicted.items() if k != "*")}
                   ELSE {predicted["*"]} END
            FROM people"""
    )


def test_a_model_that_over_predicts_for_a_group_is_reported() -> None:
    engine = _warehouse({"*": 0.03})
    _backtest(engine, {"Black": 0.15, "*": 0.05})
    result = audit(engine)
    assert any(
        "ethnicity group 'Black'" in a and "early-warning model" in a for a in result["alerts"]
    )
    groups = {g["group"]: g for g in result["model_calibration"]["groups"]}
    assert groups["Black"]["over_prediction_interval"][0] > 1.25


def test_a_model_calibrated_in_every_group_is_not_reported() -> None:
    engine = _warehouse({"*": 0.03})
    _backtest(engine, {"*": 0.05})
    result = audit(engine)
    assert result["alerts"] == []
    for g in result["model_calibration"]["groups"]:
        if not g["suppressed"]:
            lo, hi = g["over_prediction_interval"]
            assert lo <= 1.25 and hi >= 0.8


def test_each_groups_counts_are_those_of_its_members() -> None:
    # Groups of one characteristic are summed from sex × ethnicity cells: each must still count
    # exactly its own members, flagged or not, including a group with nobody flagged.
    rng = np.random.default_rng(3)
    n = 3000
    people = pd.DataFrame(
        {
            "sex": rng.choice(["F", "M", "not recorded"], n, p=[0.45, 0.5, 0.05]),
            "ethnicity": rng.choice([*ETHNICITIES, "Arab"], n),
        }
    )
    people["sex_x_ethnicity"] = people["sex"] + " / " + people["ethnicity"]
    flagged = (rng.random(n) < 0.1).astype(int)
    flagged[people["ethnicity"].to_numpy() == "Arab"] = 0
    counts = group_counts(people, flagged)
    for dim in DIMENSIONS:
        expected = {
            str(g): (len(members), int(flagged[members.index].sum()))
            for g, members in people.groupby(dim)
        }
        got = {str(g): (int(r["people"]), int(r["flagged"])) for g, r in counts[dim].iterrows()}
        assert list(got) == sorted(expected)
        assert got == expected, dim
    assert counts["ethnicity"].loc["Arab", "flagged"] == 0

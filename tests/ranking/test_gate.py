"""The fairness gate holds a detector that flags one group far more than others out of the
queue, names it, and leaves an even-handed detector alone."""

from __future__ import annotations

import random
from pathlib import Path

import pyarrow as pa

from probity.detectors.base import SIGNALS_DDL
from probity.publish.workspace import Workspace
from probity.ranking.gate import rank_with_gate
from probity.warehouse.engine import DuckDBEngine

GROUPS = ("Asian", "Black", "White")


def _engine(biased: bool) -> DuckDBEngine:
    engine = DuckDBEngine()
    people = [f"P{i:04d}" for i in range(1200)]
    engine.register(
        "people",
        pa.table(
            {
                "person_id": people,
                "sex": ["F" if i % 2 else "M" for i in range(1200)],
                "ethnicity": [GROUPS[i % 3] for i in range(1200)],
                "leave_date": pa.array([None] * 1200, pa.date32()),
            }
        ),
    )
    engine.execute(SIGNALS_DDL)
    rng = random.Random(3)
    flagged = {"even_handed": [p for p in people if rng.random() < 0.05]}
    if biased:  # 20% of the Black group, 2% of the others
        flagged["biased"] = [
            p for i, p in enumerate(people) if rng.random() < (0.2 if i % 3 == 1 else 0.02)
        ]
    for detector, who in flagged.items():
        for p in who:
            engine.execute(
                "INSERT INTO signals VALUES (?, ?, 'information_misuse', 'professional_standards', ?, 0.9, 'r', NULL, NULL, 1)",
                [f"{detector}:{p}", detector, p],
            )
    return engine


def _names(engine: DuckDBEngine) -> dict[str, str]:
    return {str(r[0]): f"S-{r[0]}" for r in engine.fetch("SELECT person_id FROM people")}


def test_a_detector_flagging_one_group_far_more_is_held_out_of_the_queue() -> None:
    engine = _engine(biased=True)
    _, fairness = rank_with_gate(engine, _names(engine), "hold", 0.5)
    gate = fairness["gate"]
    assert gate["alerts_before"] and "Black" in " ".join(gate["alerts_before"])
    assert list(gate["held"]) == ["biased"]
    assert gate["attribution"][0]["detectors"][0]["detector"] == "biased"
    assert fairness["alerts"] == []  # audited again after the hold
    in_queue = engine.fetch(
        "SELECT count(*) FROM queue q JOIN signals s USING (person_key) WHERE s.detector = 'biased'"
    )[0][0]
    assert in_queue == 0
    held = engine.fetch("SELECT count(*), any_value(held_because) FROM held_signals")[0]
    assert held[0] == gate["held"]["biased"]["signals"] > 0
    assert "Black'" in held[1]


def test_report_only_names_the_detector_and_publishes_the_queue_unchanged() -> None:
    engine = _engine(biased=True)
    counts, fairness = rank_with_gate(engine, _names(engine), "report", 0.5)
    assert fairness["gate"]["held"] == {}
    assert fairness["gate"]["attribution"][0]["detectors"][0]["detector"] == "biased"
    assert fairness["alerts"]
    assert engine.fetch("SELECT count(*) FROM signals WHERE detector = 'biased'")[0][0] > 0
    assert not engine.table_exists("held_signals")
    assert counts["professional_standards"] > 60


def test_an_even_handed_detector_raises_no_alert_and_nothing_is_held() -> None:
    engine = _engine(biased=False)
    counts, fairness = rank_with_gate(engine, _names(engine), "hold", 0.5)
    assert fairness["alerts"] == [] and fairness["gate"]["held"] == {}
    assert counts["professional_standards"] == len(
        engine.fetch("SELECT DISTINCT person_key FROM signals")
    )


def test_every_run_reports_what_its_gate_did(small_run: Path) -> None:
    ws = Workspace(small_run)
    gate = ws.read_report(ws.require_current())["fairness"]["gate"]
    assert gate["on_alert"] == "hold" and gate["min_share"] == 0.5
    assert isinstance(gate["held"], dict) and isinstance(gate["attribution"], list)

"""The early-warning model on a hand-built force where one behaviour predicts the outcome:
it must learn it, say so in the reason, stay out of the way of protected characteristics, and
step aside with a reason when history is too short."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from probity.model.early_warning import DETECTOR, ModelSettings, run_model
from tests.exports import UNITS, person, write_csv
from tests.warehouse import prepared

PEOPLE = 400
RISKY = 80  # the first 80 people use force often and are often found to have misconducted
START = date(2023, 1, 1)
MONTHS = 48


def _month(i: int) -> date:
    return date(START.year + (START.month - 1 + i) // 12, (START.month - 1 + i) % 12 + 1, 1)


def _force(folder: Path, seed: int = 3, shuffle_protected: bool = False) -> Path:
    rng = random.Random(seed)
    sexes = ["F", "M"] * (PEOPLE // 2)
    ethnicities = ["Asian", "Black", "Mixed", "White"] * (PEOPLE // 4)
    if shuffle_protected:
        random.Random(99).shuffle(sexes)
        random.Random(98).shuffle(ethnicities)
    people = [
        person(
            f"E{i:04d}",
            sex=sexes[i],
            ethnicity=ethnicities[i],
            surname=f"Name{i}",
            start_date=f"{2000 + i % 20}-0{1 + i % 9}-01",
        )
        for i in range(PEOPLE)
    ]
    force: list[dict[str, Any]] = []
    cases: list[dict[str, Any]] = []
    for i in range(PEOPLE):
        risky = i < RISKY
        for m in range(MONTHS):
            for _ in range(_poisson(rng, 2.0 if risky else 0.2)):
                force.append(
                    {
                        "event_id": f"UF{len(force):06d}",
                        "event_time": f"{_month(m) + timedelta(days=rng.randrange(28))}T12:00:00",
                        "person_id": f"E{i:04d}",
                    }
                )
            if m % 3 == 0 and rng.random() < (0.25 if risky else 0.02):
                opened = _month(m) + timedelta(days=10)
                proved = rng.random() < (0.8 if risky else 0.3)
                cases.append(
                    {
                        "case_id": f"CC{len(cases):05d}",
                        "person_id": f"E{i:04d}",
                        "opened_date": opened,
                        "closed_date": opened + timedelta(days=60),
                        "outcome": "written_warning" if proved else "no_case_to_answer",
                    }
                )
    write_csv(folder, "people", people)
    write_csv(folder, "units", UNITS)
    write_csv(folder, "use_of_force", force)
    write_csv(folder, "conduct_cases", cases)
    return folder


def _poisson(rng: random.Random, mean: float) -> int:
    n, p, limit = 0, 1.0, pow(2.718281828459045, -mean)
    while True:
        p *= rng.random()
        if p < limit:
            return n
        n += 1


SETTINGS = ModelSettings(top_share=0.1, min_probability=0.05)


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, str]]:
    engine, absent = prepared(_force(tmp_path_factory.mktemp("model")))
    report = run_model(engine, SETTINGS, absent)
    reasons = {
        str(p): str(r)
        for p, r in engine.fetch(
            "SELECT person_key, reason FROM signals WHERE detector = ?", [DETECTOR]
        )
    }
    return report, reasons


def test_the_model_learns_the_planted_behaviour(
    trained: tuple[dict[str, Any], dict[str, str]],
) -> None:
    report, reasons = trained
    assert report["status"] == "ran"
    assert report["backtest"]["auc"] > 0.8
    assert report["top_features"][0]["feature"].startswith("uses_of_force")
    risky = {f"E{i:04d}" for i in range(RISKY)}
    assert len(reasons) >= 20
    assert len(set(reasons) & risky) / len(reasons) >= 0.9
    assert all("uses of force" in r for r in reasons.values())


def test_folds_train_only_on_earlier_label_windows(
    trained: tuple[dict[str, Any], dict[str, str]],
) -> None:
    report, _ = trained
    assert report["folds"]
    for fold in report["folds"]:
        test = date.fromisoformat(fold["test_cutoff"])
        for t in fold["train_cutoffs"]:
            assert date.fromisoformat(t) + timedelta(days=365) <= test + timedelta(days=1)


def test_calibrated_probabilities_match_the_base_rate(
    trained: tuple[dict[str, Any], dict[str, str]],
) -> None:
    report, _ = trained
    backtest = report["backtest"]
    # Isotonic calibration on the backtest keeps the mean prediction close to what happened.
    assert backtest["brier"] < backtest["base_rate"] * (1 - backtest["base_rate"])


def test_protected_characteristics_do_not_change_a_score(tmp_path: Path) -> None:
    scores = []
    for shuffle, name in ((False, "as_is"), (True, "shuffled")):
        engine, absent = prepared(_force(tmp_path / name, shuffle_protected=shuffle))
        run_model(engine, SETTINGS, absent)
        scores.append(engine.fetch("SELECT person_key, probability FROM model_scores ORDER BY 1"))
    assert scores[0] == scores[1]


def test_short_history_is_skipped_with_a_reason(small_run: Path) -> None:
    from probity.publish.results import PublishedRun

    model = PublishedRun.open(small_run).report()["model"]
    assert model["status"] == "skipped"
    assert "months of history" in model["reason"]

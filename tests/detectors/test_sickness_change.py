"""A run of short absences after a steady record is raised for welfare; absences that were
always frequent, and a run with no earlier record to compare with, are not."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from probity.detectors.base import run_detector
from probity.detectors.registry import detector
from tests.exports import UNITS, person, write_csv
from tests.warehouse import prepared, signals

FIRST = date(2024, 1, 1)


def spell(pid: str, start: date, days: int = 2, reason: str = "other") -> dict[str, object]:
    return {
        "person_id": pid,
        "absence_type": "sickness",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=days - 1)).isoformat(),
        "reason_category": reason,
    }


def force(folder: Path) -> Path:
    people = [f"E{i}" for i in range(1, 9)]
    write_csv(folder, "people", [person(p) for p in people])
    write_csv(folder, "units", UNITS)
    rows = [spell("E1", date(2024, 5, 2))]
    # E1: eight short absences in the autumn of the second year.
    rows += [
        spell("E1", date(2025, 9, 1) + timedelta(days=14 * i), 1, "mental_health") for i in range(8)
    ]
    # E2: an absence every ten weeks for two years.
    rows += [spell("E2", FIRST + timedelta(days=70 * i)) for i in range(11)]
    # E3: eight absences in the first months, with nothing before them to compare with.
    rows += [spell("E3", FIRST + timedelta(days=3 + 14 * i), 1) for i in range(8)]
    for i, p in enumerate(people[3:]):
        rows += [spell(p, FIRST + timedelta(days=40 + 20 * i)), spell(p, date(2025, 3, 1 + i))]
    rows.append(spell("E8", date(2025, 12, 30)))
    write_csv(folder, "absences", rows)
    return folder


def test_a_run_of_absences_after_a_steady_record_is_raised(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "sickness_change")
    assert set(found) == {"E1"}
    assert found["E1"].startswith("8 spells of sickness absence in the 182 days to 8 Dec 2025")
    assert found["E1"].endswith("expected from their own record of 1 in the 17 months before.")


def test_always_frequent_and_no_earlier_record_are_not(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "sickness_change")
    assert not {"E2", "E3"} & set(found)


def test_the_evidence_is_the_spells_in_the_window(tmp_path: Path) -> None:
    engine, absent = prepared(force(tmp_path))
    d = detector("sickness_change")
    run_detector(engine, d, d.params(), absent)
    details = [str(r[0]) for r in engine.fetch("SELECT detail FROM evidence ORDER BY occurred_at")]
    assert len(details) == 8
    assert details[0] == "off sick on 1 Sep 2025 (1 day, mental health)"

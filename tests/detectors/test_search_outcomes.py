"""Searches that rarely find anything, or fall disproportionately on Black people, against peers
doing the same work in the same area; high volume with ordinary outcomes is not a concern."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.exports import UNITS, person, write_csv
from tests.warehouse import signals


def searches(pid: str, n: int, found: int, black: int) -> list[dict[str, Any]]:
    return [
        {
            "event_id": f"{pid}-{i}",
            "event_time": f"2026-03-{1 + i % 28:02d}T14:00",
            "person_id": pid,
            "subject_ethnicity": "Black" if i < black else "White",
            "legislation": "MDA_s23",
            "object_of_search": "drugs",
            "outcome": "arrest" if i >= n - found else "nfa",
        }
        for i in range(n)
    ]


def force(folder: Path) -> Path:
    people = [person(f"E{i:02d}") for i in range(1, 13)]
    rows: list[dict[str, Any]] = []
    for p in people[3:]:
        rows += searches(p["person_id"], 30, found=9, black=6)  # peers: 30% find, 20% Black
    rows += searches("E01", 60, found=1, black=12)  # finds almost nothing
    rows += searches("E02", 60, found=18, black=45)  # ordinary finds, 75% Black
    rows += searches("E03", 120, found=36, black=24)  # four times the volume, ordinary otherwise
    write_csv(folder, "people", people)
    write_csv(folder, "units", UNITS)
    write_csv(folder, "stop_search", rows)
    return folder


def test_low_find_rate_and_disproportion_are_flagged(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "search_outcomes")
    assert {"E01", "E02"} <= set(found)
    assert "60 searches between 1 Mar 2026 and 28 Mar 2026: 2% found anything" in found["E01"]
    assert "recorded as Black" not in found["E01"]
    assert (
        "75% of people searched were recorded as Black against 20% of searches by others in South East"
        in found["E02"]
    )


def test_high_volume_with_ordinary_outcomes_is_not_flagged(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "search_outcomes")
    assert set(found) == {"E01", "E02"}

"""Identical expense claims on several occasions are flagged; two different claims on the same
day, or a single slip, are not."""

from __future__ import annotations

from pathlib import Path

from tests.exports import UNITS, person, write_csv
from tests.warehouse import signals


def claim(cid: str, pid: str, day: str, category: str, amount: float) -> dict[str, object]:
    return {
        "claim_id": cid,
        "person_id": pid,
        "claim_date": day,
        "category": category,
        "amount_gbp": f"{amount:.2f}",
    }


def force(folder: Path) -> Path:
    write_csv(folder, "people", [person("E1"), person("E2"), person("E3")])
    write_csv(folder, "units", UNITS)
    rows = [
        # E1: three claims each made twice.
        claim("A1", "E1", "2026-01-05", "travel", 23.4),
        claim("A2", "E1", "2026-01-05", "travel", 23.4),
        claim("A3", "E1", "2026-02-11", "accommodation", 89.0),
        claim("A4", "E1", "2026-02-11", "accommodation", 89.0),
        claim("A5", "E1", "2026-03-20", "subsistence", 12.5),
        claim("A6", "E1", "2026-03-20", "subsistence", 12.5),
        # E2: travel and a meal on the same days.
        claim("B1", "E2", "2026-01-05", "travel", 23.4),
        claim("B2", "E2", "2026-01-05", "subsistence", 12.5),
        claim("B3", "E2", "2026-02-05", "travel", 18.2),
        claim("B4", "E2", "2026-02-05", "subsistence", 12.5),
        # E3: one duplicate only.
        claim("C1", "E3", "2026-01-05", "travel", 40.0),
        claim("C2", "E3", "2026-01-05", "travel", 40.0),
    ]
    write_csv(folder, "expense_claims", rows)
    return folder


def test_repeated_identical_claims_are_flagged(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "duplicate_expenses")
    assert set(found) == {"E1"}
    assert found["E1"] == (
        "3 expense claims made more than once (same day, category and amount), £124.90 claimed "
        "again, between 5 Jan 2026 and 20 Mar 2026."
    )


def test_different_claims_on_one_day_and_a_single_slip_are_not(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "duplicate_expenses")
    assert "E2" not in found and "E3" not in found

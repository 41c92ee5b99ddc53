from __future__ import annotations

from pathlib import Path

from tests.exports import UNITS, person, write_csv
from tests.warehouse import signals


def force(folder: Path) -> Path:
    team = [person(f"S{i}", unit_code="SERT", line_manager_id="SGT1") for i in range(10)]
    hub = [
        person(
            f"H{i}",
            unit_code="INT1",
            role="Intelligence analyst",
            staff_type="staff",
            line_manager_id=f"M{i % 10}",
        )
        for i in range(100)
    ]
    write_csv(folder, "people", team + hub)
    write_csv(folder, "units", UNITS)
    cases = [
        {
            "case_id": f"K{i}",
            "person_id": pid,
            "opened_date": f"2026-0{i + 1}-01",
            "allegation_category": "discriminatory_behaviour",
            "origin": "internal_report",
        }
        for i, pid in enumerate(["S0", "S1", "S2", "S3", "S4", "S5", "H0"])
    ]
    cases.append(
        {
            "case_id": "K9",
            "person_id": "S6",
            "opened_date": "2026-02-01",
            "allegation_category": "individual_behaviour",
        }
    )
    write_csv(folder, "conduct_cases", cases)
    write_csv(folder, "complaints", [])
    return folder


def test_members_of_a_team_where_allegations_cluster_carry_the_units_signal(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "unit_allegation_cluster")
    assert set(found) == {"S0", "S1", "S2", "S3", "S4", "S5"}
    assert found["S0"] == (
        "One of 6 people in a team of 10 in SERT with discriminatory-behaviour allegations, "
        "where the force-wide rate would give 0.6."
    )


def test_a_single_allegation_in_a_large_team_and_other_allegations_are_not_flagged(
    tmp_path: Path,
) -> None:
    found = signals(force(tmp_path), "unit_allegation_cluster")
    assert "H0" not in found
    assert "S6" not in found

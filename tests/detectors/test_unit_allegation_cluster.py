from __future__ import annotations

from pathlib import Path

from tests.exports import UNITS, person, write_csv
from tests.warehouse import signals


def force(folder: Path) -> Path:
    team = [person(f"S{i}", unit_code="SERT", line_manager_id="SGT1") for i in range(10)]
    # One member with many allegations; and a team whose allegations are all years old.
    loud = [person(f"T{i}", unit_code="SERT", line_manager_id="SGT2") for i in range(10)]
    old = [person(f"U{i}", unit_code="SERT", line_manager_id="SGT3") for i in range(10)]
    hub = [
        person(
            f"H{i}",
            unit_code="INT1",
            role="Intelligence analyst",
            staff_type="staff",
            line_manager_id=f"M{i % 100}",
        )
        for i in range(1000)
    ]
    write_csv(folder, "people", team + loud + old + hub)
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
    for i in range(8):
        cases.append(
            {
                "case_id": f"L{i}",
                "person_id": "T0",
                "opened_date": f"2026-0{1 + i % 6}-0{1 + i}",
                "allegation_category": "discriminatory_behaviour",
            }
        )
    cases.append(
        {
            "case_id": "L9",
            "person_id": "T1",
            "opened_date": "2026-03-01",
            "allegation_category": "discriminatory_behaviour",
        }
    )
    for i in range(6):
        cases.append(
            {
                "case_id": f"O{i}",
                "person_id": f"U{i}",
                "opened_date": f"2022-0{i + 1}-01",
                "allegation_category": "discriminatory_behaviour",
            }
        )
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
    assert found["S0"].startswith(
        "One of 6 people in a team of 10 in SERT with 6 discriminatory-behaviour allegations in "
        "the last 730 days, where the force-wide rate would give "
    )


def test_a_single_allegation_in_a_large_team_and_other_allegations_are_not_flagged(
    tmp_path: Path,
) -> None:
    found = signals(force(tmp_path), "unit_allegation_cluster")
    assert "H0" not in found
    assert "S6" not in found


def test_one_persons_many_allegations_and_old_allegations_make_no_cluster(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "unit_allegation_cluster")
    assert not {f"T{i}" for i in range(10)} & set(found)
    assert not {f"U{i}" for i in range(10)} & set(found)

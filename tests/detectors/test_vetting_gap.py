from __future__ import annotations

from pathlib import Path

from tests.exports import UNITS, person, shift, write_csv
from tests.warehouse import signals


def force(folder: Path) -> Path:
    write_csv(
        folder,
        "people",
        [
            person("E1", unit_code="INT1"),  # holds NPPV2 in a unit needing NPPV3
            person("E2", unit_code="SERT"),  # NPPV2 lapsed
            person("E3", unit_code="INT1"),  # holds SC: above what is needed
            person("E4", unit_code="SERT"),  # lapsed, but a newer clearance covers it
            person("E5", unit_code="SERT", leave_date="2025-12-31"),  # left: not flagged
            person("E6", unit_code="SERT"),  # no vetting record at all
            person("E7", unit_code="SERT"),  # under review: the clearance stands meanwhile
            person("E8", unit_code="SERT"),  # withdrawn before it would have expired
            person("E9", unit_code="SERT"),  # under review, but expired: lapsed all the same
        ],
    )
    write_csv(folder, "units", UNITS)
    write_csv(folder, "roster", [shift("E2", "2026-06-30")])
    write_csv(
        folder,
        "vetting",
        [
            {
                "person_id": "E1",
                "vetting_level": "NPPV2",
                "granted_date": "2020-01-01",
                "expiry_date": "2030-01-01",
                "status": "active",
            },
            {
                "person_id": "E2",
                "vetting_level": "NPPV2",
                "granted_date": "2015-01-01",
                "expiry_date": "2026-03-01",
                "status": "lapsed",
            },
            {
                "person_id": "E3",
                "vetting_level": "SC",
                "granted_date": "2021-01-01",
                "expiry_date": "2031-01-01",
                "status": "active",
            },
            {
                "person_id": "E4",
                "vetting_level": "NPPV2",
                "granted_date": "2012-01-01",
                "expiry_date": "2022-01-01",
                "status": "lapsed",
            },
            {
                "person_id": "E4",
                "vetting_level": "NPPV2",
                "granted_date": "2021-12-01",
                "expiry_date": "2031-12-01",
                "status": "active",
            },
            {
                "person_id": "E5",
                "vetting_level": "NPPV2",
                "granted_date": "2010-01-01",
                "expiry_date": "2020-01-01",
                "status": "lapsed",
            },
            *(
                {
                    "person_id": who,
                    "vetting_level": "NPPV2",
                    "granted_date": "2020-01-01",
                    "expiry_date": expiry,
                    "status": status,
                }
                for who, status, expiry in (
                    ("E7", "under_review", "2030-01-01"),
                    ("E8", "withdrawn", "2030-01-01"),
                    ("E9", "under_review", "2026-01-01"),
                )
            ),
        ],
    )
    return folder


def test_posted_above_the_vetting_held_is_flagged(tmp_path: Path) -> None:
    assert signals(force(tmp_path), "vetting_gap")["E1"] == "Holds NPPV2 but INT1 requires NPPV3."


def test_vetting_lapsed_while_serving_is_flagged(tmp_path: Path) -> None:
    assert (
        signals(force(tmp_path), "vetting_gap")["E2"]
        == "NPPV2 vetting lapsed, expired 1 Mar 2026, while serving in SERT."
    )


def test_no_vetting_record_is_flagged(tmp_path: Path) -> None:
    assert (
        signals(force(tmp_path), "vetting_gap")["E6"]
        == "No vetting record, while SERT requires NPPV2."
    )


def test_higher_clearance_renewed_clearance_and_leavers_are_not_flagged(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "vetting_gap")
    assert not {"E3", "E4", "E5"} & set(found)


def test_a_clearance_under_review_stands_until_it_expires(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "vetting_gap")
    assert "E7" not in found
    assert found["E9"] == "NPPV2 vetting under_review, expired 1 Jan 2026, while serving in SERT."


def test_a_withdrawn_clearance_is_flagged_without_an_expiry_not_yet_reached(
    tmp_path: Path,
) -> None:
    found = signals(force(tmp_path), "vetting_gap")
    assert found["E8"] == "NPPV2 vetting withdrawn, while serving in SERT."

from __future__ import annotations

from functools import partial
from pathlib import Path

from tests.exports import UNITS, person, shift, write_csv
from tests.exports import lookup as exported_lookup
from tests.warehouse import signals

lookup = partial(exported_lookup, system="PNC")


def force(folder: Path) -> Path:
    write_csv(
        folder,
        "people",
        [
            person("E1", surname="Boateng"),
            person("E2", surname="Mensah"),
            person("E3", surname="Quinn"),
        ],
    )
    write_csv(folder, "units", UNITS)
    write_csv(
        folder,
        "roster",
        [shift("E1", "2026-05-01"), shift("E2", "2026-05-01"), shift("E3", "2026-05-01")],
    )
    write_csv(
        folder,
        "next_of_kin",
        [
            {
                "person_id": "E1",
                "surname": "Boateng",
                "forenames": "Jonathan",
                "relationship": "spouse",
                "date_of_birth": "1986-02-03",
            },
            {
                "person_id": "E3",
                "surname": "Quinn",
                "forenames": "Rebecca",
                "relationship": "sibling",
                "date_of_birth": "1990-07-07",
            },
        ],
    )
    write_csv(
        folder,
        "record_subjects",
        [
            # E1's spouse, recorded under a nickname.
            {
                "subject_id": "S1",
                "surname": "BOATENG",
                "forenames": "Jon",
                "date_of_birth": "1986-02-03",
            },
            # A stranger who shares E2's surname.
            {
                "subject_id": "S2",
                "surname": "Mensah",
                "forenames": "Kofi",
                "date_of_birth": "1979-11-30",
            },
            # E3's sister, a witness in an incident E3 attended.
            {
                "subject_id": "S3",
                "surname": "Quinn",
                "forenames": "Becky",
                "date_of_birth": "1990-07-07",
            },
        ],
    )
    write_csv(
        folder,
        "system_accounts",
        [
            {"account_id": "BOATEJ01", "person_id": "E1"},
            {"account_id": "MENSAK01", "person_id": "E2"},
            {"account_id": "QUINNR01", "person_id": "E3"},
        ],
    )
    write_csv(folder, "incidents", [{"incident_ref": "CAD1", "category": "violence"}])
    write_csv(
        folder,
        "incident_attendance",
        [{"incident_ref": "CAD1", "person_id": "E3", "attendance_role": "attending"}],
    )
    write_csv(
        folder,
        "access_log",
        [
            lookup("BOATEJ01", "S1", "2026-05-01T09:10"),
            lookup("BOATEJ01", "S1", "2026-05-03T21:40"),
            lookup("MENSAK01", "S2", "2026-05-01T10:00", "CAD1"),
            lookup("MENSAK01", "S2", "2026-05-01T10:05"),
            lookup("QUINNR01", "S3", "2026-05-01T11:00", "CAD1"),
            lookup("QUINNR01", "S3", "2026-05-01T11:20", "CAD1"),
        ],
    )
    return folder


def test_repeated_lookups_of_a_spouse_without_purpose_are_flagged(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "relatives_lookup")
    assert found["E1"] == (
        "Looked up the police record of their spouse 2 times between 1 May 2026 and 3 May 2026 "
        "(1 while off duty), citing no incident they attended."
    )


def test_lookups_of_a_namesake_stranger_are_not_flagged(tmp_path: Path) -> None:
    assert "E2" not in signals(force(tmp_path), "relatives_lookup")


def test_lookups_of_a_relative_citing_an_incident_the_officer_attended_are_not_flagged(
    tmp_path: Path,
) -> None:
    assert "E3" not in signals(force(tmp_path), "relatives_lookup")

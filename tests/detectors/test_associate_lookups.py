"""Look-ups of a declared notifiable associate: flagged when made without purpose, with the
associate's nominal flag named; not when the associate is only declared, when the look-ups
cite an incident the person attended, or when the record is a namesake born another day."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from tests.exports import UNITS, person, shift, write_csv
from tests.exports import lookup as exported_lookup
from tests.warehouse import signals

lookup = partial(exported_lookup, system="INTEL")


def declared(pid: str, name: str, born: str) -> dict[str, str]:
    return {
        "declaration_id": f"D{pid}",
        "person_id": pid,
        "kind": "notifiable_association",
        "counterpart_name": name,
        "counterpart_date_of_birth": born,
        "details": "school friend",
        "declared_date": "2025-01-10",
        "decision": "approved",
    }


def force(folder: Path) -> Path:
    people = ["E1", "E2", "E3", "E4"]
    write_csv(folder, "people", [person(p, surname=f"Officer{p}") for p in people])
    write_csv(folder, "units", UNITS)
    write_csv(folder, "roster", [shift(p, "2026-05-01") for p in people])
    write_csv(
        folder,
        "declarations",
        [
            declared("E1", "Dean Carver", "1983-03-14"),  # looked up, no purpose
            declared("E2", "Lee Hollis", "1979-09-01"),  # declared, never looked up
            declared("E3", "Ray Mottram", "1990-12-12"),  # looked up for an incident attended
            declared("E4", "Tony Pryce", "1975-05-05"),  # a namesake born another day
        ],
    )
    write_csv(
        folder,
        "record_subjects",
        [
            {"subject_id": "S1", "surname": "CARVER", "forenames": "Dean",
             "date_of_birth": "1983-03-14", "flags": "ocg_nominal;suspect"},
            {"subject_id": "S2", "surname": "Hollis", "forenames": "Lee",
             "date_of_birth": "1979-09-01", "flags": "ocg_nominal"},
            {"subject_id": "S3", "surname": "Mottram", "forenames": "Raymond",
             "date_of_birth": "1990-12-12", "flags": "suspect"},
            {"subject_id": "S4", "surname": "Pryce", "forenames": "Tony",
             "date_of_birth": "1961-02-02", "flags": "suspect"},
        ],
    )  # fmt: skip
    write_csv(folder, "system_accounts", [{"account_id": f"A{p}", "person_id": p} for p in people])
    write_csv(folder, "incidents", [{"incident_ref": "CAD9", "category": "violence"}])
    write_csv(
        folder,
        "incident_attendance",
        [{"incident_ref": "CAD9", "person_id": "E3", "attendance_role": "attending"}],
    )
    write_csv(
        folder,
        "access_log",
        [
            lookup("AE1", "S1", "2026-05-01T09:10"),
            lookup("AE1", "S1", "2026-05-02T22:40"),
            lookup("AE1", "S1", "2026-05-06T10:05"),
            lookup("AE3", "S3", "2026-05-01T11:00", "CAD9"),
            lookup("AE3", "S3", "2026-05-01T11:20", "CAD9"),
            lookup("AE4", "S4", "2026-05-01T12:00"),
            lookup("AE4", "S4", "2026-05-01T12:30"),
        ],
    )
    return folder


def test_lookups_of_a_declared_associate_without_purpose_are_flagged(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "associate_lookups")
    assert found["E1"] == (
        "Looked up the police record of someone they declared a notifiable association with "
        "(recorded as an organised-crime nominal) 3 times between 1 May 2026 and 6 May 2026 "
        "(2 while off duty), citing no incident they attended."
    )


def test_an_associate_declared_and_never_looked_up_is_not_flagged(tmp_path: Path) -> None:
    assert "E2" not in signals(force(tmp_path), "associate_lookups")


def test_lookups_citing_an_incident_attended_are_not_flagged(tmp_path: Path) -> None:
    assert "E3" not in signals(force(tmp_path), "associate_lookups")


def test_a_namesake_born_another_day_is_not_the_associate(tmp_path: Path) -> None:
    assert "E4" not in signals(force(tmp_path), "associate_lookups")

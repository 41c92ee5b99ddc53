"""Returning on several days to a high-profile record with no purpose is flagged; the officer in
charge citing their own incident, and a look on fewer days, are not."""

from __future__ import annotations

from pathlib import Path

from tests.exports import UNITS, lookup, person, write_csv
from tests.warehouse import signals


def force(folder: Path) -> Path:
    people = [person(f"E{i}") for i in range(1, 5)]
    write_csv(folder, "people", people)
    write_csv(folder, "units", UNITS)
    write_csv(
        folder,
        "system_accounts",
        [{"account_id": p["person_id"], "person_id": p["person_id"]} for p in people],
    )
    write_csv(
        folder,
        "record_subjects",
        [
            {"subject_id": "FAMOUS", "flags": "high_profile"},
            {"subject_id": "PLAIN", "flags": "witness"},
        ],
    )
    write_csv(
        folder,
        "incidents",
        [
            {
                "incident_ref": "CAD1",
                "opened_time": "2026-01-01T09:00",
                "closed_time": "2026-01-02T09:00",
            }
        ],
    )
    write_csv(
        folder,
        "incident_attendance",
        [{"incident_ref": "CAD1", "person_id": "E2", "attendance_role": "oic"}],
    )
    write_csv(
        folder,
        "incident_subjects",
        [{"incident_ref": "CAD1", "subject_id": "FAMOUS", "subject_role": "victim"}],
    )
    days = ["2026-02-03", "2026-02-10", "2026-03-01", "2026-03-15", "2026-04-02"]
    rows = []
    rows += [lookup("E1", "FAMOUS", f"{d}T21:10") for d in days]  # curiosity, five days
    rows += [lookup("E2", "FAMOUS", f"{d}T10:00", "CAD1") for d in days]  # OIC, citing the case
    rows += [lookup("E3", "FAMOUS", f"{d}T11:00") for d in days[:3]]  # three days: below threshold
    rows += [lookup("E4", "PLAIN", f"{d}T11:00") for d in days]  # not a high-profile record
    write_csv(folder, "access_log", rows)
    return folder


def test_repeated_unexplained_looks_at_a_high_profile_record_are_flagged(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "high_profile_browsing")
    assert set(found) == {"E1"}
    assert "5 times on 5 days between 3 Feb 2026 and 2 Apr 2026" in found["E1"]


def test_purposeful_fewer_and_ordinary_look_ups_are_not(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "high_profile_browsing")
    assert not {"E2", "E3", "E4"} & set(found)

"""Look-ups on several days recorded absent are flagged; look-ups on shifts worked before an
absence record was closed, and a single day's look-ups, are not."""

from __future__ import annotations

from pathlib import Path

from tests.exports import UNITS, lookup, person, shift, write_csv
from tests.warehouse import signals


def absence(pid: str, kind: str, start: str, end: str) -> dict[str, str]:
    return {"person_id": pid, "absence_type": kind, "start_date": start, "end_date": end}


def force(folder: Path) -> Path:
    write_csv(folder, "people", [person(f"E{i}") for i in range(1, 5)])
    write_csv(folder, "units", UNITS)
    write_csv(
        folder,
        "absences",
        [
            absence("E1", "sickness", "2026-03-02", "2026-03-06"),
            absence("E2", "sickness", "2026-03-02", "2026-03-06"),
            absence("E3", "suspension", "2026-04-01", "2026-04-30"),
            absence("E4", "annual_leave", "2026-05-04", "2026-05-08"),
        ],
    )
    # E2 came back on the 5th; the absence record was never closed.
    write_csv(folder, "roster", [shift("E2", "2026-03-05"), shift("E2", "2026-03-06")])
    write_csv(
        folder,
        "system_accounts",
        [{"account_id": f"E{i}", "person_id": f"E{i}"} for i in range(1, 5)],
    )
    looks = [lookup("E1", f"S{i}", f"2026-03-03T1{i}:00") for i in range(3)]
    looks += [lookup("E1", f"S{i}", f"2026-03-05T2{i}:00") for i in range(2)]
    looks += [lookup("E2", f"S{i}", f"2026-03-0{5 + i % 2}T0{8 + i}:00") for i in range(6)]
    # E1 was called about their own case while off: that look-up has a purpose.
    write_csv(folder, "incident_attendance", [{"incident_ref": "CAD1", "person_id": "E1"}])
    looks += [lookup("E1", "S7", "2026-03-04T12:00", "CAD1")]
    looks += [lookup("E3", "S9", "2026-04-02T09:00")]
    looks += [lookup("E3", f"S{i}", f"2026-04-03T1{i}:00") for i in range(4)]
    looks += [lookup("E4", f"S{i}", f"2026-05-05T1{i}:00") for i in range(6)]
    write_csv(folder, "access_log", looks)
    return folder


def test_look_ups_on_days_absent_are_flagged(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "lookups_while_absent")
    assert set(found) == {"E1", "E3"}
    assert found["E1"] == (
        "Made 5 look-ups in police systems on 2 days recorded as absent from work and not "
        "rostered, between 3 Mar 2026 and 5 Mar 2026."
    )
    assert "some while suspended" in found["E3"]


def test_shifts_worked_inside_an_open_absence_and_one_day_are_not(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "lookups_while_absent")
    assert not {"E2", "E4"} & set(found)

"""Many emergency calls to traumatic incidents within three months are raised for welfare; a
heavy load of ordinary calls, and the same traumatic calls spread over a year, are not."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from probity.detectors.base import run_detector
from probity.detectors.registry import detector
from tests.exports import UNITS, person, write_csv
from tests.warehouse import prepared, signals

START = datetime(2025, 1, 6, 9, 0)


def force(folder: Path, with_incidents: bool = True) -> Path:
    people = [f"E{i}" for i in range(1, 10)]
    write_csv(folder, "people", [person(p) for p in people])
    write_csv(folder, "units", UNITS)
    incidents: list[dict[str, object]] = []
    attendance: list[dict[str, object]] = []

    def call(pid: str, when: datetime, category: str, grade: str = "immediate") -> None:
        ref = f"CAD{len(incidents):05d}"
        incidents.append(
            {
                "incident_ref": ref,
                "opened_time": when.isoformat(timespec="minutes"),
                "category": category,
                "grade": grade,
                "unit_code": "SERT",
            }
        )
        attendance.append({"incident_ref": ref, "person_id": pid, "attendance_role": "attending"})

    # E1: eighteen sexual-offence and sudden-death calls in ten weeks.
    for i in range(18):
        call(
            "E1",
            START + timedelta(days=100 + 4 * i),
            ["sexual_offence", "concern_for_welfare"][i % 2],
        )
    # E2: forty thefts and traffic calls in the same ten weeks, and two traumatic calls.
    for i in range(40):
        call("E2", START + timedelta(days=100 + 2 * i, hours=i % 5), ["theft", "traffic"][i % 2])
    call("E2", START + timedelta(days=20), "violence")
    call("E2", START + timedelta(days=200), "violence")
    # E3: eighteen traumatic calls, one every three weeks.
    for i in range(18):
        call("E3", START + timedelta(days=21 * i), "violence")
    # E4: eighteen violence calls in ten weeks, none of them emergencies.
    for i in range(18):
        call("E4", START + timedelta(days=100 + 4 * i), "violence", grade="scheduled")
    # Everyone else: a few traumatic calls over the year.
    for j, pid in enumerate(people[4:]):
        for i in range(3):
            call(pid, START + timedelta(days=30 + 110 * i + j), "violence")
    if with_incidents:
        write_csv(folder, "incidents", incidents)
    write_csv(folder, "incident_attendance", attendance)
    return folder


def test_many_traumatic_calls_in_weeks_are_raised(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "traumatic_exposure")
    assert set(found) == {"E1"}
    assert found["E1"].startswith(
        "Attended 18 emergency calls to sexual offences, violence or concern for welfare "
        "between 16 Apr 2025 and 23 Jun 2025, against about "
    )


def test_ordinary_calls_spread_or_unurgent_calls_are_not(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "traumatic_exposure")
    assert not {"E2", "E3", "E4"} & set(found)


def test_without_the_incidents_it_is_skipped(tmp_path: Path) -> None:
    engine, absent = prepared(force(tmp_path, with_incidents=False))
    d = detector("traumatic_exposure")
    outcome = run_detector(engine, d, d.params(), absent)
    assert outcome.status == "skipped" and outcome.reason == "input not provided: incidents"

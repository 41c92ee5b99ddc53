"""Rostered shifts with no badge swipe and no other sign of work, far more often than peers,
are flagged; shifts worked without a badge but with look-ups, and days away on courses, are
not."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from tests.exports import UNITS, lookup, person, shift, write_csv
from tests.warehouse import signals

PEOPLE = [f"E{i}" for i in range(1, 9)]
WARRANT = {"E4": "241104"}  # E4's badge records name them by warrant number on odd days
DAYS = [date(2026, 1, 5) + timedelta(days=i) for i in range(60)]


def badge(pid: str, day: date) -> dict[str, str]:
    return {
        "event_time": f"{day}T06:50",
        "person_id": pid,
        "site_code": "SE-STN",
        "direction": "in",
    }


def force(folder: Path) -> Path:
    write_csv(
        folder,
        "people",
        [person(p, **({"warrant_number": WARRANT[p]} if p in WARRANT else {})) for p in PEOPLE],
    )
    write_csv(folder, "units", UNITS)
    roster, swipes, looks = [], [], []
    for p in PEOPLE:
        for i, day in enumerate(DAYS):
            away = p == "E3" and i % 3 == 0  # E3: every third day on a course
            roster.append(shift(p, str(day), "training" if away else "early"))
            # E1 leaves no trace on half their shifts; everyone forgets a card on the eighth.
            if away or (p == "E1" and i % 2 == 0) or (p == "E2" and i % 3 == 0) or i == 7:
                if p == "E2" and i != 7:  # E2 works where there is no reader, on the systems
                    looks.append(lookup(p, "S1", f"{day}T10:30", "CAD1"))
                continue
            swipes.append(badge(WARRANT[p] if p in WARRANT and i % 2 else p, day))
    write_csv(folder, "roster", roster)
    write_csv(folder, "building_access", swipes)
    write_csv(folder, "system_accounts", [{"account_id": p, "person_id": p} for p in PEOPLE])
    write_csv(folder, "access_log", looks)
    return folder


def test_many_shifts_with_no_trace_are_flagged(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "rostered_no_activity")
    assert set(found) == {"E1"}
    assert found["E1"].startswith(
        "31 of 60 rostered shifts with no badge swipe, look-up, incident, stop or use of force "
        "between 5 Jan 2026 and 4 Mar 2026, against "
    )


def test_shifts_worked_elsewhere_on_the_systems_and_courses_are_not(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "rostered_no_activity")
    assert not {"E2", "E3"} & set(found)


def test_badge_records_under_either_reference_count_for_the_person(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "rostered_no_activity")
    assert "E4" not in found


def test_without_badge_records_it_is_skipped(tmp_path: Path) -> None:
    folder = force(tmp_path)
    (folder / "building_access.csv").unlink()
    assert signals(folder, "rostered_no_activity") == {}

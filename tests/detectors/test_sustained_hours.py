from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from tests.exports import UNITS, person, write_csv
from tests.warehouse import prepared, signals

START = date(2026, 1, 5)  # a Monday


def days(pid: str, n_days: int, hours: int, weekdays_only: bool = False) -> list[dict[str, object]]:
    rows = []
    for i in range(n_days):
        day = START + timedelta(days=i)
        if weekdays_only and day.weekday() >= 5:
            rows.append({"person_id": pid, "duty_date": day.isoformat(), "duty_type": "rest_day"})
            continue
        rows.append(
            {
                "person_id": pid,
                "duty_date": day.isoformat(),
                "duty_type": "day",
                "shift_start": f"{day.isoformat()}T07:00",
                "shift_end": f"{day.isoformat()}T{7 + hours:02d}:00",
            }
        )
    return rows


def force(folder: Path) -> Path:
    write_csv(folder, "people", [person("E1"), person("E2"), person("E3"), person("E4")])
    write_csv(folder, "units", UNITS)
    heavy_week = days("E3", 7, 10)
    normal_after = [r for r in days("E3", 119, 8, weekdays_only=True)[7:]]
    write_csv(
        folder,
        "roster",
        days("E1", 119, 9) + days("E2", 119, 8, weekdays_only=True) + heavy_week + normal_after,
    )
    write_csv(
        folder,
        "overtime_claims",
        [
            {
                "claim_id": f"O{i}",
                "person_id": "E1",
                "work_date": (START + timedelta(days=i)).isoformat(),
                "hours": 2,
            }
            for i in range(0, 119, 7)
        ]
        # E4 is on no roster at all: every hour is claimed overtime, ten a day, six days a week.
        + [
            {
                "claim_id": f"X{i}",
                "person_id": "E4",
                "work_date": (START + timedelta(days=i)).isoformat(),
                "hours": 10,
            }
            for i in range(119)
            if i % 7 != 6
        ],
    )
    return folder


def test_seventeen_weeks_far_above_the_norm_are_flagged_for_welfare(tmp_path: Path) -> None:
    reason = signals(force(tmp_path), "sustained_hours")["E1"]
    assert reason.startswith(
        "Worked an average of 65.0 hours a week over 17 weeks between 5 Jan 2026 and 3 May 2026"
    )


def test_weeks_of_overtime_alone_count_towards_the_hours(tmp_path: Path) -> None:
    reason = signals(force(tmp_path), "sustained_hours")["E4"]
    assert reason.startswith("Worked an average of 60.0 hours a week over 17 weeks")


def test_a_normal_week_pattern_and_one_heavy_week_are_not_flagged(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "sustained_hours")
    assert "E2" not in found
    assert "E3" not in found


def test_hours_signals_serve_welfare_only(tmp_path: Path) -> None:
    from probity.detectors.base import run_detector
    from probity.detectors.registry import detector

    engine, absent = prepared(force(tmp_path))
    d = detector("sustained_hours")
    run_detector(engine, d, d.params(), absent)
    assert engine.fetch("SELECT DISTINCT purpose, concern FROM signals") == [("welfare", "welfare")]

"""Accounts by what they do (`resolve/behaviour.py`): two people share a name, and only the
days the account was used tell which of them holds it; a unique name whose bearer was away on
every day the account was used is not given it; and an account used on too few days, or on
days both namesakes worked, is left for a person to decide."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from probity.ingest.load import ingest
from probity.resolve.behaviour import LEVELS
from probity.resolve.judgements import JudgementStore
from probity.resolve.resolver import resolve
from probity.warehouse.engine import DuckDBEngine
from tests.exports import UNITS, person, write_csv
from tests.resolve.test_names_as_written import crowd

START = date(2025, 3, 3)  # a Monday
WEEKS = 8
DAYS = [START + timedelta(days=i) for i in range(WEEKS * 7)]


def _weekdays(*weeks: int) -> list[date]:
    return [d for d in DAYS if (d - START).days // 7 in weeks and d.weekday() < 5]


def _roster(
    pid: str, working: set[date], leave: set[date], sick: frozenset[date] = frozenset()
) -> list[dict[str, Any]]:
    rows = []
    for d in DAYS:
        if d in leave or d in sick:
            rows.append(
                {
                    "person_id": pid,
                    "duty_date": d,
                    "duty_type": "annual_leave" if d in leave else "sick",
                }
            )
        elif d in working:
            rows.append(
                {
                    "person_id": pid,
                    "duty_date": d,
                    "duty_type": "early",
                    "shift_start": f"{d}T07:00:00",
                    "shift_end": f"{d}T15:00:00",
                    "unit_code": "SERT",
                }
            )
        else:
            rows.append({"person_id": pid, "duty_date": d, "duty_type": "rest_day"})
    return rows


def _uses(account: str, days: list[date]) -> list[dict[str, Any]]:
    return [
        {
            "event_time": f"{d}T10:{i % 60:02d}:00",
            "account_id": account,
            "system": "RMS",
            "action": "view",
            "subject_kind": "crime_report",
            "subject_id": f"CR{i}",
            "terminal_id": "T1",
        }
        for i, d in enumerate(days)
    ]


ALL_WEEKS = range(WEEKS)
# Two Helen Walshes in one team: each works every weekday but for one week of leave.
WALSH_1_LEAVE = set(_weekdays(2))
WALSH_2_LEAVE = set(_weekdays(4))
# Kemi Oduya was off sick for weeks 5 to 7.
ODUYA_SICK = frozenset(_weekdays(5, 6, 7))

PEOPLE = [
    person("E1", surname="Walsh", forenames="Helen", date_of_birth="1980-01-01"),
    person("E2", surname="Walsh", forenames="Helen", date_of_birth="1991-06-06"),
    person("E3", surname="Oduya", forenames="Kemi"),
    person("E4", surname="Penhale", forenames="Rhys"),
    person("E5", surname="Penhale", forenames="Rachel"),
]
LEGACY = {  # account -> (display name, days used, who holds it: None for nobody the run can tell)
    # Used in week 2, while the first was on leave: the second's.
    "X1": ("Helen Walsh", _weekdays(0, 1, 2, 3), "E2"),
    # Used only in weeks both worked: either's.
    "X2": ("Helen Walsh", _weekdays(0, 1, 3), None),
    # Used only while the one K Oduya was off sick: not hers.
    "X3": ("K Oduya", _weekdays(5, 6), None),
    # Used every day the one K Oduya worked, weeks 0 to 4: hers.
    "X5": ("K Oduya", _weekdays(0, 1, 2, 3, 4), "E3"),
    # Used in weeks 1 and 3, when Rhys Penhale worked and Rachel Penhale was rostered off.
    "X6": ("R Penhale", _weekdays(1, 3), "E4"),
    # Used on three days only: too few to say anything (two Helen Walshes remain).
    "X4": ("Helen Walsh", _weekdays(2)[:3], None),
}


def _force(folder: Path, with_log: bool = True) -> tuple[dict[str, str], dict[str, Any]]:
    """The system-account links a run of the resolver makes (account -> person), and what
    the task's report says."""
    rng = random.Random(7)
    staff = [
        person(f"B{i}", surname=s, forenames=f, date_of_birth=f"{y}-{m:02d}-10")
        for i, (s, f, m, y, _) in enumerate(crowd(300, "SW"))
    ]
    roster: list[dict[str, Any]] = []
    log: list[dict[str, Any]] = []
    for i in range(300):  # the crowd work four on, four off, and use their own log-ins at work
        working = sorted(d for d in DAYS if ((d - START).days + i) % 8 < 4)
        block = rng.randrange(len(working) // 4) * 4  # and take one block of shifts as leave
        leave = set(working[block : block + 4])
        roster += _roster(f"B{i}", set(working) - leave, leave)
        log += _uses(f"B{i:03d}", sorted(rng.sample(sorted(set(working) - leave), 20)))
    weekdays = set(_weekdays(*ALL_WEEKS))
    roster += _roster("E1", weekdays - WALSH_1_LEAVE, WALSH_1_LEAVE)
    roster += _roster("E2", weekdays - WALSH_2_LEAVE, WALSH_2_LEAVE)
    roster += _roster("E3", weekdays - ODUYA_SICK, set(), ODUYA_SICK)
    roster += _roster("E4", weekdays, set())
    roster += _roster("E5", set(_weekdays(0, 2, 4, 6)), set())
    accounts = [
        {"account_id": a, "system": "INTEL", "display_name": name}
        for a, (name, _, _) in LEGACY.items()
    ] + [
        {"account_id": f"B{i:03d}", "system": "RMS", "person_id": f"B{i}", "display_name": "?"}
        for i in range(300)
    ]
    for account, (_, days, _) in LEGACY.items():
        log += _uses(account, days)
    write_csv(folder, "people", PEOPLE + staff)
    write_csv(folder, "units", UNITS)
    write_csv(folder, "system_accounts", accounts)
    if with_log:
        write_csv(folder, "roster", roster)
        write_csv(folder, "access_log", log)
    engine = DuckDBEngine()
    result = ingest(engine, folder)
    report = resolve(
        engine, judgements=JudgementStore.to_table([]), absent_tables=set(result.absent_tables)
    )
    rows = engine.fetch("SELECT record_id, person_key FROM links WHERE task = 'system_account'")
    return {str(r): str(p) for r, p in rows}, report["system_account"]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, Any]]:
    return _force(tmp_path_factory.mktemp("behaviour"))


@pytest.mark.parametrize("account", [a for a, (_, _, owner) in LEGACY.items() if owner])
def test_only_behaviour_tells_namesakes_apart(
    run: tuple[dict[str, str], Any], account: str
) -> None:
    assert run[0].get(account) == LEGACY[account][2]


@pytest.mark.parametrize("account", [a for a, (_, _, owner) in LEGACY.items() if not owner])
def test_behaviour_that_fits_both_or_neither_links_no_one(
    run: tuple[dict[str, str], Any], account: str
) -> None:
    assert account not in run[0]


def test_without_the_log_the_namesakes_stay_for_a_person_to_decide(tmp_path: Path) -> None:
    """The name alone cannot choose between the two Helen Walshes."""
    without, _ = _force(tmp_path, with_log=False)
    assert "X1" not in without and "X2" not in without


def test_the_levels_are_measured_on_the_accounts_whose_holder_is_known(
    run: tuple[Any, dict[str, Any]],
) -> None:
    weighed = run[1]["weighed"]
    assert set(weighed) == set(LEVELS)
    # The crowd use their log-ins on their working days: their holders are on duty every day,
    # people drawn at random seldom are, and nobody used their own while away.
    assert weighed["on duty every day used"]["holders"] >= 290
    assert weighed["on duty every day used"]["weight"] > 3
    assert weighed["away"]["holders"] == 0 and weighed["away"]["weight"] < -3
    assert weighed["seldom on duty"]["weight"] < 0

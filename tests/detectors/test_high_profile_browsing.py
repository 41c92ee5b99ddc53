"""Returning on several days to a high-profile record, far beyond what peers with as many
look-ups do, is flagged; the officer in charge citing their own incident, a look on fewer days,
and analysts whose work brings high-profile records up every week are not, however busy."""

from __future__ import annotations

import random
from pathlib import Path

from tests.exports import UNITS, lookup, person, routine_lookups, write_csv
from tests.warehouse import signals, strengths

FAMOUS = [f"F{i}" for i in range(20)]
ORDINARY = [f"S{i}" for i in range(500)]
RESPONSE = [f"R{i}" for i in range(40)]
ANALYSTS = [f"A{i}" for i in range(40)]


def force(folder: Path, analyst_volume: int = 1, planted: bool = True) -> Path:
    rng = random.Random(5)
    staff = ["E1", "E2", "E3", *RESPONSE]
    people = [person(p) for p in staff] + [
        person(a, role="Intelligence analyst", unit_code="INT1", staff_type="staff", rank="Band D")
        for a in ANALYSTS
    ]
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
        [{"subject_id": s, "flags": "high_profile"} for s in FAMOUS]
        + [{"subject_id": s, "flags": "witness"} for s in ORDINARY],
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
        [{"incident_ref": "CAD1", "subject_id": "F0", "subject_role": "victim"}],
    )
    rows = []
    # Response officers rarely meet a high-profile record; analysts meet them every week.
    famous = FAMOUS[2:]  # F0 and F1: the plants'
    for who in staff:
        rows += routine_lookups(rng, who, 40, ORDINARY, famous, 0.01)
    for who in ANALYSTS:
        rows += routine_lookups(rng, who, 400 * analyst_volume, ORDINARY, famous, 0.05)
    if planted:
        days = ["2026-02-03", "2026-02-10", "2026-03-01", "2026-03-15", "2026-04-02", "2026-05-09"]
        rows += [lookup("E1", "F0", f"{d}T21:10") for d in days]  # curiosity, six days
        rows += [lookup("E2", "F0", f"{d}T10:00", "CAD1") for d in days]  # OIC, citing the case
        rows += [lookup("E3", "F0", f"{d}T11:00") for d in days[:2]]  # two days: no pattern
        # An analyst returning to one record on 40 days, where peers return a few times.
        rows += [
            lookup("A0", "F1", f"2026-{m:02d}-{d:02d}T19:00")
            for m in range(1, 9)
            for d in (2, 9, 16, 23, 27)
        ]
    write_csv(folder, "access_log", rows)
    return folder


def test_returning_to_a_high_profile_record_far_beyond_peers_is_flagged(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "high_profile_browsing")
    assert {"E1", "A0"} <= set(found)
    assert "6 times on 6 days between 3 Feb 2026 and 9 May 2026" in found["E1"]
    assert "the chance of so many at the rate of peers: 1 in" in found["E1"]


def test_purposeful_fewer_and_routine_look_ups_are_not(tmp_path: Path) -> None:
    found = strengths(force(tmp_path), "high_profile_browsing")
    assert not {"E2", "E3", *RESPONSE} & set(found)
    # At a false-discovery rate of 5% an analyst whose routine came out far above the others'
    # by chance (17 returns where the group's typical is 5 to 8) may be raised, weakly: never
    # more than one of the forty, and below every planted case.
    background = {p: s for p, (_, s) in found.items() if p in ANALYSTS and p != "A0"}
    assert len(background) <= 1
    assert all(s < min(found["E1"][1], found["A0"][1]) / 2 for s in background.values())


def test_five_times_the_analysts_background_flags_none_of_them(tmp_path: Path) -> None:
    # With nothing planted, a role whose look-ups grow fivefold (and with them its returns to
    # high-profile records) is held to its own peers' rate: the count flagged does not grow.
    usual = signals(force(tmp_path / "usual", planted=False), "high_profile_browsing")
    busy = signals(
        force(tmp_path / "busy", analyst_volume=5, planted=False), "high_profile_browsing"
    )
    assert len(usual) <= 1
    assert len(busy) <= 1

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from probity.detectors.base import run_detector
from probity.detectors.registry import detector
from tests.exports import UNITS, lookup, person, shift, write_csv
from tests.warehouse import prepared, signals

PEERS = 30


def ordinary_returns(i: int) -> int:
    """Days a peer goes back to their victim's record after closure: a third of them, once."""
    return 1 if i % 3 == 0 else 0


def force(
    folder: Path,
    more_lookups: list[dict[str, Any]] | None = None,
    returns: Callable[[int], int] = ordinary_returns,
) -> Path:
    """E1 goes back to a vulnerable victim on six days after closure; E2 to a theft victim; E3
    for a new case of theirs. Thirty peers in the same job each met a victim of their own, and
    go back to the record as `returns` says."""
    peers = [f"B{i}" for i in range(PEERS)]
    everyone = ["E1", "E2", "E3", *peers]
    write_csv(
        folder,
        "people",
        [person("E1", warrant_number="500001"), person("E2"), person("E3")]
        + [person(b) for b in peers],
    )
    write_csv(folder, "units", UNITS)
    write_csv(folder, "roster", [shift(p, "2026-02-01") for p in everyone])
    write_csv(
        folder,
        "system_accounts",
        [{"account_id": f"A{p[1:]}" if p[0] == "E" else f"A{p}", "person_id": p} for p in everyone],
    )
    background_incidents = [
        {
            "incident_ref": f"CB{i}",
            "opened_time": "2026-01-05T10:00",
            "closed_time": "2026-01-06T10:00",
            "category": "domestic",
        }
        for i in range(PEERS)
    ]
    background_lookups = [
        lookup(f"AB{i}", f"VB{i}", f"2026-02-{10 + day:02d}T11:00")
        for i in range(PEERS)
        for day in range(returns(i))
    ]
    write_csv(
        folder,
        "incidents",
        [
            *background_incidents,
            {
                "incident_ref": "CAD1",
                "opened_time": "2026-01-10T22:00",
                "closed_time": "2026-01-11T03:00",
                "category": "domestic",
            },
            {
                "incident_ref": "CAD2",
                "opened_time": "2026-01-12T10:00",
                "closed_time": "2026-01-12T12:00",
                "category": "theft",
            },
            {
                "incident_ref": "CAD3",
                "opened_time": "2026-03-01T10:00",
                "closed_time": "2026-03-20T12:00",
                "category": "domestic",
            },
        ],
    )
    write_csv(
        folder,
        "incident_attendance",
        [
            {"incident_ref": "CAD1", "person_id": "E1", "attendance_role": "attending"},
            {"incident_ref": "CAD2", "person_id": "E2", "attendance_role": "attending"},
            {"incident_ref": "CAD1", "person_id": "E3", "attendance_role": "attending"},
            {"incident_ref": "CAD3", "person_id": "E3", "attendance_role": "oic"},
            *({"incident_ref": f"CB{i}", "person_id": f"B{i}"} for i in range(PEERS)),
        ],
    )
    write_csv(
        folder,
        "record_subjects",
        [
            {"subject_id": "V1", "surname": "Rossi", "flags": "victim;vulnerable"},
            {"subject_id": "V2", "surname": "Nowak", "flags": "victim"},
            *({"subject_id": f"VB{i}", "flags": "victim;vulnerable"} for i in range(PEERS)),
        ],
    )
    write_csv(
        folder,
        "incident_subjects",
        [
            {"incident_ref": "CAD1", "subject_id": "V1", "subject_role": "victim"},
            {"incident_ref": "CAD2", "subject_id": "V2", "subject_role": "victim"},
            {"incident_ref": "CAD3", "subject_id": "V1", "subject_role": "victim"},
            *(
                {"incident_ref": f"CB{i}", "subject_id": f"VB{i}", "subject_role": "victim"}
                for i in range(PEERS)
            ),
        ],
    )
    write_csv(
        folder,
        "access_log",
        [
            # E1: six look-ups of the victim weeks after closure, five in the evening off duty.
            lookup("A1", "V1", "2026-01-25T21:30"),
            lookup("A1", "V1", "2026-02-01T10:00"),
            lookup("A1", "V1", "2026-02-08T22:15"),
            lookup("A1", "V1", "2026-02-15T22:15"),
            lookup("A1", "V1", "2026-02-22T22:15"),
            lookup("A1", "V1", "2026-03-01T22:15"),
            # E2: a theft victim who is not vulnerable, looked up after closure: not this typology.
            lookup("A2", "V2", "2026-01-25T21:30"),
            lookup("A2", "V2", "2026-02-01T10:00"),
            lookup("A2", "V2", "2026-02-08T22:15"),
            # E3: the same victim again, but in a new case E3 is the officer in charge of.
            lookup("A3", "V1", "2026-03-02T10:00", "CAD3"),
            lookup("A3", "V1", "2026-03-05T10:00", "CAD3"),
            lookup("A3", "V1", "2026-03-09T10:00", "CAD3"),
            *background_lookups,
            *(more_lookups or []),
        ],
    )
    return folder


def test_repeated_lookups_of_a_vulnerable_victim_after_closure_are_flagged(tmp_path: Path) -> None:
    assert signals(force(tmp_path), "victim_lookups_after_closure")["E1"] == (
        "Looked up a vulnerable victim met on duty (CAD1) 6 times after the incident closed, "
        "between 25 Jan 2026 and 1 Mar 2026 (5 while off duty), citing no incident they attended; "
        "the chance of so many at the rate of peers: 1 in 580,000,000."
    )


def test_a_job_whose_work_is_following_victims_up_is_held_to_its_own_rate(
    tmp_path: Path,
) -> None:
    # A safeguarding team: everyone goes back to their victim on three to six days after the
    # case closes. Six days is ordinary there; it is not where few go back at all.
    safeguarding = signals(
        force(tmp_path / "a", returns=lambda i: 3 + i % 4), "victim_lookups_after_closure"
    )
    assert not {f"B{i}" for i in range(PEERS)} & set(safeguarding)
    quiet = signals(
        force(tmp_path / "b", returns=lambda i: 6 if i == 0 else ordinary_returns(i)),
        "victim_lookups_after_closure",
    )
    assert "B0" in quiet


def test_victims_who_are_not_vulnerable_and_lookups_for_a_new_case_are_not_flagged(
    tmp_path: Path,
) -> None:
    found = signals(force(tmp_path), "victim_lookups_after_closure")
    assert "E2" not in found
    assert "E3" not in found


def test_related_complaints_are_shown_beside_the_look_ups_and_weigh_in(tmp_path: Path) -> None:
    folder = force(tmp_path)
    write_csv(
        folder,
        "complaints",
        [
            {
                "complaint_id": "C1",
                "incident_date": "2026-02-20",
                "subject_warrant_number": "500001",
                "subject_name_as_recorded": "PC G Okafor",
                "allegation_category": "abuse_of_position_sexual",
                "complainant_type": "public",
                "outcome": "pending",
            }
        ],
    )
    engine, absent = prepared(folder)
    d = detector("victim_lookups_after_closure")
    run_detector(engine, d, d.params(), absent)
    reasons = dict(engine.fetch("SELECT person_key, reason FROM signals"))
    assert (
        "1 complaint about them alleges abuse of position for a sexual purpose or sexual conduct"
        in reasons["E1"]
    )
    evidence = engine.fetch(
        "SELECT detail FROM evidence WHERE signal_id = 'victim_lookups_after_closure:E1' "
        "AND detail LIKE 'complaint%'"
    )
    assert evidence == [("complaint C1: abuse of position sexual (public complainant, pending)",)]


def test_a_grace_below_none_is_none(tmp_path: Path) -> None:
    """The shared look-ups hold a victim's look-ups after closure only, so a negative grace is
    taken as none: E3's look-ups while their own case for the victim is open stay explained."""
    later = [lookup("A3", "V1", f"2026-03-{d}T10:00", "CAD3") for d in (10, 12, 15)]
    engine, absent = prepared(force(tmp_path, later))
    d = detector("victim_lookups_after_closure")
    flagged = {}
    for grace in (0, -15):
        engine.execute("DELETE FROM signals")
        run_detector(engine, d, d.params({"grace_days": grace}), absent)
        flagged[grace] = {p for (p,) in engine.fetch("SELECT person_key FROM signals")}
    assert flagged[-15] == flagged[0] == {"E1"}

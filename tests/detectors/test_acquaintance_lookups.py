"""Repeated look-ups of a colleague on record, or of a neighbour, with no purpose are flagged;
looking up a colleague in an incident one attended, citing it, and a single look-up of a
neighbour at work, are not."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from tests.exports import UNITS, lookup, person, routine_lookups, shift, write_csv
from tests.warehouse import signals

PEOPLE = {
    "E1": ("Boateng", "SE13 5AB"),
    "E2": ("Mensah", "E1 6AN"),
    "E3": ("Quinn", "N1 9GU"),
    "E4": ("Hughes", "W2 1AA"),  # the colleague on record
    "E5": ("Adebayo", "E8 1DY"),
}


PEERS = [f"B{i}" for i in range(100)]
ORDINARY = [f"R{i}" for i in range(400)]


def force(folder: Path, neighbour_hits: Callable[[int], int] = lambda i: 0) -> Path:
    """E1 to E5 as above, and a hundred peers in the same job, each making a hundred ordinary
    look-ups and meeting a neighbour of theirs `neighbour_hits(i)` times among them."""
    rng = random.Random(4)
    write_csv(
        folder,
        "people",
        [
            person(p, surname=s, forenames="Sam", home_postcode=pc, date_of_birth=f"198{i}-03-04")
            for i, (p, (s, pc)) in enumerate(PEOPLE.items())
        ]
        + [person(b, surname=f"Peer{i}", home_postcode=f"Z{i} 1AA") for i, b in enumerate(PEERS)],
    )
    write_csv(folder, "units", UNITS)
    write_csv(folder, "roster", [shift(p, "2026-05-01") for p in [*PEOPLE, *PEERS]])
    write_csv(
        folder,
        "record_subjects",
        [
            # E4 (all work in one unit), the victim of a domestic incident.
            {
                "subject_id": "S4",
                "surname": "HUGHES",
                "forenames": "Sam",
                "date_of_birth": "1983-03-04",
                "postcode": "W2 1AA",
                "flags": "victim",
            },
            # A witness living in E2's postcode, and another in E5's.
            {
                "subject_id": "S7",
                "surname": "Lindqvist",
                "forenames": "Ola",
                "date_of_birth": "1970-01-01",
                "postcode": "E1 6AN",
                "flags": "witness",
            },
            {
                "subject_id": "S8",
                "surname": "Nowak",
                "forenames": "Ewa",
                "date_of_birth": "1972-01-01",
                "postcode": "E8 1DY",
                "flags": "witness",
            },
            *(
                {"subject_id": f"N{i}", "surname": "Vance", "postcode": f"Z{i} 1AA"}
                for i in range(len(PEERS))
            ),
            *({"subject_id": r, "surname": "Ordinary", "postcode": "Q1 1QQ"} for r in ORDINARY),
        ],
    )
    write_csv(
        folder,
        "incidents",
        [
            {
                "incident_ref": "CAD9",
                "opened_time": "2026-05-01T08:00",
                "closed_time": "2026-05-01T20:00",
                "category": "domestic",
            }
        ],
    )
    write_csv(folder, "incident_attendance", [{"incident_ref": "CAD9", "person_id": "E3"}])
    write_csv(
        folder,
        "incident_subjects",
        [{"incident_ref": "CAD9", "subject_id": "S4", "subject_role": "victim"}],
    )
    write_csv(
        folder, "system_accounts", [{"account_id": p, "person_id": p} for p in [*PEOPLE, *PEERS]]
    )
    background = [
        row for p in [*PEOPLE, *PEERS] for row in routine_lookups(rng, p, 100, ORDINARY, [], 0.0)
    ] + [
        lookup(b, f"N{i}", f"2026-07-{1 + hit:02d}T11:00")
        for i, b in enumerate(PEERS)
        for hit in range(neighbour_hits(i))
    ]
    write_csv(
        folder,
        "access_log",
        [
            # E1 looks up colleague E4 three times, twice in the evening off duty.
            lookup("E1", "S4", "2026-05-01T10:00"),
            lookup("E1", "S4", "2026-05-02T21:30"),
            lookup("E1", "S4", "2026-05-09T22:10"),
            # E2 looks up their neighbour three times off duty.
            lookup("E2", "S7", "2026-06-02T20:00"),
            lookup("E2", "S7", "2026-06-05T20:40"),
            lookup("E2", "S7", "2026-06-09T21:10"),
            # E3 attended E4's incident and looks E4 up three times citing it.
            lookup("E3", "S4", "2026-05-01T09:00", "CAD9"),
            lookup("E3", "S4", "2026-05-01T11:00", "CAD9"),
            lookup("E3", "S4", "2026-05-01T13:00", "CAD9"),
            # E5 looks up a neighbour once, on shift.
            lookup("E5", "S8", "2026-05-01T09:30"),
            *background,
        ],
    )
    return folder


def test_repeated_look_ups_of_a_colleague_or_neighbour_are_flagged(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "acquaintance_lookups")
    assert set(found) == {"E1", "E2"}
    assert found["E1"].startswith(
        "Looked up the police record of a colleague 3 times between 1 May 2026 and 9 May 2026 "
        "(2 while off duty), citing no incident they attended; the chance of so many"
    )
    assert found["E2"].startswith("Looked up the police record of a neighbour 3 times")


def test_a_cited_incident_and_one_look_up_at_work_are_not(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "acquaintance_lookups")
    assert not {"E3", "E4", "E5"} & set(found)


def test_where_heavy_use_meets_neighbours_by_chance_three_look_ups_are_ordinary(
    tmp_path: Path,
) -> None:
    # Everyone in the job meets a neighbour of theirs two to four times among their look-ups
    # (a control room covering the area they live in): E2's three are what peers do.
    found = signals(force(tmp_path, neighbour_hits=lambda i: 2 + i % 3), "acquaintance_lookups")
    assert "E2" not in found
    assert not set(PEERS) & set(found)

from __future__ import annotations

import random
from functools import partial
from pathlib import Path

from tests.exports import UNITS, person, routine_lookups, shift, write_csv
from tests.exports import lookup as exported_lookup
from tests.warehouse import signals

lookup = partial(exported_lookup, action="search")


ORDINARY = [f"S{i}" for i in range(300)]
# Days in February 2026 over three weeks.
SPREAD = ("01", "03", "06", "09")


def force(folder: Path, analyst_volume: int = 1) -> Path:
    rng = random.Random(9)
    response = [person(f"R{i}", role="Response", rank="PC", unit_code="SERT") for i in range(1, 31)]
    analysts = [
        person(
            f"A{i}",
            role="Intelligence analyst",
            staff_type="staff",
            rank="Band D",
            unit_code="INT1",
        )
        for i in range(1, 31)
    ]
    write_csv(folder, "people", response + analysts)
    write_csv(folder, "units", UNITS)
    write_csv(folder, "roster", [shift("R1", "2026-02-01")])
    write_csv(
        folder,
        "system_accounts",
        [{"account_id": p["person_id"], "person_id": p["person_id"]} for p in response + analysts],
    )
    write_csv(
        folder,
        "record_subjects",
        [{"subject_id": f"N{i}", "flags": "suspect;ocg_nominal"} for i in range(1, 21)]
        + [{"subject_id": s, "flags": "witness"} for s in ORDINARY],
    )
    write_csv(
        folder,
        "incidents",
        [
            {
                "incident_ref": "CAD9",
                "opened_time": "2026-03-01T10:00",
                "closed_time": "2026-03-05T10:00",
            }
        ],
    )
    write_csv(folder, "incident_attendance", [{"incident_ref": "CAD9", "person_id": "R2"}])
    write_csv(
        folder,
        "incident_subjects",
        [
            {"incident_ref": "CAD9", "subject_id": "N1", "subject_role": "suspect"},
            {"incident_ref": "CAD9", "subject_id": "N6", "subject_role": "suspect"},
        ],
    )
    rows = []
    # R1, a response officer: back to three nominals on four days, no reason recorded.
    rows += [lookup("R1", n, f"2026-02-{d}T21:00") for d in SPREAD for n in ("N1", "N5", "N10")]
    # R3, working a case they never attended: two nominals, each part of the incident cited.
    rows += [
        lookup("R3", n, f"2026-02-0{d}T11:00", "CAD9") for d in (1, 3, 6) for n in ("N1", "N6")
    ]
    # R4 cites the same incident for two nominals who are no part of it.
    rows += [lookup("R4", n, f"2026-02-{d}T11:00", "CAD9") for d in SPREAD for n in ("N5", "N7")]
    # R5: R1's look-ups, but in a burst over four days of one week: a job being worked.
    rows += [lookup("R5", n, f"2026-02-1{d}T21:00") for d in (0, 1, 2, 3) for n in ("N8", "N9")]
    # R2: the same nominal while their own incident involving him is open.
    rows += [lookup("R2", "N1", f"2026-03-0{d}T11:00") for d in (1, 2, 3)]
    # Response officers' routine work rarely touches a nominal; an analyst's often does, and
    # more often the more they look up: what is ordinary for the role is not flagged.
    nominals = [f"N{i}" for i in range(2, 21)]
    for r in response:
        rows += routine_lookups(rng, r["person_id"], 40, ORDINARY, nominals, 0.005)
    for a in analysts:
        n = 300 * analyst_volume
        rows += routine_lookups(rng, a["person_id"], n, ORDINARY, nominals, 0.1)
    write_csv(folder, "access_log", rows)
    return folder


def test_repeated_nominal_lookups_beyond_peers_are_flagged(tmp_path: Path) -> None:
    reason = signals(force(tmp_path), "nominal_lookups")["R1"]
    assert reason.startswith(
        "Looked up 3 organised-crime nominals repeatedly (12 look-ups between 1 Feb 2026 and 9 Feb 2026)"
    )


def test_lookups_during_ones_own_incident_and_routine_intelligence_work_are_not_flagged(
    tmp_path: Path,
) -> None:
    found = signals(force(tmp_path), "nominal_lookups")
    assert "R2" not in found
    assert not {f"A{i}" for i in range(1, 31)} & set(found)


def test_citing_an_incident_the_nominal_is_part_of_explains_the_lookups(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "nominal_lookups")
    assert "R3" not in found
    assert found["R4"].startswith("Looked up 2 organised-crime nominals repeatedly (8 look-ups")


def test_analysts_looking_up_five_times_as_much_are_still_held_to_their_peers(
    tmp_path: Path,
) -> None:
    found = signals(force(tmp_path, analyst_volume=5), "nominal_lookups")
    assert not {f"A{i}" for i in range(1, 31)} & set(found)
    assert "R1" in found


def test_a_burst_within_one_week_is_not_a_return(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "nominal_lookups")
    assert "R5" not in found
    assert "R1" in found  # as many look-ups, over two weeks

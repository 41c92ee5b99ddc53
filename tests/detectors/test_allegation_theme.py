"""Complaints alleging one thing again and again are flagged; many complaints of the kind the
work brings (use of force, for public-order officers), and many complaints of every kind, are
not."""

from __future__ import annotations

from pathlib import Path

from tests.detectors.test_complaint_rate import WARRANT, complaint
from tests.exports import UNITS, person, write_csv
from tests.warehouse import signals

PEOPLE = list(WARRANT)
MIXED = ["use_of_force", "delivery_of_duties", "individual_behaviour", "improper_disclosure"]


def force(folder: Path) -> Path:
    write_csv(folder, "people", [person(pid, warrant_number=WARRANT[pid]) for pid in PEOPLE])
    write_csv(folder, "units", UNITS)
    rows = [complaint(n, "E1", "discriminatory_behaviour" if n < 5 else "other") for n in range(7)]
    # E2: six use-of-force complaints, as for everyone in the group.
    rows += [complaint(n, "E2", "use_of_force") for n in range(6)]
    # E3: eight complaints of every kind.
    rows += [complaint(n, "E3", MIXED[n % 4]) for n in range(8)]
    for pid in PEOPLE[3:]:
        rows += [complaint(n, pid, "use_of_force") for n in range(3)]
        rows += [complaint(n + 3, pid, "delivery_of_duties") for n in range(2)]
    write_csv(folder, "complaints", rows)
    return folder


def test_one_allegation_again_and_again_is_flagged(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "allegation_theme")
    assert set(found) == {"E1"}
    assert found["E1"].startswith("5 of 7 complaints allege discriminatory behaviour between ")
    assert found["E1"].endswith("against 3% of complaints about peers in the same role.")


def test_what_the_work_brings_and_complaints_of_every_kind_are_not(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "allegation_theme")
    assert not {"E2", "E3"} & set(found)

from __future__ import annotations

from pathlib import Path

from tests.exports import UNITS, person, write_csv
from tests.warehouse import signals

PEOPLE = [f"E{i}" for i in range(1, 10)]
WARRANT = {pid: f"5000{i:02d}" for i, pid in enumerate(PEOPLE)}


def complaint(n: int, pid: str, category: str, outcome: str = "pending") -> dict[str, object]:
    return {
        "complaint_id": f"C{pid}-{n}",
        "incident_date": f"2026-0{1 + n % 8}-1{n % 9}",
        "subject_warrant_number": WARRANT[pid],
        "subject_name_as_recorded": "PC G Okafor",
        "allegation_category": category,
        "complainant_type": "public",
        "outcome": outcome,
    }


def force(folder: Path) -> Path:
    write_csv(folder, "people", [person(pid, warrant_number=WARRANT[pid]) for pid in PEOPLE])
    write_csv(folder, "units", UNITS)
    contact = {"E2": 120}  # E2 works where complaints come with the job: six times the contact
    incidents, attendance = [], []
    for pid in PEOPLE:
        for j in range(contact.get(pid, 20)):
            ref = f"CAD-{pid}-{j}"
            incidents.append({"incident_ref": ref})
            attendance.append({"incident_ref": ref, "person_id": pid})
    write_csv(folder, "incidents", incidents)
    write_csv(folder, "incident_attendance", attendance)
    rows = [complaint(n, "E1", "discriminatory_behaviour" if n < 5 else "other") for n in range(8)]
    rows += [complaint(n, "E2", "use_of_force") for n in range(6)]
    rows += [complaint(0, "E3", "delivery_of_duties")]
    # E4: as many complaints as E1, every one found groundless (the over-reporting of
    # allegations against Black and Asian officers the Casey Review found).
    rows += [complaint(n, "E4", "individual_behaviour", "not_upheld") for n in range(6)]
    rows += [complaint(n + 6, "E4", "other", "withdrawn") for n in range(2)]
    write_csv(folder, "complaints", rows)
    return folder


def test_complaints_far_beyond_comparable_contact_are_flagged_with_their_theme(
    tmp_path: Path,
) -> None:
    assert signals(force(tmp_path), "complaint_rate")["E1"].startswith(
        "8 complaints between 10 Jan 2026 and 17 Aug 2026, 3.5 times the rate of peers with "
        "comparable public contact; 5 allege discriminatory behaviour; the chance of so many at "
        "the rate of peers: 1 in "
    )


def test_many_complaints_in_proportion_to_much_contact_are_not_flagged(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "complaint_rate")
    assert "E2" not in found
    assert "E3" not in found


def test_complaints_found_groundless_count_half(tmp_path: Path) -> None:
    # As many complaints as E1, every one not upheld or withdrawn: half as many, not enough.
    assert "E4" not in signals(force(tmp_path), "complaint_rate")

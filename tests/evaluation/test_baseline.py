"""The threshold baseline flags three complaints in twelve months, or uses of force in the top
5% of the unit, and nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from probity.evaluation.baseline import baseline_ranking
from tests.exports import UNITS, person, write_csv
from tests.warehouse import prepared


def _complaint(n: int, pid: str, warrant: str, surname: str, day: str) -> dict[str, Any]:
    return {
        "complaint_id": f"CMP{n:04d}",
        "received_date": day,
        "incident_date": day,
        "subject_warrant_number": warrant,
        "subject_name_as_recorded": f"PC A {surname}",
        "allegation_category": "individual_behaviour",
        "complainant_type": "public",
        "outcome": "not_upheld",
    }


def test_baseline_flags_what_its_rules_say(tmp_path: Path) -> None:
    people = [
        person(f"E{i:03d}", surname=f"Surname{i}", warrant_number=f"{100000 + i}")
        for i in range(40)
    ]
    complaints = []
    # E000: three complaints within a year. E001: three spread over two years.
    for day in ("2025-01-10", "2025-05-01", "2025-12-20"):
        complaints.append(_complaint(len(complaints), "E000", "100000", "Surname0", day))
    for day in ("2024-01-10", "2024-09-01", "2025-06-20"):
        complaints.append(_complaint(len(complaints), "E001", "100001", "Surname1", day))
    # E002 uses force far more than the other 39 people in the unit; E003 a little.
    force = [
        {"event_id": f"UF{i:04d}", "event_time": "2025-03-01T10:00:00", "person_id": "E002"}
        for i in range(12)
    ] + [{"event_id": "UF9999", "event_time": "2025-03-01T10:00:00", "person_id": "E003"}]
    for i in range(4, 40):
        force.append(
            {"event_id": f"UFX{i}", "event_time": "2025-04-01T10:00:00", "person_id": f"E{i:03d}"}
        )
    write_csv(tmp_path, "people", people)
    write_csv(tmp_path, "units", UNITS)
    write_csv(tmp_path, "complaints", complaints)
    write_csv(tmp_path, "use_of_force", force)
    engine, _ = prepared(tmp_path)
    assert baseline_ranking(engine) == ["E000", "E002"]

from __future__ import annotations

from pathlib import Path

from tests.exports import UNITS, person, write_csv
from tests.warehouse import signals

PEOPLE = [f"E{i}" for i in range(1, 10)]


def force(folder: Path) -> Path:
    write_csv(folder, "people", [person(pid) for pid in PEOPLE])
    write_csv(folder, "units", UNITS)
    attended = {"E2": 120}  # the busiest responder
    uses = {"E1": 16, "E2": 12}  # everyone else: one each
    incidents, attendance, force_rows = [], [], []
    for pid in PEOPLE:
        for j in range(attended.get(pid, 20)):
            ref = f"CAD-{pid}-{j}"
            incidents.append({"incident_ref": ref})
            attendance.append({"incident_ref": ref, "person_id": pid})
            if j < uses.get(pid, 1):
                force_rows.append(
                    {
                        "event_id": f"F-{pid}-{j}",
                        "event_time": f"2026-03-{1 + j % 28:02d}T12:00",
                        "person_id": pid,
                        "incident_ref": ref,
                        "tactic": "handcuffing_non_compliant",
                    }
                )
    write_csv(folder, "incidents", incidents)
    write_csv(folder, "incident_attendance", attendance)
    write_csv(folder, "use_of_force", force_rows)
    return folder


def test_force_far_above_peers_doing_the_same_work_is_flagged(tmp_path: Path) -> None:
    assert signals(force(tmp_path), "force_rate")["E1"] == (
        "16 uses of force in 20 incidents attended between 1 Mar 2026 and 16 Mar 2026, 4.2 times "
        "the rate of peers in the same role (7.7 per 100 incidents)."
    )


def test_many_uses_of_force_in_proportion_to_many_incidents_are_not_flagged(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "force_rate")
    assert "E2" not in found
    assert not {f"E{i}" for i in range(3, 10)} & set(found)

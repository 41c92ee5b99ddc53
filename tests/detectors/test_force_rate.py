from __future__ import annotations

from pathlib import Path

from tests.exports import UNITS, person, write_csv
from tests.warehouse import signals

PEOPLE = [f"E{i}" for i in range(1, 10)]
# A quieter area: N1 uses force far more than the colleagues they police it with, though no
# more often than the busier area's officers do.
QUIET = [f"N{i}" for i in range(1, 8)]
NORTH = {**UNITS[0], "unit_code": "NWRT", "name": "North West response", "command": "North West"}


def force(folder: Path) -> Path:
    people = [person(pid) for pid in PEOPLE] + [person(pid, unit_code="NWRT") for pid in QUIET]
    write_csv(folder, "people", people)
    write_csv(folder, "units", [*UNITS, NORTH])
    attended = {"E2": 120}  # the busiest responder
    uses = {"E1": 16, "E2": 12, "N1": 8} | {pid: 0 for pid in QUIET[1:]}  # others: one each
    incidents, attendance, force_rows = [], [], []
    for pid in PEOPLE + QUIET:
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
    assert signals(force(tmp_path), "force_rate")["E1"].startswith(
        "16 uses of force in 20 incidents attended between 1 Mar 2026 and 16 Mar 2026, 4.2 times "
        "the rate of peers in the same role and area (7.6 per 100 incidents); the chance of so "
        "many at the rate of peers: 1 in "
    )


def test_many_uses_of_force_in_proportion_to_many_incidents_are_not_flagged(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "force_rate")
    assert "E2" not in found
    assert not {f"E{i}" for i in range(3, 10)} & set(found)


def test_force_far_above_the_colleagues_in_a_quieter_area_is_flagged(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "force_rate")
    assert found["N1"].startswith("8 uses of force in 20 incidents attended")
    assert "in the same role and area" in found["N1"]
    assert not set(QUIET[1:]) & set(found)


def test_force_in_proportion_to_the_kind_of_incidents_attended_is_not_flagged(
    tmp_path: Path,
) -> None:
    # Thirty officers in one team each attend fifteen thefts (no force) and five violent
    # incidents (force at two of them). V0 is sent to violence alone and uses force at the
    # same rate there; V1 attends what the others do and uses force eight times.
    people = [f"V{i}" for i in range(30)]
    incidents, attendance, force_rows = [], [], []
    for pid in people:
        kinds = ["violence"] * 20 if pid == "V0" else ["theft"] * 15 + ["violence"] * 5
        uses = 8 if pid in ("V0", "V1") else 2
        violent = [j for j, k in enumerate(kinds) if k == "violence"]
        with_force = violent[:uses] if pid != "V1" else list(range(uses))
        for j, kind in enumerate(kinds):
            ref = f"CAD-{pid}-{j}"
            incidents.append({"incident_ref": ref, "category": kind, "grade": "immediate"})
            attendance.append({"incident_ref": ref, "person_id": pid})
            if j in with_force:
                force_rows.append(
                    {"event_id": f"F-{pid}-{j}", "event_time": f"2026-03-{1 + j:02d}T12:00",
                     "person_id": pid, "incident_ref": ref, "tactic": "unarmed_skills"}
                )  # fmt: skip
    write_csv(tmp_path, "people", [person(pid) for pid in people])
    write_csv(tmp_path, "units", UNITS)
    write_csv(tmp_path, "incidents", incidents)
    write_csv(tmp_path, "incident_attendance", attendance)
    write_csv(tmp_path, "use_of_force", force_rows)
    found = signals(tmp_path, "force_rate")
    assert "V0" not in found
    assert "V1" in found

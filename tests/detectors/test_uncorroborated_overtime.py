"""Overtime of most of a shift with no badge, look-up or incident in the hours claimed, beyond
the force-wide share for its reason, is flagged; claims with badge records, a lone bare claim,
or short extensions to a shift are not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.exports import UNITS, person, write_csv
from tests.warehouse import signals

DAYS = [f"2026-03-{d:02d}" for d in range(1, 29)]


def claim(cid: str, pid: str, day: str) -> dict[str, Any]:
    return {
        "claim_id": cid,
        "person_id": pid,
        "work_date": day,
        "start_time": f"{day}T08:00",
        "end_time": f"{day}T18:00",
        "hours": 10,
        "reason_code": "cover",
    }


def swipes(pid: str, day: str) -> list[dict[str, Any]]:
    return [
        {"event_time": f"{day}T07:50", "person_id": pid, "site_code": "SE-STN", "direction": "in"},
        {"event_time": f"{day}T18:05", "person_id": pid, "site_code": "SE-STN", "direction": "out"},
    ]


def force(folder: Path) -> Path:
    people = [person(f"E{i:02d}") for i in range(1, 21)]
    claims, badge, log = [], [], []
    for p in people:
        pid = p["person_id"]
        for j, day in enumerate(DAYS[:10]):
            claims.append(claim(f"{pid}-{j}", pid, day))
            bare = (pid == "E01" and j < 8) or (pid == "E02" and j == 0)
            if pid == "E03" and j < 8:  # at work by the look-ups alone: no badge reader
                log.append(
                    {
                        "event_time": f"{day}T12:00",
                        "account_id": pid,
                        "action": "view",
                        "subject_kind": "person",
                        "subject_id": "S1",
                    }
                )
            elif not bare:
                badge += swipes(pid, day)
    write_csv(folder, "people", people)
    write_csv(folder, "units", UNITS)
    write_csv(folder, "overtime_claims", claims)
    write_csv(folder, "building_access", badge)
    write_csv(
        folder,
        "system_accounts",
        [{"account_id": p["person_id"], "person_id": p["person_id"]} for p in people],
    )
    write_csv(folder, "access_log", log)
    return folder


def claims_only(
    folder: Path, people: list[dict[str, Any]], claims: list[dict[str, Any]], badge: list[Any]
) -> Path:
    """A force with claims and badge swipes, and no log-ins or incidents."""
    write_csv(folder, "people", people)
    write_csv(folder, "units", UNITS)
    write_csv(folder, "overtime_claims", claims)
    write_csv(folder, "building_access", badge)
    return folder


def test_many_bare_claims_are_flagged(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "uncorroborated_overtime")
    assert set(found) == {"E01"}
    assert found["E01"].startswith(
        "8 of 10 overtime claims of 4 hours or more (80.0 hours) between 1 Mar 2026 and 8 Mar 2026"
    )


def test_one_bare_claim_and_activity_other_than_badges_are_not_flagged(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "uncorroborated_overtime")
    assert "E02" not in found  # one claim in ten, as the force-wide share allows
    assert "E03" not in found  # no badge, but at work in police systems


def test_whole_days_with_nothing_to_show_stand_out_among_many_bare_short_extensions(
    tmp_path: Path,
) -> None:
    # Everyone claims hour-long extensions to their shifts, half of them with no swipe in the
    # hour (the swipe came before it), and two rest days a month, at work by their swipes.
    # E05 also claims five rest days of ten hours with nothing at all to show for them; E06
    # claims five such days, each with a swipe. E07's extensions never have a swipe in the
    # hour: the shift before each shows them at work.
    people = [person(f"E{i:02d}") for i in range(1, 21)]
    claims, badge = [], []
    for p in people:
        pid = p["person_id"]
        for j, day in enumerate(DAYS[:20]):
            claims.append(
                {**claim(f"{pid}-x{j}", pid, day), "start_time": f"{day}T17:00",
                 "end_time": f"{day}T18:00", "hours": 1}
            )  # fmt: skip
            if j % 2 and pid != "E07":
                badge.append({"event_time": f"{day}T17:50", "person_id": pid, "site_code": "S"})
        rest_days = DAYS[20:25] if pid in ("E05", "E06") else DAYS[20:22]
        for j, day in enumerate(rest_days):
            claims.append(claim(f"{pid}-r{j}", pid, day))
            if pid != "E05":
                badge += swipes(pid, day)
    found = signals(claims_only(tmp_path, people, claims, badge), "uncorroborated_overtime")
    assert "E05" in found
    assert found["E05"].startswith("5 of 5 overtime claims of 4 hours or more (50.0 hours)")
    assert "E06" not in found
    assert not {f"E{i:02d}" for i in range(7, 21)} & set(found)  # E07 among them


def test_each_claim_is_held_to_the_share_usual_for_its_reason(tmp_path: Path) -> None:
    # Events at outside venues have no badge reader: two in five event claims are bare for
    # everyone, who claim ten events and ten days' cover at a station, swiped. E21 works
    # events only, twenty of them, twelve bare: a few more than usual for events. E22 claims
    # twenty days' cover, six of them bare: few, but cover is almost never bare.
    people = [person(f"E{i:02d}") for i in range(1, 23)]
    claims, badge = [], []
    for p in people:
        pid = p["person_id"]
        reasons = {"E21": ["event"] * 20, "E22": ["cover"] * 20}.get(
            pid, ["event"] * 10 + ["cover"] * 10
        )
        bare = {"E21": set(range(12)), "E22": set(range(6))}.get(pid, set(range(4)))
        for j, (day, reason) in enumerate(zip(DAYS[:20], reasons, strict=True)):
            claims.append({**claim(f"{pid}-{j}", pid, day), "reason_code": reason})
            if j not in bare:
                badge += swipes(pid, day)
    found = signals(claims_only(tmp_path, people, claims, badge), "uncorroborated_overtime")
    assert "E22" in found
    assert "E21" not in found

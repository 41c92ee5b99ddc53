"""Watching the watchers: looking up people with no case, and browsing far beyond peers in the
same role, are reported to the auditor; ordinary casework is not."""

from __future__ import annotations

from probity.governance.access import Principal, Role
from probity.governance.watch import watch

PS = "professional_standards"
PRINCIPALS = {
    name: Principal(name, Role.psd_analyst) for name in ("careful", "curious", "busy", "steady")
} | {"carer": Principal("carer", Role.welfare_officer)}


def views(actor: str, people: list[str], action: str = "view_person") -> list[dict[str, str]]:
    return [{"actor": actor, "action": action, "subject": p} for p in people]


QUEUED = {(f"Q{i}", PS) for i in range(100)} | {("W1", "welfare")}


def test_viewing_people_outside_every_queue_and_case_is_reported() -> None:
    entries = (
        views("careful", ["Q1", "Q2"])  # queued: casework
        + views("curious", ["Q3", "NEIGHBOUR"], "reveal")
        + views("carer", ["W1", "Q4"])  # Q4 is queued, but not for welfare
    )
    findings = watch(entries, PRINCIPALS, QUEUED)
    outside = {(f["actor"], f["people"]) for f in findings if "no case" in f["finding"]}
    assert outside == {("curious", 1), ("carer", 1)}


def test_opening_with_a_case_reference_is_listed_apart_with_the_reference() -> None:
    referenced: dict[str, object] = {
        "actor": "careful",
        "action": "view_person",
        "subject": "D1",
        "reason": "PSD/2026/0147 linked case",
        "details": {"outside_queue": True},
    }
    findings = watch([referenced, *views("curious", ["D1"])], PRINCIPALS, QUEUED)
    apart = [f for f in findings if "case reference" in f["finding"]]
    assert [(f["actor"], f["people"], f["detail"]) for f in apart] == [
        ("careful", 1, "PSD/2026/0147 linked case")
    ]
    # A look without a reference stays a finding, whatever is recorded about the person later.
    assert [f["actor"] for f in findings if "no case" in f["finding"]] == ["curious"]


def test_browsing_far_beyond_peers_in_the_role_is_reported() -> None:
    entries = (
        views("busy", [f"Q{i}" for i in range(60)])
        + views("steady", [f"Q{i}" for i in range(10)])
        + views("careful", [f"Q{i}" for i in range(12)])
        + views("curious", [f"Q{i}" for i in range(15)])
    )
    findings = watch(entries, PRINCIPALS, QUEUED)
    beyond = [f for f in findings if "far more" in f["finding"]]
    assert [(f["actor"], f["people"]) for f in beyond] == [("busy", 60)]


def test_a_lone_user_in_a_role_has_no_peers_to_be_compared_with() -> None:
    findings = watch(views("carer", ["W1"] * 5), PRINCIPALS, QUEUED)
    assert findings == []

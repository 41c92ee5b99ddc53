"""Purpose on people, not only on routes: a user opens, reveals, claims, notes and decides on
someone in a queue of their purpose; anyone else takes a case reference (audited, and listed
apart by `audit watch`), and never a claim or a decision."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from probity.cli import app as cli
from probity.governance.access import Principal, Role
from probity.governance.audit import AuditLog
from probity.web.app import create_app
from tests.webforms import form_token

PS, WF = "professional_standards", "welfare"
REFERENCE = "PSD/2026/0147 linked to an open misconduct case"


@pytest.fixture()
def ws(small_run: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "ws"
    shutil.copytree(small_run, copy)
    return copy


def client(ws: Path, name: str, role: Role) -> TestClient:
    return TestClient(create_app(ws, Principal(name, role)))


def only_in(ws: Path, purpose: str) -> str:
    """Someone in the `purpose` queue and in no other."""
    single = client(ws, "solo", Role.single_user)
    rows = single.get("/api/queue").json()
    other = {r["subject"] for r in rows if r["purpose"] != purpose}
    return next(r["subject"] for r in rows if r["purpose"] == purpose and r["subject"] not in other)


def test_opening_someone_outside_your_queues_takes_a_case_reference(ws: Path) -> None:
    analyst = client(ws, "ana", Role.psd_analyst)
    subject = only_in(ws, WF)
    assert analyst.get(f"/api/person/{subject}").status_code == 403
    assert analyst.get(f"/api/person/{subject}?reason=just curious").status_code == 403
    page = analyst.get(f"/person/{subject}")
    assert page.status_code == 403 and "case reference" in page.text
    assert analyst.get(f"/api/person/{subject}", params={"reason": REFERENCE}).status_code == 200
    entries = AuditLog(ws).entries()
    denied = [e for e in entries if e["action"] == "denied" and e["actor"] == "ana"]
    assert len(denied) == 3
    [view] = [e for e in entries if e["action"] == "view_person" and e["actor"] == "ana"]
    assert view["reason"] == REFERENCE and view["details"]["outside_queue"] is True


def test_casework_needs_the_person_in_the_user_s_queue(ws: Path) -> None:
    analyst = client(ws, "ana", Role.psd_analyst)
    subject = only_in(ws, WF)
    token = form_token(analyst, "/queue")
    note = {"purpose": PS, "text": "checked", "csrf": token}
    reveal = {"reason": "case 12", "csrf": token}
    assert analyst.post(f"/person/{subject}/note", data=note).status_code == 403
    assert analyst.post(f"/person/{subject}/reveal", data=reveal).status_code == 403
    assert (
        analyst.post(f"/person/{subject}/claim", data={"purpose": PS, "csrf": token}).status_code
        == 403
    )
    # Opened with a case reference: notes and a reveal, but still no claim.
    opened = analyst.post(
        f"/person/{subject}/open", data={"reason": REFERENCE, "csrf": token}, follow_redirects=False
    )
    assert opened.status_code == 303
    assert analyst.post(f"/person/{subject}/note", data=note).status_code == 200
    assert analyst.post(f"/person/{subject}/reveal", data=reveal).status_code == 200
    assert (
        analyst.post(f"/person/{subject}/claim", data={"purpose": PS, "csrf": token}).status_code
        == 403
    )


def test_a_welfare_decision_on_a_professional_standards_subject_is_refused(ws: Path) -> None:
    welfare = client(ws, "wendy", Role.welfare_officer)
    subject = only_in(ws, PS)
    token = form_token(welfare, "/queue")
    welfare.post(
        f"/person/{subject}/open", data={"reason": "OHU/2026/0042 referral", "csrf": token}
    )
    decided = welfare.post(
        f"/person/{subject}/decide",
        data={
            "purpose": WF,
            "outcome": "wellbeing_conversation",
            "reason": "offer support",
            "csrf": token,
        },
    )
    assert decided.status_code == 403
    assert not [e for e in AuditLog(ws).entries() if e["action"] == "decision"]


def test_the_command_line_records_no_decision_outside_the_purpose_s_queue(ws: Path) -> None:
    subject = only_in(ws, PS)
    args = ["decide", subject, "--purpose", WF, "--outcome", "wellbeing_conversation"]
    args += ["--reason", "offer support", "--workspace", str(ws)]
    assert CliRunner().invoke(cli, args).exit_code == 3
    entries = AuditLog(ws).entries()
    assert not [e for e in entries if e["action"] == "decision"]
    assert entries[-1]["action"] == "denied" and entries[-1]["details"]["attempted"] == "decide"


def test_a_role_that_may_not_open_people_is_not_offered_a_case_reference(ws: Path) -> None:
    auditor = client(ws, "aud", Role.auditor)
    page = auditor.get(f"/person/{only_in(ws, PS)}")
    assert page.status_code == 403 and "case reference" not in page.text

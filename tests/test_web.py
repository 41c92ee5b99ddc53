"""The web app over a published run: queue, person pages with evidence, audited reveals."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from probity.casework.store import OUTCOMES_FOR
from probity.governance.audit import AuditLog
from probity.web.app import create_app
from tests.webforms import form_token


@pytest.fixture(scope="module")
def client(small_run: Path) -> TestClient:
    return TestClient(create_app(small_run))


def test_queue_page_lists_pseudonyms_not_ids(client: TestClient) -> None:
    page = client.get("/queue")
    assert page.status_code == 200
    rows = client.get("/api/queue").json()
    assert rows and all(r["subject"].startswith("P-") for r in rows)
    assert rows[0]["subject"] in page.text
    assert "person_key" not in rows[0]
    assert not any(f">{r['subject'].replace('P-', 'E')}<" in page.text for r in rows)


def test_queue_api_filters_by_purpose_and_rejects_unknown_ones(client: TestClient) -> None:
    assert all(
        r["purpose"] == "professional_standards"
        for r in client.get("/api/queue?purpose=professional_standards").json()
    )
    assert client.get("/api/queue?purpose=gossip").status_code == 422


def test_person_page_shows_signals_with_evidence_and_is_audited(
    client: TestClient, small_run: Path
) -> None:
    top = client.get("/api/queue?limit=1").json()[0]
    before = len(AuditLog(small_run).entries())
    page = client.get(f"/person/{top['subject']}")
    assert page.status_code == 200
    assert top["reason"] in page.text
    person = client.get(f"/api/person/{top['subject']}").json()
    assert person["signals"] and person["signals"][0]["evidence"]
    assert "person_key" not in person
    events = AuditLog(small_run).entries()[before:]
    assert [e["action"] for e in events] == ["view_person", "view_person"]


def test_unknown_person_is_404(client: TestClient) -> None:
    assert client.get("/person/P-NOBODY").status_code == 404


def test_reveal_without_reason_is_refused_and_with_reason_is_audited(
    client: TestClient, small_run: Path
) -> None:
    subject = client.get("/api/queue?limit=1").json()[0]["subject"]
    token = form_token(client, f"/person/{subject}")
    blank = client.post(f"/person/{subject}/reveal", data={"reason": "  ", "csrf": token})
    assert blank.status_code == 422
    page = client.post(
        f"/person/{subject}/reveal", data={"reason": "referral from line manager", "csrf": token}
    )
    assert page.status_code == 200
    last = AuditLog(small_run).entries()[-1]
    assert (last["action"], last["reason"]) == ("reveal", "referral from line manager")
    assert f"<strong>{last['subject']}</strong>" in page.text


def test_report_page_and_api(client: TestClient) -> None:
    report = client.get("/api/report").json()
    assert report["status"] == "succeeded"
    page = client.get("/report")
    assert page.status_code == 200 and "relatives_lookup" in page.text


def test_report_page_charts_fairness_ratios_and_explains_the_model(client: TestClient) -> None:
    report = client.get("/api/report").json()
    page = client.get("/report").text
    ps = report["fairness"]["purposes"]["professional_standards"]
    shown = [g for g in ps["groups"]["ethnicity"] if not g["suppressed"]]
    assert shown
    # One chart row per group that is not suppressed, for each dimension and flag set.
    assert page.count("<svg") >= len(shown)
    assert f"{ps['flagged']} of {ps['people']} flagged" in page
    # The small force has one year of history: the model says why it did not run.
    assert report["model"]["status"] == "skipped"
    assert report["model"]["reason"] in page


def test_a_decision_is_recorded_from_the_person_page_with_its_reason(
    small_run: Path, tmp_path: Path
) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(small_run, ws)  # decisions are kept in the workspace: use a copy
    client = TestClient(create_app(ws))
    subject = client.get("/api/queue?purpose=professional_standards&limit=1").json()[0]["subject"]
    token = form_token(client, f"/person/{subject}")
    form = {"purpose": "professional_standards", "outcome": "management_advice", "csrf": token}
    assert client.post(f"/person/{subject}/decide", data={**form, "reason": " "}).status_code == 422
    page = client.post(
        f"/person/{subject}/decide", data={**form, "reason": "spoke to line manager"}
    )
    assert page.status_code == 200 and "Decision recorded" in page.text
    assert "spoke to line manager" in client.get(f"/person/{subject}").text
    event = AuditLog(ws).entries()[-2]  # the page view after it is the last
    assert (event["action"], event["reason"]) == ("decision", "spoke to line manager")


def test_the_person_page_gives_the_evidence_before_the_decision_and_suggests_no_outcome(
    small_run: Path,
) -> None:
    client = TestClient(create_app(small_run))
    subject = client.get("/api/queue?purpose=professional_standards&limit=1").json()[0]["subject"]
    page = client.get(f"/person/{subject}").text
    why, timeline = page.index('id="why"'), page.index('id="timeline"')
    decide, reveal = (
        page.index('class="decide"'),
        page.index('action="/person/' + subject + '/reveal"'),
    )
    assert why < timeline < decide < reveal
    form = page[decide : page.index("</form>", decide)]
    # Nothing chosen for the reviewer, and a reason written out, not a word.
    assert '<option value="" selected disabled>' in form
    assert "selected" not in form.replace('<option value="" selected disabled>', "")
    assert "<textarea" in form and 'minlength="10"' in form
    offered = re.findall(r'<option value="([a-z_]+)">', form)
    assert offered == list(OUTCOMES_FOR["professional_standards"])
    assert "occupational_health_referral" not in offered


def test_a_reason_of_a_word_is_refused(small_run: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(small_run, ws)
    client = TestClient(create_app(ws))
    subject = client.get("/api/queue?purpose=professional_standards&limit=1").json()[0]["subject"]
    token = form_token(client, f"/person/{subject}")
    form = {"purpose": "professional_standards", "outcome": "no_further_action", "csrf": token}
    assert (
        client.post(f"/person/{subject}/decide", data={**form, "reason": "ok"}).status_code == 422
    )
    assert not [e for e in AuditLog(ws).entries() if e["action"] == "decision"]

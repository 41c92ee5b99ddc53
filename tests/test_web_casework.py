"""Casework in the web app: queue filters, claims, notes, the person's case file (timeline,
activity, peers, ties), the unit page and clerical link review."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from probity.governance.access import Principal, Role
from probity.governance.audit import AuditLog
from probity.publish.casefile import CONDUCT_KINDS
from probity.resolve.judgements import JudgementStore
from probity.web.app import create_app
from tests.webforms import form_token

PS, WF = "professional_standards", "welfare"


@pytest.fixture(scope="module")
def ws(small_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("casework") / "ws"
    shutil.copytree(small_run, copy)
    return copy


def as_user(ws: Path, name: str, role: Role) -> TestClient:
    return TestClient(create_app(ws, Principal(name, role)))


def test_queue_filters_narrow_by_concern_unit_and_priority(ws: Path) -> None:
    client = as_user(ws, "ana", Role.psd_analyst)
    everyone = client.get("/api/queue").json()
    concern = everyone[-1]["concerns"].split(";")[0]
    unit = everyone[0]["unit_code"]
    floor = everyone[len(everyone) // 2]["priority"]
    cases = {
        f"concern={concern}": [r for r in everyone if concern in r["concerns"].split(";")],
        f"unit={unit}": [r for r in everyone if r["unit_code"] == unit],
        f"min_priority={floor}": [r for r in everyone if r["priority"] >= floor],
    }
    for query, expected in cases.items():
        got = client.get(f"/api/queue?{query}").json()
        assert [r["subject"] for r in got] == [r["subject"] for r in expected], query
        assert 0 < len(got) < len(everyone), query
    # The filter form sends every field, empty ones as "".
    page = client.get(f"/queue?purpose=&concern=&unit={unit}&min_priority=").text
    assert f"{len(cases[f'unit={unit}'])} entries." in page
    # A narrowed page still offers every concern and unit of the user's whole queue, and
    # nothing from a purpose the user does not serve (welfare's concern).
    offered = {c for r in everyone for c in r["concerns"].split(";")}
    offered |= {r["unit_code"] for r in everyone if r["unit_code"]}
    for value in offered:
        assert f'<option value="{value}"' in page, value
    assert '<option value="welfare"' not in page
    assert client.get("/queue?min_priority=high").status_code == 422


def test_a_claim_keeps_others_off_until_released(ws: Path) -> None:
    alice = as_user(ws, "alice", Role.psd_analyst)
    bob = as_user(ws, "bob", Role.psd_investigator)
    subject = alice.get("/api/queue?purpose=professional_standards&limit=1").json()[0]["subject"]
    form = {"purpose": PS, "csrf": form_token(alice)}
    assert alice.post(f"/person/{subject}/claim", data=form).status_code == 200
    assert "You are working on this entry" in alice.get(f"/person/{subject}").text
    taken = bob.post(f"/person/{subject}/claim", data={**form, "csrf": form_token(bob)})
    assert taken.status_code == 409 and "alice" in taken.text
    row = next(r for r in bob.get("/api/queue").json() if r["subject"] == subject)
    assert row["claimed_by"] == "alice"
    alice.post(f"/person/{subject}/claim", data={**form, "release": "1"})
    assert bob.post(f"/person/{subject}/claim", data={**form, "csrf": form_token(bob)}).is_success
    assert bob.get("/api/person/" + subject + "/casefile").json()["claims"] == {PS: "bob"}


def test_notes_are_shared_within_a_purpose_only(ws: Path) -> None:
    analyst = as_user(ws, "ana", Role.psd_analyst)
    welfare = as_user(ws, "wendy", Role.welfare_officer)
    subject = analyst.get("/api/queue?purpose=professional_standards&limit=1").json()[0]["subject"]
    text = "duty log checked against the look-ups"
    reply = analyst.post(
        f"/person/{subject}/note", data={"purpose": PS, "text": text, "csrf": form_token(analyst)}
    )
    assert reply.status_code == 200 and text in reply.text
    assert [n["text"] for n in analyst.get(f"/api/person/{subject}/casefile").json()["notes"]] == [
        text
    ]
    # Not in a welfare queue: the welfare officer needs a case reference to open them at all.
    assert welfare.get(f"/api/person/{subject}/casefile").status_code == 403
    opened = welfare.get(f"/api/person/{subject}/casefile?reason=OHU/2026/0042 referral")
    assert opened.json()["notes"] == []
    refused = welfare.post(
        f"/person/{subject}/note", data={"purpose": PS, "text": "x", "csrf": form_token(welfare)}
    )
    assert refused.status_code == 403
    assert AuditLog(ws).entries()[-1]["action"] == "denied"


def test_case_file_joins_the_sources_and_keeps_health_data_to_welfare(ws: Path) -> None:
    single = as_user(ws, "solo", Role.single_user)
    analyst = as_user(ws, "ana", Role.psd_analyst)
    subjects = [r["subject"] for r in single.get("/api/queue?purpose=welfare").json()]
    files = {s: single.get(f"/api/person/{s}/casefile").json() for s in subjects}
    subject = next(
        s for s, f in files.items() if any(t["source"] == "absences" for t in f["timeline"])
    )
    full = files[subject]
    times = [t["occurred_at"] for t in full["timeline"]]
    assert times == sorted(times)
    assert {"postings", "signals", "absences"} <= {t["source"] for t in full["timeline"]}
    assert full["activity"] and {"month", "kind", "n"} == set(full["activity"][0])
    assert full["peers"] and all(p["peer_median"] <= p["peer_p90"] for p in full["peers"])
    kinds = {n["kind"] for n in full["graph"]["nodes"]}
    assert {"person", "unit"} <= kinds
    assert len(full["graph"]["edges"]) == len(full["graph"]["nodes"]) - 1
    # Absence reasons are health data: professional standards sees none of them.
    seen = analyst.get(f"/api/person/{subject}/casefile?reason=PSD/2026/0002 check").json()
    assert not any(t["source"] == "absences" for t in seen["timeline"])
    assert not any(
        t["source"] == "signals" and t["event"].startswith(("sickness", "fatigue"))
        for t in seen["timeline"]
    )
    page = single.get(f"/person/{subject}").text
    for section in ('id="timeline"', 'id="activity-data"', 'id="peers"', 'id="graph-data"'):
        assert section in page


def test_welfare_sees_no_conduct_material_on_any_part_of_the_case_file(ws: Path) -> None:
    single = as_user(ws, "solo", Role.single_user)
    welfare = as_user(ws, "wendy", Role.welfare_officer)
    conduct_sources = {"complaints", "conduct_cases"}
    subjects = [
        r["subject"] for r in single.get("/api/queue?purpose=professional_standards").json()
    ]
    files = {s: single.get(f"/api/person/{s}/casefile").json() for s in subjects}
    subject = next(
        s
        for s, f in files.items()
        if conduct_sources & {t["source"] for t in f["timeline"]}
        and set(CONDUCT_KINDS) & {a["kind"] for a in f["activity"]}
    )
    seen = welfare.get(f"/api/person/{subject}/casefile?reason=OHU/2026/0042 referral").json()
    assert not conduct_sources & {t["source"] for t in seen["timeline"]}
    assert not set(CONDUCT_KINDS) & {a["kind"] for a in seen["activity"]}
    assert not set(CONDUCT_KINDS) & {p["kind"] for p in seen["peers"]}
    assert seen["activity"] and seen["peers"]  # the rest is still there


def test_unit_page_compares_the_unit_with_the_force(ws: Path) -> None:
    client = as_user(ws, "ana", Role.psd_analyst)
    entry = client.get("/api/queue?limit=1").json()[0]
    unit = client.get(f"/api/unit/{entry['unit_code']}").json()
    assert unit["headcount"] > 0
    assert entry["subject"] in {q["subject"] for q in unit["queue"]}
    assert {q["purpose"] for q in unit["queue"]} == {PS}
    for c in unit["concerns"]:
        assert c["unit_rate"] == pytest.approx(c["unit_people"] / unit["headcount"], abs=1e-4)
    assert client.get("/api/unit/NOWHERE").status_code == 404
    assert entry["subject"] in client.get(f"/unit/{entry['unit_code']}").text


def test_clerical_review_needs_a_reason_and_judgements_are_kept(ws: Path) -> None:
    client = as_user(ws, "ana", Role.psd_analyst)
    assert client.get("/api/links/candidates").status_code == 422
    assert "Why are you reviewing links" in client.get("/links").text
    client.post("/links/start", data={"reason": "monthly link review", "csrf": form_token(client)})
    candidates = client.get("/api/links/candidates?reason=monthly link review").json()
    assert candidates
    pick = candidates[0]
    page = client.get("/links").text
    assert pick["record_description"] in page
    judged = client.post(
        "/links/judge",
        data={
            "task": pick["task"],
            "record_id": pick["record_id"],
            "person_key": pick["person_key"],
            "decision": "confirm",
            "csrf": form_token(client),
        },
    )
    assert judged.status_code == 200
    (kept,) = JudgementStore(ws).latest()
    assert (kept.record_id, kept.decision, kept.actor, kept.reason) == (
        pick["record_id"],
        "confirm",
        "ana",
        "monthly link review",
    )
    left = client.get("/api/links/candidates?reason=monthly link review").json()
    assert len(left) == len(candidates) - 1
    bogus = {
        **{k: pick[k] for k in ("task", "record_id")},
        "person_key": "E0",
        "decision": "confirm",
    }
    assert (
        client.post("/links/judge", data={**bogus, "csrf": form_token(client)}).status_code == 404
    )

"""No identity without a reveal: every JSON answer about people, as a user of both purposes
sees it after casework has been recorded, is walked for HR person ids, warrant numbers and
real names, the audit explorer included. (Clerical link review shows identities by design,
after an audited reason.)"""

from __future__ import annotations

import csv
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from probity.web.app import create_app
from tests.webforms import form_token


def leaves(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from leaves(v)
    elif value is not None:
        yield str(value)


@pytest.fixture()
def workspace(small_run: Path, tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    shutil.copytree(small_run, ws)
    return ws


def identities(exports: Path) -> tuple[set[str], list[str]]:
    """The force's HR ids and warrant numbers, and its people's full names."""
    ids: set[str] = set()
    names: list[str] = []
    with (exports / "people.csv").open(newline="") as f:
        for row in csv.DictReader(f):
            ids.update(v for v in (row["person_id"], row["warrant_number"]) if v)
            names.append(f"{row['forenames']} {row['surname']}".lower())
            names.append(f"{row['surname']}, {row['forenames']}".lower())
    return ids, names


def test_no_json_answer_names_a_person(workspace: Path, small_force: Path) -> None:
    client = TestClient(create_app(workspace))
    queue = client.get("/api/queue").json()
    subjects = [q["subject"] for q in queue[:15]]
    first = subjects[0]
    purpose = queue[0]["purpose"]
    token = form_token(client, f"/person/{first}")
    client.post(
        f"/person/{first}/note", data={"purpose": purpose, "text": "checked", "csrf": token}
    )
    decided = client.post(
        f"/person/{first}/decide",
        data={
            "purpose": purpose,
            "outcome": "no_further_action",
            "reason": "seen and explained",
            "csrf": token,
        },
    )
    assert decided.status_code == 200
    answers: dict[str, Any] = {"/api/queue": queue}
    for path in ("/api/report", "/api/fairness"):
        answers[path] = client.get(path).json()
    units: set[str] = set()
    for subject in subjects:
        person = answers[f"/api/person/{subject}"] = client.get(f"/api/person/{subject}").json()
        units.update(u for u in [person.get("unit_code")] if u)
        answers[f"/api/person/{subject}/casefile"] = client.get(
            f"/api/person/{subject}/casefile"
        ).json()
    for unit in units:
        answers[f"/api/unit/{unit}"] = client.get(f"/api/unit/{unit}").json()
    # Last: the audit explorer, over every view, note and decision above.
    answers["/api/audit"] = client.get("/api/audit").json()
    assert any(e["action"] == "decision" for e in answers["/api/audit"])
    assert answers[f"/api/person/{first}/casefile"]["decisions"]
    assert answers[f"/api/person/{first}/casefile"]["notes"]

    ids, names = identities(small_force)
    found = []
    for path, answer in answers.items():
        for leaf in leaves(answer):
            tokens = set(re.split(r"[^A-Za-z0-9]+", leaf))
            if tokens & ids or any(name in leaf.lower() for name in names):
                found.append((path, leaf[:120]))
    assert found == [], "\n".join(map(str, found[:40]))


def test_the_audit_explorer_finds_everything_about_a_person_by_pseudonym(
    workspace: Path, small_force: Path
) -> None:
    client = TestClient(create_app(workspace))
    row = client.get("/api/queue?limit=1").json()[0]
    subject, purpose = row["subject"], row["purpose"]
    token = form_token(client, f"/person/{subject}")
    client.post(
        f"/person/{subject}/decide",
        data={
            "purpose": purpose,
            "outcome": "no_further_action",
            "reason": "seen and explained",
            "csrf": token,
        },
    )
    found = client.get(f"/api/audit?subject={subject}").json()
    assert {"view_person", "decision"} <= {e["action"] for e in found}
    assert {e["subject"] for e in found} == {subject}
    # Asked by HR id, the query is recorded with the pseudonym.
    ids, _ = identities(small_force)
    hr_id = next(iter(ids))
    client.get(f"/api/audit?subject={hr_id}")
    queries = [e for e in client.get("/api/audit?action=audit_query").json()]
    assert all(hr_id not in str(e["details"]) for e in queries)

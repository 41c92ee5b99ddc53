"""The web app's casework against PostgreSQL, as a multi-user deployment runs it: claims, notes
and decisions made through the pages land in the server's database, not the workspace."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from probity.casework.store import DATABASE_ENV, SQLITE_FILE
from probity.governance.access import Principal, Role
from probity.web.app import create_app
from tests.webforms import form_token

PS = "professional_standards"


def test_casework_through_the_pages_is_kept_in_postgresql(
    small_run: Path, tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(small_run, ws)
    (ws / SQLITE_FILE).unlink(missing_ok=True)  # other tests' casework on the shared run
    monkeypatch.setenv(DATABASE_ENV, postgres_url)
    client = TestClient(create_app(ws, Principal("inv", Role.psd_investigator)))
    subject = client.get(f"/api/queue?purpose={PS}&limit=1").json()[0]["subject"]
    token = form_token(client)
    client.post(f"/person/{subject}/claim", data={"purpose": PS, "csrf": token})
    client.post(f"/person/{subject}/note", data={"purpose": PS, "text": "seen", "csrf": token})
    decided = client.post(
        f"/person/{subject}/decide",
        data={
            "purpose": PS,
            "outcome": "management_advice",
            "reason": "words with the sergeant",
            "csrf": token,
        },
    )
    assert decided.status_code == 200
    db = create_engine(postgres_url)
    with db.connect() as c:
        assert c.execute(text("SELECT outcome, actor FROM decisions")).all() == [
            ("management_advice", "inv")
        ]
        assert c.execute(text("SELECT count(*) FROM reviewed_signals")).scalar_one() >= 1
        assert c.execute(text("SELECT text FROM notes")).all() == [("seen",)]
        assert c.execute(text("SELECT count(*) FROM claims")).scalar_one() == 0  # decided
    db.dispose()
    assert not (ws / SQLITE_FILE).exists()
    casefile = client.get(f"/api/person/{subject}/casefile").json()
    assert [d["outcome"] for d in casefile["decisions"]] == ["management_advice"]

"""Sessions against an insider who keeps a copy of a cookie, guesses passwords in parallel or
sends what no browser would: each attempt is refused, and none reaches a server error."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from probity.governance.access import Role
from probity.governance.passwords import hash_password
from probity.governance.users import UserDirectory
from probity.web.app import create_app
from probity.web.sessions import MAX_FAILURES
from tests.test_login import PASSWORD, audit, log_in
from tests.webforms import form_token
from tests.webserver import with_users


@pytest.fixture()
def workspace(small_run: Path, tmp_path: Path) -> Path:
    return with_users(small_run, tmp_path / "ws", {"asmith": Role.psd_analyst}, PASSWORD)


def replay(app_workspace: Path, cookies: dict[str, str]) -> int:
    """The status a copied cookie gets on the queue API, from another client."""
    thief = TestClient(create_app(app_workspace), cookies=cookies)
    return thief.get("/api/queue").status_code


def logged_in(workspace: Path) -> tuple[TestClient, dict[str, str]]:
    client = TestClient(create_app(workspace))
    assert log_in(client, "asmith") == 303
    assert client.get("/api/queue").status_code == 200
    return client, dict(client.cookies)


def test_a_cookie_copied_before_log_out_is_refused_after_it(workspace: Path) -> None:
    client, copied = logged_in(workspace)
    assert replay(workspace, copied) == 200
    client.post("/logout", data={"csrf": form_token(client, "/queue")})
    assert replay(workspace, copied) == 401


def test_a_password_change_ends_every_session(workspace: Path) -> None:
    _, copied = logged_in(workspace)
    UserDirectory(workspace).set_password_hash("asmith", hash_password("a new passphrase 42"))
    assert replay(workspace, copied) == 401


def test_a_user_removed_and_added_again_does_not_get_old_sessions_back(workspace: Path) -> None:
    _, copied = logged_in(workspace)
    users = UserDirectory(workspace)
    users.set_role("asmith", None)
    users.set_role("asmith", Role.psd_analyst)
    assert replay(workspace, copied) == 401


def test_parallel_guesses_are_counted_before_they_are_checked(workspace: Path) -> None:
    app = create_app(workspace)
    guessers = [TestClient(app) for _ in range(30)]
    tokens = [form_token(c, "/login") for c in guessers]

    def guess(i: int) -> int:
        data = {"username": "asmith", "password": f"wrong guess {i:04d}", "csrf": tokens[i]}
        return guessers[i].post("/login", data=data, follow_redirects=False).status_code

    with ThreadPoolExecutor(max_workers=15) as pool:
        statuses = list(pool.map(guess, range(29)))
    assert statuses == [401] * 29
    right = {"username": "asmith", "password": PASSWORD, "csrf": tokens[29]}
    assert guessers[29].post("/login", data=right, follow_redirects=False).status_code == 401
    checked = [
        e
        for e in audit(workspace)
        if e["action"] == "login_failed" and e["details"]["why"] == "wrong name or password"
    ]
    assert len(checked) == MAX_FAILURES


def test_an_oversized_user_name_is_refused_before_it_is_stored(workspace: Path) -> None:
    client = TestClient(create_app(workspace))
    token = form_token(client, "/login")
    huge = "x" * 900_000
    data = {"username": huge, "password": "whatever", "csrf": token}
    assert client.post("/login", data=data).status_code == 422
    assert all(huge[:1000] not in json.dumps(e) for e in audit(workspace))


@pytest.mark.parametrize("token", ["é", "\u0000", "x" * 200])
def test_a_strange_form_token_is_refused_not_a_server_error(workspace: Path, token: str) -> None:
    client, _ = logged_in(workspace)
    subject = client.get("/api/queue?limit=1").json()[0]["subject"]
    response = client.post(f"/person/{subject}/reveal", data={"reason": "x", "csrf": token})
    assert response.status_code in (403, 422)


def test_one_address_trying_many_names_is_slowed_and_leaves_a_trace(workspace: Path) -> None:
    client = TestClient(create_app(workspace))
    token = form_token(client, "/login")
    statuses = [
        client.post(
            "/login", data={"username": f"user{i}", "password": "guess", "csrf": token}
        ).status_code
        for i in range(40)
    ]
    assert statuses[:30] == [401] * 30 and set(statuses[30:]) == {429}
    refused = [e for e in audit(workspace) if e["details"].get("why") == "too many attempts"]
    assert len(refused) == 1 and refused[0]["details"]["address"] == "testclient"

"""Logging in to the web application: argon2 passwords set from the command line, signed
session cookies, CSRF tokens on every form, a brake on guessing, and an audit trail of it all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from probity.cli import app as cli
from probity.governance.access import Role
from probity.governance.users import UserDirectory
from probity.web.app import create_app
from probity.web.sessions import MAX_FAILURES
from tests.actors import acting_as
from tests.webforms import form_token
from tests.webserver import with_users

PASSWORD = "correct horse battery"


@pytest.fixture()
def workspace(small_run: Path, tmp_path: Path) -> Path:
    roles = {"asmith": Role.psd_analyst, "bjones": Role.auditor}
    return with_users(small_run, tmp_path / "ws", roles, PASSWORD)


def log_in(client: TestClient, name: str, password: str = PASSWORD, next: str = "/queue") -> int:
    token = form_token(client, "/login")
    response = client.post(
        "/login",
        data={"username": name, "password": password, "csrf": token, "next": next},
        follow_redirects=False,
    )
    return response.status_code


def audit(ws: Path) -> list[dict[str, object]]:
    lines = (ws / "audit").glob("*.jsonl")
    return [json.loads(x) for f in sorted(lines) for x in f.read_text().splitlines()]


def test_only_a_hash_is_kept_and_the_file_is_private(workspace: Path) -> None:
    text = (workspace / "users.yaml").read_text()
    assert PASSWORD not in text and "$argon2id$" in text
    assert (workspace / "users.yaml").stat().st_mode & 0o077 == 0


def test_pages_send_strangers_to_log_in_and_the_api_says_401(workspace: Path) -> None:
    client = TestClient(create_app(workspace))
    page = client.get("/queue", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/queue"
    assert client.get("/api/queue").status_code == 401


def test_a_user_logs_in_sees_their_role_and_logs_out(workspace: Path) -> None:
    client = TestClient(create_app(workspace))
    assert log_in(client, "asmith") == 303
    page = client.get("/queue")
    assert page.status_code == 200 and "asmith (psd analyst)" in page.text
    assert client.get("/api/queue").status_code == 200
    cookie = page.headers.get("set-cookie", "") or str(client.cookies)
    assert "probity_session" in cookie
    client.post("/logout", data={"csrf": form_token(client, "/queue")})
    assert client.get("/api/queue").status_code == 401
    actions = [(e["action"], e["actor"]) for e in audit(workspace)]
    assert ("login", "asmith") in actions and ("logout", "asmith") in actions


def test_the_session_user_s_role_is_enforced(workspace: Path) -> None:
    client = TestClient(create_app(workspace))
    assert log_in(client, "bjones") == 303
    assert client.get("/api/queue").status_code == 403
    assert client.get("/api/report").status_code == 200


def test_wrong_passwords_fail_are_audited_and_repeated_ones_lock_the_name(workspace: Path) -> None:
    client = TestClient(create_app(workspace))
    assert log_in(client, "asmith", "wrong password!!") == 401
    assert log_in(client, "nobody", PASSWORD) == 401
    for _ in range(MAX_FAILURES):
        log_in(client, "asmith", "wrong password!!")
    assert log_in(client, "asmith") == 401  # right password, but locked for a while
    failed = [e for e in audit(workspace) if e["action"] == "login_failed"]
    assert len(failed) == MAX_FAILURES + 3
    assert all(PASSWORD not in json.dumps(e) for e in audit(workspace))


def test_a_removed_user_is_logged_out_at_once(workspace: Path) -> None:
    client = TestClient(create_app(workspace))
    assert log_in(client, "asmith") == 303
    UserDirectory(workspace).set_role("asmith", None)
    assert client.get("/api/queue").status_code == 401


def test_forms_without_the_session_token_are_refused(workspace: Path) -> None:
    client = TestClient(create_app(workspace))
    assert log_in(client, "asmith") == 303
    subject = client.get("/api/queue?limit=1").json()[0]["subject"]
    forged = client.post(f"/person/{subject}/reveal", data={"reason": "curious", "csrf": "x"})
    assert forged.status_code == 403
    assert (
        client.post("/login", data={"username": "asmith", "password": PASSWORD}).status_code == 403
    )
    reveals = [e for e in audit(workspace) if e["action"] == "reveal" and e["actor"] == "asmith"]
    assert reveals == []


def test_log_in_returns_to_the_page_asked_for_but_never_off_site(workspace: Path) -> None:
    client = TestClient(create_app(workspace))
    token = form_token(client, "/login")
    for away in ("//evil.example", "/\\evil.example", "https://evil.example"):
        data = {"username": "asmith", "password": PASSWORD, "csrf": token, "next": away}
        response = client.post("/login", data=data, follow_redirects=False)
        assert response.headers["location"] == "/queue", away
        token = form_token(client, "/login")


def test_short_passwords_are_refused(workspace: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["users", "password", "asmith", "--workspace", str(workspace), "--actor", "admin"],
        input="short\n",
        env=acting_as(workspace, "admin"),
    )
    assert result.exit_code == 2 and "at least 12 characters" in result.output


def test_only_an_administrator_sets_another_user_s_password(workspace: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["users", "password", "bjones", "--workspace", str(workspace), "--actor", "asmith"],
        input=PASSWORD + "\n",
        env=acting_as(workspace, "asmith"),
    )
    assert result.exit_code == 3


def test_the_auditor_searches_the_log_by_user_and_action_and_the_search_is_logged(
    workspace: Path,
) -> None:
    analyst = TestClient(create_app(workspace))
    assert log_in(analyst, "asmith") == 303
    subject = analyst.get("/api/queue?limit=1").json()[0]["subject"]
    token = form_token(analyst, f"/person/{subject}")
    analyst.post(f"/person/{subject}/reveal", data={"reason": "case 4471", "csrf": token})

    auditor = TestClient(create_app(workspace))
    assert log_in(auditor, "bjones") == 303
    found = auditor.get("/api/audit?actor=asmith&action=reveal").json()
    assert [(e["actor"], e["action"], e["reason"]) for e in found] == [
        ("asmith", "reveal", "case 4471")
    ]
    assert "case 4471" in auditor.get("/audit?actor=asmith&action=reveal").text
    assert auditor.get("/api/audit?since=yesterday").status_code == 422
    queries = [e for e in audit(workspace) if e["action"] == "audit_query"]
    assert queries and queries[-1]["actor"] == "bjones"


def test_session_cookies_are_http_only_and_secure_behind_tls(workspace: Path) -> None:
    plain = TestClient(create_app(workspace)).get("/login").headers["set-cookie"].lower()
    assert "httponly" in plain and "samesite=lax" in plain and "secure" not in plain
    tls = TestClient(create_app(workspace, secure_cookies=True), base_url="https://testserver")
    assert "secure" in tls.get("/login").headers["set-cookie"].lower()

"""The command line acts as the OS account running it: a typed name is only a claim, which an
administrator's token can back. Claims nobody backs are refused and audited."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from probity.cli import app
from probity.governance.access import Role
from probity.governance.actors import CLAIM_ENV, TOKEN_ENV, issue_token, os_user
from probity.governance.audit import AuditLog
from probity.governance.users import UserDirectory
from tests.actors import acting_as


@pytest.fixture()
def governed(small_run: Path, tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    shutil.copytree(small_run, ws)
    users = UserDirectory(ws)
    users.set_role("admin", Role.administrator)
    users.set_role("asmith", Role.psd_analyst)
    return ws


def make_administrator(ws: Path, env: dict[str, str]) -> int:
    args = ["users", "set", "mallory", "--role", "administrator", "--workspace", str(ws)]
    return CliRunner().invoke(app, args, env=env).exit_code


def test_claiming_to_be_an_administrator_is_refused_and_audited(governed: Path) -> None:
    assert os_user() != "admin"
    for env in (
        {CLAIM_ENV: "admin"},
        {CLAIM_ENV: "admin", "USER": "admin", "LOGNAME": "admin"},  # the login name is not it
        {CLAIM_ENV: "admin", TOKEN_ENV: issue_token(governed, "asmith")[0]},  # someone else's
        {CLAIM_ENV: "admin", TOKEN_ENV: "forged.token.value"},
    ):
        assert make_administrator(governed, env) == 3, env
    assert "mallory" not in UserDirectory(governed).read().users
    denied = [e for e in AuditLog(governed).entries() if e["action"] == "denied"]
    assert len(denied) == 4
    assert {(e["actor"], e["os_user"]) for e in denied} == {("admin", os_user())}


def test_a_token_from_another_workspace_is_refused(governed: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "other"
    token, _ = issue_token(elsewhere, "admin")
    assert make_administrator(governed, {CLAIM_ENV: "admin", TOKEN_ENV: token}) == 3


def test_a_token_an_administrator_issued_lets_a_service_account_act(governed: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["users", "token", "admin", "--workspace", str(governed)],
        env=acting_as(governed, "admin"),
    )
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert make_administrator(governed, {CLAIM_ENV: "admin", TOKEN_ENV: token}) == 0
    assert UserDirectory(governed).read().users["mallory"].role == Role.administrator
    entries = AuditLog(governed).entries()
    [issued] = [e for e in entries if e["details"].get("token_issued")]
    [granted] = [e for e in entries if e["details"].get("user") == "mallory"]
    assert issued["details"]["user"] == "admin"
    assert (granted["actor"], granted["os_user"]) == ("admin", os_user())

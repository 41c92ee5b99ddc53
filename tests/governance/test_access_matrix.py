"""Every role against every command and endpoint, allowed and refused.

The expected matrix is written out here by hand, from the governance rules in words, so it
checks the access policy rather than restating it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from probity.cli import app
from probity.governance.access import Principal, Role
from probity.governance.audit import AuditLog
from probity.governance.users import UserDirectory
from probity.web.app import create_app
from tests.actors import acting_as
from tests.webforms import form_token

ROLES = ["psd_analyst", "psd_investigator", "welfare_officer", "auditor", "administrator"]
PS, WF, AUD, ADM = "professional_standards", "welfare", "auditor", "administrator"

# command -> roles allowed. Professional-standards roles see only their queue; welfare only
# theirs; the auditor reads the audit log, not cases; the administrator runs and configures.
CLI = {
    ("queue",): {"psd_analyst", "psd_investigator", "welfare_officer"},
    ("queue", "--purpose", PS): {"psd_analyst", "psd_investigator"},
    ("queue", "--purpose", WF): {"welfare_officer"},
    ("queue", "--format", "csv"): {"psd_analyst", "psd_investigator", "welfare_officer"},
    ("queue", "--reveal", "--reason", "assessment 12"): {
        "psd_analyst",
        "psd_investigator",
        "welfare_officer",
    },
    ("report", "--format", "json"): set(ROLES),
    ("links", "--task", "system_account"): {"psd_analyst", "psd_investigator"},
    ("audit", "verify"): {"auditor"},
    ("audit", "log"): {"auditor"},
    ("audit", "watch"): {"auditor"},
    ("transparency",): set(ROLES),
    ("users", "list"): {"administrator"},
    ("users", "set", "newcomer", "--role", "auditor"): {"administrator"},
    ("users", "remove", "newcomer"): {"administrator"},
    ("links", "review", "--reason", "monthly link review"): {"psd_analyst", "psd_investigator"},
}


@pytest.fixture()
def governed(small_run: Path, tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    shutil.copytree(small_run, ws)
    users = UserDirectory(ws)
    for role in ROLES:
        users.set_role(f"u_{role}", Role(role))
    return ws


def _invoke(ws: Path, args: tuple[str, ...], user: str) -> int:
    # The audit log query names its caller with --as (--actor filters the log).
    who = (
        ["--as", user] if args[:2] in (("audit", "log"), ("audit", "watch")) else ["--actor", user]
    )
    # "q" ends an interactive review at its first question.
    result = CliRunner().invoke(
        app, [*args, "--workspace", str(ws), *who], input="q\n", env=acting_as(ws, user)
    )
    return result.exit_code


@pytest.mark.parametrize("args", list(CLI), ids=" ".join)
def test_cli_role_matrix(governed: Path, args: tuple[str, ...]) -> None:
    for role in ROLES:
        code = _invoke(governed, args, f"u_{role}")
        expected = 0 if role in CLI[args] else 3
        assert code == expected, f"{role} {' '.join(args)}: exit {code}, expected {expected}"


def test_run_is_for_administrators(governed: Path, small_force: Path) -> None:
    assert _invoke(governed, ("run", str(small_force)), "u_psd_analyst") == 3
    assert _invoke(governed, ("run", str(small_force)), "u_administrator") == 0


def test_decisions_and_retention(governed: Path) -> None:
    ps, wf = _subjects(governed, PS), _subjects(governed, WF)
    decide = {
        PS: (
            "decide",
            ps,
            "--purpose",
            PS,
            "--outcome",
            "no_further_action",
            "--reason",
            "explained by duties",
        ),
        WF: (
            "decide",
            wf,
            "--purpose",
            WF,
            "--outcome",
            "wellbeing_conversation",
            "--reason",
            "offer support",
        ),
    }
    allowed = {PS: {"psd_investigator"}, WF: {"welfare_officer"}}
    for purpose, args in decide.items():
        for role in ROLES:
            expected = 0 if role in allowed[purpose] else 3
            assert _invoke(governed, args, f"u_{role}") == expected, (role, purpose)
    for role in ROLES:
        expected = 0 if role == "administrator" else 3
        assert _invoke(governed, ("retention", "apply"), f"u_{role}") == expected, role
    decisions = [e for e in AuditLog(governed).entries() if e["action"] == "decision"]
    assert [(e["actor"], e["purpose"], e["details"]["outcome"]) for e in decisions] == [
        ("u_psd_investigator", PS, "no_further_action"),
        ("u_welfare_officer", WF, "wellbeing_conversation"),
    ]
    assert all(e["subject"] and e["reason"] for e in decisions)


def test_unknown_users_are_refused_and_refusals_are_audited(governed: Path) -> None:
    assert _invoke(governed, ("queue",), "stranger") == 3
    assert _invoke(governed, ("audit", "log"), "u_psd_analyst") == 3
    denied = [e for e in AuditLog(governed).entries() if e["action"] == "denied"]
    assert [(e["actor"], e["details"]["attempted"]) for e in denied] == [
        ("stranger", "view_queue"),
        ("u_psd_analyst", "view_audit"),
    ]


def _subjects(ws: Path, purpose: str) -> str:
    client = TestClient(create_app(ws, Principal("u_single", Role.single_user)))
    rows = client.get(f"/api/queue?purpose={purpose}").json()
    assert rows
    return str(rows[0]["subject"])


def _unit(ws: Path) -> str:
    client = TestClient(create_app(ws, Principal("u_single", Role.single_user)))
    return str(client.get("/api/queue?limit=1").json()[0]["unit_code"])


# (method, path template, role -> expected status); {ps} and {wf} are queued people, {ps} in
# none of a welfare officer's queues, so opening them takes a case reference (403 without).
WEB = [
    (
        "GET",
        "/api/queue",
        {"psd_analyst": 200, "psd_investigator": 200, "welfare_officer": 200, AUD: 403, ADM: 403},
    ),
    (
        "GET",
        "/api/queue?purpose=welfare",
        {"psd_analyst": 403, "psd_investigator": 403, "welfare_officer": 200, AUD: 403, ADM: 403},
    ),
    (
        "GET",
        "/api/queue?purpose=professional_standards",
        {"psd_analyst": 200, "psd_investigator": 200, "welfare_officer": 403, AUD: 403, ADM: 403},
    ),
    (
        "GET",
        "/api/person/{ps}",
        {"psd_analyst": 200, "psd_investigator": 200, "welfare_officer": 403, AUD: 403, ADM: 403},
    ),
    ("GET", "/api/report", {r: 200 for r in ROLES}),
    (
        "GET",
        "/queue",
        {"psd_analyst": 200, "psd_investigator": 200, "welfare_officer": 200, AUD: 403, ADM: 403},
    ),
    (
        "GET",
        "/person/{ps}",
        {"psd_analyst": 200, "psd_investigator": 200, "welfare_officer": 403, AUD: 403, ADM: 403},
    ),
    (
        "POST",
        "/person/{ps}/reveal",
        {"psd_analyst": 200, "psd_investigator": 200, "welfare_officer": 403, AUD: 403, ADM: 403},
    ),
    ("GET", "/report", {r: 200 for r in ROLES}),
    ("POST", "/person/{ps}/decide", {r: 200 if r == "psd_investigator" else 403 for r in ROLES}),
    (
        "GET",
        "/api/person/{ps}/casefile",
        {"psd_analyst": 200, "psd_investigator": 200, "welfare_officer": 403, AUD: 403, ADM: 403},
    ),
    (
        "POST",
        "/person/{ps}/note",
        {"psd_analyst": 200, "psd_investigator": 200, "welfare_officer": 403, AUD: 403, ADM: 403},
    ),
    (
        "GET",
        "/unit/{unit}",
        {"psd_analyst": 200, "psd_investigator": 200, "welfare_officer": 200, AUD: 403, ADM: 403},
    ),
    (
        "GET",
        "/api/unit/{unit}",
        {"psd_analyst": 200, "psd_investigator": 200, "welfare_officer": 200, AUD: 403, ADM: 403},
    ),
    ("GET", "/links", {r: 200 if r.startswith("psd_") else 403 for r in ROLES}),
    ("POST", "/links/start", {r: 200 if r.startswith("psd_") else 403 for r in ROLES}),
    (
        "GET",
        "/api/links/candidates?reason=checking",
        {r: 200 if r.startswith("psd_") else 403 for r in ROLES},
    ),
    ("GET", "/fairness", {r: 200 for r in ROLES}),
    ("GET", "/api/fairness", {r: 200 for r in ROLES}),
    ("GET", "/api/audit?action=reveal", {r: 200 if r == AUD else 403 for r in ROLES}),
    ("GET", "/audit", {r: 200 if r == AUD else 403 for r in ROLES}),
]


@pytest.mark.parametrize(("method", "path", "expected"), WEB, ids=[f"{m} {p}" for m, p, _ in WEB])
def test_web_role_matrix(governed: Path, method: str, path: str, expected: dict[str, int]) -> None:
    url = path.format(ps=_subjects(governed, PS), wf=_subjects(governed, WF), unit=_unit(governed))
    for role in ROLES:
        client = TestClient(create_app(governed, Principal(f"u_{role}", Role(role))))
        form = {
            "reason": "assessment 12",
            "csrf": form_token(client),
            "purpose": "professional_standards",
            "outcome": "no_further_action",
            "text": "checked the duty log",
        }
        response = client.request(method, url, data=form if method == "POST" else None)
        assert response.status_code == expected[role], (
            f"{role} {method} {url}: {response.status_code}"
        )


def test_each_role_sees_only_its_purposes_signals(governed: Path) -> None:
    both = Principal("u_single", Role.single_user)
    ps_person = _subjects(governed, PS)
    wf_person = _subjects(governed, WF)
    for subject in (ps_person, wf_person):
        full = TestClient(create_app(governed, both)).get(f"/api/person/{subject}").json()
        for role, purposes in (("psd_analyst", {PS}), ("welfare_officer", {WF})):
            client = TestClient(create_app(governed, Principal(f"u_{role}", Role(role))))
            # Someone outside the role's queues is opened with a case reference.
            seen = client.get(f"/api/person/{subject}?reason=PSD/2026/0001 audit test").json()
            assert {s["purpose"] for s in seen["signals"]} <= purposes
            assert len(seen["signals"]) == len(
                [s for s in full["signals"] if s["purpose"] in purposes]
            )
    welfare_rows = (
        TestClient(create_app(governed, Principal("u_welfare_officer", Role.welfare_officer)))
        .get("/api/queue")
        .json()
    )
    assert welfare_rows and {r["purpose"] for r in welfare_rows} == {WF}

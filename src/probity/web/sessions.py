"""Who is asking the web application: log-in sessions, the token that proves a form came from
our own pages (CSRF), and a brake on password guessing.

Three ways to serve, chosen by the deployment:
- one fixed user (`probity serve --actor NAME`): a desktop for one person, no log-in;
- a workspace with no users file: single-user mode, as on the command line;
- a workspace with users: everyone logs in with their own password (argon2, `probity users
  password`). Sessions are signed cookies (HttpOnly, SameSite=Lax; Secure behind TLS) that
  end after `SESSION_HOURS`; the user's role is read afresh on every request, so removing a
  user ends their access at once.
"""

from __future__ import annotations

import os
import secrets
import time
from collections import defaultdict
from pathlib import Path

from fastapi import HTTPException, Request

from probity.governance.access import AccessDenied, Principal
from probity.governance.audit import actor_name
from probity.governance.users import UserDirectory

SESSION_KEY_FILE = "session.key"
SESSION_HOURS = 8
MAX_FAILURES = 5
LOCKOUT_SECONDS = 300


class LoginRequired(Exception):
    """Nobody is logged in (or the user was removed): pages send people to /login."""


def session_secret(workspace: Path) -> str:
    """The key that signs session cookies, made once per workspace and readable by its owner
    only; deleting it logs everyone out."""
    path = workspace / SESSION_KEY_FILE
    if not path.exists():
        workspace.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()


def csrf_token(request: Request) -> str:
    """The session's form token, made on first use."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


def check_csrf(request: Request, submitted: str) -> None:
    expected = request.session.get("csrf")
    if not expected or not secrets.compare_digest(str(expected), submitted or ""):
        raise HTTPException(
            403, "this form has expired or did not come from Probity: reload the page and retry"
        )


def safe_next(target: str) -> str:
    """Only a path on this site: "//host" and "/\\host" would leave it."""
    return target if target.startswith("/") and target[1:2] not in ("/", "\\") else "/queue"


class Users:
    """Resolves the user behind each request."""

    def __init__(self, workspace: Path, fixed: Principal | None = None) -> None:
        self.directory = UserDirectory(workspace)
        self.fixed = fixed

    @property
    def login_enabled(self) -> bool:
        return self.fixed is None and self.directory.configured()

    def current(self, request: Request) -> Principal:
        if self.fixed is not None:
            return self.fixed
        if not self.directory.configured():
            return self.directory.principal(actor_name())
        name = request.session.get("user")
        if not name:
            raise LoginRequired
        try:
            return self.directory.principal(str(name))
        except AccessDenied:
            request.session.clear()
            raise LoginRequired from None


class Throttle:
    """After `MAX_FAILURES` wrong passwords in a row for a name, refuse that name for
    `LOCKOUT_SECONDS` (in memory: a restart forgets, the audit log does not)."""

    def __init__(self) -> None:
        self.failures: dict[str, list[float]] = defaultdict(list)

    def locked(self, name: str) -> bool:
        recent = [t for t in self.failures[name] if time.monotonic() - t < LOCKOUT_SECONDS]
        self.failures[name] = recent
        return len(recent) >= MAX_FAILURES

    def failed(self, name: str) -> None:
        self.failures[name].append(time.monotonic())

    def succeeded(self, name: str) -> None:
        self.failures.pop(name, None)

"""Who is asking the web application: log-in sessions, the token that proves a form came from
our own pages (CSRF), and a brake on password guessing.

Three ways to serve, chosen by the deployment:
- one fixed user (`probity serve --actor NAME`): a desktop for one person, no log-in;
- a workspace with no users file: single-user mode, as on the command line;
- a workspace with users: everyone logs in with their own password (argon2, `probity users
  password`). Sessions are signed cookies (HttpOnly, SameSite=Lax; Secure behind TLS) that
  end after `SESSION_HOURS`; the user's role is read afresh on every request, so removing a
  user ends their access at once. Each cookie carries the user's session generation, which
  log-out, a password change and removal replace (`UserDirectory.end_sessions`): an old
  cookie replayed after any of them is refused.
"""

from __future__ import annotations

import secrets
import threading
import time
from pathlib import Path
from typing import Annotated

from fastapi import Form, HTTPException, Request

from probity.governance.access import AccessDenied, Principal
from probity.governance.audit import actor_name
from probity.governance.keys import secret_in
from probity.governance.users import UserDirectory

SESSION_KEY_FILE = "session.key"
SESSION_HOURS = 8
MAX_FAILURES = 5
LOCKOUT_SECONDS = 300
# Names the throttle remembers at most: guesses at made-up names cannot fill the memory.
MAX_THROTTLED_NAMES = 10_000

# Every form field has a length cap (a longer one is refused with 422 before anything reads
# it): names and tokens are short, reasons and notes a few pages at most.
Name = Annotated[str, Form(max_length=128)]
Secret = Annotated[str, Form(max_length=1024)]
Token = Annotated[str, Form(max_length=128)]
Text = Annotated[str, Form(max_length=10_000)]


class LoginRequired(Exception):
    """Nobody is logged in (or the user was removed): pages send people to /login."""


def session_secret(workspace: Path) -> str:
    """The key that signs session cookies, made once per workspace and readable by its owner
    only; deleting it logs everyone out."""
    return secret_in(workspace / SESSION_KEY_FILE)


def csrf_token(request: Request) -> str:
    """The session's form token, made on first use."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


def check_csrf(request: Request, submitted: str) -> None:
    expected = request.session.get("csrf")
    # Compared as bytes: compare_digest refuses str with characters beyond ASCII.
    if not expected or not secrets.compare_digest(
        str(expected).encode(), (submitted or "").encode()
    ):
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
            principal = self.directory.principal(str(name))
        except AccessDenied:
            request.session.clear()
            raise LoginRequired from None
        # Ended on the server: log-out, a new password or removal changes the generation, so a
        # copy of the cookie taken before then is worth nothing.
        if request.session.get("generation") != self.directory.session_generation(str(name)):
            request.session.clear()
            raise LoginRequired
        return principal

    def start_session(self, request: Request, name: str) -> None:
        request.session.clear()  # a fresh session (and token) for the new user
        request.session["user"] = name
        request.session["generation"] = self.directory.session_generation(name)
        csrf_token(request)

    def end_sessions(self, request: Request, name: str) -> None:
        """Log `name` out here and on every other device."""
        self.directory.end_sessions(name)
        request.session.clear()


class Throttle:
    """After `MAX_FAILURES` wrong passwords for a name within `LOCKOUT_SECONDS`, refuse that
    name until they age out (in memory: a restart forgets, the audit log does not).

    Each attempt is counted before its password is checked, under a lock, so guesses sent in
    parallel are counted as they arrive: no more than `MAX_FAILURES` are ever checked."""

    def __init__(self) -> None:
        self.attempts: dict[str, list[float]] = {}
        self.lock = threading.Lock()

    def admit(self, name: str) -> bool:
        """Count an attempt for `name`; False if the name is locked (the attempt is refused)."""
        now = time.monotonic()
        with self.lock:
            recent = [t for t in self.attempts.get(name, []) if now - t < LOCKOUT_SECONDS]
            if len(recent) >= MAX_FAILURES:
                self.attempts[name] = recent
                return False
            if name not in self.attempts and len(self.attempts) >= MAX_THROTTLED_NAMES:
                self._forget_quiet(now)
            self.attempts[name] = [*recent, now]
            return True

    def succeeded(self, name: str) -> None:
        with self.lock:
            self.attempts.pop(name, None)

    def _forget_quiet(self, now: float) -> None:
        """Drop names with no attempt in the window; if all are recent, the oldest half of
        those not locked (a flood of made-up names must not unlock a real one)."""
        for name in [n for n, ts in self.attempts.items() if now - ts[-1] >= LOCKOUT_SECONDS]:
            del self.attempts[name]
        if len(self.attempts) >= MAX_THROTTLED_NAMES:
            open_names = [n for n, ts in self.attempts.items() if len(ts) < MAX_FAILURES]
            open_names.sort(key=lambda n: self.attempts[n][-1])
            for name in open_names[: len(open_names) // 2 + 1]:
                del self.attempts[name]

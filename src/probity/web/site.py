"""What every route shares: the workspace, its audit log and users, the page renderer, and the
access check that refuses (and audits) anything the user's role does not allow.

Purpose is enforced on people too, not only on routes: a user opens, reveals, claims, notes
or decides on a person only when the person is in a queue of the user's purpose. Opening
anyone else takes a reason that starts with a case reference of the kind the policy allows
(`access.outside_queue_reference`); it is audited as `outside_queue`, which `probity audit
watch` reports apart, and lets the user note and reveal, never claim or decide.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from probity.governance.access import AccessDenied, Action, Principal
from probity.governance.audit import AuditLog
from probity.policy import POLICY_FILE, load_policy
from probity.publish.results import PURPOSES, PublishedRun
from probity.publish.workspace import WorkspaceError
from probity.web.sessions import Users, csrf_token
from probity.web.sso import SingleSignOn

HERE = Path(__file__).parent


class Site:
    def __init__(self, workspace: Path, users: Users) -> None:
        self.workspace = workspace
        self.audit = AuditLog(workspace)
        self.users = users
        self.templates = Jinja2Templates(directory=HERE / "templates")
        self.sso: SingleSignOn | None = None  # the force's OpenID Connect provider, if configured
        self.access = load_policy(workspace / POLICY_FILE).access

    def page(
        self,
        request: Request,
        user: Principal,
        name: str,
        context: dict[str, Any],
        status_code: int = 200,
    ) -> HTMLResponse:
        return self.templates.TemplateResponse(
            request,
            name,
            {
                **context,
                "user": user,
                "csrf": csrf_token(request),
                "login_enabled": self.users.login_enabled,
                "Action": Action,
            },
            status_code=status_code,
        )

    def allow(self, user: Principal, action: Action, purpose: str | None = None) -> None:
        try:
            user.require(action, purpose)
        except AccessDenied as e:
            self.audit.append(
                "denied",
                actor=user.name,
                purpose=purpose,
                details={"attempted": action.value, "channel": "web"},
            )
            raise HTTPException(403, str(e)) from e

    def published(self) -> PublishedRun:
        """The published run, read through one connection for the whole request when the
        request holds one (`one_connection_per_request`)."""
        held = _REQUEST_RUN.get()
        if held is not None and "run" in held:
            return held["run"]
        try:
            run = PublishedRun.open(self.workspace, hold=held is not None)
        except WorkspaceError as e:
            raise HTTPException(503, str(e)) from e
        if held is not None:
            held["run"] = run
        return run

    @staticmethod
    def check_purpose(purpose: str | None) -> str | None:
        if purpose is not None and purpose not in PURPOSES:
            raise HTTPException(422, f"unknown purpose {purpose!r}")
        return purpose

    def person(self, user: Principal, subject: str) -> dict[str, Any]:
        """The person as this user may see them: signals and queue entries of their purposes."""
        person = self.published().person(subject)
        if person is None:
            raise HTTPException(404, f"no person {subject!r} in the current run")
        person["signals"] = [s for s in person["signals"] if s["purpose"] in user.purposes]
        person["queue"] = [q for q in person["queue"] if q["purpose"] in user.purposes]
        return person

    def open_person(
        self, user: Principal, subject: str, channel: str, reason: str | None = None
    ) -> dict[str, Any]:
        """The person as `person` gives them, after the access check and, for someone in none
        of the user's queues, a reason with a case reference; the view is audited."""
        self.allow(user, Action.view_person)
        person = self.person(user, subject)
        outside = not person["queue"]
        if outside:
            self.check_reference(user, person, reason, channel)
        self.audit.append(
            "view_person",
            actor=user.name,
            subject=person["person_key"],
            reason=reason.strip() if outside and reason else None,
            details={"pseudonym": person["subject"], "channel": channel, "outside_queue": outside},
        )
        return person

    def check_reference(
        self, user: Principal, person: dict[str, Any], reason: str | None, channel: str
    ) -> None:
        """Refuse (403, audited) opening a person outside the user's queues without a reason
        that starts with a case reference."""
        if reason and re.match(self.access.outside_queue_reference, reason.strip()):
            return
        self.audit.append(
            "denied",
            actor=user.name,
            subject=person["person_key"],
            reason=reason,
            details={
                "attempted": "view_person",
                "pseudonym": person["subject"],
                "channel": channel,
                "why": "outside the user's queues without a case reference",
            },
        )
        raise HTTPException(
            403,
            f"{person['subject']} is in none of your queues: to open them, give a reason that "
            f"starts with a case reference (such as {self.access.outside_queue_example})",
        )

    @staticmethod
    def require_queued(person: dict[str, Any], purpose: str, what: str) -> None:
        """Claims and decisions are on a queue entry of that purpose."""
        if not any(q["purpose"] == purpose for q in person["queue"]):
            raise HTTPException(
                403,
                f"{person['subject']} is not in the {purpose.replace('_', ' ')} queue: "
                f"there is nothing to {what}",
            )


# The run a request has opened, if any: a box set for each request, filled on first use.
_REQUEST_RUN: ContextVar[dict[str, PublishedRun] | None] = ContextVar("request_run", default=None)


def one_connection_per_request(app: FastAPI) -> None:
    """Every read of the published run within one request goes through one connection,
    closed when the answer is ready."""

    @app.middleware("http")
    async def hold(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        box: dict[str, PublishedRun] = {}
        token = _REQUEST_RUN.set(box)
        try:
            return await call_next(request)
        finally:
            _REQUEST_RUN.reset(token)
            if "run" in box:
                box["run"].close()


def public(row: dict[str, Any]) -> dict[str, Any]:
    """A row without the HR person id (people are pseudonymous until revealed)."""
    return {k: v for k, v in row.items() if k != "person_key"}


def _site(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


def _current_user(request: Request) -> Principal:
    return _site(request).users.current(request)


# Route parameters: the site, and the user behind the request.
SiteDep = Annotated[Site, Depends(_site)]
User = Annotated[Principal, Depends(_current_user)]

"""What every route shares: the workspace, its audit log and users, the page renderer, and the
access check that refuses (and audits) anything the user's role does not allow."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from probity.governance.access import AccessDenied, Action, Principal
from probity.governance.audit import AuditLog
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

    def page(
        self, request: Request, user: Principal, name: str, context: dict[str, Any]
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
        try:
            return PublishedRun.open(self.workspace)
        except WorkspaceError as e:
            raise HTTPException(503, str(e)) from e

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

    def open_person(self, user: Principal, subject: str, channel: str) -> dict[str, Any]:
        """The person as `person` gives them, after the access check; the view is audited."""
        self.allow(user, Action.view_person)
        person = self.person(user, subject)
        self.audit.append(
            "view_person",
            actor=user.name,
            subject=person["person_key"],
            details={"pseudonym": person["subject"], "channel": channel},
        )
        return person


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

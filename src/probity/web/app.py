"""FastAPI app over a workspace's published run, for the user behind each request (see
`web/sessions.py` for how they are known: one fixed user, single-user mode, or log-in).

Every page has a JSON twin under /api. Every route asks the access policy first (refusals are
403 and audited); a role sees only its purposes' queue entries and signals. Viewing a person
and revealing an identity write audit events; a reveal needs a reason. Every form carries the
session's CSRF token, and a POST without it is refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

from probity.casework.feedback import under_review
from probity.casework.store import OUTCOMES, CaseStore
from probity.governance.access import AccessDenied, Action, Principal
from probity.governance.audit import AuditLog, matching
from probity.governance.passwords import verify_password
from probity.publish.results import PURPOSES, PublishedRun, RevealRefused, reveal
from probity.publish.workspace import WorkspaceError
from probity.web.sessions import (
    SESSION_HOURS,
    LoginRequired,
    Throttle,
    Users,
    check_csrf,
    csrf_token,
    session_secret,
)

HERE = Path(__file__).parent


def _current_user(request: Request) -> Principal:
    users: Users = request.app.state.users
    return users.current(request)


# The user behind the request, for any route that takes a `User` parameter.
User = Annotated[Principal, Depends(_current_user)]


def create_app(
    workspace: Path, principal: Principal | None = None, secure_cookies: bool = False
) -> FastAPI:
    """The app for `workspace`; `principal` fixes one user (no log-in), and `secure_cookies`
    marks the session cookie Secure for deployments behind TLS."""
    app = FastAPI(title="Probity", description="Review queue, people, evidence and run reports.")
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(workspace),
        session_cookie="probity_session",
        max_age=SESSION_HOURS * 3600,
        same_site="lax",
        https_only=secure_cookies,
    )
    templates = Jinja2Templates(directory=HERE / "templates")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    audit = AuditLog(workspace)
    users = Users(workspace, principal)
    app.state.users = users
    throttle = Throttle()

    @app.exception_handler(LoginRequired)
    def to_login(request: Request, _: LoginRequired) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": "log in first"}, status_code=401)
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    def page(request: Request, user: Principal, name: str, context: dict[str, Any]) -> HTMLResponse:
        return templates.TemplateResponse(
            request,
            name,
            {
                **context,
                "user": user,
                "csrf": csrf_token(request),
                "login_enabled": users.login_enabled,
                "audit_action": Action.view_audit,
                "queue_action": Action.view_queue,
            },
        )

    def allow(user: Principal, action: Action, purpose: str | None = None) -> None:
        try:
            user.require(action, purpose)
        except AccessDenied as e:
            audit.append(
                "denied",
                actor=user.name,
                purpose=purpose,
                details={"attempted": action.value, "channel": "web"},
            )
            raise HTTPException(403, str(e)) from e

    def own_purposes(user: Principal, person: dict[str, Any]) -> dict[str, Any]:
        """The person as this user may see them: signals and queue entries of their purposes."""
        person = dict(person)
        person["signals"] = [s for s in person["signals"] if s["purpose"] in user.purposes]
        person["queue"] = [q for q in person["queue"] if q["purpose"] in user.purposes]
        return person

    def queue_rows(
        user: Principal, purpose: str | None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        allow(user, Action.view_queue, check_purpose(purpose))
        rows = [r for r in published().queue(purpose) if r["purpose"] in user.purposes]
        return rows[:limit]

    def published() -> PublishedRun:
        try:
            return PublishedRun.open(workspace)
        except WorkspaceError as e:
            raise HTTPException(503, str(e)) from e

    def check_purpose(purpose: str | None) -> str | None:
        if purpose is not None and purpose not in PURPOSES:
            raise HTTPException(422, f"unknown purpose {purpose!r}")
        return purpose

    def person_or_404(subject: str) -> dict[str, Any]:
        person = published().person(subject)
        if person is None:
            raise HTTPException(404, f"no person {subject!r} in the current run")
        return person

    def viewed(user: Principal, person: dict[str, Any], channel: str) -> None:
        audit.append(
            "view_person",
            actor=user.name,
            subject=person["person_key"],
            details={"pseudonym": person["subject"], "channel": channel},
        )

    def public(person: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in person.items() if k != "person_key"}

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/queue")

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_page(request: Request, next: str = "/queue") -> HTMLResponse:
        return templates.TemplateResponse(
            request, "login.html", {"csrf": csrf_token(request), "next": next, "error": None}
        )

    @app.post("/login", response_class=HTMLResponse, include_in_schema=False)
    def login(
        request: Request,
        username: Annotated[str, Form()] = "",
        password: Annotated[str, Form()] = "",
        csrf: Annotated[str, Form()] = "",
        next: Annotated[str, Form()] = "/queue",
    ) -> Response:
        check_csrf(request, csrf)
        name = username.strip()
        entry = users.directory.read().users.get(name)
        if throttle.locked(name):
            ok, why = False, "locked"
        else:
            ok = verify_password(entry.password_hash if entry else None, password)
            why = "" if ok else "wrong name or password"
        if not ok:
            throttle.failed(name)
            audit.append("login_failed", actor=name or "?", details={"channel": "web", "why": why})
            return templates.TemplateResponse(
                request,
                "login.html",
                {
                    "csrf": csrf_token(request),
                    "next": next,
                    "error": "Too many failed attempts: wait a few minutes."
                    if why == "locked"
                    else "That name and password do not match a user of this workspace.",
                },
                status_code=401,
            )
        throttle.succeeded(name)
        request.session.clear()  # a fresh session (and token) for the new user
        request.session["user"] = name
        csrf_token(request)
        audit.append("login", actor=name, details={"channel": "web"})
        # Only a path on this site: "//host" and "/\host" would leave it.
        target = next if next.startswith("/") and next[1:2] not in ("/", "\\") else "/queue"
        return RedirectResponse(target, status_code=303)

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request, user: User, csrf: Annotated[str, Form()] = "") -> Response:
        check_csrf(request, csrf)
        audit.append("logout", actor=user.name, details={"channel": "web"})
        request.session.clear()
        return RedirectResponse("/login" if users.login_enabled else "/queue", status_code=303)

    @app.get("/api/queue")
    def api_queue(
        user: User, purpose: str | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        rows = queue_rows(user, purpose, limit)
        return [{k: v for k, v in r.items() if k != "person_key"} for r in rows]

    @app.get("/api/person/{subject}")
    def api_person(user: User, subject: str) -> dict[str, Any]:
        allow(user, Action.view_person)
        person = own_purposes(user, person_or_404(subject))
        viewed(user, person, "api")
        return public(person)

    @app.get("/api/report")
    def api_report(user: User) -> dict[str, Any]:
        allow(user, Action.view_report)
        return published().report()

    @app.get("/queue", response_class=HTMLResponse)
    def queue_page(request: Request, user: User, purpose: str | None = None) -> HTMLResponse:
        rows = queue_rows(user, purpose)
        return page(
            request,
            user,
            "queue.html",
            {
                "rows": rows,
                "purpose": purpose,
                "purposes": [p for p in PURPOSES if p in user.purposes],
                "run_id": published().run_id,
            },
        )

    def person_context(user: Principal, person: dict[str, Any], **notices: Any) -> dict[str, Any]:
        """What the person page shows: the person, the decisions so far in the user's
        purposes, and which queue entries this user may decide on."""
        decided = [
            d
            for d in CaseStore(workspace).all()
            if d.person_key == person["person_key"] and d.purpose in user.purposes
        ]
        return {
            "person": public(person),
            "decisions": decided,
            "decidable": [
                q["purpose"] for q in person["queue"] if user.can(Action.decide, q["purpose"])
            ],
            "outcomes": OUTCOMES,
            "revealed": None,
            "decision": None,
            **notices,
        }

    @app.get("/person/{subject}", response_class=HTMLResponse)
    def person_page(request: Request, user: User, subject: str) -> HTMLResponse:
        allow(user, Action.view_person)
        person = own_purposes(user, person_or_404(subject))
        viewed(user, person, "web")
        return page(request, user, "person.html", person_context(user, person))

    @app.post("/person/{subject}/decide", response_class=HTMLResponse)
    def decide_page(
        request: Request,
        user: User,
        subject: str,
        purpose: Annotated[str, Form()] = "",
        outcome: Annotated[str, Form()] = "",
        reason: Annotated[str, Form()] = "",
        csrf: Annotated[str, Form()] = "",
    ) -> HTMLResponse:
        """Record a review decision (people decide; Probity records, and audits it)."""
        check_csrf(request, csrf)
        if purpose not in PURPOSES:
            raise HTTPException(422, f"a decision serves one purpose: {', '.join(PURPOSES)}")
        allow(user, Action.decide, purpose)
        person = own_purposes(user, person_or_404(subject))
        try:
            decision = CaseStore(workspace).record(
                person["person_key"],
                purpose,
                outcome,
                reason,
                user.name,
                published().run_id,
                under_review(person["signals"], purpose),
            )
        except ValueError as e:
            raise HTTPException(422, str(e)) from e
        return page(request, user, "person.html", person_context(user, person, decision=decision))

    @app.post("/person/{subject}/reveal", response_class=HTMLResponse)
    def reveal_page(
        request: Request,
        user: User,
        subject: str,
        reason: Annotated[str, Form()] = "",
        csrf: Annotated[str, Form()] = "",
    ) -> HTMLResponse:
        check_csrf(request, csrf)
        allow(user, Action.reveal)
        person = own_purposes(user, person_or_404(subject))
        try:
            revealed = reveal(audit, user.name, person["person_key"], subject, reason, "web")
        except RevealRefused as e:
            raise HTTPException(422, str(e)) from e
        return page(request, user, "person.html", person_context(user, person, revealed=revealed))

    def audit_entries(user: Principal, filters: dict[str, str | None]) -> list[dict[str, Any]]:
        """Matching audit events, newest first; the query itself is audited."""
        allow(user, Action.view_audit)
        try:
            entries = matching(audit.entries(), **filters)
        except ValueError as e:
            raise HTTPException(422, str(e)) from e
        audit.append(
            "audit_query",
            actor=user.name,
            details={**filters, "results": len(entries), "channel": "web"},
        )
        return entries[::-1]

    @app.get("/api/audit")
    def api_audit(
        user: User,
        actor: str | None = None,
        action: str | None = None,
        subject: str | None = None,
        since: str | None = None,
        limit: int = 500,
    ) -> list[dict[str, Any]]:
        filters = {"actor": actor, "action": action, "subject": subject, "since": since}
        return audit_entries(user, filters)[:limit]

    @app.get("/audit", response_class=HTMLResponse)
    def audit_page(
        request: Request,
        user: User,
        actor: str | None = None,
        action: str | None = None,
        subject: str | None = None,
        since: str | None = None,
    ) -> HTMLResponse:
        filters = {
            k: v or None
            for k, v in {
                "actor": actor,
                "action": action,
                "subject": subject,
                "since": since,
            }.items()
        }
        entries = audit_entries(user, filters)
        return page(
            request,
            user,
            "audit.html",
            {"entries": entries[:200], "total": len(entries), "filters": filters},
        )

    @app.get("/report", response_class=HTMLResponse)
    def report_page(request: Request, user: User) -> HTMLResponse:
        allow(user, Action.view_report)
        return page(request, user, "report.html", {"report": published().report()})

    return app

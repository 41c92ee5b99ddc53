"""FastAPI app over a workspace's published run, acting for one user with their role.

Every page has a JSON twin under /api. Every route asks the access policy first (refusals are
403 and audited); a role sees only its purposes' queue entries and signals. Viewing a person
and revealing an identity write audit events; a reveal needs a reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from probity.governance.access import AccessDenied, Action, Principal
from probity.governance.audit import AuditLog, actor_name
from probity.governance.users import UserDirectory
from probity.publish.results import PURPOSES, PublishedRun, RevealRefused, reveal
from probity.publish.workspace import WorkspaceError

HERE = Path(__file__).parent


def create_app(workspace: Path, principal: Principal | None = None) -> FastAPI:
    app = FastAPI(title="Probity", description="Review queue, people, evidence and run reports.")
    templates = Jinja2Templates(directory=HERE / "templates")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    audit = AuditLog(workspace)
    user = principal or UserDirectory(workspace).principal(actor_name())

    def allow(action: Action, purpose: str | None = None) -> None:
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

    def own_purposes(person: dict[str, Any]) -> dict[str, Any]:
        """The person as this user may see them: signals and queue entries of their purposes."""
        person = dict(person)
        person["signals"] = [s for s in person["signals"] if s["purpose"] in user.purposes]
        person["queue"] = [q for q in person["queue"] if q["purpose"] in user.purposes]
        return person

    def queue_rows(purpose: str | None, limit: int | None = None) -> list[dict[str, Any]]:
        allow(Action.view_queue, check_purpose(purpose))
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

    def viewed(person: dict[str, Any], channel: str) -> None:
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

    @app.get("/api/queue")
    def api_queue(purpose: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        rows = queue_rows(purpose, limit)
        return [{k: v for k, v in r.items() if k != "person_key"} for r in rows]

    @app.get("/api/person/{subject}")
    def api_person(subject: str) -> dict[str, Any]:
        allow(Action.view_person)
        person = own_purposes(person_or_404(subject))
        viewed(person, "api")
        return public(person)

    @app.get("/api/report")
    def api_report() -> dict[str, Any]:
        allow(Action.view_report)
        return published().report()

    @app.get("/queue", response_class=HTMLResponse)
    def queue_page(request: Request, purpose: str | None = None) -> HTMLResponse:
        rows = queue_rows(purpose)
        return templates.TemplateResponse(
            request,
            "queue.html",
            {
                "rows": rows,
                "purpose": purpose,
                "purposes": [p for p in PURPOSES if p in user.purposes],
                "run_id": published().run_id,
            },
        )

    @app.get("/person/{subject}", response_class=HTMLResponse)
    def person_page(request: Request, subject: str) -> HTMLResponse:
        allow(Action.view_person)
        person = own_purposes(person_or_404(subject))
        viewed(person, "web")
        return templates.TemplateResponse(
            request, "person.html", {"person": public(person), "revealed": None}
        )

    @app.post("/person/{subject}/reveal", response_class=HTMLResponse)
    def reveal_page(
        request: Request, subject: str, reason: Annotated[str, Form()] = ""
    ) -> HTMLResponse:
        allow(Action.reveal)
        person = own_purposes(person_or_404(subject))
        try:
            revealed = reveal(audit, user.name, person["person_key"], subject, reason, "web")
        except RevealRefused as e:
            raise HTTPException(422, str(e)) from e
        return templates.TemplateResponse(
            request, "person.html", {"person": public(person), "revealed": revealed}
        )

    @app.get("/report", response_class=HTMLResponse)
    def report_page(request: Request) -> HTMLResponse:
        allow(Action.view_report)
        return templates.TemplateResponse(request, "report.html", {"report": published().report()})

    return app

"""FastAPI app over a workspace's published run.

Every page has a JSON twin under /api. Viewing a person and revealing an identity write
audit events; a reveal needs a reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from probity.governance.audit import AuditLog, actor_name
from probity.publish.results import PURPOSES, PublishedRun, RevealRefused, reveal
from probity.publish.workspace import WorkspaceError

HERE = Path(__file__).parent


def create_app(workspace: Path) -> FastAPI:
    app = FastAPI(title="Probity", description="Review queue, people, evidence and run reports.")
    templates = Jinja2Templates(directory=HERE / "templates")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    audit = AuditLog(workspace)

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
            actor=actor_name(),
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
        rows = published().queue(check_purpose(purpose), limit)
        return [{k: v for k, v in r.items() if k != "person_key"} for r in rows]

    @app.get("/api/person/{subject}")
    def api_person(subject: str) -> dict[str, Any]:
        person = person_or_404(subject)
        viewed(person, "api")
        return public(person)

    @app.get("/api/report")
    def api_report() -> dict[str, Any]:
        return published().report()

    @app.get("/queue", response_class=HTMLResponse)
    def queue_page(request: Request, purpose: str | None = None) -> HTMLResponse:
        run = published()
        rows = run.queue(check_purpose(purpose))
        return templates.TemplateResponse(
            request,
            "queue.html",
            {"rows": rows, "purpose": purpose, "purposes": PURPOSES, "run_id": run.run_id},
        )

    @app.get("/person/{subject}", response_class=HTMLResponse)
    def person_page(request: Request, subject: str) -> HTMLResponse:
        person = person_or_404(subject)
        viewed(person, "web")
        return templates.TemplateResponse(
            request, "person.html", {"person": public(person), "revealed": None}
        )

    @app.post("/person/{subject}/reveal", response_class=HTMLResponse)
    def reveal_page(
        request: Request, subject: str, reason: Annotated[str, Form()] = ""
    ) -> HTMLResponse:
        person = person_or_404(subject)
        try:
            revealed = reveal(audit, actor_name(), person["person_key"], subject, reason, "web")
        except RevealRefused as e:
            raise HTTPException(422, str(e)) from e
        return templates.TemplateResponse(
            request, "person.html", {"person": public(person), "revealed": revealed}
        )

    @app.get("/report", response_class=HTMLResponse)
    def report_page(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(request, "report.html", {"report": published().report()})

    return app

"""Clerical review of uncertain identity links: a person confirms or rejects a candidate pair,
and the judgement wins over the model from the next run (`resolve/judgements.py`).

The review shows people's identities, so, as on the command line, it starts with a reason that
is audited; the session keeps it for the judgements that follow."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from probity.governance.access import Action, Principal
from probity.resolve.judgements import JudgementStore
from probity.web.sessions import Name, Text, Token, check_csrf
from probity.web.site import Site, User

SHOWN = 200


def add_routes(app: FastAPI, site: Site) -> None:
    def candidates(task: str | None) -> list[dict[str, Any]]:
        """Uncertain pairs nobody has judged yet."""
        judged = {
            (j.task, j.record_id, j.person_key) for j in JudgementStore(site.workspace).latest()
        }
        return [
            c
            for c in site.published().link_candidates(task or None)
            if (c["task"], c["record_id"], c["person_key"]) not in judged
        ]

    def begin(user: Principal, reason: str, task: str | None, channel: str) -> None:
        site.allow(user, Action.review_links)
        if not reason.strip():
            raise HTTPException(422, "clerical review shows identities: give a reason (audited)")
        site.audit.append(
            "clerical_review",
            actor=user.name,
            reason=reason.strip(),
            details={"task": task, "channel": channel},
        )

    @app.get("/api/links/candidates")
    def api_candidates(
        user: User,
        # A reason says something: at least one letter or digit, so never blank to `begin`.
        reason: Annotated[str, Query(min_length=1, max_length=2000, pattern=r"[A-Za-z0-9]")],
        task: str | None = None,
    ) -> list[dict[str, Any]]:
        """Uncertain links awaiting a judgement, best first within each record; `reason` says
        why identities are being looked at (audited)."""
        begin(user, reason, task, "api")
        return candidates(task)

    @app.get("/links", response_class=HTMLResponse, include_in_schema=False)
    def links_page(request: Request, user: User, task: str | None = None) -> HTMLResponse:
        site.allow(user, Action.review_links)
        reason = request.session.get("link_review_reason")
        rows = candidates(task) if reason else []
        return site.page(
            request,
            user,
            "links.html",
            {"rows": rows[:SHOWN], "total": len(rows), "task": task or "", "reason": reason},
        )

    @app.post("/links/start", include_in_schema=False)
    def start(
        request: Request,
        user: User,
        reason: Text = "",
        csrf: Token = "",
    ) -> Response:
        check_csrf(request, csrf)
        begin(user, reason, None, "web")
        request.session["link_review_reason"] = reason.strip()
        return RedirectResponse("/links", status_code=303)

    @app.post("/links/judge", include_in_schema=False)
    def judge(
        request: Request,
        user: User,
        task: Name = "",
        record_id: Name = "",
        person_key: Name = "",
        decision: Name = "",
        csrf: Token = "",
    ) -> Response:
        check_csrf(request, csrf)
        site.allow(user, Action.review_links)
        reason = request.session.get("link_review_reason")
        if not reason:
            raise HTTPException(422, "start the review with a reason first")
        if not any(
            (c["record_id"], c["person_key"]) == (record_id, person_key)
            for c in site.published().link_candidates(task)
        ):
            raise HTTPException(404, "no such candidate link in the current run")
        try:
            JudgementStore(site.workspace).record(
                task,
                record_id,
                person_key,
                decision,  # type: ignore[arg-type]  # checked by the store
                user.name,
                str(reason),
            )
        except ValueError as e:
            raise HTTPException(422, str(e)) from e
        return RedirectResponse(f"/links?task={task}", status_code=303)

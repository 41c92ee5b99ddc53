"""Pages for oversight: the run report, the fairness dashboard and, for the auditor, the audit
explorer (whose every query is itself audited)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse

from probity.governance.access import Action, Principal
from probity.governance.audit import matching, pseudonymous, shown_as
from probity.governance.pseudonyms import workspace_key
from probity.web.site import Site, User


def add_routes(app: FastAPI, site: Site) -> None:
    def audit_entries(user: Principal, filters: dict[str, str | None]) -> list[dict[str, Any]]:
        """Matching audit events, newest first; the query itself is audited."""
        site.allow(user, Action.view_audit)
        key = workspace_key(site.workspace)
        try:
            entries = matching(site.audit.entries(), **filters, key=key)
        except ValueError as e:
            raise HTTPException(422, str(e)) from e
        # The query is recorded with the person by pseudonym, whichever way they were asked for.
        asked = {**filters, "subject": shown_as(key, filters.get("subject"))}
        site.audit.append(
            "audit_query",
            actor=user.name,
            details={**asked, "results": len(entries), "channel": "web"},
        )
        return pseudonymous(entries[::-1], key)

    @app.get("/api/audit")
    def api_audit(
        user: User,
        actor: str | None = None,
        action: str | None = None,
        subject: str | None = None,
        since: str | None = None,
        limit: int = 500,
    ) -> list[dict[str, Any]]:
        """Audit events matching every filter given, newest first (auditors only)."""
        filters = {"actor": actor, "action": action, "subject": subject, "since": since}
        return audit_entries(user, filters)[:limit]

    @app.get("/audit", response_class=HTMLResponse, include_in_schema=False)
    def audit_page(
        request: Request,
        user: User,
        actor: str | None = None,
        action: str | None = None,
        subject: str | None = None,
        since: str | None = None,
    ) -> HTMLResponse:
        given = {"actor": actor, "action": action, "subject": subject, "since": since}
        filters = {k: v or None for k, v in given.items()}
        entries = audit_entries(user, filters)
        return site.page(
            request,
            user,
            "audit.html",
            {"entries": entries[:200], "total": len(entries), "filters": filters},
        )

    @app.get("/api/report")
    def api_report(user: User) -> dict[str, Any]:
        """The current run's report (as `probity report --format json`)."""
        site.allow(user, Action.view_report)
        return site.published().report()

    @app.get("/report", response_class=HTMLResponse, include_in_schema=False)
    def report_page(request: Request, user: User) -> HTMLResponse:
        site.allow(user, Action.view_report)
        report = site.published().report()
        return site.page(
            request, user, "report.html", {"report": report, "weighed": _model_weights(report)}
        )

    @app.get("/api/fairness")
    def api_fairness(user: User) -> dict[str, Any]:
        """The current run's fairness audit: rates and ratios by group, intervals, alerts."""
        site.allow(user, Action.view_report)
        fairness: dict[str, Any] = site.published().report().get("fairness") or {}
        return fairness

    @app.get("/fairness", response_class=HTMLResponse, include_in_schema=False)
    def fairness_page(request: Request, user: User) -> HTMLResponse:
        site.allow(user, Action.view_report)
        report = site.published().report()
        return site.page(request, user, "fairness.html", {"report": report})


def _model_weights(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per linkage task that trained or weighed anything: its model's levels and weights, and
    what the days an account was used weighed (`resolve/parameters.py`, `resolve/behaviour.py`)."""
    return {
        task: {"parameters": c.get("parameters"), "weighed": c.get("weighed")}
        for task, c in report.get("identities", {}).items()
        if c.get("parameters") or c.get("weighed")
    }

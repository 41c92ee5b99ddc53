"""The unit page (team culture): a unit's members' signals by concern against the force's
rate, and its members in the user's queues, by pseudonym."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse

from probity.governance.access import Action, Principal
from probity.web.site import Site, User


def add_routes(app: FastAPI, site: Site) -> None:
    def picture(user: Principal, unit_code: str) -> dict[str, Any]:
        site.allow(user, Action.view_queue)
        found = site.published().unit(unit_code, user.purposes)
        if found is None:
            raise HTTPException(404, f"no unit {unit_code!r} in the current run")
        site.audit.append("view_unit", actor=user.name, details={"unit": unit_code})
        return found

    @app.get("/api/unit/{unit_code}")
    def api_unit(user: User, unit_code: str) -> dict[str, Any]:
        """A unit: headcount, signals by concern against the force, members in the queue."""
        return picture(user, unit_code)

    @app.get("/unit/{unit_code}", response_class=HTMLResponse, include_in_schema=False)
    def unit_page(request: Request, user: User, unit_code: str) -> HTMLResponse:
        return site.page(request, user, "unit.html", {"unit": picture(user, unit_code)})

"""FastAPI app over a workspace's published run, for the user behind each request (see
`web/sessions.py` for how they are known: one fixed user, single-user mode, log-in with a local
password, or the force's single sign-on through OpenID Connect).

Every page has a JSON twin under /api, which is what the OpenAPI description covers (at
/docs and /redoc, behind log-in); the HTML pages and their forms are left out of it. Every route asks the access policy
first (refusals are 403 and audited); a role sees only its purposes' queue entries and signals.
Viewing a person and revealing an identity write audit events; a reveal needs a reason. Every
form carries the session's CSRF token, and a POST without it is refused.

Routes live beside this file by what they serve: log-in (`routes_auth`), the queue and the
person page with their casework (`routes_casework`), units (`routes_units`), clerical link
review (`routes_links`), and oversight: run report, fairness, audit (`routes_oversight`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware

from probity.governance.access import Principal
from probity.publish.workspace import check_private, keep_private
from probity.web import (
    routes_api_docs,
    routes_auth,
    routes_casework,
    routes_links,
    routes_oversight,
    routes_units,
)
from probity.web.headers import add_security_headers
from probity.web.sessions import SESSION_HOURS, LoginRequired, Users, session_secret
from probity.web.site import HERE, Site, one_connection_per_request
from probity.web.sso import load_sso

# What any route may answer instead of its result, each with a `detail` saying why (a sentence,
# or for a malformed request FastAPI's list of the fields at fault).
_PROBLEM = {
    "content": {
        "application/json": {
            "schema": {"type": "object", "properties": {"detail": {}}, "required": ["detail"]}
        }
    }
}
REFUSALS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Host not served, or a request Probity cannot use", **_PROBLEM},
    401: {"description": "Log in first", **_PROBLEM},
    403: {"description": "Not permitted for this user, purpose or person", **_PROBLEM},
    404: {"description": "No such person, unit or record in the current run", **_PROBLEM},
    409: {"description": "Someone else is working on it", **_PROBLEM},
    422: {"description": "A value Probity cannot use", **_PROBLEM},
    503: {"description": "No run is published yet", **_PROBLEM},
}


def create_app(
    workspace: Path,
    principal: Principal | None = None,
    secure_cookies: bool = False,
    allowed_hosts: Sequence[str] = ("*",),
) -> FastAPI:
    """The app for `workspace`; `principal` fixes one user (no log-in), `secure_cookies`
    marks the session cookie Secure for deployments behind TLS, and `allowed_hosts` are the
    host names it answers to (`probity serve` passes the deployment's)."""
    keep_private()
    check_private(workspace)
    # The API documents itself behind log-in, from our own copies of Swagger UI and Redoc
    # (`routes_api_docs`), not FastAPI's defaults, which load scripts from a CDN.
    app = FastAPI(
        title="Probity",
        description="Review queue, people, evidence and run reports.",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        responses=REFUSALS,
    )
    one_connection_per_request(app)
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(workspace),
        session_cookie="probity_session",
        max_age=SESSION_HOURS * 3600,
        same_site="lax",
        https_only=secure_cookies,
    )
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    # Added last, so outermost: a refused host's 400 carries the headers too.
    add_security_headers(app)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    site = Site(workspace, Users(workspace, principal))
    site.sso = load_sso(workspace) if principal is None else None
    app.state.site = site

    @app.exception_handler(LoginRequired)
    def to_login(request: Request, _: LoginRequired) -> Response:
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            return JSONResponse({"detail": "log in first"}, status_code=401)
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/queue")

    for routes in (
        routes_auth,
        routes_casework,
        routes_units,
        routes_links,
        routes_oversight,
        routes_api_docs,
    ):
        routes.add_routes(app, site)
    return app

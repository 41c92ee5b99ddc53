"""The API's own description (OpenAPI) and two readers of it, Swagger UI at /docs and Redoc at
/redoc, for logged-in users only. Both are served from the pinned npm copies under
/static/vendor (`scripts/assets.sh`): police networks have no internet, and a CDN script
would run with the user's session."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse

from probity.web.site import Site, User


def add_routes(app: FastAPI, site: Site) -> None:
    schema: dict[str, Any] = {}

    @app.get("/openapi.json", include_in_schema=False)
    def openapi(_: User) -> JSONResponse:
        if not schema:
            schema.update(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    description=app.description,
                    routes=app.routes,
                )
            )
        return JSONResponse(schema)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def swagger(request: Request, user: User) -> HTMLResponse:
        return site.page(request, user, "api_docs.html", {"reader": "swagger"})

    @app.get("/redoc", response_class=HTMLResponse, include_in_schema=False)
    def redoc(request: Request, user: User) -> HTMLResponse:
        return site.page(request, user, "api_docs.html", {"reader": "redoc"})

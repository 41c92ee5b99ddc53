"""Headers on every response that tell the browser to trust only this site: scripts from our
own static folder only, no framing (clickjacking), no guessing of content types, no referrer
carrying a person's pseudonym to another site, and no copy of a page about a person kept in a
cache. Requests naming a host the deployment does not serve are refused (`allowed_hosts`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

# Styles may be inline: Vega and the API docs set them from script. Scripts may not: every
# script is a file under /static, so an injected <script> never runs.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# Where a browser may serve localhost development: `probity serve` adds the address it binds.
LOCAL_HOSTS = ("localhost", "127.0.0.1")


def add_security_headers(app: FastAPI) -> None:
    @app.middleware("http")
    async def secure(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith("/static/"):
            # Pages and API answers name people and evidence: never stored by a browser or proxy.
            response.headers["Cache-Control"] = "no-store"
        return response

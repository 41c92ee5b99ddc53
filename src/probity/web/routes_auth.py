"""Logging in and out: with a local account (argon2 password hashes, a brake on guessing), or
through the force's single sign-on (OpenID Connect, `web/sso.py`)."""

from __future__ import annotations

from typing import Annotated

from authlib.common.errors import AuthlibBaseError
from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from joserfc.errors import JoseError
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from probity.governance.passwords import verify_password
from probity.web.sessions import Name, Secret, Throttle, Token, check_csrf, csrf_token, safe_next
from probity.web.site import Site, User

# Log-in attempts from one address, whatever names they try; the first refusal in each
# minute is audited, so a flood leaves a trace without filling the log.
LOGINS_PER_ADDRESS = parse("30/minute")
AUDITED_REFUSALS = parse("1/minute")


def add_routes(app: FastAPI, site: Site) -> None:
    throttle = Throttle()
    users = site.users
    per_address = MovingWindowRateLimiter(MemoryStorage())

    def login_form(
        request: Request, next: str = "/queue", error: str | None = None, status: int = 200
    ) -> HTMLResponse:
        """The log-in page, with why the last attempt failed if it did."""
        return site.templates.TemplateResponse(
            request,
            "login.html",
            {"csrf": csrf_token(request), "next": next, "error": error, "sso": site.sso},
            status_code=status,
        )

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_page(request: Request, next: str = "/queue") -> HTMLResponse:
        return login_form(request, next)

    @app.post("/login", response_class=HTMLResponse, include_in_schema=False)
    def login(
        request: Request,
        username: Name = "",
        password: Secret = "",
        csrf: Token = "",
        next: Annotated[str, Form(max_length=2048)] = "/queue",
    ) -> Response:
        check_csrf(request, csrf)
        address = request.client.host if request.client else "?"
        if not per_address.hit(LOGINS_PER_ADDRESS, "login", address):
            if per_address.hit(AUDITED_REFUSALS, "refusal", address):
                site.audit.append(
                    "login_failed",
                    actor="?",
                    details={"channel": "web", "why": "too many attempts", "address": address},
                )
            return login_form(request, next, "Too many attempts from here: wait a minute.", 429)
        name = username.strip()
        entry = users.directory.read().users.get(name)
        if not throttle.admit(name):
            ok, why = False, "locked"
        else:
            ok = verify_password(entry.password_hash if entry else None, password)
            why = "" if ok else "wrong name or password"
        if not ok:
            site.audit.append(
                "login_failed", actor=name or "?", details={"channel": "web", "why": why}
            )
            error = (
                "Too many failed attempts: wait a few minutes."
                if why == "locked"
                else "That name and password do not match a user of this workspace."
            )
            return login_form(request, next, error, 401)
        throttle.succeeded(name)
        users.start_session(request, name)
        site.audit.append("login", actor=name, details={"channel": "web"})
        return RedirectResponse(safe_next(next), status_code=303)

    @app.get("/login/sso", include_in_schema=False)
    async def sso_start(request: Request, next: str = "/queue") -> Response:
        if site.sso is None:
            raise HTTPException(404, "single sign-on is not configured for this workspace")
        request.session["sso_next"] = safe_next(next)
        callback = str(request.url_for("sso_callback"))
        response: Response = await site.sso.client.authorize_redirect(request, callback)
        return response

    @app.get("/login/sso/callback", include_in_schema=False, name="sso_callback")
    async def sso_callback(request: Request) -> Response:
        """The provider sends the browser back here with a code; Authlib exchanges it and checks
        the ID token (signature, issuer, audience, expiry and nonce)."""
        if site.sso is None:
            raise HTTPException(404, "single sign-on is not configured for this workspace")
        try:
            token = await site.sso.client.authorize_access_token(request)
        except (AuthlibBaseError, JoseError) as e:  # a refused exchange, or a bad ID token
            site.audit.append(
                "login_failed", actor="?", details={"channel": "sso", "why": str(e)[:200]}
            )
            return login_form(
                request, error="The sign-on did not complete; please try again.", status=403
            )
        name = site.sso.username(token.get("userinfo") or {})
        if not name or name not in users.directory.read().users:
            site.audit.append(
                "login_failed",
                actor=name or "?",
                details={"channel": "sso", "why": "not a user of this workspace"},
            )
            return login_form(
                request, error="Your force account is not a user of this workspace.", status=403
            )
        target = request.session.get("sso_next", "/queue")
        users.start_session(request, name)
        site.audit.append(
            "login", actor=name, details={"channel": "sso", "issuer": site.sso.settings.issuer}
        )
        return RedirectResponse(safe_next(str(target)), status_code=303)

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request, user: User, csrf: Token = "") -> Response:
        check_csrf(request, csrf)
        site.audit.append("logout", actor=user.name, details={"channel": "web"})
        if users.login_enabled:
            users.end_sessions(request, user.name)
        else:
            request.session.clear()
        return RedirectResponse("/login" if users.login_enabled else "/queue", status_code=303)

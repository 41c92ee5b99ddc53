"""A small OpenID Connect provider for tests, served over real HTTP: discovery, an
authorisation endpoint that signs in whoever the test names, a token endpoint that checks the
client's secret, the code and the redirect address, and RS256-signed ID tokens (joserfc)
verified by the app through the published key set. No force's identity provider can run on
this machine; this one speaks the same protocol to Probity's unchanged client code."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import uvicorn
from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from joserfc import jwt
from joserfc.jwk import RSAKey

from tests.webserver import free_port


@dataclass
class Provider:
    issuer: str
    client_id: str
    client_secret: str
    user: str | None = None  # who signs in at the next authorisation request
    nonce: str | None = None  # set to put a wrong nonce in the ID tokens
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "k1"}))
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/.well-known/openid-configuration")
        def discovery() -> dict[str, Any]:
            return {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_basic",
                    "client_secret_post",
                ],
            }

        @app.get("/jwks")
        def jwks() -> dict[str, Any]:
            return {"keys": [self.key.as_dict(private=False)]}

        @app.get("/authorize")
        def authorize(
            client_id: str, redirect_uri: str, state: str, nonce: str = "", response_type: str = ""
        ) -> RedirectResponse:
            if client_id != self.client_id or response_type != "code" or self.user is None:
                raise HTTPException(400, "bad authorisation request")
            code = secrets.token_urlsafe(16)
            self.codes[code] = {"user": self.user, "nonce": nonce, "redirect_uri": redirect_uri}
            return RedirectResponse(f"{redirect_uri}?{urlencode({'code': code, 'state': state})}")

        @app.post("/token")
        async def token(
            request: Request,
            code: str = Form(""),
            redirect_uri: str = Form(""),
            client_id: str = Form(""),
            client_secret: str = Form(""),
        ) -> dict[str, Any]:
            import base64

            auth = request.headers.get("authorization", "")
            if auth.startswith("Basic "):
                client_id, client_secret = base64.b64decode(auth[6:]).decode().split(":", 1)
            if (client_id, client_secret) != (self.client_id, self.client_secret):
                raise HTTPException(401, "invalid_client")
            grant = self.codes.pop(code, None)
            if grant is None or grant["redirect_uri"] != redirect_uri:
                raise HTTPException(400, "invalid_grant")
            now = int(time.time())
            claims = {
                "iss": self.issuer,
                "sub": f"sub-{grant['user']}",
                "aud": self.client_id,
                "iat": now,
                "exp": now + 300,
                "nonce": self.nonce or grant["nonce"],
                "preferred_username": grant["user"],
            }
            id_token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, self.key)
            return {
                "access_token": secrets.token_urlsafe(16),
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": id_token,
            }

        return app


@contextmanager
def running_provider(client_id: str, client_secret: str) -> Iterator[Provider]:
    port = free_port()
    provider = Provider(f"http://127.0.0.1:{port}", client_id, client_secret)
    server = uvicorn.Server(
        uvicorn.Config(provider.app(), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield provider
    finally:
        server.should_exit = True
        thread.join(timeout=5)

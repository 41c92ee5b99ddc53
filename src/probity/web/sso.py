"""Single sign-on with the force's identity provider through OpenID Connect (Authlib).

Configured per workspace in `WS/oidc.yaml`; the client secret comes from the environment,
never from the file:

    issuer: https://login.force.example/realms/staff     # its /.well-known/openid-configuration
    client_id: probity
    client_secret_env: PROBITY_OIDC_CLIENT_SECRET
    username_claim: preferred_username

The provider proves who someone is; what they may do still comes from `WS/users.yaml`, so a
person the provider knows but the workspace does not is refused (and the refusal audited).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from authlib.integrations.starlette_client import OAuth
from pydantic import BaseModel, ConfigDict

SSO_FILE = "oidc.yaml"


class SsoSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    issuer: str
    client_id: str
    client_secret_env: str = "PROBITY_OIDC_CLIENT_SECRET"
    username_claim: str = "preferred_username"
    scope: str = "openid profile"
    label: str = "Log in with your force account"


class SingleSignOn:
    def __init__(self, settings: SsoSettings) -> None:
        secret = os.environ.get(settings.client_secret_env)
        if not secret:
            raise ValueError(
                f"single sign-on is configured but {settings.client_secret_env} is not set"
            )
        self.settings = settings
        self.oauth = OAuth()
        self.client: Any = self.oauth.register(
            name="force",
            client_id=settings.client_id,
            client_secret=secret,
            server_metadata_url=settings.issuer.rstrip("/") + "/.well-known/openid-configuration",
            client_kwargs={"scope": settings.scope},
        )

    @property
    def label(self) -> str:
        return self.settings.label

    def username(self, claims: dict[str, Any]) -> str | None:
        value = claims.get(self.settings.username_claim)
        return str(value) if value else None


def load_sso(workspace: Path) -> SingleSignOn | None:
    path = workspace / SSO_FILE
    if not path.exists():
        return None
    settings = SsoSettings.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    return SingleSignOn(settings)

"""Who is acting on the command line: the operating-system account running the command, not a
name anyone can type.

In a workspace with users, `--actor NAME` (or `$PROBITY_ACTOR`) is only a claim. It is taken
when NAME is the OS account itself, or when `$PROBITY_ACTOR_TOKEN` holds a token an
administrator issued for NAME (`probity users token NAME`): for a service account that runs
the nightly job as `nightly`, or a shared jump host. Otherwise the command is refused and the
refusal is audited with the OS account that tried. Every audit entry records the OS account
too, so a token used from somewhere unexpected still shows.

A workspace with no users file is single-user: the claim is a label, as before.
"""

from __future__ import annotations

import os
import pwd
import secrets
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer

from probity.governance.access import AccessDenied
from probity.governance.keys import secret_in

TOKEN_KEY_FILE = "actor.key"
TOKEN_ENV = "PROBITY_ACTOR_TOKEN"
CLAIM_ENV = "PROBITY_ACTOR"
DEFAULT_TOKEN_HOURS = 24 * 90


class ActorRefused(AccessDenied):
    """The command claims to act as someone the OS account cannot show it is."""


def os_user() -> str:
    """The account the process runs as, from its user id (not $USER, which anyone can set)."""
    return pwd.getpwuid(os.geteuid()).pw_name


def _serializer(workspace: Path) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_in(workspace / TOKEN_KEY_FILE), salt="probity-actor")


def issue_token(workspace: Path, name: str) -> tuple[str, str]:
    """A token that lets a command act as `name`, and its id (for the audit log)."""
    token_id = secrets.token_hex(6)
    return _serializer(workspace).dumps({"actor": name, "id": token_id}), token_id


def vouched(workspace: Path, token: str, hours: int = DEFAULT_TOKEN_HOURS) -> dict[str, str]:
    """What a token says (`actor`, `id`), if this workspace issued it in the last `hours`."""
    try:
        data = _serializer(workspace).loads(token, max_age=hours * 3600)
    except BadSignature as e:
        raise ActorRefused(f"${TOKEN_ENV} is not a token of this workspace, or has expired") from e
    return {"actor": str(data["actor"]), "id": str(data["id"])}


def cli_actor(workspace: Path, claimed: str | None, governed: bool) -> tuple[str, str | None]:
    """The name a command acts as, and the id of the token that vouched for it (if any).
    `governed`: the workspace has users (otherwise any claim is taken as a label)."""
    me = os_user()
    claimed = claimed or os.environ.get(CLAIM_ENV) or None
    if not claimed or claimed == me:
        return me, None
    if not governed:
        return claimed, None
    token = os.environ.get(TOKEN_ENV)
    if token:
        said = vouched(workspace, token)
        if said["actor"] == claimed:
            return claimed, said["id"]
    raise ActorRefused(
        f"this command runs as the OS account {me}, not {claimed}: run it as {claimed}, or "
        f"with ${TOKEN_ENV} set to a token an administrator issued for {claimed} "
        "(`probity users token`)"
    )

"""What the command-line modules share: consoles, common options, refusing and failing."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from probity.publish.workspace import DEFAULT_WORKSPACE

__all__ = ["DEFAULT_WORKSPACE"]  # re-exported for the command modules

err = Console(stderr=True)
out = Console()

WorkspaceOpt = Annotated[Path, typer.Option("--workspace", "-w", help="workspace folder")]
ActorOpt = Annotated[
    str | None,
    typer.Option(
        "--actor",
        help="who is asking (default: $PROBITY_ACTOR or your OS account; in a workspace with "
        "users, another name needs a token from `probity users token`)",
    ),
]
# A flag takes no value: without an empty metavar, help lists it as `--reveal <bool>`.
FLAG = ""
RevealOpt = Annotated[
    bool,
    typer.Option("--reveal", help="show HR person ids (audited; needs --reason)", metavar=FLAG),
]
ReasonOpt = Annotated[str | None, typer.Option(help="why identities are revealed")]
PolicyOpt = Annotated[
    Path | None, typer.Option("--policy", help="policy YAML (default: WORKSPACE/policy.yaml)")
]
# Commands that filter by --actor name their caller with --as.
CallerOpt = Annotated[
    str | None,
    typer.Option("--as", help="who is asking (default: $PROBITY_ACTOR or the login name)"),
]


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


class Purpose(StrEnum):
    professional_standards = "professional_standards"
    welfare = "welfare"


def fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


def caller(workspace: Path, actor: str | None, attempted: str) -> str:
    """The name this command acts as (`governance/actors.py`); a claim the OS account cannot
    back is audited and the command exits 3."""
    from probity.governance.actors import CLAIM_ENV, ActorRefused, cli_actor
    from probity.governance.audit import AuditLog
    from probity.governance.users import UserDirectory
    from probity.publish.workspace import WorkspaceError, check_private

    try:
        check_private(workspace)
    except WorkspaceError as e:
        fail(str(e))
    try:
        return cli_actor(workspace, actor, UserDirectory(workspace).configured())[0]
    except ActorRefused as e:
        AuditLog(workspace).append(
            "denied",
            actor=actor or os.environ.get(CLAIM_ENV) or "?",
            details={"attempted": attempted, "channel": "cli", "why": "actor not vouched for"},
        )
        fail(f"not permitted: {e}", 3)


def allow(workspace: Path, actor: str | None, action: str, purpose: str | None = None) -> Any:
    """The caller as a Principal, if their role allows `action` (for `purpose`); otherwise the
    refusal is audited and the command exits 3."""
    from probity.governance.access import AccessDenied, Action
    from probity.governance.audit import AuditLog
    from probity.governance.users import UserDirectory

    name = caller(workspace, actor, action)
    try:
        principal = UserDirectory(workspace).principal(name)
        principal.require(Action(action), purpose)
    except AccessDenied as e:
        AuditLog(workspace).append(
            "denied", actor=name, purpose=purpose, details={"attempted": action, "channel": "cli"}
        )
        fail(f"not permitted: {e}", 3)
    return principal

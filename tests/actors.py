"""Tests act as many users from one OS account, as a service account does: with a token the
workspace issued for each (`governance/actors.py`)."""

from __future__ import annotations

from pathlib import Path

from probity.governance.actors import CLAIM_ENV, TOKEN_ENV, issue_token


def acting_as(workspace: Path, name: str) -> dict[str, str]:
    """The environment a command needs to act as `name` in a workspace with users."""
    token, _ = issue_token(workspace, name)
    return {CLAIM_ENV: name, TOKEN_ENV: token}

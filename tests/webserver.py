"""Helpers for tests of the web app: a real server process, Debian's Chromium, and a workspace
whose users have passwords."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from typer.testing import CliRunner

from probity.cli import app as cli
from probity.governance.access import Role
from probity.governance.checkpoints import CHECKPOINTS_ENV, KEY_ENV, SYSLOG_ENV
from probity.governance.users import UserDirectory
from tests.actors import acting_as

ARTIFACTS = Path(__file__).parent.parent / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags for a closed network: no background fetches, no sandbox as root, no GPU.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def audit_settings() -> dict[str, str]:
    """Where the tests keep the audit key and checkpoints (tests/conftest.py)."""
    return {k: os.environ[k] for k in (KEY_ENV, CHECKPOINTS_ENV, SYSLOG_ENV) if k in os.environ}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(workspace: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """`probity serve` on `workspace` in its own process; yields its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "probity",
            "serve",
            "--workspace",
            str(workspace),
            "--port",
            str(port),
        ],
        env={"PATH": "/usr/bin:/bin", **audit_settings(), **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def with_users(run: Path, into: Path, roles: dict[str, Role], password: str) -> Path:
    """A copy of the workspace `run` at `into`, with an administrator and the given users, each
    given `password` through the command line as an administrator would."""
    shutil.copytree(run, into)
    users = UserDirectory(into)
    users.set_role("admin", Role.administrator)
    for name, role in roles.items():
        users.set_role(name, role)
        args = ["users", "password", name, "--workspace", str(into), "--actor", "admin"]
        result = CliRunner().invoke(cli, args, input=password + "\n", env=acting_as(into, "admin"))
        assert result.exit_code == 0, result.output
    return into

"""Stable pseudonyms per workspace: a keyed hash of the person key, so a pseudonym cannot be
worked out from an HR id without the workspace's secret key."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

KEY_FILE = "pseudonym.key"


def workspace_key(workspace: Path) -> bytes:
    """The workspace's secret key, made on first use and readable by its owner only."""
    path = workspace / KEY_FILE
    if not path.exists():
        workspace.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(secrets.token_bytes(32))
        os.replace(tmp, path)
    return path.read_bytes()


def pseudonym(key: bytes, person_key: str) -> str:
    digest = hmac.new(key, person_key.encode(), hashlib.sha256).digest()
    return "P-" + base64.b32encode(digest)[:10].decode()


def signal_reference(key: bytes, signal_id: str) -> str:
    """An opaque name for a signal: its internal id names the detector and the HR person id."""
    digest = hmac.new(key, b"signal\0" + signal_id.encode(), hashlib.sha256).digest()
    return "S-" + base64.b32encode(digest)[:12].decode()

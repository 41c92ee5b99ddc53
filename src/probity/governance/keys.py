"""Secret keys kept in files: made on first use, readable by their owner alone."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def secret_in(path: Path) -> str:
    """The hex secret in `path`, made (0600, in a folder made 0700) if there is none yet; when
    two processes make it at once, the first one's stands."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
        except FileExistsError:
            pass
    return path.read_text().strip()

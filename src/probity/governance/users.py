"""The workspace's users and their roles (`WS/users.yaml`), changed only by an administrator
and every change audited.

    users:
      asmith: {role: psd_analyst, password_hash: "$argon2id$..."}
      bjones: {role: auditor}

A workspace with no users file is in single-user mode (see `Role.single_user`). A password
hash lets the user log in to the web application; users without one use the command line only.

Beside it, `WS/sessions.json` holds each user's session generation: a random value that web
sessions carry and that log-out, a new password and removal replace, ending every session
the user had.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from probity.governance.access import AccessDenied, Principal, Role

USERS_FILE = "users.yaml"
SESSIONS_FILE = "sessions.json"


class UserEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Role
    password_hash: str | None = None


class UsersFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    users: dict[str, UserEntry] = Field(default_factory=dict)


class UserDirectory:
    def __init__(self, workspace: Path) -> None:
        self.path = workspace / USERS_FILE
        self.sessions = workspace / SESSIONS_FILE

    def configured(self) -> bool:
        return self.path.exists()

    def read(self) -> UsersFile:
        if not self.path.exists():
            return UsersFile()
        return UsersFile.model_validate(yaml.safe_load(self.path.read_text(encoding="utf-8")) or {})

    def principal(self, name: str) -> Principal:
        if not self.configured():
            return Principal(name, Role.single_user)
        entry = self.read().users.get(name)
        if entry is None:
            raise AccessDenied(f"{name} is not a user of this workspace")
        return Principal(name, entry.role)

    def set_role(self, name: str, role: Role | None) -> None:
        """Add or change a user (role None removes them), keeping any password."""
        current = self.read()
        if role is None:
            current.users.pop(name, None)
            self.end_sessions(name)
        else:
            kept = current.users.get(name)
            current.users[name] = UserEntry(
                role=role, password_hash=kept.password_hash if kept else None
            )
        self._write(current)

    def set_password_hash(self, name: str, password_hash: str) -> None:
        current = self.read()
        if name not in current.users:
            raise AccessDenied(f"{name} is not a user of this workspace")
        current.users[name].password_hash = password_hash
        self._write(current)
        self.end_sessions(name)

    def password_hash(self, name: str) -> str | None:
        entry = self.read().users.get(name)
        return entry.password_hash if entry else None

    def session_generation(self, name: str) -> str:
        """The generation a session of `name` must carry (made on first asking)."""
        generation = self._generations().get(name)
        return generation if generation is not None else self._new_generation(name)

    def end_sessions(self, name: str) -> None:
        """Every session `name` has, on any device, ends now."""
        self._new_generation(name)

    def _generations(self) -> dict[str, str]:
        if not self.sessions.exists():
            return {}
        data: dict[str, str] = json.loads(self.sessions.read_text(encoding="utf-8"))
        return data

    def _new_generation(self, name: str) -> str:
        self.sessions.parent.mkdir(parents=True, exist_ok=True)
        with open(self.sessions.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            generations = self._generations()
            generations[name] = secrets.token_hex(16)
            tmp = self.sessions.with_suffix(".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(generations, f)
            os.replace(tmp, self.sessions)
        return generations[name]

    def _write(self, users: UsersFile) -> None:
        """Replace the file atomically, readable by its owner only (it holds password hashes)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        data = {
            "users": {
                n: e.model_dump(mode="json", exclude_none=True)
                for n, e in sorted(users.users.items())
            }
        }
        tmp.write_text(yaml.safe_dump(data, sort_keys=True), encoding="utf-8")
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)

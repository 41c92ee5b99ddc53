"""The workspace's users and their roles (`WS/users.yaml`), changed only by an administrator
and every change audited.

    users:
      asmith: {role: psd_analyst, password_hash: "$argon2id$..."}
      bjones: {role: auditor}

A workspace with no users file is in single-user mode (see `Role.single_user`). A password
hash lets the user log in to the web application; users without one use the command line only.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from probity.governance.access import AccessDenied, Principal, Role

USERS_FILE = "users.yaml"


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

    def password_hash(self, name: str) -> str | None:
        entry = self.read().users.get(name)
        return entry.password_hash if entry else None

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

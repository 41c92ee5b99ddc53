"""The workspace's users and their roles (`WS/users.yaml`), changed only by an administrator
and every change audited.

    users:
      asmith: {role: psd_analyst}
      bjones: {role: auditor}

A workspace with no users file is in single-user mode (see `Role.single_user`).
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
        """Add or change a user (role None removes them); the file is replaced atomically."""
        current = self.read()
        if role is None:
            current.users.pop(name, None)
        else:
            current.users[name] = UserEntry(role=role)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        data = {"users": {n: {"role": e.role.value} for n, e in sorted(current.users.items())}}
        tmp.write_text(yaml.safe_dump(data, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)

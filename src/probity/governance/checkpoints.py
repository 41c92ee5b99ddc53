"""What lets the audit log be checked by someone who does not trust the workspace's owner: the
key its entries are keyed with, and the checkpoints exported after every entry, both kept
outside the workspace.

- The key is `$PROBITY_AUDIT_KEY_FILE`, by default `~/.config/probity/audit.key` of the account
  running Probity (made on first use, 0600). Whoever copies or edits the workspace alone cannot
  re-chain the log.
- Each checkpoint (workspace, entry number, the entry's hash, when; keyed too) is appended to
  `$PROBITY_AUDIT_CHECKPOINTS`, by default `~/.local/state/probity/audit-checkpoints.jsonl`,
  and sent to the system log: `$PROBITY_AUDIT_SYSLOG` is its socket (default `/dev/log`, which
  journald and rsyslog listen on, if present), `HOST:PORT` for a remote syslog over UDP, or
  `off`. In
  production point the file at storage the service account can append to but not rewrite
  (another account's spool, `chattr +a`, or a log shipper), and forward the system log off
  the machine: then cutting entries off the end, deleting the log or re-chaining it shows.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from dataclasses import dataclass
from logging.handlers import SysLogHandler
from pathlib import Path

from probity.governance.keys import secret_in

KEY_ENV = "PROBITY_AUDIT_KEY_FILE"
CHECKPOINTS_ENV = "PROBITY_AUDIT_CHECKPOINTS"
SYSLOG_ENV = "PROBITY_AUDIT_SYSLOG"
LOCAL_SYSLOG = "/dev/log"


def _home(variable: str, fallback: str) -> Path:
    return Path(os.environ.get(variable) or Path.home() / fallback) / "probity"


def key_path() -> Path:
    return Path(os.environ.get(KEY_ENV) or _home("XDG_CONFIG_HOME", ".config") / "audit.key")


def checkpoints_path() -> Path:
    default = _home("XDG_STATE_HOME", ".local/state") / "audit-checkpoints.jsonl"
    return Path(os.environ.get(CHECKPOINTS_ENV) or default)


def audit_key() -> bytes:
    """The audit key, made (readable by this account alone) on first use."""
    return bytes.fromhex(secret_in(key_path()))


def syslog_address() -> str | tuple[str, int] | None:
    """Where checkpoints go in the system log, if anywhere (see the module's notes)."""
    setting = os.environ.get(SYSLOG_ENV)
    if setting is None:
        return LOCAL_SYSLOG if Path(LOCAL_SYSLOG).exists() else None
    if setting.lower() in ("", "0", "off", "no"):
        return None
    host, _, port = setting.rpartition(":")
    if host and port.isdigit():
        return host, int(port)
    return setting


def _send_to_syslog(address: str | tuple[str, int], message: str) -> None:
    handler = SysLogHandler(address=address, facility=SysLogHandler.LOG_AUTH)
    handler.ident = "probity-audit: "
    try:
        handler.emit(logging.LogRecord("probity.audit", logging.INFO, "", 0, message, None, None))
    finally:
        handler.close()


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str


class Checkpoints:
    """The checkpoints of one workspace's audit log."""

    def __init__(self, workspace: Path, path: Path, syslog: str | tuple[str, int] | None) -> None:
        self.workspace = str(workspace.resolve())
        self.path = path
        self.syslog = syslog
        # This workspace's checkpoints whose mark another key made (`read` fills it).
        self.foreign: list[Checkpoint] = []

    @classmethod
    def configured(cls, workspace: Path) -> Checkpoints:
        return cls(workspace, checkpoints_path(), syslog_address())

    def _mac(self, key: bytes, seq: int, entry_hash: str, at: str) -> str:
        message = f"{self.workspace}\n{seq}\n{entry_hash}\n{at}".encode()
        return hmac.new(key, message, hashlib.sha256).hexdigest()

    def export(self, seq: int, entry_hash: str, at: str, key: bytes) -> None:
        record = {
            "workspace": self.workspace,
            "seq": seq,
            "hash": entry_hash,
            "at": at,
            "mac": self._mac(key, seq, entry_hash, at),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
            f.flush()
            os.fsync(f.fileno())
        if self.syslog is not None:
            _send_to_syslog(
                self.syslog, f"checkpoint workspace={self.workspace} seq={seq} hash={entry_hash}"
            )

    def read(self, key: bytes) -> tuple[list[Checkpoint], list[Checkpoint]]:
        """This workspace's checkpoints that carry a valid mark, by entry number (the first
        export of each), and the later exports of a number with another hash: a log replaced
        after its checkpoints went out, which no crash explains."""
        if not self.path.exists():
            return [], []
        first: dict[int, Checkpoint] = {}
        conflicts: list[Checkpoint] = []
        foreign: list[Checkpoint] = []
        with self.path.open(encoding="utf-8") as f:
            for line in f:
                try:
                    record = json.loads(line)
                    if record.get("workspace") != self.workspace:
                        continue
                    seq, entry_hash, at = int(record["seq"]), str(record["hash"]), str(record["at"])
                except (json.JSONDecodeError, KeyError, TypeError, ValueError):
                    continue
                if not hmac.compare_digest(
                    self._mac(key, seq, entry_hash, at), str(record.get("mac"))
                ):
                    foreign.append(Checkpoint(seq, entry_hash, at))
                    continue
                if seq not in first:
                    first[seq] = Checkpoint(seq, entry_hash, at)
                elif first[seq].hash != entry_hash:
                    conflicts.append(Checkpoint(seq, entry_hash, at))
        self.foreign = foreign
        return [first[seq] for seq in sorted(first)], conflicts

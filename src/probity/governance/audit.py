"""The audit log: append-only JSON lines, each entry chained to the one before by a SHA-256
hash, so an edit, deletion, insertion, reordering or truncation shows when verified.

The head (last hash and count) is also written beside the log, so cutting entries off the
end is caught too.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from probity.governance.actors import CLAIM_ENV, os_user

GENESIS = "0" * 64


def actor_name() -> str:
    """The name a single-user workspace records: $PROBITY_ACTOR as a label, else the OS
    account. A workspace with users checks the claim (`governance/actors.py`)."""
    return os.environ.get(CLAIM_ENV) or os_user()


def _digest(prev: str, body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev + canonical).encode()).hexdigest()


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries: int
    first_broken: int | None = None
    problem: str | None = None


class AuditLog:
    def __init__(self, workspace: Path) -> None:
        self.dir = workspace / "audit"
        self.path = self.dir / "log.jsonl"
        self.head = self.dir / "head.json"

    def append(
        self,
        action: str,
        *,
        actor: str | None = None,
        subject: str | None = None,
        purpose: str | None = None,
        reason: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        self.dir.mkdir(parents=True, exist_ok=True)
        with open(self.dir / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            seq, prev = self._tail()
            body = {
                "seq": seq + 1,
                "at": datetime.now(UTC).isoformat(timespec="seconds"),
                "actor": actor or actor_name(),
                # The OS account that wrote the entry, whatever name it acted as.
                "os_user": os_user(),
                "action": action,
                "subject": subject,
                "purpose": purpose,
                "reason": reason,
                "details": details or {},
                "prev": prev,
            }
            entry = {**body, "hash": _digest(prev, body)}
            with self.path.open("a", encoding="utf-8") as f:
                f.write(json.dumps(entry, ensure_ascii=False) + "\n")
                f.flush()
                os.fsync(f.fileno())
            tmp = self.head.with_suffix(".tmp")
            tmp.write_text(json.dumps({"seq": entry["seq"], "hash": entry["hash"]}))
            os.replace(tmp, self.head)
        return entry

    def _tail(self) -> tuple[int, str]:
        if not self.head.exists():
            return 0, GENESIS
        head = json.loads(self.head.read_text())
        return int(head["seq"]), str(head["hash"])

    def entries(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    def verify(self) -> Verification:
        prev = GENESIS
        count = 0
        if self.path.exists():
            with self.path.open(encoding="utf-8") as f:
                for number, line in enumerate(f, start=1):
                    try:
                        entry = json.loads(line)
                    except json.JSONDecodeError:
                        return Verification(False, count, number, "entry is not valid JSON")
                    body = {k: v for k, v in entry.items() if k != "hash"}
                    if entry.get("seq") != number:
                        return Verification(False, count, number, "sequence number out of order")
                    if entry.get("prev") != prev:
                        return Verification(
                            False, count, number, "does not follow the entry before it"
                        )
                    if _digest(prev, body) != entry.get("hash"):
                        return Verification(False, count, number, "content does not match its hash")
                    prev = entry["hash"]
                    count = number
        seq, head_hash = self._tail()
        if (seq, head_hash) != (count, prev):
            return Verification(
                False, count, count + 1, f"log ends at entry {count} but its head records {seq}"
            )
        return Verification(True, count)


def matching(
    entries: list[dict[str, Any]],
    *,
    actor: str | None = None,
    subject: str | None = None,
    since: str | None = None,
    action: str | None = None,
) -> list[dict[str, Any]]:
    """Entries by `actor`, about `subject` (the HR id, or the pseudonym shown at the time), at
    or after `since` (an ISO date or time, UTC if no zone is given), of kind `action`."""
    start = None
    if since:
        try:
            start = datetime.fromisoformat(since)
        except ValueError as error:
            raise ValueError(f"--since {since!r} is not an ISO 8601 date or time") from error
        if start.tzinfo is None:
            start = start.replace(tzinfo=UTC)
    out: list[dict[str, Any]] = []
    for entry in entries:
        if actor and entry.get("actor") != actor:
            continue
        if action and entry.get("action") != action:
            continue
        pseudonym = entry.get("details", {}).get("pseudonym")
        if subject and subject not in (entry.get("subject"), pseudonym):
            continue
        if start and datetime.fromisoformat(entry["at"]) < start:
            continue
        out.append(entry)
    return out

"""The audit log: append-only JSON lines, each entry chained to the one before by an HMAC
(SHA-256) under a key kept outside the workspace, so an edit, deletion, insertion or
reordering shows when verified, and whoever holds only the workspace cannot re-chain it.

After every entry a signed checkpoint (workspace, entry number, its hash) goes to sinks the
workspace's owner should not control (`governance/checkpoints.py`): a file on another path
and the system log. Verification compares the log with the checkpoints, so cutting entries
off the end, deleting the log, or re-chaining it with the key are caught too, naming the
first entry missing or changed.

The log itself is the source of truth for the next entry number (there is no separate head
to fall out of step with it). A crash mid-write leaves a torn last line; the next append cuts
it off and records a `repair` entry with what was cut.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from probity.governance.actors import CLAIM_ENV, os_user
from probity.governance.checkpoints import Checkpoints, audit_key, key_path
from probity.governance.pseudonyms import pseudonym

GENESIS = "0" * 64
# Entries written with the keyed hash carry this version; earlier ones were plain SHA-256,
# which verification accepts only before the first keyed entry.
KEYED = 2
TAIL_BYTES = 1 << 16


def actor_name() -> str:
    """The name a single-user workspace records: $PROBITY_ACTOR as a label, else the OS
    account. A workspace with users checks the claim (`governance/actors.py`)."""
    return os.environ.get(CLAIM_ENV) or os_user()


def _line_start(f: BinaryIO, end: int) -> int:
    """Where the line holding byte `end - 1` starts: just after the last newline before `end`
    (0 if there is none), looked for backwards a chunk at a time."""
    while end > 0:
        start = max(0, end - TAIL_BYTES)
        f.seek(start)
        cut = f.read(end - start).rfind(b"\n")
        if cut >= 0:
            return start + cut + 1
        end = start
    return 0


def _canonical(prev: str, body: dict[str, Any]) -> bytes:
    return (
        prev + json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    ).encode()


def _digest(prev: str, body: dict[str, Any], key: bytes) -> str:
    if body.get("v") == KEYED:
        return hmac.new(key, _canonical(prev, body), hashlib.sha256).hexdigest()
    return hashlib.sha256(_canonical(prev, body)).hexdigest()


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries: int
    first_broken: int | None = None
    problem: str | None = None
    # The last exported checkpoint the log was compared with: (entry number, when), if any.
    checkpoint: tuple[int, str] | None = None


class AuditLog:
    def __init__(self, workspace: Path) -> None:
        self.workspace = workspace
        self.dir = workspace / "audit"
        self.path = self.dir / "log.jsonl"
        self.checkpoints = Checkpoints.configured(workspace)

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
        key = audit_key()
        with open(self.dir / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            torn = self._cut_torn_tail()
            if torn is not None:
                self._write(
                    key,
                    "repair",
                    actor=os_user(),
                    details={
                        "torn_bytes": len(torn),
                        "torn_sha256": hashlib.sha256(torn).hexdigest(),
                        "why": "the last entry was cut off mid-write (a crash) and removed",
                    },
                )
            return self._write(
                key,
                action,
                actor=actor or actor_name(),
                subject=subject,
                purpose=purpose,
                reason=reason,
                details=details or {},
            )

    def _write(self, key: bytes, action: str, **fields: Any) -> dict[str, Any]:
        seq, prev = self._tail()
        at = datetime.now(UTC).isoformat(timespec="seconds")
        body: dict[str, Any] = {
            "v": KEYED,
            "seq": seq + 1,
            "at": at,
            "actor": fields.get("actor"),
            # The OS account that wrote the entry, whatever name it acted as.
            "os_user": os_user(),
            "action": action,
            "subject": fields.get("subject"),
            "purpose": fields.get("purpose"),
            "reason": fields.get("reason"),
            "details": fields.get("details") or {},
            "prev": prev,
        }
        digest = _digest(prev, body, key)
        entry = {**body, "hash": digest}
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())
        self.checkpoints.export(seq + 1, digest, at, key)
        return entry

    def _cut_torn_tail(self) -> bytes | None:
        """The bytes after the last complete line, cut off the log; None if there are none."""
        if not self.path.exists():
            return None
        size = self.path.stat().st_size
        with self.path.open("rb+") as f:
            f.seek(size - 1 if size else 0)
            if size == 0 or f.read(1) == b"\n":
                return None
            keep = _line_start(f, size)
            f.seek(keep)
            torn = f.read()
            f.truncate(keep)
            f.flush()
            os.fsync(f.fileno())
        return torn

    def _tail(self) -> tuple[int, str]:
        """The last entry's number and hash, read from the log itself (which ends with a
        complete line: `append` cuts a torn one first)."""
        if not self.path.exists() or self.path.stat().st_size == 0:
            return 0, GENESIS
        size = self.path.stat().st_size
        with self.path.open("rb") as f:
            f.seek(_line_start(f, size - 1))
            last = json.loads(f.read())
        return int(last["seq"]), str(last["hash"])

    def entries(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    def verify(self) -> Verification:
        """The chain checked entry by entry, then against the exported checkpoints."""
        if not key_path().exists():
            return Verification(
                False, 0, 1, f"the audit key is missing from {key_path()}: restore it"
            )
        key = audit_key()
        hashes: list[str] = []
        broken, keyed = self._check_chain(key, hashes)
        count = len(hashes)
        checkpoints, conflicts = self.checkpoints.read(key)
        last = (checkpoints[-1].seq, checkpoints[-1].at) if checkpoints else None
        if self.checkpoints.foreign:
            first = min(c.seq for c in self.checkpoints.foreign)
            return Verification(
                False,
                count,
                first,
                f"{len(self.checkpoints.foreign)} checkpoints of this log were made with "
                "another audit key: the key was replaced",
                last,
            )
        if not checkpoints and keyed:
            return Verification(
                False,
                count,
                1,
                f"no checkpoint of this log in {self.checkpoints.path}: whether entries were "
                "cut off cannot be told (was the checkpoint file moved, or the workspace?)",
            )
        if conflicts:
            again = min(conflicts, key=lambda c: c.seq)
            return Verification(
                False,
                count,
                again.seq,
                f"entry {again.seq} was exported again at {again.at} with another content than "
                "at first: the log was replaced after its checkpoints went out",
                last,
            )
        for cp in checkpoints:
            if broken is not None and cp.seq >= broken[0]:
                break
            if cp.seq > count:
                return Verification(
                    False,
                    count,
                    count + 1,
                    f"entries {count + 1} to {checkpoints[-1].seq} are missing: the "
                    f"checkpoint exported at {checkpoints[-1].at} recorded "
                    f"{checkpoints[-1].seq} entries",
                    last,
                )
            if hashes[cp.seq - 1] != cp.hash:
                return Verification(
                    False,
                    count,
                    cp.seq,
                    f"entry {cp.seq} is not the one exported as a checkpoint at {cp.at}: "
                    "the log was rewritten from here",
                    last,
                )
        if broken is not None:
            return Verification(False, count, broken[0], broken[1], last)
        return Verification(True, count, checkpoint=last)

    def _check_chain(self, key: bytes, hashes: list[str]) -> tuple[tuple[int, str] | None, bool]:
        """(entry number, problem) of the first entry that breaks the chain, or None, and
        whether keyed entries were read; the hash of each sound entry is added to `hashes`."""
        if not self.path.exists():
            return None, False
        prev, keyed = GENESIS, False
        with self.path.open("rb") as f:
            for number, raw in enumerate(f, start=1):
                if not raw.endswith(b"\n"):
                    torn = "the last entry was cut off mid-write (a crash); the next entry "
                    return (number, torn + "written records the repair"), keyed
                try:
                    entry = json.loads(raw)
                except json.JSONDecodeError:
                    return (number, "entry is not valid JSON"), keyed
                body = {k: v for k, v in entry.items() if k != "hash"}
                if entry.get("seq") != number:
                    return (number, "sequence number out of order"), keyed
                if entry.get("prev") != prev:
                    return (number, "does not follow the entry before it"), keyed
                if keyed and body.get("v") != KEYED:
                    return (number, "an unkeyed entry after keyed ones"), keyed
                keyed = keyed or body.get("v") == KEYED
                if not hmac.compare_digest(_digest(prev, body, key), str(entry.get("hash"))):
                    return (number, "content does not match its hash"), keyed
                prev = entry["hash"]
                hashes.append(prev)
        return None, keyed


def matching(
    entries: list[dict[str, Any]],
    *,
    actor: str | None = None,
    subject: str | None = None,
    since: str | None = None,
    action: str | None = None,
    key: bytes | None = None,
) -> list[dict[str, Any]]:
    """Entries by `actor`, about `subject` (the HR id, or the pseudonym: the one recorded at
    the time, or, with the workspace's pseudonym `key`, the one the entry's person has), at or
    after `since` (an ISO date or time, UTC if no zone is given), of kind `action`."""
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
        if subject and subject not in _names_of(entry, key):
            continue
        if start and datetime.fromisoformat(entry["at"]) < start:
            continue
        out.append(entry)
    return out


def pseudonymous(entries: list[dict[str, Any]], key: bytes) -> list[dict[str, Any]]:
    """Entries as the explorer and `probity audit log` show them: each person by pseudonym.
    The log keeps the HR id, so `matching` finds a person by either."""
    return [{**e, "subject": shown_as(key, e.get("subject"))} for e in entries]


def shown_as(key: bytes, person: str | None) -> str | None:
    """A person named in the log (HR id or pseudonym) as pages and exports name them."""
    if not person or person.startswith("P-"):
        return person
    return pseudonym(key, person)


def _names_of(entry: dict[str, Any], key: bytes | None) -> set[str]:
    """What an entry's person may be searched by: HR id, and pseudonyms."""
    person = entry.get("subject")
    names = {str(person), str((entry.get("details") or {}).get("pseudonym"))}
    if person and key is not None:
        names.add(pseudonym(key, str(person)))
    return names

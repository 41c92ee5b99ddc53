"""The audit log catches tampering in every form: edit, delete, insert, reorder, truncate, and
an insider re-chaining or deleting it; a crash mid-write is repaired, never hidden."""

from __future__ import annotations

import hashlib
import json
import socket
from pathlib import Path

import pytest

from probity.governance.audit import GENESIS, AuditLog, _canonical, _digest
from probity.governance.checkpoints import SYSLOG_ENV, audit_key, checkpoints_path, key_path


def log_with_five(tmp_path: Path) -> AuditLog:
    log = AuditLog(tmp_path)
    for i in range(5):
        log.append(
            "reveal",
            actor="analyst1",
            subject=f"E{i}",
            reason=f"case {i}",
            purpose="professional_standards",
        )
    assert log.verify().ok
    return log


def rewrite(log: AuditLog, lines: list[str]) -> None:
    log.path.write_text("".join(lines))


def test_an_untouched_log_verifies(tmp_path: Path) -> None:
    result = log_with_five(tmp_path).verify()
    assert (result.ok, result.entries) == (True, 5)


def test_edited_entry_is_named(tmp_path: Path) -> None:
    log = log_with_five(tmp_path)
    lines = log.path.read_text().splitlines(keepends=True)
    entry = json.loads(lines[2])
    entry["reason"] = "nothing to see"
    lines[2] = json.dumps(entry) + "\n"
    rewrite(log, lines)
    result = log.verify()
    assert (result.ok, result.first_broken) == (False, 3)


def test_deleted_entry_is_named(tmp_path: Path) -> None:
    log = log_with_five(tmp_path)
    lines = log.path.read_text().splitlines(keepends=True)
    rewrite(log, lines[:1] + lines[2:])
    assert log.verify().first_broken == 2


def test_inserted_entry_is_named(tmp_path: Path) -> None:
    log = log_with_five(tmp_path)
    lines = log.path.read_text().splitlines(keepends=True)
    forged = json.loads(lines[1])
    forged["subject"] = "E99"
    rewrite(log, [*lines[:2], json.dumps(forged) + "\n", *lines[2:]])
    assert log.verify().first_broken == 3


def test_reordered_entries_are_named(tmp_path: Path) -> None:
    log = log_with_five(tmp_path)
    lines = log.path.read_text().splitlines(keepends=True)
    lines[1], lines[2] = lines[2], lines[1]
    rewrite(log, lines)
    assert log.verify().first_broken == 2


def test_truncated_log_is_caught(tmp_path: Path) -> None:
    log = log_with_five(tmp_path)
    lines = log.path.read_text().splitlines(keepends=True)
    rewrite(log, lines[:3])
    result = log.verify()
    assert (result.ok, result.first_broken) == (False, 4)


@pytest.mark.parametrize("count", [1, 3])
def test_appending_after_verification_keeps_the_chain(tmp_path: Path, count: int) -> None:
    log = log_with_five(tmp_path)
    for _ in range(count):
        log.append("view_person", actor="a", subject="E1")
    assert log.verify().entries == 5 + count


# An insider with the workspace (and perhaps the key) tries to hide what they did.


def rechain(log: AuditLog, entries: list[dict[str, object]], key: bytes | None) -> None:
    """Write `entries` back as a whole chain: with the audit key, as someone who has it would;
    without, by plain SHA-256, as someone who only has the workspace could."""
    prev = GENESIS
    lines = []
    for seq, entry in enumerate(entries, start=1):
        if (entry["seq"], entry["prev"]) == (seq, prev):  # before the first deletion: untouched
            lines.append(json.dumps(entry) + "\n")
            prev = str(entry["hash"])
            continue
        body = {k: v for k, v in entry.items() if k != "hash"}
        body.update(seq=seq, prev=prev)
        if key is None:
            body.pop("v", None)
            digest = hashlib.sha256(_canonical(prev, body)).hexdigest()
        else:
            digest = _digest(prev, body, key)
        lines.append(json.dumps({**body, "hash": digest}) + "\n")
        prev = digest
    rewrite(log, lines)


def test_entries_cut_off_the_end_are_named_from_the_exported_checkpoint(tmp_path: Path) -> None:
    log = AuditLog(tmp_path)
    for i in range(25):
        log.append("view_person", actor="analyst1", subject=f"E{i}")
    lines = log.path.read_text().splitlines(keepends=True)
    rewrite(log, lines[:5])
    result = log.verify()
    assert (result.ok, result.first_broken) == (False, 6)
    assert "entries 6 to 25 are missing" in str(result.problem)


def test_a_log_deleted_whole_is_caught(tmp_path: Path) -> None:
    log = log_with_five(tmp_path)
    log.path.unlink()
    result = log.verify()
    assert (result.ok, result.first_broken) == (False, 1)
    # Starting a fresh log does not hide it: entry 1 is exported again, with other content.
    log.append("view_person", actor="analyst1", subject="E1")
    result = log.verify()
    assert (result.ok, result.first_broken) == (False, 1)
    assert "exported again" in str(result.problem)


@pytest.mark.parametrize("with_key", [False, True], ids=["workspace only", "with the key"])
def test_reveals_deleted_and_the_chain_rebuilt_is_caught(tmp_path: Path, with_key: bool) -> None:
    log = log_with_five(tmp_path)
    log.append("view_person", actor="analyst1", subject="E1")
    kept = [e for e in log.entries() if e["subject"] not in ("E2", "E3")]
    rechain(log, kept, audit_key() if with_key else None)
    result = log.verify()
    assert (result.ok, result.first_broken) == (False, 3)


def test_the_audit_key_and_checkpoints_are_outside_the_workspace(tmp_path: Path) -> None:
    log_with_five(tmp_path)
    assert tmp_path not in key_path().parents and tmp_path not in checkpoints_path().parents
    written = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert audit_key().hex().encode() not in written


def test_a_crash_mid_write_is_repaired_by_the_next_entry_and_numbers_never_repeat(
    tmp_path: Path,
) -> None:
    log = log_with_five(tmp_path)
    with log.path.open("a") as f:
        f.write('{"v": 2, "seq": 6, "at": "2026-')  # the process died here
    broken = log.verify()
    assert (broken.ok, broken.first_broken) == (False, 6) and "cut off" in str(broken.problem)
    log.append("view_person", actor="analyst1", subject="E9")
    entries = log.entries()
    assert [e["seq"] for e in entries] == [1, 2, 3, 4, 5, 6, 7]
    assert entries[5]["action"] == "repair" and entries[5]["details"]["torn_bytes"] == 31
    assert log.verify().ok


def test_checkpoints_reach_the_system_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    address = str(tmp_path / "syslog.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind(address)
        server.settimeout(5)
        monkeypatch.setenv(SYSLOG_ENV, address)
        entry = AuditLog(tmp_path / "ws").append("view_person", actor="analyst1", subject="E1")
        message = server.recv(4096).decode()
    assert "probity-audit" in message and f"seq=1 hash={entry['hash']}" in message


def test_a_torn_line_longer_than_the_tail_read_cuts_only_itself(tmp_path: Path) -> None:
    log = log_with_five(tmp_path)
    with log.path.open("a") as f:
        f.write('{"v": 2, "seq": 6, "details": "' + "x" * 100_000)
    log.append("view_person", actor="analyst1", subject="E9")
    assert [e["seq"] for e in log.entries()] == [1, 2, 3, 4, 5, 6, 7]
    assert log.verify().ok


def test_a_replaced_audit_key_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = log_with_five(tmp_path)
    monkeypatch.setenv("PROBITY_AUDIT_KEY_FILE", str(tmp_path / "elsewhere" / "new.key"))
    assert not log.verify().ok  # the key is missing
    kept = [e for e in log.entries() if e["subject"] != "E2"]
    audit_key()  # an insider makes a new key and re-chains with it
    rechain(log, kept, audit_key())
    result = log.verify()
    assert not result.ok and "another audit key" in str(result.problem)

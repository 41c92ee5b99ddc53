"""The audit log catches tampering in every form: edit, delete, insert, reorder, truncate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from probity.governance.audit import AuditLog


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

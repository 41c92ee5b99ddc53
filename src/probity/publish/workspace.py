"""The workspace folder: runs side by side, a pointer to the current one, the audit log.

    WS/runs/<run_id>/warehouse.duckdb   canonical tables, views, signals, queue
    WS/runs/<run_id>/report.json        the run report (also for failed runs)
    WS/CURRENT                          the id of the published run
    WS/audit/                           the hash-chained audit log
    WS/pseudonym.key                    the key pseudonyms are made with

A run is published by replacing CURRENT in one rename, and only after every stage
succeeded, so a failed or killed run leaves the last good run current.

The workspace holds names, addresses, victims and the pseudonym key, so it is its owner's
alone: a process that opens one creates everything private (umask 077: folders 0700, files
0600), and a workspace another account could read is refused until it is made private again.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

DEFAULT_WORKSPACE = Path("probity-workspace")
PRIVATE_UMASK = 0o077
# How deep the start-up check looks: the workspace, its files and folders, and theirs.
CHECKED_DEPTH = 2


class WorkspaceError(Exception):
    pass


def keep_private() -> None:
    """Everything this process creates from now on is its owner's alone."""
    os.umask(PRIVATE_UMASK)


def check_private(root: Path) -> None:
    """Refuse a workspace that other accounts can read or enter."""
    for path in _near(root, CHECKED_DEPTH):
        # The workspace itself may be reached through a link; inside it, links are checked
        # as they are.
        mode = path.stat().st_mode if path == root else path.lstat().st_mode
        if path != root and path.is_symlink():
            continue
        if mode & 0o077:
            raise WorkspaceError(
                f"{path} is open to other accounts (mode {mode & 0o777:o}), and the workspace "
                f"holds personal data: make it private (chmod -R go= {root}) and find out who "
                "may have copied it, as the audit log does not see file reads"
            )


def _near(root: Path, depth: int) -> Iterator[Path]:
    if not root.exists():
        return
    yield root
    if depth and root.is_dir() and not root.is_symlink():
        for child in sorted(root.iterdir()):
            yield from _near(child, depth - 1)


class Workspace:
    def __init__(self, root: Path) -> None:
        keep_private()
        self.root = root
        self.runs = root / "runs"

    def new_run_id(self) -> str:
        return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(2)

    def run_dir(self, run_id: str) -> Path:
        return self.runs / run_id

    def current_run(self) -> str | None:
        pointer = self.root / "CURRENT"
        if not pointer.exists():
            return None
        return pointer.read_text().strip() or None

    def require_current(self) -> str:
        run = self.current_run()
        if run is None:
            raise WorkspaceError(
                f"no published run in {self.root}; run `probity run SOURCE_DIR --workspace {self.root}` first"
            )
        return run

    def warehouse(self, run_id: str) -> Path:
        return self.run_dir(run_id) / "warehouse.duckdb"

    def publish(self, run_id: str) -> None:
        tmp = self.root / f"CURRENT.{run_id}.tmp"
        tmp.write_text(run_id + "\n")
        with tmp.open("rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, self.root / "CURRENT")

    def write_report(self, run_id: str, report: dict[str, Any]) -> None:
        path = self.run_dir(run_id) / "report.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(report, indent=2, default=str))
        os.replace(tmp, path)

    def read_report(self, run_id: str) -> dict[str, Any]:
        path = self.run_dir(run_id) / "report.json"
        if not path.exists():
            raise WorkspaceError(f"run {run_id} has no report in {self.root}")
        data: dict[str, Any] = json.loads(path.read_text())
        return data

    def mark_abandoned(self) -> list[str]:
        """Runs still marked running when the run lock is free died mid-way (killed, power
        lost); say so in their reports. Call only while holding `exclusive()`."""
        found = []
        for d in self.runs.iterdir() if self.runs.exists() else []:
            report = d / "report.json"
            if report.exists():
                data = json.loads(report.read_text())
                if data.get("status") == "running":
                    data["status"] = "abandoned"
                    data["error"] = (
                        "the run stopped before finishing (killed or crashed); it was never published"
                    )
                    self.write_report(d.name, data)
                    found.append(d.name)
        return found

    def prune(self, keep: int) -> list[str]:
        """Remove all but the newest `keep` good runs (never the current one) and failed runs'
        warehouses; reports of failed runs are kept."""
        current = self.current_run()
        removed = []
        good = []
        for d in sorted(self.runs.iterdir() if self.runs.exists() else [], reverse=True):
            report = d / "report.json"
            status = json.loads(report.read_text()).get("status") if report.exists() else None
            if status == "succeeded":
                good.append(d)
            elif d.name != current and status is not None:
                for f in d.glob("warehouse.duckdb*"):
                    if f.is_dir():
                        shutil.rmtree(f, ignore_errors=True)
                    else:
                        f.unlink()
        for d in good[keep:]:
            if d.name != current:
                shutil.rmtree(d)
                removed.append(d.name)
        return removed

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """One run at a time per workspace."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".run.lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise WorkspaceError(f"another run is in progress in {self.root}") from None
            yield

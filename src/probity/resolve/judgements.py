"""Clerical judgements on uncertain links: a person confirms or rejects a pair, and that stands
across runs and over the model.

Kept in the workspace (not in a run) as append-only JSON lines; the latest word on a pair
wins. Each judgement is also an audit event.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import pyarrow as pa

from probity.governance.audit import AuditLog

Decision = Literal["confirm", "reject"]
FILE = "link_judgements.jsonl"


@dataclass(frozen=True)
class Judgement:
    task: str
    record_id: str
    person_key: str
    decision: Decision
    actor: str
    at: str
    reason: str | None = None


class JudgementStore:
    def __init__(self, workspace: Path) -> None:
        self.workspace = workspace
        self.path = workspace / FILE

    def record(
        self,
        task: str,
        record_id: str,
        person_key: str,
        decision: Decision,
        actor: str,
        reason: str | None = None,
    ) -> Judgement:
        if decision not in ("confirm", "reject"):
            raise ValueError(f"a judgement is confirm or reject, not {decision!r}")
        judgement = Judgement(
            task,
            record_id,
            person_key,
            decision,
            actor,
            datetime.now(UTC).isoformat(timespec="seconds"),
            reason,
        )
        AuditLog(self.workspace).append(
            "link_judgement",
            actor=actor,
            subject=person_key,
            reason=reason,
            details={"task": task, "record_id": record_id, "decision": decision},
        )
        self.workspace.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(judgement.__dict__) + "\n")
            f.flush()
            os.fsync(f.fileno())
        return judgement

    def latest(self) -> list[Judgement]:
        """The last judgement on each (task, record, person)."""
        if not self.path.exists():
            return []
        last: dict[tuple[str, str, str], Judgement] = {}
        with self.path.open(encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    j = Judgement(**json.loads(line))
                    last[(j.task, j.record_id, j.person_key)] = j
        return list(last.values())

    def as_table(self) -> pa.Table:
        return self.to_table(self.latest())

    @classmethod
    def empty_table(cls) -> pa.Table:
        return cls.to_table([])

    @staticmethod
    def to_table(rows: list[Judgement]) -> pa.Table:
        return pa.table(
            {
                "task": pa.array([j.task for j in rows], pa.string()),
                "record_id": pa.array([j.record_id for j in rows], pa.string()),
                "person_key": pa.array([j.person_key for j in rows], pa.string()),
                "decision": pa.array([j.decision for j in rows], pa.string()),
            }
        )

"""Review decisions: after looking at a queue entry, a person records what is to happen and why.

Kept in the workspace (across runs) as JSON lines; each decision is also an audit event. The
system never decides: these are the people's decisions, and retention removes no-further-action
ones after the period the policy sets.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, get_args

from probity.governance.audit import AuditLog

Outcome = Literal[
    "no_further_action", "management_advice", "refer_professional_standards", "refer_welfare"
]
OUTCOMES: tuple[str, ...] = get_args(Outcome)
FILE = "decisions.jsonl"


@dataclass(frozen=True)
class Decision:
    person_key: str
    purpose: str
    outcome: str
    reason: str
    actor: str
    at: str
    run_id: str | None = None


class DecisionStore:
    def __init__(self, workspace: Path) -> None:
        self.workspace = workspace
        self.path = workspace / FILE

    def record(
        self,
        person_key: str,
        purpose: str,
        outcome: str,
        reason: str,
        actor: str,
        run_id: str | None = None,
    ) -> Decision:
        if outcome not in OUTCOMES:
            raise ValueError(f"a decision is one of {', '.join(OUTCOMES)}, not {outcome!r}")
        if not reason.strip():
            raise ValueError("a decision needs a reason")
        decision = Decision(
            person_key,
            purpose,
            outcome,
            reason.strip(),
            actor,
            datetime.now(UTC).isoformat(timespec="seconds"),
            run_id,
        )
        AuditLog(self.workspace).append(
            "decision",
            actor=actor,
            subject=person_key,
            purpose=purpose,
            reason=decision.reason,
            details={"outcome": outcome, "run_id": run_id},
        )
        self.workspace.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(asdict(decision)) + "\n")
            f.flush()
            os.fsync(f.fileno())
        return decision

    def all(self) -> list[Decision]:
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as f:
            return [Decision(**json.loads(line)) for line in f if line.strip()]

    def keep_only(self, keep: list[Decision]) -> None:
        """Rewrite the store with `keep` (retention); replaced atomically."""
        tmp = self.path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as f:
            for d in keep:
                f.write(json.dumps(asdict(d)) + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)

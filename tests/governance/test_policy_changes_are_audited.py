"""A change of policy between runs is a configuration event in the audit log; the same policy
again is not."""

from __future__ import annotations

from pathlib import Path

from probity.governance.audit import AuditLog
from probity.pipeline import run_pipeline
from probity.policy import Policy


def test_policy_changes_are_audited(small_force: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    run_pipeline(small_force, ws, actor="admin")
    run_pipeline(small_force, ws, actor="admin")
    stricter = Policy.model_validate(
        {"detectors": {"relatives_lookup": {"thresholds": {"min_lookups": 5}}}}
    )
    run_pipeline(small_force, ws, policy=stricter, actor="admin")
    events = [e for e in AuditLog(ws).entries() if e["action"] == "configure"]
    assert len(events) == 2
    first, changed = (e["details"] for e in events)
    assert first["previous"] is None
    assert changed["previous"] == first["sha256"] and changed["sha256"] != first["sha256"]
    runs = [e for e in AuditLog(ws).entries() if e["action"] == "run"]
    assert [r["details"]["policy_sha256"] for r in runs] == [first["sha256"]] * 2 + [
        changed["sha256"]
    ]

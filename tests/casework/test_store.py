"""The case store keeps decisions, claims and notes on SQLite and PostgreSQL alike: the schema
comes from the migrations, claims exclude one another, and every change is audited."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect

from probity.casework.store import CaseConflict, CaseStore, Reviewed
from probity.governance.audit import AuditLog

PS, WELFARE = "professional_standards", "welfare"


def test_migrations_build_the_schema(tmp_path: Path, database: str | None) -> None:
    store = CaseStore(tmp_path, database)
    tables = set(inspect(store.engine).get_table_names())
    assert {"decisions", "reviewed_signals", "claims", "notes", "alembic_version"} <= tables
    # Opening again finds the schema current and changes nothing.
    assert CaseStore(tmp_path, database).all() == []


def test_a_decision_keeps_what_was_reviewed(tmp_path: Path, database: str | None) -> None:
    store = CaseStore(tmp_path, database)
    seen = (
        Reviewed("lookups_while_absent", datetime(2025, 3, 1, 9, 30), 4),
        Reviewed("early_warning_model", None, 0),
    )
    made = store.record(
        "p1", PS, "management_advice", " words with the sergeant ", "inv", "r1", seen
    )
    store.record("p2", WELFARE, "wellbeing_conversation", "long hours", "wo")
    kept = store.all()
    assert [(d.person_key, d.outcome, d.reason) for d in kept] == [
        ("p1", "management_advice", "words with the sergeant"),
        ("p2", "wellbeing_conversation", "long hours"),
    ]
    assert kept[0] == made
    assert kept[0].reviewed == tuple(sorted(seen, key=lambda r: r.detector))
    assert store.all("p2")[0].reviewed == ()
    table = store.reviewed_table().to_pylist()
    assert sorted((r["person_key"], r["detector"]) for r in table) == [
        ("p1", "early_warning_model"),
        ("p1", "lookups_while_absent"),
        ("p2", None),
    ]
    event = AuditLog(tmp_path).entries()[0]
    assert (event["action"], event["subject"], event["details"]["reviewed"]) == (
        "decision",
        "p1",
        ["early_warning_model", "lookups_while_absent"],
    )


@pytest.mark.parametrize(
    "purpose,outcome,reason",
    [
        (PS, "dismissed", "a reason given in full"),
        (PS, "no_further_action", "  "),
        (PS, "no_further_action", "ok, fine"),  # a word or two is not a reason
        (PS, "occupational_health_referral", "a reason given in full"),  # a welfare outcome
        (WELFARE, "management_advice", "a reason given in full"),  # a conduct outcome
    ],
)
def test_a_decision_needs_an_outcome_of_its_purpose_and_a_reason(
    tmp_path: Path, database: str | None, purpose: str, outcome: str, reason: str
) -> None:
    store = CaseStore(tmp_path, database)
    with pytest.raises(ValueError):
        store.record("p1", purpose, outcome, reason, "inv")
    assert store.all() == [] and AuditLog(tmp_path).entries() == []


def test_claims_exclude_other_reviewers(tmp_path: Path, database: str | None) -> None:
    store = CaseStore(tmp_path, database)
    store.claim("p1", PS, "alice")
    store.claim("p1", PS, "alice")  # taking your own claim again is harmless
    with pytest.raises(CaseConflict, match="alice"):
        store.claim("p1", PS, "bob")
    with pytest.raises(CaseConflict):
        store.release("p1", PS, "bob")
    store.claim("p1", WELFARE, "carol")  # the other purpose's entry is separate
    assert {k: c.actor for k, c in store.claims().items()} == {
        ("p1", PS): "alice",
        ("p1", WELFARE): "carol",
    }
    store.release("p1", PS, "alice")
    assert store.claim("p1", PS, "bob").actor == "bob"
    # Deciding ends the claim.
    store.record("p1", PS, "no_further_action", "explained by duties", "bob")
    assert set(store.claims()) == {("p1", WELFARE)}
    actions = [e["action"] for e in AuditLog(tmp_path).entries()]
    assert actions == ["claim", "claim", "claim", "release", "claim", "decision"]


def test_notes_stay_within_their_purpose(tmp_path: Path, database: str | None) -> None:
    store = CaseStore(tmp_path, database)
    store.add_note("p1", PS, "alice", "checked the duty log")
    store.add_note("p1", WELFARE, "carol", "occupational health contacted")
    store.add_note("p2", PS, "alice", "someone else")
    with pytest.raises(ValueError):
        store.add_note("p1", PS, "alice", " ")
    assert [n.text for n in store.notes("p1", [PS])] == ["checked the duty log"]
    assert [n.actor for n in store.notes("p1", [PS, WELFARE])] == ["alice", "carol"]
    # The audit log says a note was written, not what it says.
    notes = [e for e in AuditLog(tmp_path).entries() if e["action"] == "note"]
    assert len(notes) == 3 and "checked" not in json.dumps(notes)


def test_decisions_kept_as_json_lines_move_into_the_store(tmp_path: Path) -> None:
    legacy = tmp_path / "decisions.jsonl"
    legacy.write_text(
        json.dumps(
            {
                "person_key": "p9",
                "purpose": PS,
                "outcome": "no_further_action",
                "reason": "explained",
                "actor": "inv",
                "at": "2025-01-02T03:04:05+00:00",
                "run_id": "r0",
            }
        )
        + "\n"
    )
    (only,) = CaseStore(tmp_path).all()
    assert (only.person_key, only.at, only.run_id) == ("p9", "2025-01-02T03:04:05+00:00", "r0")
    assert not legacy.exists()
    assert len(CaseStore(tmp_path).all()) == 1  # imported once

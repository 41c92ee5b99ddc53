"""The case store: review decisions (with the signals each one reviewed), claims and notes.

SQLAlchemy over SQLite in the workspace (`casework.sqlite`) by default; a multi-user deployment
points `PROBITY_DATABASE_URL` at PostgreSQL (`postgresql+psycopg://user@host/db`). Opening a
store brings its schema up to date with the Alembic migrations beside this module. Every change
is also an audit event. The system never decides: these are people's decisions, kept across runs.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, get_args

import pyarrow as pa
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, delete, event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from probity.casework.tables import ClaimRow, DecisionRow, NoteRow, ReviewedSignalRow
from probity.governance.audit import AuditLog

Outcome = Literal[
    "no_further_action",
    "management_advice",
    "refer_professional_standards",
    "refer_welfare",
    "wellbeing_conversation",
    "occupational_health_referral",
]
OUTCOMES: tuple[str, ...] = get_args(Outcome)
# What a review for each purpose may conclude: a welfare review offers support, and a
# professional-standards one does not prescribe it.
OUTCOMES_FOR: dict[str, tuple[Outcome, ...]] = {
    "professional_standards": (
        "no_further_action",
        "management_advice",
        "refer_professional_standards",
        "refer_welfare",
    ),
    "welfare": (
        "no_further_action",
        "wellbeing_conversation",
        "occupational_health_referral",
        "refer_professional_standards",
    ),
}
# A decision's reason says why, for whoever reads the case next: "ok" does not.
MIN_REASON = 10
# Outcomes that say a reviewer found something to act on: the early-warning model counts them
# as outcomes beside substantiated conduct cases (see `model/features.py`).
CONCERN_FOUND = ("management_advice", "refer_professional_standards")
DATABASE_ENV = "PROBITY_DATABASE_URL"
SQLITE_FILE = "casework.sqlite"
LEGACY_DECISIONS = "decisions.jsonl"
MIGRATIONS = Path(__file__).parent / "migrations"


class CaseConflict(Exception):
    """Someone else holds the claim."""


@dataclass(frozen=True)
class Reviewed:
    """A signal as the reviewer saw it."""

    detector: str
    period_end: datetime | None
    evidence_rows: int


@dataclass(frozen=True)
class Decision:
    person_key: str
    purpose: str
    outcome: str
    reason: str
    actor: str
    at: str
    run_id: str | None = None
    id: int | None = None
    reviewed: tuple[Reviewed, ...] = field(default=())


@dataclass(frozen=True)
class Claim:
    person_key: str
    purpose: str
    actor: str
    at: str


@dataclass(frozen=True)
class Note:
    person_key: str
    purpose: str
    actor: str
    at: str
    text: str


def database_url(workspace: Path) -> str:
    return os.environ.get(DATABASE_ENV) or f"sqlite:///{workspace.resolve() / SQLITE_FILE}"


_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def _engine(url: str) -> Engine:
    """One engine per database in this process, migrated once when first opened."""
    with _engines_lock:
        cached = _engines.get(url)
        if cached is not None and cached.dialect.name == "sqlite":
            database = cached.url.database
            if database and not Path(database).exists():  # the workspace was removed
                cached.dispose()
                del _engines[url]
        if url not in _engines:
            engine = create_engine(url)
            if engine.dialect.name == "sqlite":
                # SQLite enforces foreign keys only when asked, per connection.
                event.listen(engine, "connect", _sqlite_foreign_keys)
            _upgrade(engine)
            _engines[url] = engine
        return _engines[url]


def _sqlite_foreign_keys(connection, _record) -> None:  # type: ignore[no-untyped-def]
    connection.execute("PRAGMA foreign_keys=ON")


def _upgrade(engine: Engine) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _iso(at: datetime) -> str:
    """ISO 8601 in UTC; SQLite hands datetimes back without their zone, and they were UTC."""
    aware = at if at.tzinfo else at.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="seconds")


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class CaseStore:
    def __init__(self, workspace: Path, url: str | None = None) -> None:
        self.workspace = workspace
        self.audit = AuditLog(workspace)
        if url is None and not os.environ.get(DATABASE_ENV):
            workspace.mkdir(parents=True, exist_ok=True)
        self.engine = _engine(url or database_url(workspace))
        self._import_legacy_decisions()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with Session(self.engine) as session, session.begin():
            yield session

    # Decisions

    def record(
        self,
        person_key: str,
        purpose: str,
        outcome: str,
        reason: str,
        actor: str,
        run_id: str | None = None,
        reviewed: Iterable[Reviewed] = (),
    ) -> Decision:
        allowed = OUTCOMES_FOR.get(purpose, OUTCOMES)
        if outcome not in allowed:
            raise ValueError(
                f"a {purpose.replace('_', ' ')} decision is one of {', '.join(allowed)}, "
                f"not {outcome!r}"
            )
        if len(reason.strip()) < MIN_REASON:
            raise ValueError(f"a decision needs a reason of at least {MIN_REASON} characters")
        reviewed = tuple(sorted(reviewed, key=lambda r: r.detector))
        at = _now()
        self.audit.append(
            "decision",
            actor=actor,
            subject=person_key,
            purpose=purpose,
            reason=reason.strip(),
            details={
                "outcome": outcome,
                "run_id": run_id,
                "reviewed": [r.detector for r in reviewed],
            },
        )
        with self._session() as s:
            row = DecisionRow(
                person_key=person_key,
                purpose=purpose,
                outcome=outcome,
                reason=reason.strip(),
                actor=actor,
                decided_at=at,
                run_id=run_id,
            )
            s.add(row)
            s.flush()
            for r in reviewed:
                s.add(
                    ReviewedSignalRow(
                        decision_id=row.id,
                        detector=r.detector,
                        period_end=r.period_end,
                        evidence_rows=r.evidence_rows,
                    )
                )
            # A decision closes the entry: the claim on it ends.
            s.execute(
                delete(ClaimRow).where(
                    ClaimRow.person_key == person_key, ClaimRow.purpose == purpose
                )
            )
            decision_id = row.id
        return Decision(
            person_key,
            purpose,
            outcome,
            reason.strip(),
            actor,
            _iso(at),
            run_id,
            decision_id,
            reviewed,
        )

    def all(self, person_key: str | None = None) -> list[Decision]:
        """Decisions in the order they were made (of one person, if given)."""
        with self._session() as s:
            query = select(DecisionRow).order_by(DecisionRow.id)
            if person_key is not None:
                query = query.where(DecisionRow.person_key == person_key)
            decisions = list(s.scalars(query))
            reviewed: dict[int, list[Reviewed]] = {}
            ids = [d.id for d in decisions]
            for r in s.scalars(
                select(ReviewedSignalRow)
                .where(ReviewedSignalRow.decision_id.in_(ids))
                .order_by(ReviewedSignalRow.detector)
            ):
                reviewed.setdefault(r.decision_id, []).append(
                    Reviewed(r.detector, r.period_end, r.evidence_rows)
                )
            return [
                Decision(
                    d.person_key,
                    d.purpose,
                    d.outcome,
                    d.reason,
                    d.actor,
                    _iso(d.decided_at),
                    d.run_id,
                    d.id,
                    tuple(reviewed.get(d.id, ())),
                )
                for d in decisions
            ]

    def remove(self, decisions: Iterable[Decision]) -> int:
        """Delete decisions (retention); returns how many went."""
        ids = [d.id for d in decisions if d.id is not None]
        if not ids:
            return 0
        with self._session() as s:
            s.execute(delete(ReviewedSignalRow).where(ReviewedSignalRow.decision_id.in_(ids)))
            s.execute(delete(DecisionRow).where(DecisionRow.id.in_(ids)))
        return len(ids)

    def reviewed_table(self) -> pa.Table:
        """What the pipeline needs of past decisions: each reviewed signal with its decision."""
        rows: list[dict[str, object]] = []
        for d in self.all():
            base = {
                "decision_id": d.id,
                "person_key": d.person_key,
                "purpose": d.purpose,
                "outcome": d.outcome,
                "decided_at": datetime.fromisoformat(d.at).replace(tzinfo=None),
            }
            if not d.reviewed:
                rows.append({**base, "detector": None, "period_end": None, "evidence_rows": None})
            for r in d.reviewed:
                rows.append(
                    {
                        **base,
                        "detector": r.detector,
                        "period_end": r.period_end,
                        "evidence_rows": r.evidence_rows,
                    }
                )
        schema = pa.schema(
            [
                ("decision_id", pa.int64()),
                ("person_key", pa.string()),
                ("purpose", pa.string()),
                ("outcome", pa.string()),
                ("decided_at", pa.timestamp("us")),
                ("detector", pa.string()),
                ("period_end", pa.timestamp("us")),
                ("evidence_rows", pa.int64()),
            ]
        )
        return pa.Table.from_pylist(rows, schema=schema)

    # Claims

    def claims(self) -> dict[tuple[str, str], Claim]:
        with self._session() as s:
            return {
                (c.person_key, c.purpose): Claim(
                    c.person_key, c.purpose, c.actor, _iso(c.claimed_at)
                )
                for c in s.scalars(select(ClaimRow))
            }

    def claim(self, person_key: str, purpose: str, actor: str) -> Claim:
        """Take a queue entry; refused while someone else holds it."""
        try:
            with self._session() as s:
                held = s.get(ClaimRow, (person_key, purpose), with_for_update=True)
                if held is not None and held.actor != actor:
                    raise CaseConflict(f"{held.actor} is already working on this entry")
                if held is None:
                    now = _now()
                    s.add(
                        ClaimRow(
                            person_key=person_key, purpose=purpose, actor=actor, claimed_at=now
                        )
                    )
        except IntegrityError:  # someone claimed it between our look and our write
            raise CaseConflict("someone else has just claimed this entry") from None
        self.audit.append("claim", actor=actor, subject=person_key, purpose=purpose)
        return self.claims()[(person_key, purpose)]

    def release(self, person_key: str, purpose: str, actor: str) -> None:
        with self._session() as s:
            held = s.get(ClaimRow, (person_key, purpose), with_for_update=True)
            if held is None:
                return
            if held.actor != actor:
                raise CaseConflict(f"only {held.actor} can release this entry")
            s.delete(held)
        self.audit.append("release", actor=actor, subject=person_key, purpose=purpose)

    # Notes

    def add_note(self, person_key: str, purpose: str, actor: str, text: str) -> Note:
        if not text.strip():
            raise ValueError("a note needs some text")
        at = _now()
        with self._session() as s:
            s.add(
                NoteRow(
                    person_key=person_key,
                    purpose=purpose,
                    actor=actor,
                    written_at=at,
                    text=text.strip(),
                )
            )
        # The note's words stay in the case store; the audit log records that one was written.
        self.audit.append("note", actor=actor, subject=person_key, purpose=purpose)
        return Note(person_key, purpose, actor, _iso(at), text.strip())

    def notes(self, person_key: str, purposes: Iterable[str]) -> list[Note]:
        with self._session() as s:
            return [
                Note(n.person_key, n.purpose, n.actor, _iso(n.written_at), n.text)
                for n in s.scalars(
                    select(NoteRow)
                    .where(NoteRow.person_key == person_key, NoteRow.purpose.in_(list(purposes)))
                    .order_by(NoteRow.id)
                )
            ]

    def _import_legacy_decisions(self) -> None:
        """Decisions kept as JSON lines by earlier versions move into the store once (they were
        audited when made, so the import is not audited again)."""
        legacy = self.workspace / LEGACY_DECISIONS
        if not legacy.exists():
            return
        with legacy.open(encoding="utf-8") as f:
            old = [json.loads(line) for line in f if line.strip()]
        with self._session() as s:
            for d in old:
                s.add(
                    DecisionRow(
                        person_key=d["person_key"],
                        purpose=d["purpose"],
                        outcome=d["outcome"],
                        reason=d["reason"],
                        actor=d["actor"],
                        decided_at=datetime.fromisoformat(d["at"]),
                        run_id=d.get("run_id"),
                    )
                )
        legacy.rename(legacy.with_suffix(".jsonl.imported"))

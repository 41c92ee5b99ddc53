"""The case store's tables (SQLAlchemy). Alembic migrations in `migrations/` create and change
them; a new column here needs a new migration there."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class DecisionRow(Base):
    """A reviewer's decision on a queue entry: what is to happen and why."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_key: Mapped[str] = mapped_column(String(64), index=True)
    purpose: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    run_id: Mapped[str | None] = mapped_column(String(64), nullable=True)


class ReviewedSignalRow(Base):
    """One signal the reviewer had in front of them when deciding: its detector and the end of
    its evidence. The same evidence is not put in the queue again; later evidence is."""

    __tablename__ = "reviewed_signals"
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("decisions.id", ondelete="CASCADE"), primary_key=True
    )
    detector: Mapped[str] = mapped_column(String(80), primary_key=True)
    period_end: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    evidence_rows: Mapped[int] = mapped_column(Integer)


class ClaimRow(Base):
    """Who is working on a queue entry now, so two reviewers do not take the same one."""

    __tablename__ = "claims"
    person_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(32), primary_key=True)
    actor: Mapped[str] = mapped_column(String(200))
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class NoteRow(Base):
    """A reviewer's working note on a person, seen by others of the same purpose."""

    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_key: Mapped[str] = mapped_column(String(64), index=True)
    purpose: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(200))
    written_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    text: Mapped[str] = mapped_column(Text)

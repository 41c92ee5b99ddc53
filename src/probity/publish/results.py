"""Reading a published run: the queue, a person's signals and evidence, the report.

The CLI and the web app both read through here, and every reveal of an identity goes
through `reveal`, which writes the audit event first.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from probity.contract import outputs
from probity.contract.outputs import PURPOSES
from probity.governance.audit import AuditLog
from probity.governance.pseudonyms import signal_reference, workspace_key
from probity.publish import casefile
from probity.publish.workspace import Workspace, WorkspaceError
from probity.warehouse.engine import DuckDBEngine

QUEUE_COLUMNS = tuple(c.name for c in outputs.QUEUE_COLUMNS)


class RevealRefused(Exception):
    pass


@dataclass
class PublishedRun:
    workspace: Workspace
    run_id: str
    # Keep one connection for every read until `close` (a web request's pages read several
    # times; opening the warehouse costs more than most of them). Otherwise each read opens
    # and closes its own, so nothing holds the file between commands.
    hold: bool = False
    _held: DuckDBEngine | None = field(default=None, repr=False)

    @classmethod
    def open(cls, root: Path, run_id: str | None = None, hold: bool = False) -> PublishedRun:
        ws = Workspace(root)
        run = run_id or ws.require_current()
        if not ws.warehouse(run).exists():
            raise WorkspaceError(f"run {run} has no warehouse in {root}")
        return cls(ws, run, hold)

    @contextmanager
    def _engine(self) -> Iterator[DuckDBEngine]:
        if self.hold:
            if self._held is None:
                self._held = DuckDBEngine(self.workspace.warehouse(self.run_id), read_only=True)
                # A page's reads are small: one thread each leaves the cores to the other
                # requests rather than splitting every small query across them.
                self._held.execute("SET threads = 1")
            yield self._held
            return
        engine = DuckDBEngine(self.workspace.warehouse(self.run_id), read_only=True)
        try:
            yield engine
        finally:
            engine.close()

    def close(self) -> None:
        if self._held is not None:
            self._held.close()
            self._held = None

    def _query(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        with self._engine() as engine:
            return rows(engine, sql, params)

    def queue(
        self,
        purpose: str | None = None,
        limit: int | None = None,
        *,
        concern: str | None = None,
        unit: str | None = None,
        min_priority: float | None = None,
    ) -> list[dict[str, Any]]:
        """The queue, highest priority first, optionally narrowed to one purpose, concern,
        unit or a priority floor; each entry also carries the person's unit."""
        if purpose is not None and purpose not in PURPOSES:
            raise ValueError(f"unknown purpose {purpose!r}; one of {', '.join(PURPOSES)}")
        filters: list[tuple[str, Any]] = [
            ("q.purpose = ?", purpose),
            ("list_contains(string_split(q.concerns, ';'), ?)", concern),
            ("d.unit_code = ?", unit),
            ("q.priority >= ?", min_priority),
        ]
        used = [(sql, value) for sql, value in filters if value is not None]
        where = ("WHERE " + " AND ".join(sql for sql, _ in used)) if used else ""
        sql = f"""SELECT q.rank, q.subject, q.purpose, q.priority, q.concerns, q.signals, q.reason,
                         q.person_key, d.unit_code
                  FROM queue q LEFT JOIN person_dim d USING (person_key) {where}
                  ORDER BY q.priority DESC, q.purpose, q.rank"""
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return self._query(sql, [value for _, value in used])

    def queue_choices(self, purposes: Sequence[str]) -> dict[str, list[str]]:
        """The concerns and units found in the queue of `purposes`: what a filter can offer."""
        if not purposes:
            return {"concerns": [], "units": []}
        marks = ", ".join("?" for _ in purposes)
        found = self._query(
            f"""SELECT DISTINCT unnest(string_split(q.concerns, ';')) AS concern, d.unit_code
                FROM queue q LEFT JOIN person_dim d USING (person_key)
                WHERE q.purpose IN ({marks})""",
            list(purposes),
        )
        return {
            "concerns": sorted({r["concern"] for r in found}),
            "units": sorted({r["unit_code"] for r in found if r["unit_code"]}),
        }

    def person(self, subject: str) -> dict[str, Any] | None:
        """A person's page: who they are at work, their signals with evidence, their queue entries
        (one connection for all of it)."""
        with self._engine() as engine:
            found = rows(
                engine,
                """SELECT s.pseudonym AS subject, s.person_key, d.staff_type, d.rank, d.role, d.unit_code,
                          d.unit_kind, g.peer_group, g.peer_group_size
                   FROM pseudonyms s JOIN person_dim d USING (person_key) JOIN peer_groups g USING (person_key)
                   WHERE s.pseudonym = ?""",
                [subject],
            )
            if not found:
                return None
            person = found[0]
            whom = [person["person_key"]]
            person["signals"] = rows(
                engine,
                """SELECT signal_id, detector, concern, purpose, strength, reason, period_start, period_end,
                          evidence_rows
                   FROM signals WHERE person_key = ? ORDER BY strength DESC, detector""",
                whom,
            )
            evidence = rows(
                engine,
                """SELECT e.signal_id, e.source_table, e.source_file, e.source_row, e.occurred_at, e.detail
                   FROM evidence e JOIN signals s USING (signal_id) WHERE s.person_key = ?
                   ORDER BY e.occurred_at, e.source_row""",
                whom,
            )
            key = workspace_key(self.workspace.root)
            for signal in person["signals"]:
                signal["evidence"] = [
                    {k: v for k, v in e.items() if k != "signal_id"}
                    for e in evidence
                    if e["signal_id"] == signal["signal_id"]
                ]
                signal["signal_id"] = signal_reference(key, signal["signal_id"])
            person["queue"] = rows(
                engine,
                "SELECT purpose, rank, priority, concerns, reason FROM queue WHERE person_key = ?",
                whom,
            )
        return person

    def casefile(self, person_key: str, purposes: frozenset[str], health: bool) -> dict[str, Any]:
        """The person page's timeline, monthly activity, peer comparison and link graph."""
        with self._engine() as engine:
            return {
                "timeline": casefile.timeline(engine, person_key, purposes, health),
                "activity": casefile.activity(engine, person_key, purposes),
                "peers": casefile.peer_comparison(engine, person_key, purposes),
                "graph": casefile.link_graph(engine, person_key),
            }

    def unit(self, unit_code: str, purposes: frozenset[str]) -> dict[str, Any] | None:
        with self._engine() as engine:
            return casefile.unit(engine, unit_code, purposes)

    def links(self, task: str, min_probability: float = 0.0) -> list[dict[str, Any]]:
        return self._query(
            """SELECT l.task, l.record_id, s.pseudonym AS subject, l.probability, l.method, l.person_key
               FROM links l LEFT JOIN pseudonyms s USING (person_key)
               WHERE l.task = ? AND l.probability >= ? ORDER BY l.record_id, l.probability DESC""",
            [task, min_probability],
        )

    def link_candidates(self, task: str | None = None) -> list[dict[str, Any]]:
        """The clerical review list: uncertain pairs, best first within each record."""
        where = "WHERE c.task = ?" if task else ""
        return self._query(
            f"""SELECT c.task, c.record_id, c.person_key, c.probability, c.relationship,
                       c.record_description, c.person_description
                FROM link_candidates c {where}
                ORDER BY c.task, c.record_id, c.probability DESC, c.person_key""",
            [task] if task else [],
        )

    def report(self) -> dict[str, Any]:
        return self.workspace.read_report(self.run_id)


def rows(engine: DuckDBEngine, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = engine.fetch_arrow(sql, params).to_pylist()
    return result


def reveal(
    audit: AuditLog,
    actor: str | None,
    person_key: str,
    subject: str,
    reason: str | None,
    channel: str,
    purpose: str | None = None,
) -> str:
    """The HR person id behind a pseudonym, after writing who asked, for whom and why."""
    if not reason or not reason.strip():
        raise RevealRefused("revealing an identity needs a reason")
    audit.append(
        "reveal",
        actor=actor,
        subject=person_key,
        purpose=purpose,
        reason=reason.strip(),
        details={"pseudonym": subject, "channel": channel},
    )
    return person_key

"""Which source tables a run can take from the last good run, and which it must read again.

A table is kept as it was when its file is unchanged, and only its new records are read when
the file grew at the end. Either needs the table's checks to give the same answers for the
records already loaded: every table it references must have been present last time too and
still hold every key it held then, and last time no record of it may have been quarantined
for a dangling reference (a key added since could now satisfy it). Anything else is read
again in full, so an incremental run loads exactly what a full run would.
"""

from __future__ import annotations

import hashlib
import inspect
import shutil
from collections.abc import Collection, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from probity.contract import TABLES, Reference
from probity.ingest import fingerprint as fp
from probity.ingest.sources import Source
from probity.ingest.validate import DANGLING, lit, parent_keys
from probity.warehouse.engine import Engine


def ingest_signature() -> str:
    """Changes when the contract, the code that validates and loads rows, or the DuckDB
    release that casts and parses their values changes: a run made by other rules cannot be
    reused."""
    import duckdb

    from probity.ingest import load, validate

    text = repr(TABLES) + inspect.getsource(load) + inspect.getsource(validate)
    return hashlib.sha256((text + duckdb.__version__).encode()).hexdigest()


@dataclass(frozen=True)
class PreviousIngest:
    """What the last good run read: its fingerprints (with `records`), per-table counts, and
    the tables it quarantined records of for a dangling reference."""

    run_id: str
    inputs: dict[str, dict[str, Any]]
    tables: dict[str, dict[str, Any]]
    dangling: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class TablePlan:
    # `tail_changed`: loaded as `appended`, but some of the records read again were loaded
    # last time with other values (or are now quarantined). The table is exactly what a full
    # load gives; what is carried over by day cannot rely on the days of its new records.
    mode: Literal["full", "unchanged", "appended", "tail_changed"]
    kept: int = 0  # leading records taken from the last run (appended)
    fingerprint: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        if self.mode == "appended":
            return f"appended after record {self.kept:,}"
        if self.mode == "tail_changed":
            return (
                f"appended after record {self.kept:,}; records read again differ from those "
                "loaded last time"
            )
        return {"full": "read in full", "unchanged": "unchanged"}[self.mode]


class Fingerprints:
    """Each source file's fingerprint, taken in load order in a background thread, so that
    reading the files overlaps other work: copying the last run's warehouse, loading the
    tables before. A CSV file's is taken with the old file's size as the prefix to compare."""

    def __init__(self, sources: Iterable[Source], previous: PreviousIngest | None) -> None:
        old = previous.inputs if previous else {}
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fingerprint")
        self._taken: dict[str, Future[dict[str, Any]]] = {
            s.spec.name: self._pool.submit(
                fp.fingerprint, s.path, int(old.get(s.spec.name, {}).get("size", 0))
            )
            for s in sources
        }
        self._pool.shutdown(wait=False)  # the thread ends when the last is taken

    def of(self, source: Source) -> dict[str, Any]:
        """The fingerprint of `source` (waiting for it); an error reading the file is raised
        here."""
        taken = self._taken.get(source.spec.name)
        if taken is None:
            raise KeyError(f"no fingerprint was taken of {source.path}")
        return taken.result()

    def cancel(self) -> None:
        """Take no more (a run that failed need not read the rest of its files)."""
        self._pool.shutdown(wait=False, cancel_futures=True)


class Planner:
    """Plans each table in load order, just before it is loaded, so that a table's plan can
    look at what happened to the tables it references."""

    def __init__(
        self,
        engine: Engine,
        previous: PreviousIngest | None,
        fingerprints: Fingerprints | None = None,
    ) -> None:
        self.engine = engine
        self.previous = previous
        self.fingerprints = fingerprints
        self.plans: dict[str, TablePlan] = {}

    def plan(self, source: Source) -> TablePlan:
        name = source.spec.name
        plan = self._plan(source)
        self.plans[name] = plan
        if self.previous and name in self.previous.inputs and not self._keeps_all(name):
            self._remember_keys(name)
        return plan

    def _keeps_all(self, table: str) -> bool:
        """Whether the table's earlier records all stay as they were (so do its keys)."""
        assert self.previous is not None
        plan = self.plans[table]
        records = int(self.previous.inputs[table]["records"])
        return plan.mode == "unchanged" or (plan.mode == "appended" and plan.kept == records)

    def _plan(self, source: Source) -> TablePlan:
        name = source.spec.name
        previous = self.previous
        old = previous.inputs.get(name) if previous else None
        if self.fingerprints is not None:
            new = dict(self.fingerprints.of(source))
        else:
            new = fp.fingerprint(source.path, prefix=int(old.get("size", 0)) if old else 0)
        kept = fp.records_kept(old, new) if old else None
        new.pop("prefix_sha256", None)  # compared once, not kept
        if previous is None or old is None or name in previous.dangling:
            return TablePlan("full", fingerprint=new)
        for ref in source.spec.references:
            if ref.table not in self.plans:
                # Not loaded before this table, so not checked now. If it was last time, the
                # records it failed were quarantined as dangling, which reads this one in full.
                continue
            if ref.table not in previous.inputs:
                return TablePlan("full", fingerprint=new)  # checked now, never before
            if not self._kept_every_key(ref):
                return TablePlan("full", fingerprint=new)
        if fp.unchanged(old, new):
            return TablePlan("unchanged", kept=int(old["records"]), fingerprint=new)
        if not kept:  # changed from the first record (or row group) on
            return TablePlan("full", fingerprint=new)
        return TablePlan("appended", kept=kept, fingerprint=new)

    def _kept_every_key(self, ref: Reference) -> bool:
        """Whether every key `ref` could point at last time is still there."""
        if self._keeps_all(ref.table):
            return True  # new records only add keys
        before = _keys_table(ref)
        if not self.engine.table_exists(before):
            return False
        lost = self.engine.fetch(
            f'SELECT count(*) FROM (FROM "{before}" EXCEPT SELECT * FROM ({parent_keys(ref)}))'
        )
        return int(lost[0][0]) == 0

    def _remember_keys(self, table: str) -> None:
        """Before a table is read again in full, keep the keys others may reference in it."""
        for spec in TABLES:
            for ref in spec.references:
                if ref.table == table and not self.engine.table_exists(_keys_table(ref)):
                    self.engine.execute(f'CREATE TABLE "{_keys_table(ref)}" AS {parent_keys(ref)}')

    def forget(self) -> None:
        for spec in TABLES:
            for ref in spec.references:
                self.engine.execute(f'DROP TABLE IF EXISTS "{_keys_table(ref)}"')


def _keys_table(ref: Reference) -> str:
    return f"_keys_before_{ref.table}_{ref.target}" + ("_person" if ref.person else "")


def previous_ingest(report: dict[str, Any]) -> PreviousIngest | None:
    """The reusable part of a good run's report, or None when it was made by other rules.
    Which tables it quarantined dangling references of is read from its warehouse (`resume`)."""
    if report.get("status") != "succeeded" or report.get("ingest_signature") != ingest_signature():
        return None
    inputs = report.get("inputs") or {}
    if not all("records" in f for f in inputs.values()):
        return None
    return PreviousIngest(str(report["run_id"]), inputs, report.get("tables") or {})


def resume(
    engine: Engine, previous: PreviousIngest, also_keep: Collection[str] = ()
) -> PreviousIngest:
    """Prepare a copy of the last good run's warehouse for this run: drop everything but the
    source tables, the quarantine and `also_keep` (what a later stage may take over), so
    every later stage builds its tables afresh as in a full run, and note which tables had
    records quarantined for a dangling reference."""
    keep = {t.name for t in TABLES} | {"quarantine"} | set(also_keep)
    for name, kind in engine.fetch(
        "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main'"
    ):
        if name not in keep:
            what = "VIEW" if kind == "VIEW" else "TABLE"
            engine.execute(f'DROP {what} IF EXISTS "{name}"')
    dangling = engine.fetch(
        f"SELECT DISTINCT table_name FROM quarantine WHERE contains(reasons, {lit(DANGLING)})"
    )
    return replace(previous, dangling=frozenset(str(r[0]) for r in dangling))


def copy_warehouse(source: Path, target: Path) -> None:
    """Copy a run's database file (and its write-ahead log, if a change was never
    checkpointed) for a new run to build on; the source run is never changed."""
    shutil.copyfile(source, target)
    wal = source.with_name(source.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, target.with_name(target.name + ".wal"))

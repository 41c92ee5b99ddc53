"""Which linkage tasks a daily run can take from the last good run instead of running again.

Splink trains and predicts with fixed seeds, so a task given the same tables, the same code,
the same thresholds and the same clerical judgements links exactly as it did last time. A task
is taken over only then: every table it reads was unchanged at ingest (the same file, kept as
loaded), or only grew by records on days the task does not read that table on
(`LinkageTask.read_by_day`), and its signature (code, settings, judgements, engine, library
releases) is the one the last run recorded. Its links and review candidates are copied from the
last run's warehouse; anything else runs again.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import splink

from probity.policy import LinkagePolicy
from probity.resolve.linkage import TaskOutcome
from probity.resolve.tasks import LinkageTask
from probity.warehouse.engine import Engine

# The last run's results, kept in the copied warehouse until resolve has taken what it can.
PREVIOUS = {"links": "previous_links", "link_candidates": "previous_link_candidates"}
# All of identity resolution's code, Spark's side included: any change to it runs every task.
_CODE = "".join(p.read_text() for p in sorted(Path(__file__).parent.glob("*.py")))


@dataclass(frozen=True)
class LastRun:
    """What the last good run resolved, for a run that started from a copy of its warehouse."""

    run_id: str
    identities: dict[str, Any]  # its report's `identities`
    unchanged: frozenset[str]  # tables this run's ingest kept exactly as that run loaded them
    # tables that only grew since (their records read again unchanged): table -> how many
    # records it had in that run; those after them are new
    grew: Mapping[str, int] = field(default_factory=dict)


def task_signature(
    task: LinkageTask, policy: LinkagePolicy, judged: pa.Table, engine_name: str
) -> str:
    """Changes with anything besides the tables that could change what the task links."""
    mine = [row for row in judged.to_pylist() if row.get("task") == task.name]
    text = json.dumps(
        {
            "task": repr(task),
            "code": _CODE,
            "thresholds": [*policy.thresholds(task.name), policy.ambiguity_margin],
            "judgements": sorted(json.dumps(r, sort_keys=True, default=str) for r in mine),
            "engine": engine_name,
            "releases": [splink.__version__, duckdb.__version__],
        },
        sort_keys=True,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def reusable(engine: Engine, task: LinkageTask, signature: str, last: LastRun | None) -> bool:
    if last is None or not all(engine.table_exists(t) for t in PREVIOUS.values()):
        return False
    before = last.identities.get(task.name, {})
    return (
        before.get("signature") == signature
        and before.get("status") in ("ran", "reused")
        and all(
            table in last.unchanged or _grew_off_its_days(engine, task, table, last)
            for table in task.reads
        )
    )


def _grew_off_its_days(engine: Engine, task: LinkageTask, table: str, last: LastRun) -> bool:
    """`table` only grew, and none of its new records falls on a day the task reads it on."""
    days, had = task.read_by_day.get(table), last.grew.get(table)
    if not days or had is None or task.read_on is None:
        return False
    on_a_read_day = task.on_a_read_day(table)
    found = engine.fetch(
        f'SELECT count(*) FROM "{table}" WHERE _source_row > {had} AND ({on_a_read_day})'
    )
    return int(found[0][0]) == 0


def take_previous(engine: Engine, task: LinkageTask, last: LastRun) -> TaskOutcome:
    """The task's links and review candidates as the last run left them."""
    started = time.perf_counter()
    for table, previous in PREVIOUS.items():
        engine.execute(f"INSERT INTO {table} SELECT * FROM {previous} WHERE task = ?", [task.name])
    before = last.identities[task.name]
    return TaskOutcome(
        task.name,
        "reused",
        trained=before.get("trained", "none"),
        splink_backend=before.get("splink_backend"),
        seconds=time.perf_counter() - started,
        weighed=before.get("weighed"),
        parameters=before.get("parameters"),
        reason=f"inputs unchanged, or grown on no day it reads: links taken from run {last.run_id}",
    )


def keep_previous(engine: Engine) -> None:
    """In a copy of the last run's warehouse: set its links aside for this run's resolve."""
    for table, previous in PREVIOUS.items():
        engine.execute(f"DROP TABLE IF EXISTS {previous}")
        if engine.table_exists(table):
            engine.execute(f"ALTER TABLE {table} RENAME TO {previous}")


def drop_previous(engine: Engine) -> None:
    for previous in PREVIOUS.values():
        engine.execute(f"DROP TABLE IF EXISTS {previous}")

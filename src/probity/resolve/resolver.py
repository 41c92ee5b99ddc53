"""The resolve stage: deterministic rules, then a Splink model per task, then the clerical
judgements people have made, and counts per task for the run report. A daily run takes a
task's links from the last run when nothing the task depends on changed (`reuse`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow as pa

from probity.policy import LinkagePolicy
from probity.resolve.judgements import JudgementStore
from probity.resolve.linkage import CANDIDATES_DDL, OnSpark, TaskOutcome, run_task
from probity.resolve.reuse import LastRun, reusable, take_previous, task_signature
from probity.resolve.rules import LINKS_DDL, RULES, person_refs
from probity.resolve.tasks import LinkageTask, all_tasks
from probity.warehouse.engine import Engine

# What each task tries to link, for the "unlinked" count.
UNIVERSE = {
    "system_account": "system_accounts",
    "complaint_subject": "complaints",
    "company_officer": "company_officers",
    "record_subject_relative": "record_subjects",
    "record_subject_person": "record_subjects",
}


def resolve(
    engine: Engine,
    policy: LinkagePolicy | None = None,
    judgements: pa.Table | None = None,
    absent_tables: frozenset[str] | set[str] = frozenset(),
    progress: Callable[[str], None] = lambda _: None,
    on_spark: OnSpark | None = None,
    last: LastRun | None = None,
) -> dict[str, Any]:
    """Every linkage task; with `on_spark`, Splink runs on Spark rather than in `engine`.
    With `last`, tasks whose inputs and signature are as then keep that run's links."""
    policy = policy or LinkagePolicy()
    if judgements is None:
        judgements = JudgementStore.empty_table()
    signatures = {
        t.name: task_signature(t, policy, judgements, "spark" if on_spark else engine.name)
        for t in all_tasks()
    }
    reused = {t.name for t in all_tasks() if reusable(engine, t, signatures[t.name], last)}
    person_refs(engine)
    engine.execute(LINKS_DDL)
    engine.execute("DROP TABLE IF EXISTS link_candidates")
    engine.execute(CANDIDATES_DDL)
    engine.register("link_judgements", judgements)
    for task_name, rule in RULES:
        if task_name not in reused:
            rule(engine)
    report: dict[str, Any] = {}
    for task in all_tasks():
        progress(task.name)
        missing = [t for t in task.inputs if t in absent_tables]
        if task.name in reused and last is not None:
            outcome = take_previous(engine, task, last)
        elif missing:
            outcome = TaskOutcome(
                task.name, "skipped", reason=f"input not provided: {', '.join(missing)}"
            )
        else:
            match, review = policy.thresholds(task.name)
            outcome = run_task(
                engine,
                task,
                match,
                review,
                policy.ambiguity_margin,
                judged=judgements.num_rows > 0,
                on_spark=on_spark,
            )
        report[task.name] = {**_counts(engine, task, outcome), "signature": signatures[task.name]}
    # The last run's links are kept until detection ends, which compares them with these.
    return report


def _counts(engine: Engine, task: LinkageTask, outcome: TaskOutcome) -> dict[str, Any]:
    outcome.linked = int(
        engine.fetch("SELECT count(DISTINCT record_id) FROM links WHERE task = ?", [task.name])[0][
            0
        ]
    )
    outcome.uncertain = int(
        engine.fetch(
            """SELECT count(DISTINCT record_id) FROM link_candidates c WHERE task = ?
               AND NOT EXISTS (SELECT 1 FROM links l WHERE l.task = c.task AND l.record_id = c.record_id)""",
            [task.name],
        )[0][0]
    )
    total = int(engine.fetch(f"SELECT count(*) FROM {UNIVERSE[task.name]}")[0][0])
    outcome.unlinked = max(0, total - outcome.linked - outcome.uncertain)
    methods = dict(
        engine.fetch(
            "SELECT method, count(*) FROM links WHERE task = ? GROUP BY 1 ORDER BY 1", [task.name]
        )
    )
    return {**outcome.report(), "methods": {str(k): int(v) for k, v in methods.items()}}

"""Taking a linkage task's links from the last run: only when nothing it depends on changed."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from probity.policy import LinkagePolicy
from probity.publish.results import PublishedRun
from probity.resolve.judgements import JudgementStore
from probity.resolve.linkage import CANDIDATES_DDL, run_task
from probity.resolve.reuse import task_signature
from probity.resolve.rules import LINKS_DDL, RULES, person_refs
from probity.resolve.tasks import all_tasks
from probity.warehouse.engine import DuckDBEngine

TASKS = {t.name: t for t in all_tasks()}


@pytest.mark.parametrize("name", sorted(TASKS))
def test_a_task_reads_no_table_beyond_those_it_declares(small_run: Path, name: str) -> None:
    """With only its declared tables present, a task links exactly as in the full run."""
    task = TASKS[name]
    run = PublishedRun.open(small_run)
    engine = DuckDBEngine()
    engine.execute(f"ATTACH '{run.workspace.warehouse(run.run_id)}' AS src (READ_ONLY)")
    for table in task.reads:
        engine.execute(f'CREATE TABLE "{table}" AS SELECT * FROM src."{table}"')
    person_refs(engine)
    engine.execute(LINKS_DDL)
    engine.execute(CANDIDATES_DDL)
    engine.register("link_judgements", JudgementStore.empty_table())
    for task_name, rule in RULES:
        if task_name == name:
            rule(engine)
    policy = LinkagePolicy()
    match, review = policy.thresholds(name)
    # judged: the tables the clerical-judgement steps read are checked too (none are made)
    run_task(engine, task, match, review, policy.ambiguity_margin, judged=True)
    mine = (
        "SELECT * EXCLUDE (probability), round(probability, 9) FROM {} WHERE task = ? ORDER BY ALL"
    )
    for table in ("links", "link_candidates"):
        alone = engine.fetch(mine.format(table), [name])
        assert alone == engine.fetch(mine.format(f"src.{table}"), [name]), table
    assert engine.fetch(mine.format("links"), [name])


def test_the_signature_changes_with_a_judgement_a_threshold_or_the_engine() -> None:
    task = TASKS["record_subject_person"]
    none = JudgementStore.empty_table()
    policy = LinkagePolicy()
    base = task_signature(task, policy, none, "duckdb")
    assert task_signature(task, policy, none, "duckdb") == base

    def judged(task_name: str) -> pa.Table:
        return pa.table(
            {"task": [task_name], "record_id": ["S1"], "person_key": ["E1"], "decision": ["reject"]}
        )

    assert task_signature(task, policy, judged("record_subject_person"), "duckdb") != base
    assert task_signature(task, policy, judged("company_officer"), "duckdb") == base  # not its own
    assert task_signature(task, policy, none, "spark") != base
    for changed in (LinkagePolicy(review_threshold=0.6), LinkagePolicy(ambiguity_margin=7.0)):
        assert task_signature(task, changed, none, "duckdb") != base

"""Taking a linkage task's links from the last run: only when nothing it depends on changed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import pytest

from probity.policy import LinkagePolicy
from probity.publish.results import PublishedRun
from probity.resolve.judgements import JudgementStore
from probity.resolve.linkage import CANDIDATES_DDL, run_task
from probity.resolve.reuse import PREVIOUS, LastRun, reusable, task_signature
from probity.resolve.rules import LINKS_DDL, RULES, person_refs
from probity.resolve.tasks import all_tasks
from probity.warehouse.engine import DuckDBEngine

TASKS = {t.name: t for t in all_tasks()}


# A task's links and review candidates, in a fixed order (probabilities to float rounding).
MINE = "SELECT * EXCLUDE (probability), round(probability, 9) FROM {} WHERE task = ? ORDER BY ALL"


def _with_declared_tables(small_run: Path, name: str) -> DuckDBEngine:
    """A warehouse holding only the tables task `name` declares it reads, copied from the full
    run's (attached as `src`)."""
    run = PublishedRun.open(small_run)
    engine = DuckDBEngine()
    engine.execute(f"ATTACH '{run.workspace.warehouse(run.run_id)}' AS src (READ_ONLY)")
    for table in TASKS[name].reads:
        engine.execute(f'CREATE TABLE "{table}" AS SELECT * FROM src."{table}"')
    return engine


def _link_alone(engine: DuckDBEngine, name: str) -> None:
    """Run task `name`, rules and model, over what `engine` holds."""
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
    run_task(engine, TASKS[name], match, review, policy.ambiguity_margin, judged=True)


def _assert_links_as_in_the_full_run(engine: DuckDBEngine, name: str) -> None:
    for table in ("links", "link_candidates"):
        alone = engine.fetch(MINE.format(table), [name])
        assert alone == engine.fetch(MINE.format(f"src.{table}"), [name]), table
    assert engine.fetch(MINE.format("links"), [name])


@pytest.mark.parametrize("name", sorted(TASKS))
def test_a_task_reads_no_table_beyond_those_it_declares(small_run: Path, name: str) -> None:
    """With only its declared tables present, a task links exactly as in the full run."""
    engine = _with_declared_tables(small_run, name)
    _link_alone(engine, name)
    _assert_links_as_in_the_full_run(engine, name)


DAY_READERS = sorted(name for name, task in TASKS.items() if task.read_by_day)


@pytest.mark.parametrize("name", DAY_READERS)
def test_a_task_reads_its_dated_tables_on_no_day_beyond_those_it_declares(
    small_run: Path, name: str
) -> None:
    """With only the records of its dated tables that fall on a day it reads them on, a task
    links exactly as in the full run."""
    task = TASKS[name]
    engine = _with_declared_tables(small_run, name)
    dropped = 0
    for table in task.read_by_day:
        before = engine.fetch(f'SELECT count(*) FROM "{table}"')[0][0]
        engine.execute(f'DELETE FROM "{table}" WHERE NOT ({task.on_a_read_day(table)})')
        dropped += before - engine.fetch(f'SELECT count(*) FROM "{table}"')[0][0]
    assert dropped  # most records fall on other days
    _link_alone(engine, name)
    _assert_links_as_in_the_full_run(engine, name)


def _grown_roster(added: list[tuple[str, str]]) -> tuple[DuckDBEngine, LastRun, str]:
    """A warehouse where the roster had two records last run and `added` (duty date, shift
    end) since; every other table the complaint task reads is unchanged."""
    task = TASKS["complaint_subject"]
    engine = DuckDBEngine()
    for table in (*task.reads, *PREVIOUS.values()):
        engine.execute(f'CREATE TABLE "{table}" (_source_row BIGINT)')
    engine.execute("ALTER TABLE complaints ADD COLUMN incident_date DATE")
    engine.execute("INSERT INTO complaints VALUES (1, DATE '2026-03-10'), (2, NULL)")
    engine.execute("ALTER TABLE roster ADD COLUMN duty_date DATE")
    engine.execute("ALTER TABLE roster ADD COLUMN shift_end TIMESTAMP")
    rows = [("2026-03-10", "2026-03-10 17:00"), ("2026-03-11", "2026-03-11 17:00"), *added]
    for i, (duty, end) in enumerate(rows, start=1):
        engine.execute("INSERT INTO roster VALUES (?, ?, ?)", [i, duty, end])
    signature = "s"
    last = LastRun(
        "r1",
        {"complaint_subject": {"signature": signature, "status": "ran"}},
        frozenset(set(task.reads) - {"roster"}),
        {"roster": 2},
    )
    return engine, last, signature


def test_a_task_is_reused_when_its_dated_tables_grew_on_no_day_it_reads() -> None:
    task = TASKS["complaint_subject"]
    engine, last, signature = _grown_roster([("2026-03-12", "2026-03-12 17:00")])
    assert reusable(engine, task, signature, last)
    # the same growth, but the roster read in full: nothing says which records are new
    assert not reusable(engine, task, signature, replace(last, grew={}))


@pytest.mark.parametrize(
    "added",
    [("2026-03-10", "2026-03-10 22:00"), ("2026-03-09", "2026-03-10 06:00")],
    ids=["a shift on the incident date", "a night shift ending on it"],
)
def test_a_task_runs_again_when_a_dated_table_grew_on_a_day_it_reads(
    added: tuple[str, str],
) -> None:
    task = TASKS["complaint_subject"]
    engine, last, signature = _grown_roster([("2026-03-12", "2026-03-12 17:00"), added])
    assert not reusable(engine, task, signature, last)


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

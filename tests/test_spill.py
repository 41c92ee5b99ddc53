"""Work beyond DuckDB's memory limit spills to disk, and the run report says how much, stage by
stage."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from probity.publish.workspace import Workspace
from probity.warehouse.engine import DuckDBEngine
from probity.warehouse.spill import SpillWatch


def test_a_sort_larger_than_memory_is_seen_spilling(tmp_path: Path) -> None:
    engine = DuckDBEngine(tmp_path / "w.duckdb", memory_limit="120MB")
    assert engine.spill_folder is not None
    watch = SpillWatch(engine.spill_folder)
    try:
        engine.execute("CREATE TABLE small AS SELECT range AS i FROM range(1000)")
        assert watch.lap() == 0  # nothing that needs the disk
        engine.execute(
            """CREATE TABLE sorted AS SELECT i, md5(CAST(i AS VARCHAR)) || md5(CAST(-i AS VARCHAR)) AS h
               FROM range(4000000) t(i) ORDER BY h"""
        )
        spilled = watch.lap()
        assert spilled > 50 * 2**20  # much of what did not fit
        assert watch.lap() == 0  # DuckDB cleans up; the next stage starts from nothing
        assert engine.fetch("SELECT count(*) FROM sorted") == [(4000000,)]
    finally:
        watch.stop()
        engine.close()


def test_what_the_folder_already_held_is_not_a_later_stage_s_spill(tmp_path: Path) -> None:
    folder = tmp_path / "spill"
    folder.mkdir()
    watch = SpillWatch(folder)
    try:
        (folder / "left.tmp").write_bytes(b"\0" * 32768)  # a file DuckDB keeps between queries
        assert watch.lap() == 32768  # the stage that wrote it
        assert watch.lap() == 0  # the next stage, which found it there
        (folder / "more.tmp").write_bytes(b"\0" * 4096)
        assert watch.lap() == 4096
    finally:
        watch.stop()


def test_the_run_report_gives_each_stage_s_spill_and_the_limit(small_run: Path) -> None:
    w = Workspace(small_run)
    report = w.read_report(w.require_current())
    assert report["memory_limit"]
    stages = report["stages"]
    assert set(stages) >= {"ingest", "resolve", "warehouse", "detect", "model", "rank", "publish"}
    assert all(isinstance(s["spilled_bytes"], int) for s in stages.values())


def test_by_default_duckdb_gets_two_fifths_of_the_machine(small_run: Path) -> None:
    """Not DuckDB's own 80%: a run leaves room for Arrow, Python and the page cache."""
    w = Workspace(small_run)
    value, unit = w.read_report(w.require_current())["memory_limit"].split()
    gib = float(value) * {"GiB": 1.0, "MiB": 1 / 1024}[unit]
    machine = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    assert gib == pytest.approx(0.4 * machine, rel=0.02)

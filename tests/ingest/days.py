"""Two days of one small force's exports, as the incremental tests use them.

Yesterday's exports are today's cut short: the last records of the event tables are missing,
Parquet files lose rows part-way through a row group, and one person's HR record was edited in
the middle of the file. Today's also end with a malformed record and a repeated claim id, and
one system account that has look-ups is gone.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq

from probity.contract import TABLES
from probity.governance.pseudonyms import KEY_FILE
from probity.pipeline import run_pipeline
from probity.publish.workspace import Workspace
from probity.synth.force import SynthSpec, build_force
from probity.synth.tables import force_tables
from probity.synth.write import default_truth_dir, write_force

ROW_GROUP = 2000
# Event tables whose last records arrive "today".
GROWING_CSV = (
    "overtime_claims",
    "expense_claims",
    "incidents",
    "incident_attendance",
    "stop_search",
)
GROWING_PARQUET = ("roster", "building_access", "access_log")
RESULTS = ("quarantine", "links", "signals", "evidence", "queue", "person_dim")


def lines_of(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def two_days(root: Path) -> tuple[Path, Path]:
    """Yesterday's and today's exports, written under `root`."""
    today = root / "today"
    write_force(force_tables(build_force(SynthSpec(300, 1, 23))), today, default_truth_dir(today))
    yesterday = root / "yesterday"
    shutil.copytree(today, yesterday)

    for name in GROWING_PARQUET:
        table = pq.read_table(today / f"{name}.parquet")
        pq.write_table(table, today / f"{name}.parquet", row_group_size=ROW_GROUP)
        cut = table.num_rows - table.num_rows // 50 - ROW_GROUP // 3  # mid-group
        pq.write_table(table.slice(0, cut), yesterday / f"{name}.parquet", row_group_size=ROW_GROUP)
    for name in GROWING_CSV:
        lines = lines_of(today / f"{name}.csv")
        (yesterday / f"{name}.csv").write_bytes(b"".join(lines[: len(lines) - len(lines) // 50]))

    claims = lines_of(today / "expense_claims.csv")
    (today / "expense_claims.csv").write_bytes(
        b"".join(claims) + claims[1] + b'"X1","only","three"\n'  # a repeated id, a malformed record
    )
    people = lines_of(today / "people.csv")
    header = next(csv.reader([people[0].decode()]))
    middle = len(people) // 2
    record = next(csv.reader([people[middle].decode()]))
    record[header.index("home_address")] = "1 New Road"
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow(record)
    people[middle] = line.getvalue().encode()
    (today / "people.csv").write_bytes(b"".join(people))
    # One system account is gone today: its look-ups now dangle, so the audit log is re-read.
    accounts = lines_of(today / "system_accounts.csv")
    (today / "system_accounts.csv").write_bytes(b"".join(accounts[:-2] + accounts[-1:]))
    return yesterday, today


def snapshot(workspace: Path) -> dict[str, Any]:
    ws = Workspace(workspace)
    con = duckdb.connect(str(ws.warehouse(ws.require_current())), read_only=True)
    try:
        out: dict[str, Any] = {}
        for t in TABLES:  # source tables: count and an order-free checksum of whole rows
            out[t.name] = con.execute(
                f'SELECT count(*), bit_xor(hash(x)), sum(hash(x)::HUGEINT) FROM "{t.name}" x'
            ).fetchall()
        for name in RESULTS:
            out[name] = con.execute(f'SELECT * FROM "{name}" ORDER BY ALL').fetchall()
        return out
    finally:
        con.close()


def links_of(workspace: Path) -> dict[str, list[tuple[Any, ...]]]:
    """The current run's links and review candidates, in a fixed order."""
    return {
        t: rows_of(workspace, f"SELECT * FROM {t} ORDER BY ALL")
        for t in ("links", "link_candidates")
    }


def grown_exports(yesterday: Path, today: Path, folder: Path) -> Path:
    """Yesterday's exports with today's event tables: only records at their ends are new."""
    shutil.copytree(yesterday, folder)
    for name in GROWING_PARQUET:
        shutil.copy(today / f"{name}.parquet", folder / f"{name}.parquet")
    for name in GROWING_CSV:
        shutil.copy(today / f"{name}.csv", folder / f"{name}.csv")
    return folder


def rows_of(workspace: Path, sql: str) -> list[tuple[Any, ...]]:
    ws = Workspace(workspace)
    con = duckdb.connect(str(ws.warehouse(ws.require_current())), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def daily_and_full(exports: Path, tmp_path: Path) -> dict[str, Any]:
    """Run `exports` daily in `tmp_path/daily` (after its earlier run) and in full in
    `tmp_path/full` with the same pseudonym key; returns the daily run's report."""
    daily = run_pipeline(exports, tmp_path / "daily")
    (tmp_path / "full").mkdir()
    shutil.copy(tmp_path / "daily" / KEY_FILE, tmp_path / "full" / KEY_FILE)
    run_pipeline(exports, tmp_path / "full", incremental=False)
    return daily

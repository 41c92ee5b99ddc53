"""Benchmark: one new day of exports, run incrementally, against a full run of the day before.

    uv run python -m benchmarks.incremental --people 45000 --years 3 [--days-back 14]

Uses the exports `benchmarks/pipeline.py` wrote (or writes them). The tables that grow by the day
hold their records in the order they were made (`probity.synth.write.RECORDED`), as a force's
own exports do. "Today" is the exports as written, or with `--days-back N` the exports as they
stood N days before their last day; "yesterday" is today less the records made on its last day,
which come at the end of each file (a Parquet file keeps its row groups, the last cut short).
The script runs yesterday in full, flushes its writes to disk (as the day between two runs
would), then runs today, and prints what each table's plan was and the
time and peak memory of each stage of today's run. With `--reuse`, cut exports already written
are used again.
"""

from __future__ import annotations

import os
import shutil
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from benchmarks.pipeline import GIB, PeakMemory, force_arguments, machine
from probity.pipeline import run_pipeline
from probity.synth.force import SynthSpec, build_force
from probity.synth.tables import force_tables
from probity.synth.write import RECORDED, WITH_INCIDENT, default_truth_dir, write_force


def last_day(exports: Path) -> date:
    """The exports' last day: the last rostered one."""
    rows = duckdb.sql(f"SELECT max(duty_date) FROM '{_file(exports, 'roster')}'").fetchall()
    day: date = rows[0][0]
    return day


def exports_until(source: Path, target: Path, day: date) -> None:
    """Write `target`: `source` as it stood at the end of `day`, every record made later (each
    at the end of its file) left out; every other file linked as it is."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for path in sorted(source.iterdir()):
        name = path.stem
        if name in RECORDED or name in WITH_INCIDENT:
            _keep_first(path, target / path.name, _made_by(source, name, day))
        else:
            os.link(path, target / path.name)


def _file(folder: Path, table: str) -> Path:
    return next(p for p in folder.iterdir() if p.stem == table)


def _made_by(folder: Path, table: str, day: date) -> int:
    """How many of the table's records were made by the end of `day` (its leading records)."""
    if table in WITH_INCIDENT:
        sql = f"""SELECT count(*) FROM '{_file(folder, table)}' WHERE incident_ref IN (
                    SELECT incident_ref FROM '{_file(folder, "incidents")}'
                    WHERE CAST(opened_time AS DATE) <= DATE '{day}')"""
    else:
        sql = f"""SELECT count(*) FROM '{_file(folder, table)}'
                  WHERE CAST("{RECORDED[table]}" AS DATE) <= DATE '{day}'"""
    n: int = duckdb.sql(sql).fetchall()[0][0]
    return n


def _keep_first(path: Path, target: Path, n: int) -> None:
    if path.suffix == ".parquet":
        source = pq.ParquetFile(path)
        with pq.ParquetWriter(target, source.schema_arrow, compression="zstd") as writer:
            remaining = n
            for i in range(source.metadata.num_row_groups):
                if remaining <= 0:
                    break
                table = source.read_row_group(i)
                writer.write_table(table.slice(0, min(table.num_rows, remaining)))
                remaining -= table.num_rows
    else:  # synthetic CSVs hold no line breaks inside fields: a line is a record
        with path.open("rb") as f:
            lines = f.readlines()
        target.write_bytes(b"".join(lines[: n + 1]))


def main() -> None:
    parser = force_arguments(__doc__)
    parser.add_argument(
        "--days-back", type=int, default=0, help="today is this many days before the last"
    )
    args = parser.parse_args()

    force = args.dir / f"force-{args.people}x{args.years}"
    exports = force / "exports"
    if not exports.exists():
        world = build_force(SynthSpec(args.people, args.years, args.seed))
        write_force(force_tables(world), exports, default_truth_dir(exports))
        del world
    day = last_day(exports) - timedelta(days=args.days_back)
    workspace = args.dir / f"ws-{args.people}x{args.years}-daily"
    shutil.rmtree(workspace, ignore_errors=True)
    print(f"machine: {machine()}")
    print(f"force: {args.people:,} people × {args.years} years; today is {day}")

    today = exports if args.days_back == 0 else force / f"until-{day}"
    yesterday = force / f"until-{day - timedelta(days=1)}"
    for folder, until in ((today, day), (yesterday, day - timedelta(days=1))):
        if folder == exports or (args.reuse and folder.exists()):
            continue
        started = time.perf_counter()
        exports_until(exports, folder, until)
        print(f"exports as at the end of {until} written in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    before = run_pipeline(yesterday, workspace)
    print(f"yesterday, full run: {time.perf_counter() - started:.1f} s")
    # A day passes between the two runs, long enough for yesterday's writes to reach the disk;
    # flushed here, so that today's copy of the warehouse does not wait on them.
    started = time.perf_counter()
    os.sync()
    print(f"yesterday's writes flushed to disk: {time.perf_counter() - started:.1f} s")

    memory = PeakMemory()
    marks: dict[str, float] = {}

    def progress(stage: str, detail: str) -> None:
        if stage not in marks:
            if marks:
                marks[list(marks)[-1]] = memory.lap() / GIB
            else:
                memory.lap()
            marks[stage] = float("nan")

    started = time.perf_counter()
    report = run_pipeline(today, workspace, progress=progress)
    total = time.perf_counter() - started
    marks[list(marks)[-1]] = memory.lap() / GIB
    memory.stop()

    print(f"\n{'table':<22}{'new records':>12}  plan")
    for name, plan in report["ingest"]["tables"].items():
        new = report["inputs"][name]["records"] - before["inputs"][name]["records"]
        print(f"{name:<22}{new:>12,}  {plan}")
    reused = [n for n, t in report["identities"].items() if t.get("status") == "reused"]
    print(f"\nlinkage tasks taken from yesterday: {', '.join(reused) or 'none'}")
    model = report.get("model", {})
    print(f"model: {'as trained yesterday' if model.get('taken_from') else model.get('status')}")
    print(f"\ntoday, incremental run\n{'stage':<14}{'seconds':>10}{'peak GiB':>10}")
    for stage, s in report["stages"].items():
        print(f"{stage:<14}{s['seconds']:>10.1f}{marks.get(stage, float('nan')):>10.2f}")
    print(f"{'run (total)':<14}{total:>10.1f}{max(marks.values()):>10.2f}")


if __name__ == "__main__":
    main()

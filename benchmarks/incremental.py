"""Benchmark: one new day of exports, run incrementally, against a full run of the day before.

    uv run python -m benchmarks.incremental --people 45000 --years 3

Uses the exports `benchmarks/pipeline.py` wrote (or writes them). "Yesterday" is today's exports
with one day's share of records taken off the end of every table that grows by the day (the
last Parquet row group is cut short, so the plan must read that group again); every other file
is the same. The script runs yesterday in full, then today, and prints what each table's plan
was and the time and peak memory of each stage of today's run. With `--reuse`, yesterday's
exports already written beside today's are used again rather than cut afresh.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pyarrow.parquet as pq

from benchmarks.pipeline import GIB, PeakMemory, force_arguments, machine
from probity.pipeline import run_pipeline
from probity.synth.force import SynthSpec, build_force
from probity.synth.tables import force_tables
from probity.synth.write import default_truth_dir, write_force

# Tables a force's systems add records to every day.
DAILY = (
    "roster",
    "absences",
    "overtime_claims",
    "expense_claims",
    "building_access",
    "access_log",
    "incidents",
    "incident_attendance",
    "incident_subjects",
    "stop_search",
    "use_of_force",
)


def day_before(today: Path, yesterday: Path, days_in_exports: int) -> None:
    """Write `yesterday`: today's exports less one day's share of each growing table."""
    shutil.rmtree(yesterday, ignore_errors=True)
    yesterday.mkdir(parents=True)
    for path in sorted(today.iterdir()):
        target = yesterday / path.name
        if path.stem not in DAILY:
            os.link(path, target)
        elif path.suffix == ".parquet":
            _cut_parquet(path, target, days_in_exports)
        else:  # synthetic CSVs hold no line breaks inside fields: a line is a record
            with path.open("rb") as f:
                lines = f.readlines()
            n = max(1, (len(lines) - 1) // days_in_exports)
            target.write_bytes(b"".join(lines[:-n]))


def _cut_parquet(path: Path, target: Path, days_in_exports: int) -> None:
    """Write the file without its last day's share of rows, with the same row groups."""
    source = pq.ParquetFile(path)
    n = max(1, source.metadata.num_rows // days_in_exports)
    groups = source.metadata.num_row_groups
    with pq.ParquetWriter(target, source.schema_arrow, compression="zstd") as writer:
        remaining = source.metadata.num_rows - n
        for i in range(groups):
            table = source.read_row_group(i)
            take = min(table.num_rows, remaining)
            if take <= 0:
                break
            writer.write_table(table.slice(0, take))
            remaining -= take


def main() -> None:
    args = force_arguments(__doc__).parse_args()

    force = args.dir / f"force-{args.people}x{args.years}"
    today = force / "exports"
    if not today.exists():
        world = build_force(SynthSpec(args.people, args.years, args.seed))
        write_force(force_tables(world), today, default_truth_dir(today))
        del world
    yesterday = force / "yesterday"
    workspace = args.dir / f"ws-{args.people}x{args.years}-daily"
    shutil.rmtree(workspace, ignore_errors=True)
    print(f"machine: {machine()}")
    print(f"force: {args.people:,} people × {args.years} years")

    if args.reuse and yesterday.exists():
        print(f"yesterday's exports: those already in {yesterday}")
    else:
        started = time.perf_counter()
        day_before(today, yesterday, args.years * 365)
        print(f"yesterday's exports written in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    before = run_pipeline(yesterday, workspace)
    print(f"yesterday, full run: {time.perf_counter() - started:.1f} s")

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
    print(f"\ntoday, incremental run\n{'stage':<14}{'seconds':>10}{'peak GiB':>10}")
    for stage, s in report["stages"].items():
        print(f"{stage:<14}{s['seconds']:>10.1f}{marks.get(stage, float('nan')):>10.2f}")
    print(f"{'run (total)':<14}{total:>10.1f}{max(marks.values()):>10.2f}")


if __name__ == "__main__":
    main()

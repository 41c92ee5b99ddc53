"""Benchmark: generate a synthetic force, run the pipeline on it, print time and peak memory
per stage and the row counts.

    uv run python benchmarks/pipeline.py --people 45000 --years 3

Memory is the process's resident set (DuckDB runs in-process), sampled every 100 ms.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import psutil

from probity.pipeline import run_pipeline
from probity.publish.results import PublishedRun
from probity.resolve.quality import linkage_quality
from probity.synth.force import SynthSpec, build_force
from probity.synth.tables import force_tables
from probity.synth.write import default_truth_dir, write_force
from probity.warehouse.engine import DuckDBEngine

GIB = 1 << 30


class PeakMemory:
    """Peak resident memory of this process between calls to `lap`."""

    def __init__(self) -> None:
        self.process = psutil.Process()
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.1):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def lap(self) -> int:
        peak = max(self.peak, self.process.memory_info().rss)
        self.peak = 0
        return peak

    def stop(self) -> None:
        self._stop.set()


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, {psutil.virtual_memory().total / GIB:.0f} GiB, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=45000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=Path("benchmarks/out"))
    parser.add_argument("--reuse", action="store_true", help="reuse exports already in --dir")
    args = parser.parse_args()

    exports = args.dir / f"force-{args.people}x{args.years}" / "exports"
    workspace = args.dir / f"ws-{args.people}x{args.years}"
    memory = PeakMemory()
    rows: list[tuple[str, float, float]] = []
    print(f"machine: {machine()}")
    print(f"force: {args.people:,} people × {args.years} years, seed {args.seed}")

    if not (args.reuse and exports.exists()):
        shutil.rmtree(exports.parent, ignore_errors=True)
        started = time.perf_counter()
        world = build_force(SynthSpec(args.people, args.years, args.seed))
        write_force(force_tables(world), exports, default_truth_dir(exports))
        del world
        rows.append(("synth", time.perf_counter() - started, memory.lap() / GIB))
    shutil.rmtree(workspace, ignore_errors=True)
    size = sum(f.stat().st_size for f in exports.iterdir()) / GIB

    marks: list[tuple[str, float]] = []
    stage_memory: dict[str, float] = {}

    def progress(stage: str, detail: str) -> None:
        if not marks or marks[-1][0] != stage:
            if marks:
                stage_memory[marks[-1][0]] = memory.lap() / GIB
            else:
                memory.lap()
            marks.append((stage, time.perf_counter()))

    started = time.perf_counter()
    report = run_pipeline(exports, workspace, progress=progress)
    total = time.perf_counter() - started
    stage_memory[marks[-1][0]] = memory.lap() / GIB
    memory.stop()
    for stage, seconds in report["stages"].items():
        rows.append((stage, seconds["seconds"], stage_memory.get(stage, float("nan"))))
    rows.append(("run (total)", total, max(stage_memory.values())))

    print(f"exports: {size:.2f} GiB on disk")
    print(f"\n{'stage':<14}{'seconds':>10}{'peak GiB':>10}")
    for name, seconds, gib in rows:
        print(f"{name:<14}{seconds:>10.1f}{gib:>10.2f}")
    print(f"\n{'detector':<26}{'seconds':>10}{'signals':>9}")
    for name, d in report["detectors"].items():
        print(f"{name:<26}{d.get('seconds', 0):>10.1f}{d['signals']:>9,}")
    print(f"\n{'table':<22}{'rows read':>14}{'quarantined':>13}")
    for name, t in report["tables"].items():
        print(f"{name:<22}{t['rows_read']:>14,}{t['rows_quarantined']:>13,}")
    print(f"\nqueue: {report['queue']}")
    print_linkage(report, workspace, default_truth_dir(exports))


def print_linkage(report: dict[str, Any], workspace: Path, truth: Path) -> None:
    """Per linkage task: counts, seconds, and quality against the synthetic truth."""
    run = PublishedRun.open(workspace)
    engine = DuckDBEngine(run.workspace.warehouse(run.run_id), read_only=True)
    quality = linkage_quality(engine, truth) if truth.exists() else {}
    engine.close()
    print(
        f"\n{'linkage task':<26}{'linked':>9}{'review':>8}{'seconds':>9}{'precision':>11}{'recall':>8}{'F1':>7}"
    )
    for task, c in report["identities"].items():
        q = quality.get(task)
        figures = (
            f"{q.precision:>11.3f}{q.recall:>8.3f}{q.f1:>7.3f}"
            if q
            else f"{'–':>11}{'–':>8}{'–':>7}"
        )
        print(f"{task:<26}{c['linked']:>9,}{c['uncertain']:>8,}{c['seconds']:>9.1f}{figures}")


if __name__ == "__main__":
    main()

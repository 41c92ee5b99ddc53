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

from probity.evaluation.evaluate import evaluate_published
from probity.evaluation.truth import Truth
from probity.pipeline import run_pipeline
from probity.publish.results import PublishedRun
from probity.publish.workspace import Workspace
from probity.resolve.quality import linkage_quality
from probity.synth.force import SynthSpec, build_force
from probity.synth.tables import force_tables
from probity.synth.write import default_truth_dir, write_force
from probity.warehouse.engine import DuckDBEngine

GIB = 1 << 30


class PeakMemory:
    """Peak resident memory of this process between calls to `lap` (stages), and between
    calls to `lap_step` (the steps inside a stage, such as linkage tasks)."""

    def __init__(self) -> None:
        self.process = psutil.Process()
        self.peak = 0
        self.step_peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.1):
            rss = self.process.memory_info().rss
            self.peak = max(self.peak, rss)
            self.step_peak = max(self.step_peak, rss)

    def lap(self) -> int:
        peak = max(self.peak, self.process.memory_info().rss)
        self.peak = 0
        return peak

    def lap_step(self) -> int:
        peak = max(self.step_peak, self.process.memory_info().rss)
        self.step_peak = 0
        return peak

    def stop(self) -> None:
        self._stop.set()


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, {psutil.virtual_memory().total / GIB:.0f} GiB, Python {platform.python_version()}"


def force_arguments(description: str | None) -> argparse.ArgumentParser:
    """The arguments naming a synthetic force and where its exports and workspaces go."""
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=45000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=Path("benchmarks/out"))
    parser.add_argument("--reuse", action="store_true", help="reuse exports already in --dir")
    return parser


def main() -> None:
    parser = force_arguments(__doc__)
    parser.add_argument("--memory-limit", help="DuckDB's memory cap for the run, e.g. 8GB")
    args = parser.parse_args()

    exports = args.dir / f"force-{args.people}x{args.years}" / "exports"
    workspace = args.dir / f"ws-{args.people}x{args.years}"
    memory = PeakMemory()
    rows: list[tuple[str, float, float, float]] = []
    print(f"machine: {machine()}")
    print(f"force: {args.people:,} people × {args.years} years, seed {args.seed}")

    if not (args.reuse and exports.exists()):
        shutil.rmtree(exports.parent, ignore_errors=True)
        started = time.perf_counter()
        world = build_force(SynthSpec(args.people, args.years, args.seed))
        write_force(force_tables(world), exports, default_truth_dir(exports))
        del world
        rows.append(("synth", time.perf_counter() - started, memory.lap() / GIB, 0.0))
    shutil.rmtree(workspace, ignore_errors=True)
    size = sum(f.stat().st_size for f in exports.iterdir()) / GIB

    marks: list[tuple[str, float]] = []
    stage_memory: dict[str, float] = {}

    task_memory: dict[str, float] = {}
    task: list[str] = []  # the linkage task under way

    def progress(stage: str, detail: str) -> None:
        if task and (stage != "resolve" or detail != task[0]):
            task_memory[task.pop()] = memory.lap_step() / GIB
        if stage == "resolve" and detail and not task:
            memory.lap_step()
            task.append(detail)
        if not marks or marks[-1][0] != stage:
            if marks:
                stage_memory[marks[-1][0]] = memory.lap() / GIB
            else:
                memory.lap()
            marks.append((stage, time.perf_counter()))

    started = time.perf_counter()
    report = run_pipeline(exports, workspace, progress=progress, memory_limit=args.memory_limit)
    total = time.perf_counter() - started
    stage_memory[marks[-1][0]] = memory.lap() / GIB
    memory.stop()
    for stage, figures in report["stages"].items():
        spilled = figures.get("spilled_bytes", 0) / GIB
        rows.append((stage, figures["seconds"], stage_memory.get(stage, float("nan")), spilled))
    rows.append(("run (total)", total, max(stage_memory.values()), max(r[3] for r in rows)))

    print(f"exports: {size:.2f} GiB on disk")
    print(f"DuckDB memory limit: {report['memory_limit']}")
    print(f"\n{'stage':<14}{'seconds':>10}{'peak GiB':>10}{'spilled GiB':>13}")
    for name, seconds, gib, spilled in rows:
        print(f"{name:<14}{seconds:>10.1f}{gib:>10.2f}{spilled:>13.2f}")
    print(f"\n{'detector':<26}{'seconds':>10}{'signals':>9}")
    for name, d in report["detectors"].items():
        print(f"{name:<26}{d.get('seconds', 0):>10.1f}{d['signals']:>9,}")
    for name, seconds in report.get("shared_lookups", {}).get("seconds", {}).items():
        print(f"{'(shared) ' + name:<26}{seconds:>10.1f}")
    print(f"\n{'table':<22}{'rows read':>14}{'quarantined':>13}")
    for name, t in report["tables"].items():
        print(f"{name:<22}{t['rows_read']:>14,}{t['rows_quarantined']:>13,}")
    print(f"\nqueue: {report['queue']}")
    print_linkage(report, workspace, default_truth_dir(exports), task_memory)
    print_scan_ratio(workspace, report)
    print_model(report)
    print_evaluation(workspace, default_truth_dir(exports))
    print_fairness(report)


def print_linkage(
    report: dict[str, Any], workspace: Path, truth: Path, memory: dict[str, float]
) -> None:
    """Per linkage task (after the rules, which run first for all tasks): counts, seconds,
    peak memory, and quality against the synthetic truth."""
    run = PublishedRun.open(workspace)
    engine = DuckDBEngine(run.workspace.warehouse(run.run_id), read_only=True)
    quality = linkage_quality(engine, truth) if truth.exists() else {}
    engine.close()
    print(
        f"\n{'linkage task':<26}{'linked':>9}{'review':>8}{'seconds':>9}{'peak GiB':>10}"
        f"{'precision':>11}{'recall':>8}{'F1':>7}"
    )
    for task, c in report["identities"].items():
        q = quality.get(task)
        figures = (
            f"{q.precision:>11.3f}{q.recall:>8.3f}{q.f1:>7.3f}"
            if q
            else f"{'–':>11}{'–':>8}{'–':>7}"
        )
        peak = memory.get(task, float("nan"))
        print(
            f"{task:<26}{c['linked']:>9,}{c['uncertain']:>8,}{c['seconds']:>9.1f}{peak:>10.2f}"
            f"{figures}"
        )


def scan_seconds(engine: DuckDBEngine, tables: list[str]) -> float:
    """Time to read every column of every row of `tables` once (hashing whole rows, so no
    column can be skipped)."""
    started = time.perf_counter()
    for table in tables:
        engine.fetch(f'SELECT bit_xor(hash(t)) FROM "{table}" t')
    return time.perf_counter() - started


def print_scan_ratio(workspace: Path, report: dict[str, Any]) -> None:
    """The detect stage against one scan of every warehouse table the detectors read (through
    the shared look-ups too), in the same warehouse."""
    from probity.detectors.base import warehouse_inputs
    from probity.detectors.registry import all_detectors

    detectors = all_detectors()
    inputs = sorted(warehouse_inputs(detectors, {d.name: d.params() for d in detectors}))
    run = PublishedRun.open(workspace)
    engine = DuckDBEngine(run.workspace.warehouse(run.run_id), read_only=True)
    try:
        scan = scan_seconds(engine, [t for t in inputs if engine.table_exists(t)])
    finally:
        engine.close()
    detect = report["stages"]["detect"]["seconds"]
    print(
        f"\ndetect stage {detect:.1f} s; one scan of the {len(inputs)} tables it reads {scan:.1f} s; "
        f"ratio {detect / scan:.2f}"
    )


def print_model(report: dict[str, Any]) -> None:
    model = report.get("model", {})
    print(f"\nearly-warning model: {model.get('status')} {model.get('reason', '')}")
    if model.get("status") != "ran":
        return
    b = model["backtest"]
    print(
        f"  {model['training_examples']:,} training examples, {model['training_positives']:,} positive; "
        f"backtest AUC {b['auc']}, AP {b['average_precision']} (base rate {b['base_rate']}), "
        f"precision in the top 1% {b['precision_top_1pct']}, Brier {b['brier']}; "
        f"{model['signals']} signals"
    )
    print("  top features: " + ", ".join(f["feature"] for f in model["top_features"][:5]))


def print_evaluation(workspace: Path, truth: Path) -> None:
    """Precision and recall at k against the planted truth, and the threshold baseline."""
    if not truth.exists():
        return
    result = evaluate_published(Workspace(workspace), Truth.read(truth))
    for purpose, section in result["purposes"].items():
        print(
            f"\n{purpose}: {section['planted']} planted, {section['queued']} queued, AP {section['average_precision']}"
        )
        base = section.get("baseline", {}).get("at_k", {})
        for name, m in section["at_k"].items():
            b = base.get(name)
            versus = (
                f"; baseline TP {b['true_positives']} (decoys {b['decoys']}), ratio {b['true_positive_ratio']}"
                if b
                else ""
            )
            print(
                f"  k={m['k']:<6} ({name}): precision {m['precision']}, recall {m['recall']}, "
                f"TP {m['true_positives']}, decoys {m['decoys']}{versus}"
            )
        per_concern = section["at_k"]["one_and_a_half_times_planted"]["recall_per_concern"]
        print(
            "  recall per concern at 1.5 × planted: "
            + ", ".join(f"{c} {v['recall']}" for c, v in per_concern.items())
        )


def print_fairness(report: dict[str, Any]) -> None:
    fairness = report.get("fairness", {})
    sets = {**fairness.get("purposes", {}), "early_warning_model": fairness.get("model")}
    for name, section in sets.items():
        if not section:
            continue
        ratios = [
            f"{g['group']} {g['ratio']:.2f}"
            for g in section["groups"]["ethnicity"]
            if not g["suppressed"] and g["ratio"] is not None
        ]
        print(
            f"\nfairness {name}: {section['flagged']} flagged; ethnicity ratios "
            + ", ".join(ratios)
        )
    for g in fairness.get("model_calibration", {}).get("groups", []):
        if not g["suppressed"]:
            print(f"  model over-prediction {g['group']}: {g['over_prediction']:.2f}")
    print(f"fairness alerts: {len(fairness.get('alerts', []))}")
    for alert in fairness.get("alerts", []):
        print(f"  {alert}")


if __name__ == "__main__":
    main()

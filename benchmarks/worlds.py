"""Benchmark: every committed world built, run with the same defaults, and measured.

    uv run python -m benchmarks.worlds --people 4000 --years 1 --seed 3

Prints one row per world (recall with the right concern at k = 1.5 × planted, innocent
look-alikes in the top k, true positives against the threshold baseline, the queue's share of
headcount, the ethnic flag-rate ratio among innocents in the top 5% for the queue and the
baseline, detectors held by the fairness gate) and the seconds each world took.
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from benchmarks.pipeline import machine
from probity.evaluation.worlds import evaluate_world, world_files
from probity.synth.force import SynthSpec
from probity.synth.settings import load_world

COLUMNS = (
    "world",
    "planted",
    "recall_right_concern",
    "decoy_share",
    "true_positive_ratio",
    "queue_share_of_headcount",
    "innocents_in_top_5_percent",
    "ethnic_flag_ratio",
    "baseline_ethnic_flag_ratio",
    "fairness_held",
    "seconds",
)


def _cell(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, list):
        return ", ".join(value) or "–"
    return str(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--worlds", type=Path, default=Path("worlds"))
    parser.add_argument("--people", type=int, default=4000)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/worlds"))
    args = parser.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    print(f"machine: {machine()}")
    print(f"force: {args.people:,} people × {args.years} years, seed {args.seed}")
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    for path in world_files(args.worlds):
        started = time.perf_counter()
        row = evaluate_world(
            load_world(path), args.out, SynthSpec(args.people, args.years, args.seed)
        )
        row["seconds"] = round(time.perf_counter() - started, 1)
        cells = [_cell(row[c]) for c in COLUMNS]
        print("| " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()

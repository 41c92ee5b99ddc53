"""Benchmark: Splink and the detectors on DuckDB and on Spark (local mode), same force.

    uv run python -m benchmarks.engines --people 4000 --years 1

Generates (or reuses) a synthetic force, runs it once per engine into separate workspaces,
and prints each run's stage times, Spark's hand-over of tables (Parquet) and whether the
links and signals are identical.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import duckdb

from probity.pipeline import run_pipeline
from probity.publish.workspace import Workspace
from probity.synth.force import SynthSpec, build_force
from probity.synth.tables import force_tables
from probity.synth.write import default_truth_dir, write_force
from probity.warehouse.spark import SparkSettings

SIGNALS = "SELECT * FROM signals ORDER BY signal_id"
# Splink's probabilities agree to float rounding between the engines.
LINKS = "SELECT task, record_id, person_key, round(probability, 6), method FROM links ORDER BY ALL"


def rows(ws: Path, sql: str) -> list[tuple[object, ...]]:
    w = Workspace(ws)
    con = duckdb.connect(str(w.warehouse(w.require_current())), read_only=True)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=4000)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=Path("benchmarks/out"))
    parser.add_argument("--master", default="local[2]")
    args = parser.parse_args()

    base = args.dir / f"engines-{args.people}x{args.years}"
    exports = base / "exports"
    if not exports.exists():
        force = build_force(SynthSpec(args.people, args.years, args.seed))
        write_force(force_tables(force), exports, default_truth_dir(exports))
    reports = {}
    for engine in ("duckdb", "spark"):
        ws = base / f"ws-{engine}"
        shutil.rmtree(ws, ignore_errors=True)
        settings = SparkSettings(args.master) if engine == "spark" else None
        reports[engine] = run_pipeline(exports, ws, spark_settings=settings)
    print(f"force: {args.people:,} people × {args.years} years; Spark master {args.master}")
    print(f"{'stage':<12}{'duckdb s':>10}{'spark s':>10}")
    for stage in reports["duckdb"]["stages"]:
        d = reports["duckdb"]["stages"][stage]["seconds"]
        s = reports["spark"]["stages"][stage]["seconds"]
        print(f"{stage:<12}{d:>10.1f}{s:>10.1f}")
    handover = reports["spark"]["spark"]
    print(
        f"Spark hand-over: {len(handover['tables'])} tables as Parquet in "
        f"{handover['handover_seconds']:.1f} s (inside its detect time)"
    )
    for name, sql in (("links", LINKS), ("signals", SIGNALS)):
        same = rows(base / "ws-duckdb", sql) == rows(base / "ws-spark", sql)
        print(f"{name} identical: {same}")


if __name__ == "__main__":
    main()

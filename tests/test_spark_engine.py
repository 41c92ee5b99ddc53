"""The same linkage and detectors on Spark (local mode) as on DuckDB: identical links, signals,
evidence and queue on the small synthetic force, through `probity run --engine spark`."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from probity.publish.workspace import Workspace
from tests.test_cli import probity

COMPARED = {
    # Splink's probabilities agree to float rounding between the engines (`_same`).
    "links": """SELECT task, record_id, person_key, method, relationship, probability
                FROM links ORDER BY ALL""",
    "link_candidates": """SELECT task, record_id, person_key, probability FROM link_candidates
                          ORDER BY ALL""",
    "signals": "SELECT * FROM signals ORDER BY signal_id",
    "evidence": "SELECT * FROM evidence ORDER BY signal_id, source_table, source_row, detail",
    # Pseudonyms (and so the order of equal priorities) are keyed per workspace.
    "queue": """SELECT purpose, person_key, priority, concerns, signals, reason FROM queue
                ORDER BY purpose, person_key""",
}


def _tables(ws: Path) -> dict[str, list[tuple[object, ...]]]:
    w = Workspace(ws)
    con = duckdb.connect(str(w.warehouse(w.require_current())), read_only=True)
    try:
        return {name: con.sql(sql).fetchall() for name, sql in COMPARED.items()}
    finally:
        con.close()


@pytest.fixture(scope="module")
def spark_run(small_force: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("spark")
    ws = root / "ws"
    started_in = root / "started-in"
    started_in.mkdir()
    result = probity(
        "run",
        str(small_force),
        "--workspace",
        str(ws),
        "--engine",
        "spark",
        "--spark-master",
        "local[2]",
        "--spark-conf",
        "spark.sql.shuffle.partitions=4",
        # Spark in local mode takes two to four minutes here, mostly per-query overhead. On so
        # little data, compiling each query's code costs more than running it, and adaptive
        # re-planning and the web UI buy nothing: off, the run takes a quarter less time and
        # gives the same links and signals.
        "--spark-conf",
        "spark.sql.codegen.wholeStage=false",
        "--spark-conf",
        "spark.sql.adaptive.enabled=false",
        "--spark-conf",
        "spark.ui.enabled=false",
        timeout=1200,
        cwd=started_in,
    )
    # Spark leaves nothing in the folder the command was started from (no `spark-warehouse/`).
    assert list(started_in.iterdir()) == []
    return ws, result.stdout


def test_spark_gives_the_links_and_signals_duckdb_gives(
    small_run: Path, spark_run: tuple[Path, str]
) -> None:
    ws, _ = spark_run
    on_duckdb, on_spark = _tables(small_run), _tables(ws)
    assert on_duckdb["signals"]  # the comparison is not of two empty tables
    assert {r[3] for r in on_duckdb["links"]} > {"splink"}  # rules and the model both linked
    ran = {r[1] for r in on_duckdb["signals"]}
    assert len(ran) >= 15  # most detectors fire on the small force
    for name in COMPARED:
        _same(on_spark[name], on_duckdb[name], name)


def _same(spark: list[tuple[object, ...]], local: list[tuple[object, ...]], name: str) -> None:
    """Equal rows, floats to a millionth: the engines add the same weights in another order,
    and a probability near a rounding boundary would round either way."""
    assert len(spark) == len(local), name
    for a, b in zip(spark, local, strict=True):
        assert len(a) == len(b), name
        for x, y in zip(a, b, strict=True):
            if isinstance(x, float) and isinstance(y, float):
                assert abs(x - y) <= 1e-6, (name, a, b)
            else:
                assert x == y, (name, a, b)


def test_the_report_says_where_linkage_and_detectors_ran(spark_run: tuple[Path, str]) -> None:
    ws, _ = spark_run
    w = Workspace(ws)
    report = w.read_report(w.require_current())
    assert report["engine"] == "spark"
    assert report["spark"]["master"] == "local[2]"
    assert {"access_log", "person_refs", "peer_groups"} <= set(report["spark"]["tables"])
    assert not (w.run_dir(w.require_current()) / "spark-input").exists()
    assert not (w.run_dir(w.require_current()) / "spark-linkage").exists()
    # Splink ran on Spark for every task the rules left records to (the small force has some).
    backends = {t: r.get("splink_backend") for t, r in report["identities"].items()}
    assert "spark" in backends.values()
    assert set(backends.values()) <= {"spark", None}


def test_engine_and_settings_are_checked(small_force: Path, tmp_path: Path) -> None:
    ws = str(tmp_path / "ws")
    wrong = probity("run", str(small_force), "--workspace", ws, "--engine", "oracle", check=False)
    assert wrong.returncode == 2
    bad = probity(
        "run",
        str(small_force),
        "--workspace",
        ws,
        "--engine",
        "spark",
        "--spark-conf",
        "x",
        check=False,
    )
    assert bad.returncode == 2 and "KEY=VALUE" in bad.stdout + bad.stderr

"""Apache Spark for the resolve and detect stages, when a force outgrows one machine.

The detectors' SQL is written once, in DuckDB's dialect; `dialect.to_spark` translates it. The
warehouse tables the detectors read are handed to Spark as Parquet (on a cluster, put the
workspace on storage every node reads), Spark computes each detector's evidence and signals,
and they come back to the run's warehouse exactly as the DuckDB path writes them, so every
later stage is the same. Splink, in the resolve stage, uses its Spark backend on the same
session (`resolve/on_spark.py`). `--spark-master` and `--spark-conf` reach a cluster
(`docs/operations.md`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from probity.warehouse.dialect import to_spark
from probity.warehouse.engine import Engine

MASTER_ENV = "PROBITY_SPARK_MASTER"
LOCAL_DRIVER_MEMORY = "4g"  # a setting of the deployment's (`--spark-conf`) overrides it


@dataclass(frozen=True)
class SparkSettings:
    master: str = field(default_factory=lambda: os.environ.get(MASTER_ENV, "local[2]"))
    conf: dict[str, str] = field(default_factory=dict)


class SparkEngine:
    name = "spark"

    def __init__(self, settings: SparkSettings) -> None:
        from pyspark.sql import SparkSession

        # Probity keeps no Spark tables; without a place of its own, Spark makes
        # `spark-warehouse/` in whatever folder the command was started from.
        self._scratch = tempfile.mkdtemp(prefix="probity-spark-")
        builder = (
            SparkSession.builder.master(settings.master)
            .appName("probity")
            .config("spark.sql.session.timeZone", "UTC")  # as DuckDB: timestamps without zones
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.sql.warehouse.dir", str(Path(self._scratch) / "warehouse"))
        )
        if settings.master.startswith("local"):
            builder = builder.config("spark.sql.shuffle.partitions", "8")
            # In local mode the driver does all the work; Spark's default heap of 1 GiB leaves
            # it collecting garbage, or stalled, on cached views and long plans.
            builder = builder.config("spark.driver.memory", LOCAL_DRIVER_MEMORY)
        conf = dict(settings.conf)
        # Splink's string similarity functions (Jaro-Winkler, Damerau-Levenshtein) for the
        # resolve stage, beside any jars the deployment adds.
        conf["spark.jars"] = ",".join(filter(None, [conf.get("spark.jars"), _splink_jar()]))
        for key, value in conf.items():
            builder = builder.config(key, value)
        self.session: Any = builder.getOrCreate()
        self.session.sparkContext.setLogLevel("ERROR")
        self.settings = settings

    def load_parquet(self, name: str, path: Path) -> None:
        self.session.read.parquet(str(path)).createOrReplaceTempView(name)

    def cache_view(self, name: str, sql: str) -> None:
        """`name` as the result of the DuckDB statement `sql`, computed once and kept."""
        frame = self.session.sql(to_spark(sql)).cache()
        frame.createOrReplaceTempView(name)

    def has_view(self, name: str) -> bool:
        return bool(self.session.catalog.tableExists(name))

    def drop_view(self, name: str) -> None:
        self.session.catalog.uncacheTable(name)
        self.session.catalog.dropTempView(name)

    def fetch_arrow(self, sql: str) -> pa.Table:
        frame = self.session.sql(to_spark(sql))
        schema = frame.schema
        pandas = frame.toPandas()
        table = pa.Table.from_pandas(pandas, preserve_index=False)
        # pandas turns a nullable integer column to floats: back to integers.
        for i, spark_field in enumerate(schema.fields):
            if spark_field.dataType.typeName() in ("long", "integer"):
                table = table.set_column(
                    i, spark_field.name, table.column(i).cast(pa.int64(), safe=False)
                )
        return table

    def close(self) -> None:
        self.session.stop()
        shutil.rmtree(self._scratch, ignore_errors=True)


def _splink_jar() -> str:
    from splink.backends.spark import similarity_jar_location

    return str(similarity_jar_location())


def hand_over(engine: Engine, spark: SparkEngine, tables: set[str], folder: Path) -> dict[str, Any]:
    """Write each of `tables` present in the DuckDB warehouse `engine` to Parquet in `folder`
    and load it into Spark under the same name; returns what was handed over."""
    started = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    present = sorted(t for t in tables if engine.table_exists(t))
    for table in present:
        # Spark passes over files whose names begin with "_" or ".", as Hadoop's hidden files.
        path = folder / f"{table.lstrip('_.')}.parquet"
        engine.execute(f"COPY (SELECT * FROM \"{table}\") TO '{path}' (FORMAT parquet)")
        spark.load_parquet(table, path)
    return {
        "master": spark.settings.master,
        "tables": present,
        "handover_seconds": round(time.perf_counter() - started, 3),
    }

"""Splink on its Spark backend, for `probity run --engine spark`.

The deterministic rules and the two sides of each task are built in the run's DuckDB warehouse
as always (they are small); the sides go to Spark as Parquet, Splink trains and predicts there,
and its predictions come back as Parquet, so that deciding links is the same on both engines.
The comparisons are written once, in DuckDB's SQL; here they become Spark SQL, with the string
similarity functions Splink registers in Spark from its own jar.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import sqlglot
from splink import Linker
from sqlglot import exp

from probity.warehouse.dialect import to_spark
from probity.warehouse.engine import Engine
from probity.warehouse.spark import SparkEngine, hand_over

SIDES = ("_lk_records", "_lk_people")


def spark_condition(condition: str) -> str:
    """A comparison level's condition, written for DuckDB, as Spark SQL. DuckDB's
    `jaro_winkler_similarity` is `jaro_winkler` in Splink's Spark functions, and its
    `list_has_any` is Spark's `arrays_overlap`."""
    # DuckDB's list_has_any becomes a call by name: sqlglot would write it `a && b`, which
    # Spark does not read.
    spark_names: dict[type[exp.Expression], str] = {
        exp.JarowinklerSimilarity: "jaro_winkler",
        exp.ArrayOverlaps: "arrays_overlap",
    }

    def by_name(node: exp.Expression) -> exp.Expression:
        name = spark_names.get(type(node))
        if name is None:
            return node
        return exp.Anonymous(this=name, expressions=[node.this, node.expression])

    tree = sqlglot.parse_one(condition, read="duckdb").transform(by_name)
    return to_spark(tree.sql(dialect="duckdb"))


def in_spark_sql(settings: dict[str, Any]) -> dict[str, Any]:
    """Splink settings with every comparison level's condition in Spark SQL (blocking rules
    say their dialect, and Splink translates those itself)."""
    translated = copy.deepcopy(settings)
    for comparison in translated["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level["sql_condition"] != "ELSE":
                level["sql_condition"] = spark_condition(level["sql_condition"])
    return translated


def spark_linker(
    engine: Engine, spark: SparkEngine, settings: dict[str, Any], folder: Path
) -> Linker:
    """A linker over the task's two sides, handed to Spark from the warehouse `engine`."""
    from splink.backends.spark import SparkAPI

    hand_over(engine, spark, set(SIDES), folder)
    # Splink breaks long lineages by writing intermediate tables here (shared storage on a
    # cluster, as the hand-over is).
    spark.session.sparkContext.setCheckpointDir(str(folder / "checkpoints"))
    return Linker(
        list(SIDES),  # the views the hand-over registered
        in_spark_sql(settings),
        db_api=SparkAPI(spark_session=spark.session),
        input_table_aliases=["records", "people"],
        set_up_basic_logging=False,
    )


def bring_back(engine: Engine, predictions: Any, folder: Path) -> str:
    """Splink's predictions, written by Spark as Parquet, as a table in the warehouse."""
    path = folder / "predictions"
    predictions.as_spark_dataframe().write.mode("overwrite").parquet(str(path))
    glob = str(path / "*.parquet").replace("'", "''")
    engine.execute(
        f"CREATE OR REPLACE TEMP TABLE _lk_predictions AS SELECT * FROM read_parquet('{glob}')"
    )
    return "_lk_predictions"

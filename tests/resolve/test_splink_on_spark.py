"""Every comparison the linkage tasks score pairs with, translated for Splink's Spark backend,
puts each pair at the same level as on DuckDB: typos, nicknames, moves, dates and nulls."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from probity.resolve.on_spark import spark_condition
from probity.resolve.tasks import all_tasks
from probity.warehouse.spark import SparkEngine, SparkSettings

# One pair per row: (left, right) for each column a comparison reads; NULL where not given.
PAIRS: list[dict[str, tuple[str, str]]] = [
    {  # the same person, spelt the same
        "surname": ("'smyth'", "'smyth'"),
        "forename": ("'john'", "'john'"),
        "forename_forms": ("['john', 'jon']", "['john', 'jon']"),
        "initial": ("'j'", "'j'"),
        "forenames_full": ("'john albert'", "'john albert'"),
        "dob": ("DATE '1980-03-14'", "DATE '1980-03-14'"),
        "birth_year": ("1980", "1980"),
        "birth_month": ("3", "3"),
        "postcode": ("'SE13 5AB'", "'SE13 5AB'"),
        "district": ("'SE13'", "'SE13'"),
        "warrant": ("'241187'", "'241187'"),
        "rank": ("'PC'", "'PC'"),
        "unit": ("'lewisham response'", "'lewisham response'"),
        "command": ("'south east'", "'south east'"),
        "stem": ("'SMYTHJ'", "'SMYTHJ'"),
        "login": ("'LSMYTHJ04'", "'SMYTHJ04'"),
        "created": ("DATE '2015-06-01'", "NULL"),
        "start": ("NULL", "DATE '2010-01-04'"),
        "leave": ("NULL", "NULL"),
    },
    {  # a typo, a nickname, a move across the district, a birth a month out
        "surname": ("'smyth'", "'smith'"),
        "forename": ("'jon'", "'jonathan'"),
        "forename_forms": ("['jon', 'jonathan']", "['jonathan']"),
        "initial": ("'j'", "'j'"),
        "forenames_full": ("'jon'", "'jonathan paul'"),
        "dob": ("DATE '1980-03-14'", "DATE '1980-04-14'"),
        "birth_year": ("1980", "1980"),
        "birth_month": ("3", "4"),
        "postcode": ("'SE13 5AB'", "'SE13 7ZZ'"),
        "district": ("'SE13'", "'SE13'"),
        "unit": ("'lewisham response'", "'south east'"),
        "command": ("NULL", "'south east'"),
        "stem": ("'SMYTHJ'", "'SMITHJ'"),
        "login": ("'SMYTHJ04'", "'SMITHJ02'"),
        "created": ("DATE '2009-06-01'", "NULL"),
        "start": ("NULL", "DATE '2010-01-04'"),
        "leave": ("NULL", "DATE '2020-01-04'"),
    },
    {  # the sides the other way round: a log-in made in its holder's first weeks
        "surname": ("'okafor'", "'okafor'"),
        "created": ("NULL", "DATE '2018-02-20'"),
        "start": ("DATE '2018-02-01'", "NULL"),
        "leave": ("DATE '2025-03-31'", "NULL"),
    },
    {  # two slips in a long surname, a birth within the year, nothing else alike
        "surname": ("'macdonald'", "'mcdonnald'"),
        "forename": ("'sarah'", "'priya'"),
        "forename_forms": ("['sadie', 'sarah']", "['priya']"),
        "initial": ("'s'", "'p'"),
        "forenames_full": ("'sarah jane'", "'priya devi'"),
        "dob": ("DATE '1975-12-30'", "DATE '1976-02-02'"),
        "birth_year": ("1975", "1976"),
        "birth_month": ("12", "2"),
        "postcode": ("'N1 9GU'", "'E17 4PP'"),
        "district": ("'N1'", "'E17'"),
        "warrant": ("'111111'", "'222222'"),
        "rank": ("'DC'", "'PS'"),
        "unit": ("'islington cid'", "'waltham forest response'"),
        "command": ("'central north'", "'north east'"),
        "stem": ("'MACDOS'", "'MCDONP'"),
    },
    {  # nothing recorded on the left
        "surname": ("NULL", "'okafor'"),
        "dob": ("NULL", "DATE '1990-01-01'"),
        "postcode": ("NULL", "'E1 6AN'"),
    },
]


def _pairs_sql() -> str:
    columns = sorted({c for row in PAIRS for c in row})
    selects = []
    for i, row in enumerate(PAIRS):
        values = [f"{i} AS pair"]
        for c in columns:
            left, right = row.get(c, ("NULL", "NULL"))
            values += [f"{left} AS {c}_l", f"{right} AS {c}_r"]
        selects.append("SELECT " + ", ".join(values))
    return " UNION ALL ".join(selects)


def _level_sql(comparison: dict[str, Any], translate: bool) -> str:
    """The index of the level a pair falls in, as Splink assigns it (first that holds)."""
    cases = []
    for i, level in enumerate(comparison["comparison_levels"]):
        condition = level["sql_condition"]
        if condition == "ELSE":
            cases.append(f"ELSE {i}")
        else:
            cases.append(f"WHEN {spark_condition(condition) if translate else condition} THEN {i}")
    return "CASE " + " ".join(cases) + " END"


COMPARISONS = {
    f"{task.name}.{c['output_column_name']}": c for task in all_tasks() for c in task.comparisons
}


@pytest.fixture(scope="module")
def pairs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, SparkEngine]]:
    from splink.backends.spark import SparkAPI

    con = duckdb.connect()
    con.execute(f"CREATE TABLE pairs AS {_pairs_sql()}")
    path = Path(tmp_path_factory.mktemp("pairs")) / "pairs.parquet"
    con.execute(f"COPY pairs TO '{path}' (FORMAT parquet)")
    spark = SparkEngine(SparkSettings("local[1]", {"spark.sql.shuffle.partitions": "1"}))
    SparkAPI(spark_session=spark.session)  # registers Splink's similarity functions
    spark.load_parquet("pairs", path)
    yield con, spark
    spark.close()
    con.close()


@pytest.mark.parametrize("comparison", COMPARISONS.values(), ids=COMPARISONS.keys())
def test_each_pair_lands_on_the_same_level(
    pairs: tuple[Any, SparkEngine], comparison: dict[str, Any]
) -> None:
    con, spark = pairs
    on_duckdb = con.sql(
        f"SELECT {_level_sql(comparison, False)} FROM pairs ORDER BY pair"
    ).fetchall()
    frame = spark.session.sql(
        f"SELECT {_level_sql(comparison, True)} AS level FROM pairs ORDER BY pair"
    )
    on_spark = [(r["level"],) for r in frame.collect()]
    assert on_spark == on_duckdb
    # The pairs reach more than one level, so agreement is not two columns of the null level.
    assert len(set(on_duckdb)) > 1


def test_jaro_winkler_becomes_splinks_spark_function() -> None:
    translated = spark_condition("jaro_winkler_similarity(surname_l, surname_r) >= 0.92")
    assert translated.lower().startswith("jaro_winkler(")

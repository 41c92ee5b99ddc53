"""Each DuckDB construct the detectors use gives the same answer on Spark once translated,
including the cases where the two engines' own functions disagree."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from probity.detectors.rostered_no_activity import DAY_ZERO, DAYS_PER_BLOCK
from probity.warehouse.spark import SparkEngine, SparkSettings

ROWS = """SELECT * FROM (VALUES
    ('E1', 'b', TIMESTAMP '2026-01-01 23:00', 3),
    ('E1', 'a', TIMESTAMP '2026-01-02 01:00', 1),
    ('E1', 'b', TIMESTAMP '2026-01-05 12:00', 2),
    ('E2', 'c', TIMESTAMP '2026-02-01 08:00', 5)) AS t(person_key, tie, seen_at, n)"""

CASES = {
    # DuckDB counts midnights crossed; Spark's own DATEDIFF(DAY, ...) counts whole days.
    "days between": "SELECT date_diff('day', TIMESTAMP '2026-01-01 23:00', TIMESTAMP '2026-01-02 01:00')",
    "string_agg distinct": "SELECT person_key, string_agg(DISTINCT tie, ', ' ORDER BY tie) FROM t GROUP BY ALL ORDER BY 1",
    "string_agg, ties broken by value": "SELECT person_key, string_agg(tie, '; ' ORDER BY n > 0, tie) FROM t GROUP BY ALL ORDER BY 1",
    "string_agg ordered": "SELECT person_key, string_agg(tie, '; ' ORDER BY seen_at) FROM t GROUP BY ALL ORDER BY 1",
    "money": "SELECT format('{:,.2f}', CAST(1234567.891 AS DOUBLE)), format('{:,.2f}', CAST(5 AS DOUBLE))",
    "poisson tail sum": "SELECT round(list_sum(list_transform(range(n), lambda i: exp(-2.0 + i * ln(2.0) - lgamma(i + 1)))), 9) FROM t ORDER BY n",
    "empty range": "SELECT coalesce(list_sum(list_transform(range(CAST(n AS BIGINT), CAST(n AS BIGINT)), lambda i: 1.0)), 0) FROM t ORDER BY n",
    "seconds between": "SELECT sum(epoch(TIMESTAMP '2026-01-02 06:30' - seen_at)) FROM t WHERE n = 3",
    "group by all": "SELECT person_key, count(*) AS k FROM t GROUP BY ALL ORDER BY 1",
    "materialized cte": "WITH x AS MATERIALIZED (SELECT person_key FROM t) SELECT count(*) FROM x",
    # Days packed into the bits of a number, as `rostered_no_activity` packs badge swipes.
    "highest bit of a block": f"SELECT CAST(1 AS BIGINT) << {DAYS_PER_BLOCK - 1}, (CAST(1 AS BIGINT) << {DAYS_PER_BLOCK - 1}) >> {DAYS_PER_BLOCK - 1} & 1",
    "days packed as bits": f"""
        WITH d AS (SELECT person_key, date_diff('day', {DAY_ZERO}, CAST(seen_at AS DATE)) AS day FROM t),
        packed AS (SELECT person_key, day // {DAYS_PER_BLOCK} AS block,
                          bit_or(CAST(1 AS BIGINT) << (day % {DAYS_PER_BLOCK})) AS days FROM d GROUP BY 1, 2)
        SELECT p.person_key, p.block, p.days, d.day, (p.days >> (d.day % {DAYS_PER_BLOCK})) & 1,
               (p.days >> ((d.day + 1) % {DAYS_PER_BLOCK})) & 1
        FROM packed p JOIN d ON d.person_key = p.person_key AND d.day // {DAYS_PER_BLOCK} = p.block
        ORDER BY 1, 2, 3, 4""",
}


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkEngine]:
    engine = SparkEngine(SparkSettings("local[1]", {"spark.sql.shuffle.partitions": "1"}))
    engine.cache_view("t", ROWS)
    yield engine
    engine.close()


@pytest.mark.parametrize("sql", CASES.values(), ids=CASES.keys())
def test_same_answer_on_both_engines(spark: SparkEngine, sql: str) -> None:
    con = duckdb.connect()
    con.execute(f"CREATE TABLE t AS {ROWS}")
    expected = [tuple(r) for r in con.sql(sql).fetchall()]
    got = [tuple(r.values()) for r in spark.fetch_arrow(sql).to_pylist()]
    assert got == expected


def test_an_unordered_string_agg_is_refused() -> None:
    """DuckDB joins an unordered string_agg in whatever order it meets the rows."""
    from probity.warehouse.dialect import to_spark

    with pytest.raises(ValueError, match="ORDER BY"):
        to_spark("SELECT string_agg(DISTINCT tie, ', ') FROM t")


def test_local_mode_gives_the_driver_more_than_sparks_default_heap(spark: SparkEngine) -> None:
    # Spark's own default is 1 GiB, in which the detectors' cached views and long plans stall.
    heap = spark.session.sparkContext._jvm.java.lang.Runtime.getRuntime().maxMemory()
    assert heap > 3 * 2**30

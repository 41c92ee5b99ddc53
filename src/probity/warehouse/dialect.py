"""DuckDB SQL → Spark SQL, so that detectors are written once (in DuckDB's dialect) and run on
either engine. SQLGlot does the translation; the few DuckDB functions it maps to something
Spark 3.5 lacks, or with other semantics, are rewritten here and nowhere else:

- `string_agg(x, sep ORDER BY k [, x])`: Spark 3.5 has no LISTAGG; collect, sort, join. An
  unordered string_agg is refused: DuckDB joins in no defined order;
- `list_sum(l)`: `aggregate`;
- `epoch(t1 - t2)`: the difference of the two instants in seconds;
- `format('{:,.2f}', x)`: `format_number(x, 2)`;
- `lgamma(x)`: Spark has none; Apache Commons Math's, which ships with Spark;
- `date_diff('day', a, b)`: DuckDB counts midnights crossed, Spark's DATEDIFF(DAY, …) whole
  24-hour periods, so it becomes the difference of the two dates;
- `GROUP BY ALL`: the select list's non-aggregate expressions.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp

TWO_DECIMALS_WITH_COMMAS = "{:,.2f}"


def to_spark(sql: str) -> str:
    """The statement `sql`, written for DuckDB, as Spark SQL."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    # Innermost first, so that a rewrite built from its arguments' Spark text sees them rewritten.
    for node in reversed(list(tree.walk())):
        rewritten = _rewrite(node)
        if rewritten is not node:
            if node is tree:
                tree = rewritten
            else:
                node.replace(rewritten)
    for select in tree.find_all(exp.Select):
        _expand_group_by_all(select)
    for cte in tree.find_all(exp.CTE):
        cte.set("materialized", None)  # a DuckDB planning hint Spark does not parse
    return tree.sql(dialect="spark")


def _rewrite(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.GroupConcat):
        return _string_agg(node)
    if isinstance(node, exp.Anonymous) and node.name.lower() == "list_sum":
        return sqlglot.parse_one(
            f"aggregate({node.expressions[0].sql('spark')}, CAST(0 AS DOUBLE), (acc, v) -> acc + v)",
            read="spark",
        )
    if isinstance(node, exp.TimeToUnix) and isinstance(node.this, exp.Sub):
        later, earlier = node.this.this.sql("spark"), node.this.expression.sql("spark")
        return sqlglot.parse_one(
            f"((unix_micros(CAST({later} AS TIMESTAMP)) - unix_micros(CAST({earlier} AS TIMESTAMP))) / 1000000.0)",
            read="spark",
        )
    if isinstance(node, exp.DateDiff) and node.text("unit").upper() == "DAY":
        later, earlier = node.this.sql("spark"), node.expression.sql("spark")
        return sqlglot.parse_one(
            f"datediff(CAST({later} AS DATE), CAST({earlier} AS DATE))", read="spark"
        )
    if isinstance(node, exp.Anonymous) and node.name.lower() == "lgamma":
        x = node.expressions[0].sql("spark")
        return sqlglot.parse_one(
            f"CAST(reflect('org.apache.commons.math3.special.Gamma', 'logGamma', CAST({x} AS DOUBLE)) AS DOUBLE)",
            read="spark",
        )
    if isinstance(node, exp.Format) or (
        isinstance(node, exp.Anonymous) and node.name.lower() == "format"
    ):
        return _format(node)
    return node


def _string_agg(node: exp.GroupConcat) -> exp.Expr:
    value = node.this
    if not isinstance(value, exp.Order):
        # DuckDB joins in no defined order: a reason sentence would change from run to run.
        raise ValueError(f"string_agg needs an ORDER BY: {node.sql('duckdb')}")
    keys = [o.this for o in value.expressions]
    if any(o.args.get("desc") for o in value.expressions):
        raise ValueError(f"string_agg ordered descending has no translation: {node.sql('duckdb')}")
    value = value.this
    plain = value.expressions[0] if isinstance(value, exp.Distinct) else value
    if len(keys) > 1 and keys[-1] == plain:
        keys = keys[:-1]  # Spark sorts (key, value) pairs: the value breaks ties anyway
    if len(keys) > 1:
        raise ValueError(f"string_agg orders by one key (then the value): {node.sql('duckdb')}")
    order: exp.Expr | None = keys[0]
    distinct = isinstance(value, exp.Distinct)
    if distinct:
        value = value.expressions[0]
    separator = node.args.get("separator") or exp.Literal.string(",")
    sep = separator.sql("spark")
    v = value.sql("spark")
    if distinct or order is None or order == value:
        collected = f"collect_set({v})" if distinct else f"collect_list({v})"
        return sqlglot.parse_one(f"array_join(array_sort({collected}), {sep})", read="spark")
    key = order.sql("spark")
    return sqlglot.parse_one(
        f"array_join(transform(array_sort(collect_list(struct({key} AS k, {v} AS v))), s -> s.v), {sep})",
        read="spark",
    )


def _format(node: exp.Expr) -> exp.Expr:
    args = [node.this, *node.expressions] if isinstance(node, exp.Format) else node.expressions
    pattern = args[0]
    if isinstance(pattern, exp.Literal) and pattern.name == TWO_DECIMALS_WITH_COMMAS:
        return exp.Anonymous(this="format_number", expressions=[args[1], exp.Literal.number(2)])
    raise ValueError(f"no Spark equivalent for format({pattern.sql('duckdb')}, ...)")


def _expand_group_by_all(select: exp.Select) -> None:
    group = select.args.get("group")
    if group is None or not group.args.get("all"):
        return
    keys = [
        e.unalias().copy()
        for e in select.expressions
        if not e.unalias().find(exp.AggFunc, exp.Window)
    ]
    select.set("group", exp.Group(expressions=keys))


def tables_read(sql: str) -> set[str]:
    """The warehouse tables a DuckDB statement reads (not its CTEs)."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    return {t.name for t in tree.find_all(exp.Table) if t.name and t.name not in ctes}

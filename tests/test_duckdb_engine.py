"""The DuckDB engine's session settings."""

from __future__ import annotations

import duckdb
import pytest

from probity.warehouse.engine import DuckDBEngine


def test_lambdas_must_use_the_syntax_duckdb_2_keeps() -> None:
    engine = DuckDBEngine()
    assert engine.fetch("SELECT list_transform([1, 2], lambda x: x + 1)") == [([2, 3],)]
    with pytest.raises(duckdb.BinderException, match="lambda"):
        engine.fetch("SELECT list_transform([1, 2], x -> x + 1)")
    # JSON's arrow operators are not lambdas and still work.
    assert engine.fetch("""SELECT '{"a": 1}'::JSON ->> 'a'""") == [("1",)]

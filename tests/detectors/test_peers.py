from __future__ import annotations

import math

import duckdb
import pytest

from probity.detectors.peers import poisson_tail_sql


def exact_tail(k: int, lam: float) -> float:
    return 1 - sum(math.exp(-lam) * lam**i / math.factorial(i) for i in range(k))


@pytest.mark.parametrize(("k", "lam"), [(1, 0.2), (3, 0.3), (5, 0.545), (12, 4.0), (40, 30.0)])
def test_poisson_tail_matches_the_exact_sum(k: int, lam: float) -> None:
    got = duckdb.sql(f"SELECT {poisson_tail_sql(str(k), str(lam))}").fetchone()
    assert got is not None
    assert got[0] == pytest.approx(exact_tail(k, lam), rel=1e-9, abs=1e-12)


def test_poisson_tail_does_not_overflow_on_large_counts_and_handles_zero_rates() -> None:
    got = duckdb.sql(
        f"SELECT {poisson_tail_sql('400', '20.0')}, {poisson_tail_sql('1', '0.0')}, {poisson_tail_sql('0', '3.0')}"
    ).fetchone()
    assert got == (pytest.approx(0.0, abs=1e-12), 0.0, 1.0)

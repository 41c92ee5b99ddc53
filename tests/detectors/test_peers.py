from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from probity.detectors.base import run_detector
from probity.detectors.peers import binomial_tail_sql, poisson_tail_sql
from probity.detectors.registry import detector
from probity.warehouse.engine import DuckDBEngine
from tests.exports import UNITS, person, write_csv
from tests.warehouse import prepared


def first_row(sql: str) -> tuple[Any, ...]:
    """The first row of `sql`, through the engine the detectors run on."""
    return DuckDBEngine().fetch(sql)[0]


def exact_tail(k: int, lam: float) -> float:
    return 1 - sum(math.exp(-lam) * lam**i / math.factorial(i) for i in range(k))


@pytest.mark.parametrize(("k", "lam"), [(1, 0.2), (3, 0.3), (5, 0.545), (12, 4.0), (40, 30.0)])
def test_poisson_tail_matches_the_exact_sum(k: int, lam: float) -> None:
    got = first_row(f"SELECT {poisson_tail_sql(str(k), str(lam))}")
    assert got[0] == pytest.approx(exact_tail(k, lam), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize(
    ("k", "n", "p", "upper"),
    [
        (0, 10, 0.3, False),
        (3, 43, 0.3, False),
        (17, 43, 0.2, True),
        (41, 60, 0.2, True),
        (5, 5, 0.5, True),
    ],
)
def test_binomial_tails_match_the_exact_sum(k: int, n: int, p: float, upper: bool) -> None:
    got = first_row(f"SELECT {binomial_tail_sql(str(k), str(n), str(p), upper)}")
    terms = range(k, n + 1) if upper else range(k + 1)
    exact = sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in terms)
    assert got[0] == pytest.approx(exact, rel=1e-9, abs=1e-15)


def test_poisson_tail_does_not_overflow_on_large_counts_and_handles_zero_rates() -> None:
    got = first_row(
        f"SELECT {poisson_tail_sql('400', '20.0')}, {poisson_tail_sql('1', '0.0')}, {poisson_tail_sql('0', '3.0')}"
    )
    assert got == (pytest.approx(0.0, abs=1e-12), 0.0, 1.0)


def test_a_peer_comparison_with_too_few_peers_is_skipped_with_a_reason(tmp_path: Path) -> None:
    write_csv(tmp_path, "people", [person("E1"), person("E2"), person("E3")])
    write_csv(tmp_path, "units", UNITS)
    write_csv(tmp_path, "complaints", [])
    engine, absent = prepared(tmp_path)
    d = detector("complaint_rate")
    outcome = run_detector(engine, d, d.params(), absent)
    assert outcome.status == "skipped"
    assert outcome.reason == (
        "too few peers: the largest peer group has 2 others for each member; comparisons need 5"
    )
    # With the policy asking for fewer peers, the same force is compared.
    assert run_detector(engine, d, d.params({"min_peers": 2}), absent).status == "ran"

"""A rule breach keeps its severity while it is rare, and says less about each person when the
run finds it across much of the workforce (a systemic failing, such as a vetting backlog)."""

from __future__ import annotations

import duckdb
import pytest

from probity.detectors.base import rule_strength


def strength(flagged: int, workforce: int = 1000) -> float:
    con = duckdb.connect()
    con.execute(f"CREATE TABLE person_dim AS SELECT range AS person_key FROM range({workforce})")
    con.execute(f"CREATE TABLE _evidence AS SELECT range AS person_key FROM range({flagged})")
    return float(con.sql(f"SELECT {rule_strength('0.9')}").fetchall()[0][0])


def test_a_rare_breach_keeps_nearly_all_its_severity() -> None:
    assert strength(2) == pytest.approx(0.9 * (1 - 5 * 0.002))


def test_the_commoner_the_breach_the_less_it_says_down_to_a_third() -> None:
    shares = [strength(n) for n in (1, 10, 50, 100, 200, 600)]
    assert shares == sorted(shares, reverse=True)
    assert shares[-1] == pytest.approx(0.3)

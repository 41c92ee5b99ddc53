"""Sex and ethnicity are for the fairness audit only: no detector reads them."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from probity.contract import TABLES
from probity.detectors.base import run_detector
from probity.detectors.registry import all_detectors
from probity.warehouse.engine import DuckDBEngine
from tests.warehouse import prepared

PROTECTED = [c.name for t in TABLES for c in t.columns if c.protected]


@pytest.mark.parametrize("detector", all_detectors(), ids=lambda d: d.name)
def test_detector_sql_names_no_protected_column_and_no_raw_people_table(detector: object) -> None:
    source = inspect.getsource(inspect.getmodule(detector))  # type: ignore[arg-type]
    for column in PROTECTED:
        assert not re.search(rf"\b{column}\b", source), column
    assert not re.search(r"\b(FROM|JOIN)\s+people\b", source, re.IGNORECASE)


def scramble_protected(engine: DuckDBEngine) -> None:
    """Every person gets another person's sex and ethnicity; nothing a detector says may change."""
    engine.execute(
        """UPDATE people SET sex = s.sex, ethnicity = s.ethnicity FROM (
             SELECT person_id, lead(sex, 7, 'X') OVER (ORDER BY person_id) AS sex,
                    lead(ethnicity, 7, 'Other') OVER (ORDER BY person_id) AS ethnicity FROM people) s
           WHERE s.person_id = people.person_id"""
    )


def signals_with(exports: Path, scramble: bool) -> list[tuple[object, ...]]:
    engine, absent = prepared(exports, scramble_protected if scramble else None)
    for d in all_detectors():
        run_detector(engine, d, d.params(), absent)
    return engine.fetch("SELECT signal_id, strength, reason FROM signals ORDER BY signal_id")


def test_shuffling_sex_and_ethnicity_changes_no_signal(small_force: Path) -> None:
    original = signals_with(small_force, scramble=False)
    assert original
    assert signals_with(small_force, scramble=True) == original

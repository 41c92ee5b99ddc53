"""Rolling-origin folds never let a training label window reach past the test cutoff."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from probity.model.temporal import Fold, LabelLeak, Schedule, add_months, check_no_leak


@given(
    first_year=st.integers(2000, 2030),
    first_month=st.integers(1, 12),
    span=st.integers(1, 120),
    horizon=st.integers(1, 24),
    step=st.integers(1, 12),
)
def test_every_fold_trains_only_on_closed_label_windows(
    first_year: int, first_month: int, span: int, horizon: int, step: int
) -> None:
    first = date(first_year, first_month, 1)
    schedule = Schedule(first, add_months(first, span), horizon, step)
    for fold in schedule.folds():
        assert fold.train_cutoffs
        assert fold.test_cutoff not in fold.train_cutoffs
        for t in fold.train_cutoffs:
            assert add_months(t, horizon) <= fold.test_cutoff
        # The test label window itself ends within the data.
        assert add_months(fold.test_cutoff, horizon) <= schedule.end


def test_a_leaking_fold_is_caught() -> None:
    leaky = Fold(train_cutoffs=(date(2024, 1, 1), date(2024, 7, 1)), test_cutoff=date(2025, 1, 1))
    with pytest.raises(LabelLeak, match="2024-07-01"):
        check_no_leak(leaky, horizon_months=12)
    check_no_leak(leaky, horizon_months=6)  # with a 6-month window the same fold is sound


def test_two_label_windows_of_history_are_needed_for_a_fold() -> None:
    start = date(2024, 1, 1)
    assert Schedule(start, add_months(start, 23), 12, 3).folds() == []
    assert len(Schedule(start, add_months(start, 24), 12, 3).folds()) == 1

"""Cutoff dates and rolling-origin validation folds, with a guard against label leakage.

A training example at cutoff T sees features before T and is labelled by what happens in
[T, T + horizon). A fold that tests at cutoff S may train only on examples whose label window
has closed by S (T + horizon <= S); anything else lets the future leak into training.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


def add_months(d: date, months: int) -> date:
    m = d.month - 1 + months
    return date(d.year + m // 12, m % 12 + 1, 1)


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


@dataclass(frozen=True)
class Fold:
    train_cutoffs: tuple[date, ...]
    test_cutoff: date


class LabelLeak(ValueError):
    """A training label window reaches past the test cutoff."""


def check_no_leak(fold: Fold, horizon_months: int) -> None:
    for t in fold.train_cutoffs:
        if add_months(t, horizon_months) > fold.test_cutoff:
            raise LabelLeak(
                f"training cutoff {t} is labelled up to {add_months(t, horizon_months)}, "
                f"after the test cutoff {fold.test_cutoff}"
            )


@dataclass(frozen=True)
class Schedule:
    """Cutoffs every `step` months from `first` while the label window fits before `end`."""

    first: date
    end: date  # first month after the data
    horizon: int
    step: int

    def labelled_cutoffs(self) -> list[date]:
        out = []
        t = self.first
        while add_months(t, self.horizon) <= self.end:
            out.append(t)
            t = add_months(t, self.step)
        return out

    def folds(self) -> list[Fold]:
        """Each labelled cutoff that has at least one fully labelled cutoff before it."""
        cutoffs = self.labelled_cutoffs()
        folds = []
        for test in cutoffs:
            train = tuple(t for t in cutoffs if add_months(t, self.horizon) <= test)
            if train:
                fold = Fold(train, test)
                check_no_leak(fold, self.horizon)
                folds.append(fold)
        return folds

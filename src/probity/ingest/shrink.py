"""A brake on publishing a failed export: a run whose tables hold far fewer records than the
last good run's is refused before anything is published, unless someone accepts the shrink
with a reason (audited).

An export job that failed part-way often leaves a header-only `people.csv` or an empty access
log; loaded as they are, they would publish an empty or thin queue over a good one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Shrink:
    table: str
    before: int
    now: int

    @property
    def fraction(self) -> float:
        return 1 - self.now / self.before

    def describe(self) -> str:
        return f"{self.table}: {self.now:,} records against {self.before:,} (-{self.fraction:.0%})"


class ShrinkRefused(Exception):
    """The exports shrank beyond the policy's fraction and nobody accepted it."""

    def __init__(self, shrinks: list[Shrink], last_run: str, max_fraction: float) -> None:
        self.shrinks = shrinks
        listed = "; ".join(s.describe() for s in shrinks)
        super().__init__(
            f"the exports shrank against the last good run {last_run} by more than the "
            f"policy's {max_fraction:.0%}: {listed}. If the exports are right, run again with "
            "--accept-shrink REASON"
        )


def shrinkage(
    records_now: Mapping[str, int],
    tables_before: Mapping[str, Mapping[str, Any]],
    max_fraction: float,
) -> list[Shrink]:
    """Tables with more than `max_fraction` fewer records read than the last good run's report
    (`tables_before`, its `tables` section); a table now absent counts as 0 records."""
    found: list[Shrink] = []
    for table, before in tables_before.items():
        had = int(before.get("rows_read") or 0)
        now = int(records_now.get(table, 0))
        if had and now < had and 1 - now / had > max_fraction:
            found.append(Shrink(table, had, now))
    return found

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from probity.detectors.base import CONCERNS
from probity.ranking.priority import priority

strength = st.floats(min_value=0.01, max_value=0.99)
signal = st.tuples(st.sampled_from(CONCERNS), strength)


def test_independent_concerns_that_converge_outrank_one_concern_repeated() -> None:
    converging, _ = priority([("information_misuse", 0.6), ("claims_and_attendance", 0.6)])
    repeated, _ = priority([("information_misuse", 0.6), ("information_misuse", 0.6)])
    assert converging > repeated


def test_concerns_are_listed_strongest_first() -> None:
    _, concerns = priority(
        [("undeclared_interest", 0.5), ("information_misuse", 0.9), ("undeclared_interest", 0.2)]
    )
    assert concerns == ["information_misuse", "undeclared_interest"]


@given(st.lists(signal, min_size=1, max_size=8), signal)
def test_more_evidence_never_lowers_priority(
    signals: list[tuple[str, float]], extra: tuple[str, float]
) -> None:
    before, _ = priority(signals)
    after, _ = priority([*signals, extra])
    assert after >= before


@given(st.lists(signal, min_size=1, max_size=8))
def test_priority_stays_between_the_strongest_signal_and_one_hundred(
    signals: list[tuple[str, float]],
) -> None:
    score, _ = priority(signals)
    assert max(s for _, s in signals) * 100 - 0.01 <= score <= 100

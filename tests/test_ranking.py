from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from probity.detectors.base import CONCERNS
from probity.ranking.priority import priority

strength = st.floats(min_value=0.01, max_value=0.99)
signal = st.tuples(st.sampled_from(tuple(CONCERNS)), strength)


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


@given(st.lists(signal, min_size=1, max_size=8), st.data())
def test_a_detector_split_in_two_says_no_more_than_it_did_whole(
    signals: list[tuple[str, float]], data: st.DataObject
) -> None:
    # One of the person's signals is split into two of the same concern, each no stronger
    # than the whole: the priority does not rise.
    i = data.draw(st.integers(0, len(signals) - 1))
    concern, whole = signals[i]
    parts = data.draw(st.tuples(st.floats(0.0, whole), st.floats(0.0, whole)))
    split = [*signals[:i], *signals[i + 1 :], (concern, parts[0]), (concern, parts[1])]
    assert priority(split)[0] <= priority(signals)[0]


@given(st.lists(signal, min_size=1, max_size=8), st.data())
def test_a_stronger_signal_never_lowers_priority(
    signals: list[tuple[str, float]], data: st.DataObject
) -> None:
    i = data.draw(st.integers(0, len(signals) - 1))
    concern, s = signals[i]
    stronger = data.draw(st.floats(s, 0.99))
    raised = [*signals[:i], (concern, stronger), *signals[i + 1 :]]
    assert priority(raised)[0] >= priority(signals)[0]

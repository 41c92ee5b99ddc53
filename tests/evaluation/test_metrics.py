"""Ranking metrics, checked against figures worked out by hand."""

from __future__ import annotations

from probity.evaluation.metrics import at_k, average_precision, churn

PLANTED = {"a": {"information_misuse"}, "b": {"claims_and_attendance"}, "c": {"information_misuse"}}
DECOYS = {"d1", "d2"}


def test_precision_recall_and_decoys_at_k() -> None:
    m = at_k(["a", "d1", "x", "b", "c"], PLANTED, DECOYS, k=4)
    assert (m["true_positives"], m["precision"], m["recall"]) == (2, 0.5, round(2 / 3, 4))
    assert (m["decoys"], m["decoy_share"]) == (1, 0.25)
    assert m["recall_per_concern"]["information_misuse"] == {
        "planted": 2,
        "found": 1,
        "recall": 0.5,
    }
    assert m["recall_per_concern"]["claims_and_attendance"]["recall"] == 1.0


def test_average_precision_counts_unranked_plants_as_misses() -> None:
    # Hits at ranks 1 and 3: (1/1 + 2/3) / 3 planted.
    assert average_precision(["a", "x", "b"], PLANTED) == round((1 + 2 / 3) / 3, 4)
    assert average_precision(["a", "b", "c"], PLANTED) == 1.0
    assert average_precision([], PLANTED) == 0.0


def test_churn_is_the_share_of_the_top_k_that_is_new() -> None:
    assert churn(["a", "b", "c"], ["a", "b", "c"], 3) == 0.0
    assert churn(["a", "b", "c"], ["c", "x", "y"], 3) == round(2 / 3, 4)
    assert churn(["a"], None, 1) is None


def test_churn_of_a_queue_shorter_than_k_counts_only_what_is_listed() -> None:
    assert churn(["a", "b"], ["a", "b"], 10) == 0.0
    assert churn(["a", "b"], ["a"], 10) == 0.5

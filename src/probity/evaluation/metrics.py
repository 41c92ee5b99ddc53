"""Ranking quality against ground truth: precision and recall at k, average precision, recall
per concern, the share of decoys in the top k, and churn between runs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def at_k(
    ranking: Sequence[str], planted: dict[str, set[str]], decoys: set[str], k: int
) -> dict[str, Any]:
    top = list(ranking[:k])
    hits = [p for p in top if p in planted]
    concerns = sorted({c for cs in planted.values() for c in cs})
    per_concern = {}
    for concern in concerns:
        wanted = {p for p, cs in planted.items() if concern in cs}
        found = wanted & set(top)
        per_concern[concern] = {
            "planted": len(wanted),
            "found": len(found),
            "recall": round(len(found) / len(wanted), 4) if wanted else None,
        }
    return {
        "k": k,
        "true_positives": len(hits),
        "precision": round(len(hits) / k, 4) if k else None,
        "recall": round(len(hits) / len(planted), 4) if planted else None,
        "decoys": sum(1 for p in top if p in decoys),
        "decoy_share": round(sum(1 for p in top if p in decoys) / k, 4) if k else None,
        "recall_per_concern": per_concern,
    }


def average_precision(ranking: Sequence[str], planted: dict[str, set[str]]) -> float | None:
    """Mean of precision at each planted person's rank; planted people never ranked count as 0."""
    if not planted:
        return None
    found, total = 0, 0.0
    for i, person in enumerate(ranking, start=1):
        if person in planted:
            found += 1
            total += found / i
    return round(total / len(planted), 4)


def churn(current: Sequence[str], previous: Sequence[str] | None, k: int) -> float | None:
    """Share of the current top k (or the whole queue, if shorter) that was not in the
    previous run's top k."""
    top = set(current[:k])
    if previous is None or not top:
        return None
    return round(1 - len(top & set(previous[:k])) / len(top), 4)

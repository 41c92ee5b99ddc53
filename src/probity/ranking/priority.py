"""Priority v2: independent concerns converge; within one concern the strongest signal counts.

Strengths are on one scale (the probability that a reviewer finds a real concern; see the
detector catalogue's "How strengths compare"). Within a concern only the strongest signal
counts: two detectors reading the same kind of evidence, or one detector split in two, say no
more than the stronger of them. Across concerns strengths combine as independent evidence:
1 - Π(1 - s). Adding a signal, or strengthening one, never lowers a priority.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa

from probity.casework.feedback import REVIEW_HISTORY, already_reviewed
from probity.warehouse.engine import Engine


def concern_strength(strengths: Iterable[float]) -> float:
    return max(strengths, default=0.0)


def combine(concerns: Iterable[float]) -> float:
    remainder = 1.0
    for c in concerns:
        remainder *= 1.0 - c
    return 1.0 - remainder


def priority(signals: Iterable[tuple[str, float]]) -> tuple[float, list[str]]:
    """(priority 0–100, concerns strongest first) from (concern, strength) pairs."""
    by_concern: dict[str, list[float]] = {}
    for concern, strength in signals:
        by_concern.setdefault(concern, []).append(strength)
    strengths = {c: concern_strength(v) for c, v in by_concern.items()}
    ordered = sorted(strengths, key=lambda c: (-strengths[c], c))
    return round(100.0 * combine(strengths.values()), 2), ordered


QUEUE_DDL = """CREATE OR REPLACE TABLE queue (
    purpose VARCHAR, rank INTEGER, person_key VARCHAR, subject VARCHAR, priority DOUBLE,
    concerns VARCHAR, signals INTEGER, reason VARCHAR)"""


def build_queue(engine: Engine, pseudonyms: dict[str, str]) -> dict[str, int]:
    """Write the `queue` table; return the number of entries per purpose."""
    # Signals showing nothing a reviewer has not already decided on stay out of the queue.
    fresh = f"WHERE NOT {already_reviewed('s')}" if engine.table_exists(REVIEW_HISTORY) else ""
    rows = engine.fetch(
        f"""SELECT purpose, person_key, concern, strength, reason FROM signals s {fresh}
            ORDER BY purpose, person_key, strength DESC"""
    )
    grouped: dict[tuple[str, str], list[tuple[str, float, str]]] = {}
    for purpose, person, concern, strength, reason in rows:
        grouped.setdefault((purpose, person), []).append((concern, float(strength), reason))
    entries = []
    for (purpose, person), signals in grouped.items():
        score, concerns = priority((c, s) for c, s, _ in signals)
        strongest = max(signals, key=lambda x: (x[1], x[0]))
        entries.append(
            (
                purpose,
                person,
                pseudonyms[person],
                score,
                ";".join(concerns),
                len(signals),
                strongest[2],
            )
        )
    entries.sort(key=lambda e: (e[0], -e[3], e[2]))
    engine.execute(QUEUE_DDL)
    counts: dict[str, int] = {}
    ranked = []
    for purpose, person, subject, score, concern_list, n, reason in entries:
        counts[purpose] = counts.get(purpose, 0) + 1
        ranked.append((purpose, counts[purpose], person, subject, score, concern_list, n, reason))
    if ranked:
        names = [
            "purpose",
            "rank",
            "person_key",
            "subject",
            "priority",
            "concerns",
            "signals",
            "reason",
        ]
        table = pa.table({n: [r[i] for r in ranked] for i, n in enumerate(names)})
        engine.register("_queue_rows", table)
        engine.execute("INSERT INTO queue SELECT * FROM _queue_rows")
        engine.execute("DROP TABLE _queue_rows")
    return counts

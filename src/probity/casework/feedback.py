"""What people's decisions change in the next run.

- The same evidence is not queued twice: a signal whose detector a reviewer already had in front
  of them for that person and purpose, and whose evidence ends no later and is no larger than
  what they saw, is held back from the queue (it stays on the person page). New evidence puts
  the person back.
- A reviewer's finding teaches the model: a professional-standards decision of management
  advice or a referral counts as an outcome beside substantiated conduct cases, dated at the
  end of the evidence reviewed.

The pipeline copies the case store's decisions into the run's warehouse as `review_history`,
so a published run records which decisions it took into account.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa

from probity.casework.store import CONCERN_FOUND, Reviewed
from probity.governance.access import PROFESSIONAL_STANDARDS
from probity.warehouse.engine import Engine

REVIEW_HISTORY = "review_history"


def load_review_history(engine: Engine, reviewed: pa.Table) -> int:
    """Write `review_history` (one row per reviewed signal of each decision); returns the
    number of decisions."""
    engine.register(REVIEW_HISTORY, reviewed)
    return int(engine.fetch(f"SELECT count(DISTINCT decision_id) FROM {REVIEW_HISTORY}")[0][0])


def already_reviewed(signal: str) -> str:
    """SQL predicate: the signal aliased `signal` shows nothing a reviewer has not seen."""
    epoch = "TIMESTAMP '1900-01-01'"  # a signal with no dated evidence: a standing concern
    return f"""EXISTS (
        SELECT 1 FROM {REVIEW_HISTORY} r
        WHERE r.person_key = {signal}.person_key AND r.purpose = {signal}.purpose
          AND r.detector = {signal}.detector
          AND coalesce({signal}.period_end, {epoch}) <= coalesce(r.period_end, {epoch})
          AND {signal}.evidence_rows <= r.evidence_rows)"""


def findings_sql() -> str:
    """person_key, found_on: reviewers' professional-standards findings, as model outcomes."""
    found = ", ".join(f"'{o}'" for o in CONCERN_FOUND)
    return f"""SELECT person_key,
                      CAST(coalesce(max(period_end), any_value(decided_at)) AS DATE) AS found_on
               FROM {REVIEW_HISTORY}
               WHERE purpose = '{PROFESSIONAL_STANDARDS}' AND outcome IN ({found})
               GROUP BY decision_id, person_key"""


def held_back(engine: Engine) -> int:
    """How many of this run's signals were kept out of the queue as already reviewed."""
    return int(engine.fetch(f"SELECT count(*) FROM signals s WHERE {already_reviewed('s')}")[0][0])


def under_review(signals: Iterable[Mapping[str, Any]], purpose: str) -> list[Reviewed]:
    """The signals of `purpose` on a person's page: what a decision made there has reviewed."""
    return [
        Reviewed(s["detector"], s["period_end"], int(s["evidence_rows"] or 0))
        for s in signals
        if s["purpose"] == purpose
    ]

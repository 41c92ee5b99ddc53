"""Labels: a substantiated decision inside the window is a 1, a case still open at the window's
end is unknown (never a 0), and nothing else in the window is a 0."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pyarrow as pa

from probity.casework.feedback import load_review_history
from probity.casework.store import CaseStore, Reviewed
from probity.model.features import labelled, labels_at
from probity.warehouse.engine import DuckDBEngine

CUTOFF = date(2025, 1, 1)


def _labels(
    cases: list[tuple[str, str, str | None, str]], reviews: pa.Table | None = None
) -> dict[str, int | None]:
    engine = DuckDBEngine()
    if reviews is not None:
        load_review_history(engine, reviews)
    engine.execute(
        "CREATE TABLE conduct_cases (case_id VARCHAR, person_id VARCHAR, opened_date DATE, closed_date DATE, outcome VARCHAR)"
    )
    engine.execute("CREATE TABLE person_refs (ref VARCHAR, person_key VARCHAR)")
    for i, (person, opened, closed, outcome) in enumerate(cases):
        engine.execute(
            "INSERT INTO conduct_cases VALUES (?, ?, ?, ?, ?)",
            [f"C{i}", person, opened, closed, outcome],
        )
    reviewed = set(reviews.column("person_key").to_pylist()) if reviews is not None else set()
    people = sorted({c[0] for c in cases} | {"nobody"} | reviewed)
    for p in people:
        engine.execute("INSERT INTO person_refs VALUES (?, ?)", [p, p])
    import pandas as pd

    features = pd.DataFrame({"person_key": people, "cutoff": [CUTOFF] * len(people)})
    frame = labelled(features, labels_at(engine, [CUTOFF], 12))
    out: dict[str, int | None] = {p: None for p in people}
    out.update(dict(zip(frame["person_key"], frame["label"], strict=True)))
    return out


def test_labels() -> None:
    labels = _labels(
        [
            ("proved", "2024-11-01", "2025-06-01", "written_warning"),
            ("cleared", "2025-02-01", "2025-09-01", "no_case_to_answer"),
            ("still_open", "2025-03-01", None, "pending"),
            ("decided_after_window", "2025-06-01", "2026-03-01", "dismissal"),
            ("proved_before_cutoff", "2024-01-01", "2024-12-01", "written_warning"),
            ("reflective", "2025-01-15", "2025-05-01", "reflective_practice"),
        ]
    )
    assert labels == {
        "proved": 1,
        "cleared": 0,
        "still_open": None,
        "decided_after_window": None,  # open when the window closed: unknown, not a negative
        "proved_before_cutoff": 0,  # history, not the future
        "reflective": 0,
        "nobody": 0,
    }


def test_cutoffs_start_where_the_exports_start_not_at_the_oldest_event() -> None:
    from probity.model.features import data_end, data_start, history_start

    engine = DuckDBEngine()
    engine.execute("CREATE TABLE duty_intervals (person_key VARCHAR, duty_date DATE)")
    engine.execute(
        "CREATE TABLE person_month_events (person_key VARCHAR, month DATE, kind VARCHAR, n DOUBLE)"
    )
    engine.execute("INSERT INTO duty_intervals VALUES ('E1', '2023-10-02'), ('E1', '2026-09-30')")
    # A company appointment from 2016 is history, not the start of the exports.
    engine.execute(
        "INSERT INTO person_month_events VALUES ('E1', '2016-08-01', 'evidence_undeclared_interest', 1)"
    )
    assert history_start(engine) == date(2016, 8, 1)
    assert data_start(engine) == date(2023, 10, 1)
    assert data_end(engine) == date(2026, 10, 1)


def test_reviewers_findings_are_outcomes_dated_by_the_evidence(tmp_path: Path) -> None:
    """Management advice or a referral for professional standards is a 1 in the window holding
    the end of the evidence reviewed; no further action, welfare support and findings outside
    the window are not."""
    store = CaseStore(tmp_path)
    ps, wf = "professional_standards", "welfare"
    why = "reviewed the evidence"

    def seen(day: str) -> list[Reviewed]:
        return [Reviewed("lookups_while_absent", datetime.fromisoformat(day), 3)]

    store.record("advised", ps, "management_advice", why, "inv", reviewed=seen("2025-04-01"))
    store.record(
        "referred", ps, "refer_professional_standards", why, "inv", reviewed=seen("2025-11-30")
    )
    store.record("cleared", ps, "no_further_action", why, "inv", reviewed=seen("2025-04-01"))
    store.record("supported", wf, "wellbeing_conversation", why, "wo", reviewed=seen("2025-04-01"))
    store.record("found_earlier", ps, "management_advice", why, "inv", reviewed=seen("2024-06-01"))
    labels = _labels(
        [("proved", "2024-11-01", "2025-06-01", "written_warning")], store.reviewed_table()
    )
    assert labels == {
        "advised": 1,
        "referred": 1,
        "cleared": 0,
        "supported": 0,
        "found_earlier": 0,
        "proved": 1,
        "nobody": 0,
    }

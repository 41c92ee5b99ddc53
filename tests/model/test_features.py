"""Windowed features: a window of w months before a cutoff counts exactly the months T-w to T-1,
for every cutoff read in the same pass, whatever lies before the longest window or after T."""

from __future__ import annotations

from datetime import date

from probity.model.features import features_at
from probity.warehouse.engine import DuckDBEngine

# Each event's count is a distinct power of two, so a window's sum names the months it took.
EVENTS = [
    ("2019-12-01", 64),  # 61 months before 2025-01: in no window of that cutoff
    ("2020-01-01", 32),  # 60 months before: the five-year window only
    ("2024-01-01", 16),  # 12 months before
    ("2024-10-01", 8),  # 3 months before
    ("2024-11-01", 4),
    ("2024-12-01", 2),  # the month before
    ("2025-01-01", 1),  # the cutoff's own month: the future
]


def _engine() -> DuckDBEngine:
    engine = DuckDBEngine()
    engine.execute(
        """CREATE TABLE person_dim AS SELECT * FROM (VALUES
             ('P1', 'officer', 'PC', 'response', DATE '2010-01-01', NULL::DATE),
             ('P2', 'staff', NULL, 'custody', DATE '2024-06-01', NULL::DATE),
             ('P3', 'officer', 'PS', 'response', DATE '2010-01-01', DATE '2024-12-31'))
           t(person_key, staff_type, rank, unit_kind, start_date, leave_date)"""
    )
    engine.execute(
        "CREATE TABLE person_month_events (person_key VARCHAR, month DATE, kind VARCHAR, n DOUBLE)"
    )
    for month, n in EVENTS:
        engine.execute(
            "INSERT INTO person_month_events VALUES ('P1', ?, 'stops', ?), ('P2', ?, 'stops', ?)",
            [month, n, month, n],
        )
    # Counted for no one here: another kind of event, and someone not in the person dimension.
    engine.execute(
        """INSERT INTO person_month_events VALUES
             ('P1', '2024-12-01', 'complaints', 512), ('PX', '2024-12-01', 'stops', 1024)"""
    )
    engine.execute(
        "CREATE TABLE conduct_cases (person_id VARCHAR, opened_date DATE, closed_date DATE)"
    )
    engine.execute("INSERT INTO conduct_cases VALUES ('ref-P1', '2024-05-01', NULL)")
    engine.execute("CREATE TABLE person_refs AS SELECT 'ref-P1' AS ref, 'P1' AS person_key")
    return engine


def test_each_window_counts_the_months_before_the_cutoff() -> None:
    frame = features_at(_engine(), ["stops"], [date(2025, 1, 1), date(2025, 4, 1)])
    rows = {(r.person_key, r.cutoff): r for r in frame.itertuples()}
    # P3 left before both cutoffs; P2 started in 2024 but the events before count all the same.
    assert set(rows) == {
        (p, date(y, m, 1)) for p in ("P1", "P2") for y, m in ((2025, 1), (2025, 4))
    }
    january = rows["P1", date(2025, 1, 1)]
    assert (january.stops_1m, january.stops_3m, january.stops_12m, january.stops_60m) == (
        2,
        2 + 4 + 8,
        2 + 4 + 8 + 16,
        2 + 4 + 8 + 16 + 32,
    )
    april = rows["P1", date(2025, 4, 1)]
    assert (april.stops_1m, april.stops_3m, april.stops_12m, april.stops_60m) == (
        0,
        1,
        1 + 2 + 4 + 8,
        1 + 2 + 4 + 8 + 16,  # the 2020-01 month has left the five-year window
    )
    assert january.open_conduct_cases == 1 and rows["P2", date(2025, 1, 1)].open_conduct_cases == 0
    assert round(january.tenure_years, 2) == 15.0


def test_cutoffs_read_together_equal_cutoffs_read_alone() -> None:
    engine = _engine()
    cutoffs = [date(2024, 7, 1), date(2025, 1, 1), date(2025, 4, 1)]
    together = features_at(engine, ["stops"], cutoffs)
    for cutoff in cutoffs:
        alone = features_at(engine, ["stops"], [cutoff])
        part = together[together["cutoff"] == cutoff].reset_index(drop=True)
        columns = [c for c in alone.columns if c not in ("staff_type", "rank", "unit_kind")]
        assert part[columns].equals(alone[columns]), cutoff

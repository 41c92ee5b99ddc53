"""Time-windowed features and labels at a set of cutoff dates.

Each feature is a count of one kind of event in the month, quarter, year or five years before
the cutoff, read from `person_month_events` as the difference of two running totals along each
person's months. The label at a cutoff is whether a conduct case was decided as
substantiated in the following `horizon` months. A person with a case still open at the end of
that window has an unknown label, never a negative one.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from probity.casework.feedback import REVIEW_HISTORY, findings_sql
from probity.contract.tables import SUBSTANTIATED_OUTCOMES
from probity.model.events import SUBSTANTIATED
from probity.model.temporal import add_months
from probity.warehouse.engine import Engine

WINDOWS = (1, 3, 12, 60)
CATEGORICAL = ("staff_type", "rank", "unit_kind")
STATIC = ("tenure_years", "open_conduct_cases")


def feature_names(kinds: list[str]) -> list[str]:
    return [f"{k}_{w}m" for k in kinds for w in WINDOWS]


def _coverage(engine: Engine, agg: str) -> date | None:
    """min or max day of what the exports cover: rostered days, else look-ups, else events."""
    # A month of events covers the whole month.
    events = "min(month)" if agg == "min" else "max(month) + INTERVAL 1 MONTH - INTERVAL 1 DAY"
    for sql in (
        f"SELECT {agg}(duty_date) FROM duty_intervals",
        f"SELECT {agg}(CAST(event_time AS DATE)) FROM access_log",
        f"SELECT {events} FROM person_month_events",
    ):
        try:
            day = engine.fetch(sql)[0][0]
        except Exception:  # the table was not provided
            continue
        if day is not None:
            return day if isinstance(day, date) else day.date()
    return None


def data_end(engine: Engine) -> date | None:
    """The first month not wholly covered by the exports, so a partial last month is left
    out. Dates beyond it (an expiry, a complaint logged after the export) are not history yet."""
    last = _coverage(engine, "max")
    return date_trunc_month(last + timedelta(days=1)) if last else None


def data_start(engine: Engine) -> date | None:
    """The first month the exports cover. Cutoffs start from here: earlier months (a company
    appointment in 2016) are history for the features, but have no outcomes recorded to learn
    from, and would teach the model that little history means no misconduct."""
    first = _coverage(engine, "min")
    return date_trunc_month(first) if first else None


def history_start(engine: Engine) -> date | None:
    first: date | None = engine.fetch("SELECT min(month) FROM person_month_events")[0][0]
    return first


def date_trunc_month(d: date) -> date:
    return date(d.year, d.month, 1)


def features_at(engine: Engine, kinds: list[str], cutoffs: list[date]) -> pd.DataFrame:
    """One row per person serving at each cutoff: person_key, cutoff, static and windowed features.
    A window of w months before cutoff T counts the months T-w to T-1; the cutoff's own month
    is the future."""
    # Months before the longest window of the earliest cutoff change no feature.
    start = max(history_start(engine) or min(cutoffs), add_months(min(cutoffs), -max(WINDOWS)))
    last = max(cutoffs)
    frame = engine.fetch_arrow(
        """
        WITH cuts AS (SELECT DISTINCT CAST(unnest(CAST(? AS DATE[])) AS DATE) AS cutoff)
        SELECT d.person_key, c.cutoff, d.staff_type, d.rank, d.unit_kind,
               date_diff('month', d.start_date, c.cutoff) / 12.0 AS tenure_years,
               (SELECT count(*) FROM conduct_cases k JOIN person_refs r ON r.ref = k.person_id
                WHERE r.person_key = d.person_key AND k.opened_date < c.cutoff
                  AND (k.closed_date IS NULL OR k.closed_date >= c.cutoff)) AS open_conduct_cases
        FROM person_dim d CROSS JOIN cuts c
        WHERE d.start_date < c.cutoff AND (d.leave_date IS NULL OR d.leave_date >= c.cutoff)
        ORDER BY c.cutoff, d.person_key
        """,
        [cutoffs],
    ).to_pandas()
    windowed = _window_counts(engine, kinds, start, last, frame["person_key"], frame["cutoff"])
    frame = pd.concat([frame, windowed], axis=1)
    for c in CATEGORICAL:
        frame[c] = frame[c].fillna("unknown").astype("category")
    return frame


def _window_counts(
    engine: Engine, kinds: list[str], start: date, last: date, people: pd.Series, cutoffs: pd.Series
) -> pd.DataFrame:
    """The windowed counts of each (person, cutoff) row, from `person_month_events`.

    Per kind, a person × month array of counts from `start` and its running total along the
    months; a window is the difference of two running totals. The counts are whole numbers, so
    the sums are exact in any order. Done in NumPy: in SQL, the dense grid of every person's
    every month and its running totals cost seconds at 45,000 people."""
    events = engine.fetch_arrow(
        """SELECT e.person_key, list_position(CAST(? AS VARCHAR[]), e.kind) - 1 AS kind,
                  date_diff('month', CAST(? AS DATE), e.month) AS month, e.n
           FROM person_month_events e
           WHERE e.kind IN (SELECT unnest(CAST(? AS VARCHAR[])))
             AND e.month >= ? AND e.month < ? AND e.n IS NOT NULL""",
        [kinds, start, kinds, start, last],
    ).to_pandas()
    everyone = pd.Index(people.unique())
    who = everyone.get_indexer(events["person_key"])
    known = who >= 0
    kind = events["kind"].to_numpy()[known]
    n = events["n"].to_numpy()[known]
    months = (last.year - start.year) * 12 + last.month - start.month
    # Column t of a running total holds the months before start + t.
    slot = who[known] * (months + 1) + events["month"].to_numpy()[known] + 1
    row_person = everyone.get_indexer(people)
    offset = {c: (c.year - start.year) * 12 + c.month - start.month for c in cutoffs.unique()}
    row_month = cutoffs.map(offset).to_numpy()
    columns: dict[str, np.ndarray] = {}
    for k, name in enumerate(kinds):
        mine = kind == k
        counts = np.bincount(slot[mine], weights=n[mine], minlength=len(everyone) * (months + 1))
        running = counts.reshape(len(everyone), months + 1).cumsum(axis=1)
        now = running[row_person, row_month]
        for w in WINDOWS:
            columns[f"{name}_{w}m"] = now - running[row_person, np.maximum(row_month - w, 0)]
    return pd.DataFrame(columns, index=people.index)


def labels_at(engine: Engine, cutoffs: list[date], horizon_months: int) -> pd.DataFrame:
    """person_key, cutoff, label: 1 when a case was decided substantiated within the window;
    missing when a case was open at the window's end without such a decision. Reviewers'
    findings (`casework/feedback.py`) count as substantiated outcomes on the day found."""
    findings = ""
    if engine.table_exists(REVIEW_HISTORY):
        findings = f"""UNION ALL SELECT person_key, found_on, found_on, '{SUBSTANTIATED_OUTCOMES[0]}'
                      FROM ({findings_sql()})"""
    sql = f"""
    WITH cuts AS (SELECT CAST(unnest(CAST(? AS DATE[])) AS DATE) AS cutoff),
    windows AS (SELECT cutoff, CAST(cutoff + INTERVAL {int(horizon_months)} MONTH AS DATE) AS window_end FROM cuts),
    cases AS (
        SELECT r.person_key, k.opened_date, k.closed_date, k.outcome FROM conduct_cases k
        JOIN person_refs r ON r.ref = k.person_id WHERE k.opened_date IS NOT NULL
        {findings}
    )
    SELECT k.person_key, w.cutoff,
           CASE WHEN bool_or(k.outcome IN {SUBSTANTIATED} AND k.closed_date >= w.cutoff
                             AND k.closed_date < w.window_end) THEN 1
                WHEN bool_or(k.closed_date IS NULL OR k.closed_date >= w.window_end) THEN NULL
                ELSE 0 END AS label
    FROM windows w JOIN cases k
      ON k.opened_date < w.window_end AND (k.closed_date IS NULL OR k.closed_date >= w.cutoff)
    GROUP BY ALL
    """
    return engine.fetch_arrow(sql, [cutoffs]).to_pandas()


def labelled(features: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """Features with their label: no case in the window is a 0; an open case drops the row."""
    merged = features.merge(labels, on=["person_key", "cutoff"], how="left", indicator=True)
    merged.loc[merged["_merge"] == "left_only", "label"] = 0
    merged = merged.drop(columns="_merge")
    return merged[merged["label"].notna()].astype({"label": int})

"""Time-windowed features and labels at a set of cutoff dates.

Each feature is a count of one kind of event in the month, quarter, year or five years before
the cutoff, read from `person_month_events` over a dense person × month grid so a window is a
fixed number of rows. The label at a cutoff is whether a conduct case was decided as
substantiated in the following `horizon` months. A person with a case still open at the end of
that window has an unknown label, never a negative one.
"""

from __future__ import annotations

from datetime import date, timedelta

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
    pivot = ", ".join(
        f"coalesce(sum(e.n) FILTER (WHERE e.kind = '{k}'), 0) AS \"{k}\"" for k in kinds
    )
    # A window's count is the difference of two running totals: one running sum per kind and
    # cheap look-backs, rather than a windowed sum per kind and window.
    running = ", ".join(
        f'sum("{k}") OVER (PARTITION BY person_key ORDER BY month ROWS UNBOUNDED PRECEDING) AS "{k}"'
        for k in kinds
    )
    windows = ", ".join(
        f'lag("{k}", 1, 0) OVER w - lag("{k}", {w + 1}, 0) OVER w AS "{k}_{w}m"'
        for k in kinds
        for w in WINDOWS
    )
    sql = f"""
    WITH months AS (
        SELECT CAST(unnest(generate_series(CAST(? AS DATE), CAST(? AS DATE), INTERVAL 1 MONTH)) AS DATE) AS month
    ),
    grid AS (
        SELECT d.person_key, m.month, {pivot}
        FROM person_dim d CROSS JOIN months m
        LEFT JOIN person_month_events e ON e.person_key = d.person_key AND e.month = m.month
        GROUP BY d.person_key, m.month
    ),
    running AS (SELECT person_key, month, {running} FROM grid),
    windowed AS (
        SELECT person_key, month, {windows} FROM running
        WINDOW w AS (PARTITION BY person_key ORDER BY month)
    )
    SELECT w.person_key, w.month AS cutoff, d.staff_type, d.rank, d.unit_kind,
           date_diff('month', d.start_date, w.month) / 12.0 AS tenure_years,
           (SELECT count(*) FROM conduct_cases k JOIN person_refs r ON r.ref = k.person_id
            WHERE r.person_key = w.person_key AND k.opened_date < w.month
              AND (k.closed_date IS NULL OR k.closed_date >= w.month)) AS open_conduct_cases,
           {", ".join(f'coalesce("{f}", 0) AS "{f}"' for f in feature_names(kinds))}
    FROM windowed w JOIN person_dim d USING (person_key)
    WHERE w.month IN (SELECT unnest(CAST(? AS DATE[])))
      AND d.start_date < w.month AND (d.leave_date IS NULL OR d.leave_date >= w.month)
    ORDER BY w.month, w.person_key
    """
    frame = engine.fetch_arrow(sql, [start, last, cutoffs]).to_pandas()
    for c in CATEGORICAL:
        frame[c] = frame[c].fillna("unknown").astype("category")
    return frame


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

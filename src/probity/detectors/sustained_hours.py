"""Sustained working hours beyond the working-time norm (welfare purpose only)."""

from __future__ import annotations

from datetime import date

from probity.detectors.base import Detector, Params, Threshold, date_range_sql
from probity.detectors.carry import DayLocal, Finished, record_days


def _rows(p: Params, since: date | None = None) -> str:
    """Each person-week worked, with the average over the window ending with it; with `since`,
    the weeks starting on or after that day only (a week reads its own records and the weeks
    before it in the window). Hours are summed in whole seconds, so that a week's average is
    the same whichever weeks are summed beside it."""
    weeks = int(p["window_weeks"])
    day = f"DATE '{since.isoformat()}'" if since else None
    # the window of the first week found reaches this far back
    reach = f"date_trunc('week', {day} - INTERVAL {weeks - 1} WEEK)" if day else None
    shifts_since = f"WHERE duty_date >= {reach}" if reach else ""
    claims_since = f"AND o.work_date >= {reach}" if reach else ""
    weeks_since = f"WHERE week >= {day}" if day else ""
    return f"""
    WITH rostered AS (
        SELECT person_key, date_trunc('week', duty_date) AS week,
               sum(CAST(round(epoch(shift_end - shift_start)) AS BIGINT)) AS rostered
        FROM duty_intervals {shifts_since} GROUP BY 1, 2
    ),
    overtime AS (
        SELECT r.person_key, date_trunc('week', o.work_date) AS week,
               sum(CAST(round(coalesce(o.hours, 0) * 3600) AS BIGINT)) AS overtime
        FROM overtime_claims o JOIN person_refs r ON r.ref = o.person_id
        WHERE TRUE {claims_since} GROUP BY 1, 2
    ),
    weekly AS (  -- a week of overtime alone, or of rostered hours alone, counts too
        SELECT person_key, week, coalesce(r.rostered, 0) AS rostered,
               coalesce(o.overtime, 0) AS overtime,
               coalesce(r.rostered, 0) + coalesce(o.overtime, 0) AS total
        FROM rostered r FULL JOIN overtime o USING (person_key, week)
    ),
    rolling AS (  -- weeks not worked count as zero: the average is over the whole window
        SELECT *, sum(total) OVER w AS window_total
        FROM weekly
        WINDOW w AS (PARTITION BY person_key ORDER BY week RANGE BETWEEN INTERVAL {weeks - 1} WEEK PRECEDING AND CURRENT ROW)
    )
    SELECT person_key, week, CAST(rostered AS DOUBLE) / 3600 AS rostered,
           CAST(overtime AS DOUBLE) / 3600 AS overtime, CAST(total AS DOUBLE) / 3600 AS total,
           CAST(window_total AS DOUBLE) / 3600 / {weeks} AS average,
           CAST(week AS TIMESTAMP) AS occurred_at
    FROM rolling {weeks_since}
    """


def _finish(p: Params, rows: str) -> str:
    """Each person's worst window among `rows` (the latest of equal ones), if above the norm,
    with its weeks: a maximum over all weeks, so it is found afresh in every run."""
    weeks = int(p["window_weeks"])
    return f"""
    WITH worst_average AS (
        SELECT person_key, max(average) AS average FROM {rows}
        GROUP BY person_key HAVING max(average) >= {p["max_average_weekly_hours"]}
    ),
    worst AS (  -- averages are exact (whole seconds), so equal ones compare equal
        SELECT w.person_key, max(k.week) AS window_end, w.average
        FROM worst_average w JOIN {rows} k ON k.person_key = w.person_key AND k.average = w.average
        GROUP BY w.person_key, w.average
    )
    SELECT w.person_key, 'roster' AS source_table, NULL AS source_file, NULL AS source_row,
           CAST(k.week AS TIMESTAMP) AS occurred_at,
           'week of ' || strftime(k.week, '%-d %b %Y') || ': ' || round(k.total, 1) || ' hours ('
             || round(k.rostered, 1) || ' rostered, ' || round(k.overtime, 1) || ' overtime)' AS detail,
           w.average, k.total
    FROM worst w JOIN {rows} k ON k.person_key = w.person_key
     AND k.week BETWEEN w.window_end - INTERVAL {weeks - 1} WEEK AND w.window_end
    """


def _evidence(p: Params) -> str:
    return f"WITH rows AS MATERIALIZED ({_rows(p)}) SELECT * FROM ({_finish(p, 'rows')})"


def _signals(p: Params) -> str:
    return f"""
    SELECT person_key,
           least(1.0, 0.4 + (any_value(average) - {p["max_average_weekly_hours"]}) / 40) AS strength,
           'Worked an average of ' || round(any_value(average), 1) || ' hours a week over '
             || {int(p["window_weeks"])} || ' weeks ' || {date_range_sql("min(occurred_at)", "max(occurred_at) + INTERVAL 6 DAY")}
             || ' (longest week ' || round(max(total), 1) || ' hours), above the '
             || {p["max_average_weekly_hours"]} || '-hour working-time norm.' AS reason,
           min(occurred_at) AS period_start, max(occurred_at) AS period_end
    FROM _evidence GROUP BY person_key
    """


DETECTOR = Detector(
    name="sustained_hours",
    concern="welfare",
    purpose="welfare",
    title="Sustained hours beyond the working-time norm",
    looks_for=(
        "Rostered shifts plus overtime averaging above the working-time norm over a rolling "
        "window of weeks (weeks not worked count as zero)."
    ),
    why=(
        "Long sustained hours and few rest days are a fatigue and wellbeing risk; sickness, hours "
        "and overtime alone point to welfare, never to misconduct."
    ),
    inputs=("roster",),
    innocent_explanations=(
        "A major operation or event with agreed extended hours; the welfare conversation still "
        "applies.",
    ),
    thresholds=(
        Threshold(
            "max_average_weekly_hours",
            48,
            "average weekly hours over the window (Working Time Regulations)",
        ),
        Threshold("window_weeks", 17, "weeks in the rolling window"),
    ),
    evidence_sql=_evidence,
    signal_sql=_signals,
    # A week's row reads its own records and those of the weeks before it in the window, so
    # a day's rows (weeks starting that day) read records up to six days after it; the worst
    # window is found afresh from all of them.
    day_local=DayLocal(
        evidence_since=_rows,
        dated=record_days("roster", "overtime_claims"),
        after=6,
        fixed=("person_refs",),
        through=("duty_intervals",),
        finished=Finished(rows=_rows, evidence=_finish),
    ),
)

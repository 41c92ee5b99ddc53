"""Sustained working hours beyond the working-time norm (welfare purpose only)."""

from __future__ import annotations

from probity.detectors.base import Detector, Params, Threshold, date_range_sql


def _evidence(p: Params) -> str:
    weeks = int(p["window_weeks"])
    return f"""
    WITH rostered AS (
        SELECT person_key, date_trunc('week', duty_date) AS week,
               sum(epoch(shift_end - shift_start)) / 3600.0 AS rostered
        FROM duty_intervals GROUP BY 1, 2
    ),
    overtime AS (
        SELECT r.person_key, date_trunc('week', o.work_date) AS week,
               sum(coalesce(o.hours, 0)) AS overtime
        FROM overtime_claims o JOIN person_refs r ON r.ref = o.person_id GROUP BY 1, 2
    ),
    weekly AS (  -- a week of overtime alone, or of rostered hours alone, counts too
        SELECT person_key, week, coalesce(r.rostered, 0.0) AS rostered,
               coalesce(o.overtime, 0.0) AS overtime,
               coalesce(r.rostered, 0.0) + coalesce(o.overtime, 0.0) AS total
        FROM rostered r FULL JOIN overtime o USING (person_key, week)
    ),
    rolling AS (  -- weeks not worked count as zero: the average is over the whole window
        SELECT *, sum(total) OVER w / {weeks} AS average, count(*) OVER w AS weeks_worked
        FROM weekly
        WINDOW w AS (PARTITION BY person_key ORDER BY week RANGE BETWEEN INTERVAL {weeks - 1} WEEK PRECEDING AND CURRENT ROW)
    ),
    worst AS (
        SELECT person_key, arg_max(week, average) AS window_end, max(average) AS average
        FROM rolling GROUP BY person_key HAVING max(average) >= {p["max_average_weekly_hours"]}
    )
    SELECT w.person_key, 'roster' AS source_table, NULL AS source_file, NULL AS source_row,
           CAST(k.week AS TIMESTAMP) AS occurred_at,
           'week of ' || strftime(k.week, '%-d %b %Y') || ': ' || round(k.total, 1) || ' hours ('
             || round(k.rostered, 1) || ' rostered, ' || round(k.overtime, 1) || ' overtime)' AS detail,
           w.average, k.total
    FROM worst w JOIN weekly k ON k.person_key = w.person_key
     AND k.week BETWEEN w.window_end - INTERVAL {weeks - 1} WEEK AND w.window_end
    """


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
)

"""A marked rise in short sickness absences against the person's own record (welfare only).

How often people are off sick varies a great deal from person to person, and for many the
reasons are long-standing and already managed. A change is what a welfare officer wants to
hear about: spells starting in a recent window far beyond what the person's own earlier record
(shrunk toward the force-wide rate) makes likely.
"""

from __future__ import annotations

from probity.detectors.base import Detector, Params, Threshold
from probity.detectors.peers import poisson_tail_sql


def _evidence(p: Params) -> str:
    window = int(p["window_days"])
    prior = p["prior_spells"]
    return f"""
    WITH spells AS (
        SELECT r.person_key, a.start_date, coalesce(a.end_date, a.start_date) AS end_date,
               a.reason_category, a._source_file, a._source_row
        FROM absences a JOIN person_refs r ON r.ref = a.person_id
        WHERE a.absence_type = 'sickness' AND a.start_date IS NOT NULL
    ),
    span AS (SELECT min(start_date) AS first_day, max(end_date) AS last_day FROM spells),
    served AS (
        SELECT d.person_key, greatest(s.first_day, coalesce(d.start_date, s.first_day)) AS since,
               least(s.last_day, coalesce(d.leave_date, s.last_day)) AS until
        FROM person_dim d, span s
    ),
    force_wide AS (
        SELECT (SELECT count(*) FROM spells) / sum(greatest(date_diff('day', since, until), 0)) AS rate
        FROM served
    ),
    windows AS (  -- each spell's first day closes a window of `window_days`
        SELECT person_key, start_date AS closes,
               count(*) OVER (PARTITION BY person_key ORDER BY CAST(start_date AS TIMESTAMP)
                              RANGE BETWEEN INTERVAL {window - 1} DAY PRECEDING AND CURRENT ROW) AS recent,
               coalesce(count(*) OVER (PARTITION BY person_key ORDER BY CAST(start_date AS TIMESTAMP)
                              RANGE BETWEEN UNBOUNDED PRECEDING AND INTERVAL {window} DAY PRECEDING), 0) AS earlier
        FROM spells
    ),
    scored AS (
        SELECT w.*, date_diff('day', v.since, w.closes) - {window} AS history_days,
               (w.earlier + {prior}) / (date_diff('day', v.since, w.closes) - {window} + {prior} / f.rate)
                 * {window} AS expected
        FROM windows w JOIN served v USING (person_key), force_wide f
        WHERE date_diff('day', v.since, w.closes) - {window} >= {int(p["min_history_days"])}
          AND w.recent >= {int(p["min_spells"])} AND f.rate > 0
    ),
    worst AS (
        SELECT person_key, arg_min(closes, p) AS closes, min(p) AS p,
               arg_min(recent, p) AS recent, arg_min(expected, p) AS expected,
               arg_min(earlier, p) AS earlier, arg_min(history_days, p) AS history_days
        FROM (SELECT *, {poisson_tail_sql("recent", "expected")} AS p FROM scored)
        GROUP BY person_key HAVING min(p) < {p["max_p"]}
    )
    SELECT s.person_key, 'absences' AS source_table, s._source_file AS source_file,
           s._source_row AS source_row, CAST(s.start_date AS TIMESTAMP) AS occurred_at,
           'off sick ' || CASE WHEN s.end_date = s.start_date THEN 'on ' || strftime(s.start_date, '%-d %b %Y')
                               ELSE strftime(s.start_date, '%-d %b %Y') || ' to ' || strftime(s.end_date, '%-d %b %Y') END
             || ' (' || CASE WHEN s.end_date = s.start_date THEN '1 day'
                             ELSE (date_diff('day', s.start_date, s.end_date) + 1) || ' days' END
             || coalesce(', ' || replace(s.reason_category, '_', ' '), '') || ')' AS detail,
           w.closes, w.recent, w.expected, w.earlier, w.history_days
    FROM worst w JOIN spells s ON s.person_key = w.person_key
     AND s.start_date BETWEEN w.closes - INTERVAL {window - 1} DAY AND w.closes
    """


def _signals(p: Params) -> str:
    return f"""
    SELECT person_key,
           least(1.0, 0.4 + 0.05 * (any_value(recent) - any_value(expected))) AS strength,
           any_value(recent) || ' spells of sickness absence in the ' || {int(p["window_days"])}
             || ' days to ' || strftime(any_value(closes), '%-d %b %Y') || ', against about '
             || round(any_value(expected), 1) || ' expected from their own record of '
             || any_value(earlier) || ' in the ' || CAST(round(any_value(history_days) / 30.4) AS INTEGER)
             || ' months before.' AS reason,
           min(occurred_at) AS period_start, max(occurred_at) AS period_end
    FROM _evidence GROUP BY person_key
    """


DETECTOR = Detector(
    name="sickness_change",
    concern="welfare",
    purpose="welfare",
    title="A marked rise in sickness absence",
    looks_for=(
        "Spells of sickness absence starting within a recent window far more often than the "
        "person's own earlier record makes likely (Poisson tail against their earlier rate, shrunk "
        "toward the force-wide rate); people with too little earlier record are not assessed."
    ),
    why=(
        "A run of short absences after a steady record is a common sign of stress, ill health "
        "or difficulty at home or at work, best met early with support. Sickness alone points "
        "to welfare, never to misconduct."
    ),
    inputs=("absences",),
    innocent_explanations=(
        "A known illness or treatment already being managed with occupational health.",
        "A run of unrelated infections (e.g. a winter of school-age children at home).",
    ),
    thresholds=(
        Threshold("window_days", 182, "length of the recent window, in days"),
        Threshold("min_spells", 6, "spells in the window before a signal is raised"),
        Threshold("max_p", 1e-6, "chance of so many spells at the person's earlier rate"),
        Threshold("prior_spells", 2, "weight of the force-wide rate, in spells"),
        Threshold("min_history_days", 365, "earlier record needed before the window, in days"),
    ),
    evidence_sql=_evidence,
    signal_sql=_signals,
)

"""Heavy exposure to traumatic incidents within a few months, against peers (welfare only)."""

from __future__ import annotations

from probity.detectors.base import Detector, Params, Threshold, date_range_sql
from probity.detectors.peers import poisson_tail_sql

# Emergency calls to sexual offences, violence and concern for welfare (where sudden deaths and
# suicides are recorded): the incidents most associated with trauma in policing.
TRAUMATIC_CATEGORIES = ("sexual_offence", "violence", "concern_for_welfare")
TRAUMATIC_GRADE = "immediate"


def _evidence(p: Params) -> str:
    window = int(p["window_days"])
    categories = ", ".join(f"'{c}'" for c in TRAUMATIC_CATEGORIES)
    return f"""
    WITH attended AS (
        SELECT r.person_key, a.incident_ref, i.category, a._source_file, a._source_row,
               coalesce(a.arrived_time, i.opened_time) AS seen_at
        FROM incident_attendance a JOIN incidents i USING (incident_ref)
        JOIN person_refs r ON r.ref = a.person_id
        WHERE i.category IN ({categories}) AND i.grade = '{TRAUMATIC_GRADE}'
          AND coalesce(a.arrived_time, i.opened_time) IS NOT NULL
    ),
    span AS (SELECT greatest(date_diff('day', min(seen_at), max(seen_at)), {window}) AS days FROM attended),
    rolling AS (
        SELECT person_key, seen_at, count(*) OVER (PARTITION BY person_key ORDER BY seen_at
               RANGE BETWEEN INTERVAL {window} DAY PRECEDING AND CURRENT ROW) AS n
        FROM attended
    ),
    worst AS (  -- the busiest window; of equally busy ones, the first
        SELECT person_key, min(seen_at) AS closes, n
        FROM rolling JOIN (SELECT person_key, max(n) AS n FROM rolling GROUP BY 1) USING (person_key, n)
        GROUP BY person_key, n
    ),
    totals AS (
        SELECT g.person_key, g.peer_group, coalesce(t.n, 0) AS n
        FROM peer_groups g LEFT JOIN (SELECT person_key, count(*) AS n FROM attended GROUP BY 1) t
        USING (person_key)
    ),
    peers AS (  -- what the rest of the peer group attended in a window of the same length
        SELECT t.person_key, (g.n - t.n) / (g.size - 1) * {window} / s.days AS expected
        FROM totals t
        JOIN (SELECT peer_group, sum(n) AS n, count(*) AS size FROM totals GROUP BY 1) g USING (peer_group),
        span s
        WHERE g.size - 1 >= {int(p["min_peers"])}
    ),
    flagged AS (
        SELECT w.*, greatest(e.expected, 0.1) AS expected
        FROM worst w JOIN peers e USING (person_key)
        WHERE w.n >= {int(p["min_incidents"])} AND w.n >= {p["min_ratio"]} * e.expected
          AND {poisson_tail_sql("w.n", "greatest(e.expected, 0.1)")} < {p["max_p"]}
    )
    SELECT a.person_key, 'incident_attendance' AS source_table, a._source_file AS source_file,
           a._source_row AS source_row, a.seen_at AS occurred_at,
           a.incident_ref || ': ' || replace(a.category, '_', ' ') || ' (emergency call)' AS detail,
           f.n, f.expected
    FROM flagged f JOIN attended a ON a.person_key = f.person_key
     AND a.seen_at BETWEEN f.closes - INTERVAL {window} DAY AND f.closes
    """


def _signals(p: Params) -> str:
    return f"""
    SELECT person_key,
           least(1.0, 0.4 + 0.03 * (any_value(n) / any_value(expected))) AS strength,
           'Attended ' || any_value(n) || ' emergency calls to sexual offences, violence or '
             || 'concern for welfare ' || {date_range_sql("min(occurred_at)", "max(occurred_at)")}
             || ', against about ' || round(any_value(expected), 1) || ' for peers in the same role '
             || 'over the same length of time.' AS reason,
           min(occurred_at) AS period_start, max(occurred_at) AS period_end
    FROM _evidence GROUP BY person_key
    """


DETECTOR = Detector(
    name="traumatic_exposure",
    concern="welfare",
    purpose="welfare",
    title="Heavy exposure to traumatic incidents",
    looks_for=(
        "People who attended far more emergency calls to sexual offences, violence or concern "
        "for welfare within a window of weeks than peers in the same role over the same length "
        "of time (Poisson tail and a ratio)."
    ),
    why=(
        "Repeated exposure to traumatic incidents is the main source of post-traumatic stress "
        "in policing; spreading that load and offering support early is the welfare response."
    ),
    inputs=("incidents", "incident_attendance"),
    innocent_explanations=(
        "A specialist posting (e.g. a sexual-offences unit) whose role is this work; its peers "
        "are the comparison.",
        "A short period of cover on a busy team; the welfare conversation still applies.",
    ),
    thresholds=(
        Threshold("window_days", 90, "length of the window, in days"),
        Threshold("min_incidents", 15, "traumatic incidents in the window before a signal"),
        Threshold("min_ratio", 3, "incidents in the window over what peers attend"),
        Threshold("max_p", 1e-4, "chance of so many at the peer rate"),
        Threshold("min_peers", 5, "others in the peer group needed for a comparison"),
    ),
    evidence_sql=_evidence,
    signal_sql=_signals,
)

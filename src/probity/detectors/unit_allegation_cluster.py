"""Teams where discriminatory-behaviour allegations cluster: more of the team has one than the
force-wide rate makes likely. Reported with the team's unit, on each member concerned."""

from __future__ import annotations

from probity.detectors.base import Detector, Params, Threshold
from probity.detectors.peers import poisson_tail_sql


def _evidence(p: Params) -> str:
    return """
    SELECT l.person_key, 'complaints' AS source_table, c._source_file AS source_file, c._source_row AS source_row,
           CAST(coalesce(c.incident_date, c.received_date) AS TIMESTAMP) AS occurred_at,
           'complaint ' || c.complaint_id || ': discriminatory behaviour (' || coalesce(c.complainant_type, '?')
             || ' complainant)' AS detail
    FROM complaints c JOIN links l ON l.task = 'complaint_subject' AND l.record_id = c.complaint_id
    WHERE c.allegation_category = 'discriminatory_behaviour'
    UNION ALL
    SELECT r.person_key, 'conduct_cases', k._source_file, k._source_row, CAST(k.opened_date AS TIMESTAMP),
           'conduct case ' || k.case_id || ': discriminatory behaviour (' || coalesce(k.origin, '?') || ')'
    FROM conduct_cases k JOIN person_refs r ON r.ref = k.person_id
    WHERE k.allegation_category = 'discriminatory_behaviour'
    """


def _signals(p: Params) -> str:
    # A team is a line manager's direct reports: the people who work together day to day.
    # Allegations are counted over the last `window_days` of the data, so a long history does
    # not make every team look alike; the count of allegations is tested against the force-wide
    # rate per member (Poisson tail), and at least `min_members` members must be named, so one
    # person's many allegations do not make a team cluster.
    return f"""
    WITH members AS (
        SELECT person_key, unit_code, line_manager_id AS team FROM person_dim
        WHERE leave_date IS NULL AND line_manager_id IS NOT NULL
    ),
    recent AS (
        SELECT * FROM _evidence
        WHERE occurred_at > (SELECT max(occurred_at) FROM _evidence) - INTERVAL {int(p["window_days"])} DAY
    ),
    per_person AS (SELECT person_key, count(*) AS allegations FROM recent GROUP BY 1),
    teams AS (
        SELECT m.team, any_value(m.unit_code) AS unit_code, count(*) AS size,
               count(a.person_key) AS alleged, CAST(coalesce(sum(a.allegations), 0) AS BIGINT) AS allegations
        FROM members m LEFT JOIN per_person a USING (person_key) GROUP BY m.team
    ),
    force_rate AS (SELECT sum(allegations) / sum(size) AS rate FROM teams),
    clusters AS (
        SELECT t.*, t.size * f.rate AS expected,
               {poisson_tail_sql("t.allegations", "t.size * f.rate")} AS tail
        FROM teams t, force_rate f
        WHERE t.alleged >= {int(p["min_members"])}
    )
    SELECT m.person_key,
           least(1.0, 0.4 + 0.05 * c.alleged) AS strength,
           'One of ' || c.alleged || ' people in a team of ' || c.size || ' in ' || c.unit_code
             || ' with ' || c.allegations || ' discriminatory-behaviour allegations in the last '
             || {int(p["window_days"])} || ' days, where the force-wide rate would give '
             || round(c.expected, 1) || '.' AS reason,
           min(e.occurred_at) AS period_start, max(e.occurred_at) AS period_end
    FROM clusters c JOIN members m USING (team) JOIN recent e USING (person_key)
    WHERE c.tail < {p["max_tail_probability"]}
    GROUP BY m.person_key, c.alleged, c.allegations, c.unit_code, c.size, c.expected
    """


DETECTOR = Detector(
    name="unit_allegation_cluster",
    concern="team_culture",
    purpose="professional_standards",
    title="Teams where discriminatory-behaviour allegations cluster",
    looks_for=(
        "Teams (a line manager's direct reports) with several members named in "
        "discriminatory-behaviour complaints or conduct cases in the recent window, and more such "
        "allegations than the force-wide rate per member makes probable (Poisson tail); each "
        "member concerned carries the team's signal, named with its unit, so the team can be "
        "reviewed as a whole."
    ),
    why=(
        "The Casey Review found discrimination embedded in teams, tolerated by colleagues; a "
        "cluster says more about a team's culture than any one allegation."
    ),
    inputs=("complaints",),
    innocent_explanations=(
        "One incident or one complainant naming several officers at once.",
        "Historic allegations are biased against Black and Asian officers; see the fairness audit.",
    ),
    thresholds=(
        Threshold("min_members", 3, "members with an allegation before a team is considered"),
        Threshold("window_days", 730, "days before the end of the data that count"),
        Threshold(
            "max_tail_probability",
            0.0001,
            "how improbable at the force-wide rate the count must be",
        ),
    ),
    evidence_sql=_evidence,
    signal_sql=_signals,
)

"""Overtime claimed for days on which the person was recorded sick or on annual leave."""

from __future__ import annotations

from probity.detectors.base import Detector, Params, Threshold, date_range_sql


def _evidence(p: Params) -> str:
    return """
    WITH absent AS (  -- a day with a rostered shift was worked, whatever an open absence says
        SELECT a.person_key, a.day, min(a.absence_type) AS absence_type FROM absence_days a
        WHERE a.absence_type IN ('sickness', 'annual_leave')
          AND NOT EXISTS (SELECT 1 FROM duty_intervals d WHERE d.person_key = a.person_key AND d.duty_date = a.day)
        GROUP BY 1, 2
    )
    SELECT r.person_key, 'overtime_claims' AS source_table, o._source_file AS source_file,
           o._source_row AS source_row, CAST(o.work_date AS TIMESTAMP) AS occurred_at,
           'claim ' || o.claim_id || ': ' || coalesce(CAST(o.hours AS VARCHAR), '?') || ' h ' ||
             coalesce(o.reason_code, 'overtime') || ' on ' || strftime(o.work_date, '%-d %b %Y') ||
             ', a day recorded as ' || replace(a.absence_type, '_', ' ') AS detail,
           coalesce(o.hours, 0) AS hours, coalesce(o.amount_gbp, 0) AS amount
    FROM overtime_claims o
    JOIN person_refs r ON r.ref = o.person_id
    JOIN absent a ON a.person_key = r.person_key AND a.day = o.work_date
    """


def _signals(p: Params) -> str:
    return f"""
    SELECT person_key,
           least(1.0, 0.4 + 0.1 * count(*)) AS strength,
           'Claimed overtime on ' || count(*) || ' days recorded as sickness or annual leave ('
             || round(sum(hours), 1) || ' hours, £' || format('{{:,.2f}}', CAST(sum(amount) AS DOUBLE)) || ') '
             || {date_range_sql("min(occurred_at)", "max(occurred_at)")} || '.' AS reason,
           min(occurred_at) AS period_start, max(occurred_at) AS period_end
    FROM _evidence GROUP BY person_key HAVING count(*) >= {int(p["min_claims"])}
    """


DETECTOR = Detector(
    name="overtime_while_absent",
    concern="claims_and_attendance",
    purpose="professional_standards",
    title="Overtime claimed while recorded sick or on leave",
    looks_for=(
        "Overtime claims whose work date is a day the roster or the absence records show the person "
        "as sick or on annual leave."
    ),
    why="Dishonesty over overtime and attendance is among the leading reasons for dismissal.",
    inputs=("overtime_claims", "roster"),
    innocent_explanations=(
        "A sickness or leave record entered for the wrong dates, or leave cancelled on the day "
        "without the roster being corrected.",
        "Recalled from leave to an operation with approval recorded elsewhere.",
    ),
    thresholds=(Threshold("min_claims", 2, "claims on absent days before a signal is raised"),),
    evidence_sql=_evidence,
    signal_sql=_signals,
)

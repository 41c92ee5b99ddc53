"""Overtime claimed for days on which the person was recorded sick or on annual leave."""

from __future__ import annotations

from probity.detectors.base import Detector, Params, Threshold, date_range_sql, rule_strength


def _evidence(p: Params) -> str:
    # Claims are matched to absences first (few match), so the roster is checked for those
    # claims only, not for every absence on record. Both steps are written so that DuckDB
    # builds its hash tables from the handful of claims: grouping after the join (not every
    # absence before it) and probing the roster with them (where NOT EXISTS built a table of
    # every rostered shift).
    return """
    WITH on_absent_days AS MATERIALIZED (
        SELECT r.person_key, o._source_file, o._source_row, o.claim_id, o.hours, o.amount_gbp,
               o.reason_code, o.work_date, a.absence_type
        FROM overtime_claims o
        JOIN person_refs r ON r.ref = o.person_id
        JOIN absence_days a ON a.person_key = r.person_key AND a.day = o.work_date
        WHERE a.absence_type IN ('sickness', 'annual_leave')
    ),
    claimed AS MATERIALIZED (
        SELECT person_key, _source_file, _source_row, claim_id, hours, amount_gbp, reason_code,
               work_date, min(absence_type) AS absence_type
        FROM on_absent_days
        GROUP BY person_key, _source_file, _source_row, claim_id, hours, amount_gbp, reason_code,
                 work_date
    ),
    rostered AS (  -- a day with a rostered shift was worked, whatever an open absence says
        SELECT d.person_key, d.duty_date AS work_date FROM duty_intervals d
        SEMI JOIN claimed c ON c.person_key = d.person_key AND c.work_date = d.duty_date
    )
    SELECT c.person_key, 'overtime_claims' AS source_table, c._source_file AS source_file,
           c._source_row AS source_row, CAST(c.work_date AS TIMESTAMP) AS occurred_at,
           'claim ' || c.claim_id || ': ' || coalesce(CAST(c.hours AS VARCHAR), '?') || ' h ' ||
             coalesce(c.reason_code, 'overtime') || ' on ' || strftime(c.work_date, '%-d %b %Y') ||
             ', a day recorded as ' || replace(c.absence_type, '_', ' ') AS detail,
           coalesce(c.hours, 0) AS hours, coalesce(c.amount_gbp, 0) AS amount
    FROM claimed c ANTI JOIN rostered USING (person_key, work_date)
    """


def _signals(p: Params) -> str:
    return f"""
    SELECT person_key,
           {rule_strength("least(0.95, 0.8 + 0.05 * count(*))")} AS strength,
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

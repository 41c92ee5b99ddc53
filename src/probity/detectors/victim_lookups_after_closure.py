"""Repeated look-ups of a vulnerable victim, met on duty, after the incident was closed.

Which victims a person met, in incidents that put them at risk, is one of the ties in
`shared.py`: their look-ups are found in the same pass over the audit log as relatives'."""

from __future__ import annotations

from probity.detectors.base import Detector, Params, Threshold, calibrated, date_range_sql
from probity.detectors.lookup_purpose import on_duty, purposeful
from probity.detectors.null_model import NullModel
from probity.detectors.peers import expected_events_sql, repeats_sql
from probity.detectors.shared import VICTIMS_MET


def _evidence(p: Params) -> str:
    # The shared look-ups hold a victim's look-ups after closure only: no grace below none.
    grace = max(int(p["grace_days"]), 0)
    return f"""
    WITH later AS (  -- looking up a vulnerable victim met on duty, after the incident closed
        SELECT person_key, incident_ref, _source_file, _source_row, event_time, subject_id,
               action, linked_reference
        FROM tied_lookups
        WHERE tie = 'victim' AND event_time > closed_time + INTERVAL {grace} DAY
    ),
    purposeful AS ({purposeful("later", grace)}),
    on_duty AS ({on_duty("later")})
    SELECT DISTINCT x.person_key, 'access_log' AS source_table, x._source_file AS source_file,
           x._source_row AS source_row, x.event_time AS occurred_at,
           x.action || ' of victim ' || x.subject_id || ' from ' || x.incident_ref || ' after it closed'
             || CASE WHEN x._source_row IN (SELECT _source_row FROM on_duty) THEN '' ELSE ', off duty' END
             AS detail,
           x.subject_id, x.incident_ref, x._source_row NOT IN (SELECT _source_row FROM on_duty) AS off_duty
    FROM later x WHERE x._source_row NOT IN (SELECT _source_row FROM purposeful)
    UNION ALL  -- related complaints: kept as evidence beside the look-ups, never a signal alone
    SELECT l.person_key, 'complaints', c._source_file, c._source_row,
           CAST(coalesce(c.incident_date, c.received_date) AS TIMESTAMP),
           'complaint ' || c.complaint_id || ': ' || replace(c.allegation_category, '_', ' ')
             || ' (' || coalesce(c.complainant_type, '?') || ' complainant, ' || coalesce(c.outcome, '?') || ')',
           NULL, NULL, false
    FROM complaints c JOIN links l ON l.task = 'complaint_subject' AND l.record_id = c.complaint_id
    WHERE c.allegation_category IN ('abuse_of_position_sexual', 'sexual_conduct')
    """


def _tested(p: Params) -> str:
    # The days a person kept going back to one victim's record after closure without purpose,
    # from the third on (victims gone back to on `min_days` days or more: pursuit returns to one
    # person, a follow-up touches many once), against the victims they met at the rate of the rest of
    # their peer group: in a safeguarding role, following victims up is the work, and their
    # peers' rate says so.
    return f"""
    WITH returns AS ({repeats_sql("count(DISTINCT CAST(occurred_at AS DATE))", int(p["min_days"]))}),
    rates AS (
        SELECT g.person_key, g.peer_group, coalesce(d.n, 0) AS events,
               CAST(v.victims AS DOUBLE) AS exposure
        FROM peer_groups g
        JOIN (SELECT r.person_key, count(DISTINCT s.subject_id) AS victims {VICTIMS_MET} GROUP BY 1) v
          USING (person_key)
        LEFT JOIN returns d USING (person_key)
    )
    {expected_events_sql("rates", p["prior_days"], int(p["min_peers"]))}
    """


def _signals(p: Params) -> str:
    return f"""
    WITH per_victim AS (
        SELECT person_key, subject_id, any_value(incident_ref) AS incident_ref, count(*) AS n,
               count(*) FILTER (WHERE off_duty) AS off, min(occurred_at) AS first_at, max(occurred_at) AS last_at
        FROM _evidence WHERE source_table = 'access_log' GROUP BY person_key, subject_id
        HAVING count(*) >= {int(p["min_lookups"])} AND count(DISTINCT CAST(occurred_at AS DATE)) >= 2
    ),
    related AS (
        SELECT person_key, count(*) AS complaints FROM _evidence WHERE source_table = 'complaints'
        GROUP BY 1
    )
    SELECT person_key,
           CAST(NULL AS DOUBLE) AS strength,
           'Looked up ' || CASE WHEN count(*) > 1 THEN count(*) || ' vulnerable victims' ELSE 'a vulnerable victim' END
             || ' met on duty (' || string_agg(incident_ref, ', ' ORDER BY incident_ref) || ') ' || sum(n) || ' times after the incident closed, '
             || {date_range_sql("min(first_at)", "max(last_at)")}
             || CASE WHEN sum(off) > 0 THEN ' (' || sum(off) || ' while off duty)' ELSE '' END
             || ', citing no incident they attended.'
             || CASE WHEN any_value(c.complaints) > 0
                     THEN ' ' || any_value(c.complaints) || ' complaint'
                          || CASE WHEN any_value(c.complaints) > 1 THEN 's about them allege'
                                  ELSE ' about them alleges' END
                          || ' abuse of position for a sexual purpose or sexual conduct.'
                     ELSE '' END AS reason,
           min(first_at) AS period_start, max(last_at) AS period_end
    FROM per_victim LEFT JOIN related c USING (person_key) GROUP BY person_key
    """


DETECTOR = Detector(
    name="victim_lookups_after_closure",
    concern="abuse_of_position_sexual",
    purpose="professional_standards",
    title="Look-ups of a vulnerable victim after the incident closed",
    looks_for=(
        "Repeated searches or views of a victim the person met at a domestic or sexual-offence "
        "incident (or one flagged vulnerable), made after the incident was closed, citing no "
        "incident the person attended and made while no other incident of theirs involving the "
        "victim was open, on at least two different days; raised when the days they went back "
        "to such records are improbable for someone in their peer group meeting as many victims "
        "(null model, false-discovery rate `fdr`), so safeguarding roles, whose work is following "
        "victims up, are held to each other. Complaints about the person alleging abuse of "
        "position or sexual conduct are shown beside the look-ups (never a signal on their own)."
    ),
    why=(
        "Abuse of position for a sexual purpose is among the most serious findings against police "
        "officers; repeated look-ups of a victim after closure, often off duty, are an early sign."
    ),
    inputs=(
        "access_log",
        "incident_attendance",
        "incident_subjects",
        "incidents",
        "record_subjects",
    ),
    innocent_explanations=(
        "Follow-up safeguarding work tasked to the officer but recorded under a new reference.",
        "A court case or re-opened investigation not linked to the look-ups.",
    ),
    thresholds=(
        Threshold(
            "min_lookups", 3, "look-ups of one victim after closure before a signal is raised"
        ),
        Threshold("grace_days", 2, "days after closure in which follow-up look-ups are ordinary"),
        Threshold("min_days", 3, "days going back to one victim that count as returning to them"),
        Threshold("prior_days", 0.5, "weight of the force's rate in a peer rate, in days"),
        Threshold("min_peers", 5, "others in the peer group needed for a comparison"),
        *calibrated(prior=0.005),
    ),
    evidence_sql=_evidence,
    signal_sql=_signals,
    null_model=NullModel(_tested),
)

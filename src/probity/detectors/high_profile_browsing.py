"""Returning, day after day, to the record of a high-profile person with no policing purpose."""

from __future__ import annotations

from probity.detectors.base import Detector, Params, Threshold, date_range_sql
from probity.detectors.lookup_purpose import lookups_of_flagged, purposeful, unexplained_detail


def _evidence(p: Params) -> str:
    return f"""
    WITH famous AS ({lookups_of_flagged("high_profile")}
    ),
    purposeful AS ({purposeful("famous")}),
    unexplained AS (SELECT * FROM famous WHERE _source_row NOT IN (SELECT _source_row FROM purposeful)),
    returned AS (
        SELECT person_key, subject_id FROM unexplained GROUP BY ALL
        HAVING count(DISTINCT CAST(event_time AS DATE)) >= {int(p["min_days"])}
    )
    SELECT u.person_key, 'access_log' AS source_table, u._source_file AS source_file,
           u._source_row AS source_row, u.event_time AS occurred_at,
           {unexplained_detail("high-profile record")} AS detail,
           u.subject_id
    FROM unexplained u JOIN returned USING (person_key, subject_id)
    """


def _signals(p: Params) -> str:
    return f"""
    SELECT person_key,
           least(1.0, 0.55 + 0.03 * count(*)) AS strength,
           'Looked up the record of ' || count(DISTINCT subject_id) || ' high-profile '
             || CASE WHEN count(DISTINCT subject_id) > 1 THEN 'people' ELSE 'person' END
             || ' ' || count(*) || ' times on ' || count(DISTINCT CAST(occurred_at AS DATE))
             || ' days ' || {date_range_sql("min(occurred_at)", "max(occurred_at)")}
             || ', with no incident of theirs to explain it.' AS reason,
           min(occurred_at) AS period_start, max(occurred_at) AS period_end
    FROM _evidence GROUP BY person_key
    """


DETECTOR = Detector(
    name="high_profile_browsing",
    concern="information_misuse",
    purpose="professional_standards",
    title="Repeated browsing of a high-profile person's record",
    looks_for=(
        "Records flagged high-profile (public figures, people in the news) that a person "
        "looked up on several different days, citing no incident they attended and while no "
        "incident of theirs involving the person was open."
    ),
    why=(
        "Curiosity about famous people's records is a recurring finding in data-protection "
        "prosecutions of police staff; returning to one record on several days is not chance."
    ),
    inputs=("access_log", "record_subjects"),
    innocent_explanations=(
        "Work on a case not yet linked to an incident in the systems Probity reads.",
        "Protection or liaison duties for the person concerned.",
    ),
    thresholds=(
        Threshold("min_days", 4, "distinct days on which one high-profile record was looked up"),
    ),
    evidence_sql=_evidence,
    signal_sql=_signals,
)

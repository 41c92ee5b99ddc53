"""Returning, day after day, to the record of a high-profile person with no policing purpose,
more often than people doing the same job with as many look-ups do."""

from __future__ import annotations

from probity.detectors.base import Detector, Params, Threshold, calibrated, date_range_sql
from probity.detectors.lookup_purpose import lookups_of_flagged, purposeful, unexplained_detail
from probity.detectors.null_model import NullModel
from probity.detectors.peers import expected_events_sql, per_lookup_rates_sql, repeats_sql


def _evidence(p: Params) -> str:
    return f"""
    WITH famous AS ({lookups_of_flagged("high_profile")}
    ),
    purposeful AS ({purposeful("famous", citing_the_subject=True)}),
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


def _tested(p: Params) -> str:
    # Days going back to high-profile records (from the third of each on) against the person's
    # look-ups of people.
    days = "count(DISTINCT CAST(occurred_at AS DATE))"
    rates = per_lookup_rates_sql(repeats_sql(days, int(p["min_days"])))
    return f"""
    WITH rates AS ({rates})
    {expected_events_sql("rates", p["prior_returns"], int(p["min_peers"]))}
    """


def _signals(p: Params) -> str:
    return f"""
    SELECT person_key,
           CAST(NULL AS DOUBLE) AS strength,
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
        "looked up on several different days, citing no incident they attended or that the "
        "person looked up is part of, and while no incident of theirs involving the person was "
        "open; flagged when the days they returned "
        "to such records are improbable for someone in their peer group making as many "
        "look-ups of people (null model, false-discovery rate `fdr`)."
    ),
    why=(
        "Curiosity about famous people's records is a recurring finding in data-protection "
        "prosecutions of police staff; returning to one record on several days is not chance. "
        "In roles that work the systems all day (intelligence, call handling) high-profile "
        "records come up in the course of work, so each person is held to their peers' rate "
        "for their own volume, never to a fixed count."
    ),
    inputs=("access_log", "record_subjects"),
    innocent_explanations=(
        "Work on a case not yet linked to an incident in the systems Probity reads.",
        "Protection or liaison duties for the person concerned.",
    ),
    thresholds=(
        Threshold(
            "min_days",
            3,
            "days on which one high-profile record was looked up before its returns count",
        ),
        Threshold("prior_returns", 2, "weight of the force's rate in a peer rate, in returns"),
        Threshold("min_peers", 5, "others in the peer group needed for a comparison"),
        *calibrated(prior=0.005),
    ),
    evidence_sql=_evidence,
    signal_sql=_signals,
    null_model=NullModel(_tested),
)

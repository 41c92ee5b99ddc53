"""Repeated look-ups of organised-crime nominals with no policing purpose, beyond what the
person's peers in the same role do."""

from __future__ import annotations

from probity.detectors.base import Detector, Params, Threshold, calibrated, date_range_sql
from probity.detectors.lookup_purpose import lookups_of_flagged, purposeful, unexplained_detail
from probity.detectors.null_model import NullModel
from probity.detectors.peers import expected_events_sql, per_lookup_rates_sql, repeats_sql


def _evidence(p: Params) -> str:
    return f"""
    WITH nominal_lookups AS ({lookups_of_flagged("ocg_nominal")}
    ),
    purposeful AS ({purposeful("nominal_lookups", citing_the_subject=True)}),
    unexplained AS (SELECT * FROM nominal_lookups WHERE _source_row NOT IN (SELECT _source_row FROM purposeful)),
    repeated AS (  -- nominals this person came back to, in more than one week: a burst of
                   -- look-ups over a few days is a job being worked, a return weeks later is not
        SELECT person_key, subject_id FROM unexplained GROUP BY ALL
        HAVING count(*) >= {int(p["min_lookups"])}
           AND count(DISTINCT date_trunc('week', event_time)) >= 2
    )
    SELECT u.person_key, 'access_log' AS source_table, u._source_file AS source_file, u._source_row AS source_row,
           u.event_time AS occurred_at,
           {unexplained_detail("organised-crime nominal")} AS detail,
           u.subject_id
    FROM unexplained u JOIN repeated USING (person_key, subject_id)
    """


def _tested(p: Params) -> str:
    # Look-ups of nominals returned to (from the third of each on), against the person's
    # look-ups of people at the rate of the rest of their peer group: an intelligence role that
    # works nominals all day is held to its own.
    rates = per_lookup_rates_sql(repeats_sql("count(*)", int(p["min_lookups"])))
    return f"""
    WITH rates AS ({rates})
    {expected_events_sql("rates", p["prior_nominals"], int(p["min_peers"]))}
    """


def _signals(p: Params) -> str:
    return f"""
    SELECT person_key,
           CAST(NULL AS DOUBLE) AS strength,
           'Looked up ' || count(DISTINCT subject_id) || ' organised-crime nominal'
             || CASE WHEN count(DISTINCT subject_id) > 1 THEN 's' ELSE '' END
             || ' repeatedly (' || count(*) || ' look-ups '
             || {date_range_sql("min(occurred_at)", "max(occurred_at)")}
             || ') with no incident of theirs to explain it.' AS reason,
           min(occurred_at) AS period_start, max(occurred_at) AS period_end
    FROM _evidence GROUP BY person_key
    """


DETECTOR = Detector(
    name="nominal_lookups",
    concern="corrupt_association",
    purpose="professional_standards",
    title="Repeated look-ups of organised-crime nominals",
    looks_for=(
        "Organised-crime nominals the person looked up at least three times in more than one "
        "week, "
        "citing no incident they attended or that the nominal is part of, and while no incident "
        "of theirs involving the nominal was open; raised when the number of such look-ups (from the "
        "third of each nominal on) is improbable for someone in the "
        "person's peer group (role × unit kind × rank) making as many look-ups of people (null "
        "model, false-discovery rate `fdr`), so intelligence roles are judged against each other."
    ),
    why=(
        "Leaking to criminals starts with looking them up: unauthorised access to police "
        "information about organised-crime nominals is a marker of corrupt association."
    ),
    inputs=("access_log", "record_subjects", "system_accounts"),
    innocent_explanations=(
        "Tasked intelligence development recorded outside the incident system.",
        "A nominal who is also a relative or neighbour (see relatives look-ups).",
    ),
    thresholds=(
        Threshold(
            "min_lookups", 3, "look-ups of one nominal (on two or more days) that count as repeated"
        ),
        Threshold("prior_nominals", 0.5, "weight of the force's rate in a peer rate, in nominals"),
        Threshold("min_peers", 5, "others in the peer group needed for a comparison"),
        *calibrated(prior=0.005),
    ),
    evidence_sql=_evidence,
    signal_sql=_signals,
    null_model=NullModel(_tested),
)

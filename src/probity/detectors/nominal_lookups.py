"""Repeated look-ups of organised-crime nominals with no policing purpose, beyond what the
person's peers in the same role do."""

from __future__ import annotations

from probity.detectors.base import Detector, Params, Threshold, date_range_sql
from probity.detectors.lookup_purpose import lookups_of_flagged, purposeful, unexplained_detail
from probity.detectors.peers import poisson_tail_sql


def _evidence(p: Params) -> str:
    return f"""
    WITH nominal_lookups AS ({lookups_of_flagged("ocg_nominal")}
    ),
    purposeful AS ({purposeful("nominal_lookups")}),
    unexplained AS (SELECT * FROM nominal_lookups WHERE _source_row NOT IN (SELECT _source_row FROM purposeful)),
    repeated AS (  -- nominals this person came back to, on more than one day
        SELECT person_key, subject_id FROM unexplained GROUP BY ALL
        HAVING count(*) >= {int(p["min_lookups"])} AND count(DISTINCT CAST(event_time AS DATE)) >= 2
    )
    SELECT u.person_key, 'access_log' AS source_table, u._source_file AS source_file, u._source_row AS source_row,
           u.event_time AS occurred_at,
           {unexplained_detail("organised-crime nominal")} AS detail,
           u.subject_id
    FROM unexplained u JOIN repeated USING (person_key, subject_id)
    """


def _signals(p: Params) -> str:
    # How many nominals a person returns to, against the mean of their peer group: a Poisson
    # tail probability, so a busy intelligence role is compared with other intelligence roles.
    return f"""
    WITH counts AS (
        SELECT person_key, count(DISTINCT subject_id) AS nominals, count(*) AS lookups,
               min(occurred_at) AS first_at, max(occurred_at) AS last_at
        FROM _evidence GROUP BY person_key
    ),
    peers AS (
        SELECT g.peer_group, sum(coalesce(c.nominals, 0)) AS total, count(*) AS size
        FROM peer_groups g LEFT JOIN counts c USING (person_key) GROUP BY g.peer_group
    ),
    scored AS (  -- each person against the rest of their group (at least `min_peers` others)
        SELECT c.*, (p.total - c.nominals) / (p.size - 1) AS mean_nominals
        FROM counts c JOIN peer_groups g USING (person_key) JOIN peers p USING (peer_group)
        WHERE p.size - 1 >= {int(p["min_peers"])}
    ),
    tails AS (
        SELECT *, {poisson_tail_sql("nominals", "mean_nominals")} AS tail
        FROM scored
    )
    SELECT person_key,
           least(1.0, 0.55 + 0.1 * nominals + 0.02 * lookups) AS strength,
           'Looked up ' || nominals || ' organised-crime nominal' || CASE WHEN nominals > 1 THEN 's' ELSE '' END
             || ' repeatedly (' || lookups || ' look-ups ' || {date_range_sql("first_at", "last_at")}
             || ') with no incident of theirs to explain it; peers in the same role average '
             || round(mean_nominals, 2) || '.' AS reason,
           first_at AS period_start, last_at AS period_end
    -- Counts in busy roles vary more than a Poisson model allows, so the count must also be a
    -- multiple of the peer mean.
    FROM tails WHERE tail < {p["max_tail_probability"]} AND nominals >= {p["min_ratio"]} * mean_nominals
    """


DETECTOR = Detector(
    name="nominal_lookups",
    concern="corrupt_association",
    purpose="professional_standards",
    title="Repeated look-ups of organised-crime nominals",
    looks_for=(
        "Organised-crime nominals the person looked up at least three times on more than one day, "
        "citing no incident they attended and while no incident of theirs involving the nominal "
        "was open; raised when the number of such nominals is improbable for the person's peer "
        "group (role × unit kind × rank), so intelligence roles are judged against each other."
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
        Threshold(
            "max_tail_probability", 0.01, "how improbable for the peer group the count must be"
        ),
        Threshold("min_peers", 5, "others in the peer group needed for a comparison"),
        Threshold("min_ratio", 3, "nominals looked up repeatedly, as a multiple of the peer mean"),
    ),
    evidence_sql=_evidence,
    signal_sql=_signals,
)

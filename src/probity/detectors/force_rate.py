"""Use of force out of line with peers doing comparable work: uses of force per incident
attended, shrunk toward the peer-group rate before comparing."""

from __future__ import annotations

from probity.detectors.base import Detector, Params, Threshold, calibrated, date_range_sql
from probity.detectors.null_model import NullModel
from probity.detectors.peers import area_peer_groups_sql, expected_events_sql, shrunk_ratio_sql


def _evidence(p: Params) -> str:
    return """
    SELECT r.person_key, 'use_of_force' AS source_table, u._source_file AS source_file, u._source_row AS source_row,
           u.event_time AS occurred_at,
           replace(coalesce(u.tactic, 'force'), '_', ' ') || coalesce(' at ' || u.incident_ref, '')
             || CASE WHEN u.subject_injured THEN ', subject injured' ELSE '' END AS detail
    FROM use_of_force u JOIN person_refs r ON r.ref = u.person_id
    """


def _rates(p: Params) -> str:
    return f"""
    SELECT g.person_key, g.peer_group, g.in_area, coalesce(c.uses, 0) AS events,
           e.incidents_attended AS exposure
    FROM ({area_peer_groups_sql(int(p["min_peers"]))}) g JOIN exposure e USING (person_key)
    LEFT JOIN (SELECT person_key, count(*) AS uses FROM _evidence GROUP BY person_key) c
      USING (person_key)
    """


# What the incidents a person attended would bring at the force's rate for each kind of
# incident (category × grade): an officer sent to more violence uses force more, and counting
# incidents alone lends that mix's spread to the null, where real excess hides.
_MIX = """
    WITH attended AS (
        SELECT DISTINCT r.person_key, a.incident_ref,
               coalesce(i.category, '?') || ' | ' || coalesce(i.grade, '?') AS kind
        FROM incident_attendance a JOIN person_refs r ON r.ref = a.person_id
        LEFT JOIN incidents i ON i.incident_ref = a.incident_ref
    ),
    used AS (
        SELECT r.person_key, u.incident_ref, count(*) AS uses
        FROM use_of_force u JOIN person_refs r ON r.ref = u.person_id
        WHERE u.incident_ref IS NOT NULL GROUP BY 1, 2
    ),
    kinds AS (
        SELECT a.kind, sum(coalesce(u.uses, 0)) / count(*) AS rate
        FROM attended a LEFT JOIN used u USING (person_key, incident_ref) GROUP BY 1
    )
    SELECT a.person_key, sum(k.rate) AS expected_uses
    FROM attended a JOIN kinds k USING (kind) GROUP BY 1
"""


def _tested(p: Params) -> str:
    # Uses of force against what the incidents attended would bring at the force's rate for
    # each kind, at the rest of the peer group's ratio to it.
    return f"""
    WITH rates AS (
        SELECT r.person_key, r.peer_group, r.events, coalesce(m.expected_uses, 0) AS exposure
        FROM ({_rates(p)}) r LEFT JOIN ({_MIX}) m USING (person_key)
    )
    {expected_events_sql("rates", p["prior_uses"], int(p["min_peers"]))}
    """


def _signals(p: Params) -> str:
    return f"""
    WITH counts AS (
        SELECT person_key, min(occurred_at) AS first_at, max(occurred_at) AS last_at
        FROM _evidence GROUP BY person_key
    ),
    rates AS ({_rates(p)}),
    shrunk AS ({shrunk_ratio_sql("rates", p["prior_uses"], int(p["min_peers"]))})
    SELECT s.person_key,
           CAST(NULL AS DOUBLE) AS strength,
           s.events || ' uses of force in ' || s.exposure || ' incidents attended '
             || {date_range_sql("c.first_at", "c.last_at")} || ', ' || round(s.ratio, 1)
             || ' times the rate of peers in the same role'
             || CASE WHEN s.in_area THEN ' and area' ELSE '' END
             || ' (' || round(100 * s.peer_rate, 1) || ' per 100 incidents).'
             AS reason,
           c.first_at AS period_start, c.last_at AS period_end
    FROM shrunk s JOIN counts c USING (person_key)
    WHERE s.events >= {int(p["min_uses"])} AND s.ratio > 1
    """


DETECTOR = Detector(
    name="force_rate",
    concern="use_of_powers",
    purpose="professional_standards",
    title="Use of force out of line with peers",
    looks_for=(
        "People whose uses of force per incident attended are well above their peers' (role × "
        "unit kind × rank in the same command, or across smaller commands where one has too "
        "few), improbable at the peers' rate for the kinds of incident they attended (category "
        "× grade, at the force's rate of force for each kind; null model, false-discovery rate "
        "`fdr`)."
    ),
    why=(
        "Force used far more often than by colleagues doing the same work is a recognised early "
        "warning; raw counts instead point at whoever attends the most incidents, and a force-wide "
        "comparison at whoever polices its most violent areas."
    ),
    inputs=("use_of_force", "incident_attendance"),
    innocent_explanations=(
        "A specialist posting within the role (e.g. a violence-reduction car) that attends more "
        "violent incidents than peers.",
        "Recording practice: some officers record every handcuffing, others do not.",
    ),
    thresholds=(
        Threshold("min_uses", 5, "uses of force in the period before a signal is raised"),
        Threshold("prior_uses", 3, "weight of the peer-group rate, in uses of force"),
        Threshold("min_peers", 5, "others in the peer group needed for a comparison"),
        *calibrated(prior=0.005),
    ),
    evidence_sql=_evidence,
    signal_sql=_signals,
    null_model=NullModel(_tested),
)

"""Complaints beyond what comparable duties explain: rates per unit of public contact, shrunk
toward the peer-group rate (empirical Bayes) before they are compared."""

from __future__ import annotations

from probity.detectors.base import Detector, Params, Threshold, calibrated, date_range_sql
from probity.detectors.null_model import NullModel
from probity.detectors.peers import expected_events_sql, shrunk_ratio_sql

GROUNDLESS = "('not_upheld', 'withdrawn')"


def _evidence(p: Params) -> str:
    # Complaints found groundless (not upheld, withdrawn) count half: allegations fall
    # unequally on Black and Asian officers and mostly end there (Casey Review), so counting
    # them whole passes the bias on; leaving them out would lose what real misconduct leaves
    # (most complaints about it are not upheld either). Upheld, pending and otherwise
    # resolved complaints count whole.
    return f"""
    SELECT l.person_key, 'complaints' AS source_table, c._source_file AS source_file, c._source_row AS source_row,
           CAST(coalesce(c.incident_date, c.received_date) AS TIMESTAMP) AS occurred_at,
           c.complaint_id || ': ' || replace(coalesce(c.allegation_category, 'unspecified'), '_', ' ')
             || ' (' || coalesce(c.complainant_type, '?') || ' complainant, ' || coalesce(c.outcome, '?') || ')'
             AS detail,
           c.allegation_category, c.outcome = 'upheld' AS upheld,
           CAST(CASE WHEN c.outcome IN {GROUNDLESS} THEN 0.5 ELSE 1.0 END AS DOUBLE) AS weight
    FROM complaints c JOIN links l ON l.task = 'complaint_subject' AND l.record_id = c.complaint_id
    """


# Contact = incidents attended + 2 × stops + 3 × uses of force: the duties complaints come from.
_CONTACT = """
    SELECT g.person_key, g.peer_group, coalesce(c.complaints, 0) AS events,
           e.incidents_attended + 2 * e.stops + 3 * e.uses_of_force AS exposure
    FROM peer_groups g JOIN exposure e USING (person_key)
    LEFT JOIN (SELECT person_key, sum(weight) AS complaints FROM _evidence GROUP BY person_key) c
      USING (person_key)
"""


def _tested(p: Params) -> str:
    return f"""
    WITH contact AS ({_CONTACT})
    {expected_events_sql("contact", p["prior_complaints"], int(p["min_peers"]))}
    """


def _signals(p: Params) -> str:
    # Each person's rate is shrunk toward their peer group's with a prior worth
    # `prior_complaints` complaints at the group rate, so a handful of complaints on little
    # contact does not lie; whether the count is beyond chance is the null model's to say.
    k = p["prior_complaints"]
    return f"""
    WITH counts AS (
        SELECT person_key, min(occurred_at) AS first_at, max(occurred_at) AS last_at,
               mode(allegation_category) AS theme,
               count(*) FILTER (WHERE allegation_category = mode_theme) AS theme_count,
               count(*) FILTER (WHERE upheld) AS upheld, count(*) AS complaints,
               count(*) FILTER (WHERE weight < 1) AS groundless
        FROM (SELECT *, mode(allegation_category) OVER (PARTITION BY person_key) AS mode_theme FROM _evidence)
        GROUP BY person_key
    ),
    contact AS ({_CONTACT}),
    shrunk AS ({shrunk_ratio_sql("contact", k, int(p["min_peers"]))})
    SELECT s.person_key,
           CAST(NULL AS DOUBLE) AS strength,
           n.complaints || ' complaints ' || {date_range_sql("n.first_at", "n.last_at")}
             || coalesce(' (' || nullif(concat_ws('; ',
                    CASE WHEN n.upheld > 0 THEN n.upheld || ' upheld' END,
                    CASE WHEN n.groundless > 0
                         THEN n.groundless || ' not upheld or withdrawn, counted at half' END), '')
                  || ')', '') || ', '
             || round(s.ratio, 1) || ' times the rate of peers with comparable public contact'
             || CASE WHEN n.theme_count >= {int(p["min_theme"])} AND n.theme IS NOT NULL AND n.theme <> 'other'
                     THEN '; ' || n.theme_count || ' allege ' || replace(n.theme, '_', ' ') ELSE '' END
             || '.' AS reason,
           n.first_at AS period_start, n.last_at AS period_end
    FROM shrunk s JOIN counts n USING (person_key)
    WHERE s.events >= {int(p["min_complaints"])} AND s.ratio > 1
    """


DETECTOR = Detector(
    name="complaint_rate",
    concern="complaint_pattern",
    purpose="professional_standards",
    title="Complaints beyond what comparable duties explain",
    looks_for=(
        "People whose complaints (those not upheld or withdrawn counted at half), per unit of "
        "public contact (incidents attended, stops, uses of force), are improbable at their peer group's rate (null model, false-discovery rate "
        "`fdr`); a repeated allegation theme is named in the reason."
    ),
    why=(
        "Complaint patterns can show conduct that single complaints do not; counting raw "
        "complaints instead punishes the busiest, most public-facing roles."
    ),
    inputs=("complaints",),
    innocent_explanations=(
        "Historic complaints are biased: Black officers were 81% and Asian officers 55% more likely "
        "than White colleagues to receive a misconduct allegation (Casey Review); the fairness "
        "audit measures what this detector passes on.",
        "Duties that draw complaints but are not in the contact measure (e.g. custody).",
    ),
    thresholds=(
        Threshold("min_complaints", 5, "complaints in the period before a signal is raised"),
        Threshold("prior_complaints", 2, "weight of the peer-group rate, in complaints"),
        Threshold("min_theme", 4, "complaints with one allegation category that make a theme"),
        Threshold("min_peers", 5, "others in the peer group needed for a comparison"),
        *calibrated(prior=0.005),
    ),
    evidence_sql=_evidence,
    signal_sql=_signals,
    null_model=NullModel(_tested),
)

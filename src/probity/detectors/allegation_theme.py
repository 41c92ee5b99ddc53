"""One allegation made again and again: a share of a person's complaints in one category that
their peers' complaints do not explain."""

from __future__ import annotations

from probity.detectors.base import Detector, Params, Threshold, date_range_sql
from probity.detectors.peers import binomial_tail_sql


def _complaints() -> str:
    return """
    SELECT l.person_key, c.*
    FROM complaints c JOIN links l ON l.task = 'complaint_subject' AND l.record_id = c.complaint_id
    WHERE c.allegation_category IS NOT NULL
    """


def _evidence(p: Params) -> str:
    # Each category's share among the peer group's complaints (the person left out), shrunk
    # toward the force-wide share with a prior worth `prior_complaints` complaints: public-order
    # officers draw use-of-force allegations as a matter of course, and a theme must stand out
    # from what the work brings.
    a = p["prior_complaints"]
    return f"""
    WITH mine AS ({_complaints()}),
    counts AS (
        SELECT g.peer_group, m.person_key, m.allegation_category, count(*) AS n
        FROM mine m JOIN peer_groups g USING (person_key) GROUP BY ALL
    ),
    totals AS (SELECT person_key, sum(n) AS total FROM counts GROUP BY 1),
    force_wide AS (
        SELECT allegation_category, sum(n) / (SELECT sum(n) FROM counts) AS share FROM counts GROUP BY 1
    ),
    groups AS (
        SELECT peer_group, allegation_category, sum(n) AS n FROM counts GROUP BY ALL
    ),
    group_totals AS (SELECT peer_group, sum(n) AS total FROM counts GROUP BY 1),
    scored AS (
        SELECT c.person_key, c.allegation_category, c.n, t.total,
               (g.n - c.n + {a} * f.share) / (gt.total - t.total + {a}) AS share
        FROM counts c JOIN totals t USING (person_key) JOIN force_wide f USING (allegation_category)
        JOIN groups g USING (peer_group, allegation_category) JOIN group_totals gt USING (peer_group)
        WHERE c.allegation_category <> 'other' AND c.n >= {int(p["min_theme"])}
    ),
    themes AS (
        SELECT *, {binomial_tail_sql("n", "total", "share", upper=True)} AS p FROM scored
        WHERE {binomial_tail_sql("n", "total", "share", upper=True)} < {p["max_p"]}
    )
    SELECT m.person_key, 'complaints' AS source_table, m._source_file AS source_file,
           m._source_row AS source_row,
           CAST(coalesce(m.incident_date, m.received_date) AS TIMESTAMP) AS occurred_at,
           m.complaint_id || ': ' || replace(m.allegation_category, '_', ' ')
             || ' (' || coalesce(m.complainant_type, '?') || ' complainant, '
             || coalesce(m.outcome, '?') || ')' AS detail,
           t.allegation_category, t.n, t.total, t.share
    FROM themes t JOIN mine m USING (person_key, allegation_category)
    """


def _signals(p: Params) -> str:
    return f"""
    SELECT person_key,
           least(1.0, 0.35 + 0.05 * max(n)) AS strength,
           arg_max(n, n) || ' of ' || any_value(total) || ' complaints allege '
             || replace(arg_max(allegation_category, n), '_', ' ') || ' '
             || {date_range_sql("min(occurred_at)", "max(occurred_at)")} || ', against '
             || CAST(round(100 * arg_max(share, n)) AS INTEGER)
             || '% of complaints about peers in the same role.' AS reason,
           min(occurred_at) AS period_start, max(occurred_at) AS period_end
    FROM _evidence GROUP BY person_key
    """


DETECTOR = Detector(
    name="allegation_theme",
    concern="complaint_pattern",
    purpose="professional_standards",
    title="One allegation made again and again",
    looks_for=(
        "People with several complaints alleging the same thing, where that category's share "
        "of their complaints is improbable at its share among their peers' complaints (binomial "
        "tail; the peer share is shrunk toward the force's)."
    ),
    why=(
        "Different complainants independently alleging the same behaviour (discrimination, "
        "rudeness, disclosure) is a stronger pattern than many complaints of every kind, which "
        "busy public-facing roles attract."
    ),
    inputs=("complaints",),
    innocent_explanations=(
        "Complaints coordinated by one group or campaign, or repeated by one complainant.",
        "Historic complaints are biased (Casey Review): the fairness audit measures what this "
        "detector passes on.",
    ),
    thresholds=(
        Threshold("min_theme", 4, "complaints in one category before it is a theme"),
        Threshold("max_p", 1e-4, "chance of so many in the category at the peer share"),
        Threshold("prior_complaints", 20, "weight of the force-wide share, in complaints"),
    ),
    evidence_sql=_evidence,
    signal_sql=_signals,
)

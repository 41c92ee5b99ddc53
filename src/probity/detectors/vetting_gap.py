"""People posted above the vetting they hold, or whose vetting lapsed while they serve."""

from __future__ import annotations

from probity.detectors.base import Detector, Params, rule_strength

# Vetting levels in order of assurance (management vetting sits with NPPV3).
LEVELS = "(VALUES ('RV', 0), ('NPPV1', 1), ('NPPV2', 2), ('MV', 3), ('NPPV3', 3), ('SC', 4), ('DV', 5)) AS l(level, rank)"


def _evidence(p: Params) -> str:
    return f"""
    WITH as_of AS (SELECT coalesce(max(duty_date), current_date) AS day FROM roster),
    held AS (  -- a clearance under review stands until the vetting unit decides otherwise
        SELECT r.person_key, v.*, l.rank AS held_rank,
               coalesce(v.expiry_date, DATE '9999-12-31') < (SELECT day FROM as_of) AS expired,
               v.status IN ('active', 'under_review')
                 AND coalesce(v.expiry_date, DATE '9999-12-31') >= (SELECT day FROM as_of) AS valid
        FROM vetting v JOIN person_refs r ON r.ref = v.person_id JOIN {LEVELS} ON l.level = v.vetting_level
    ),
    needed AS (
        SELECT d.person_key, d.unit_code, u.required_vetting, l.rank AS needed_rank, d._source_file, d._source_row
        FROM person_dim d JOIN units u ON u.unit_code = d.unit_code JOIN {LEVELS} ON l.level = u.required_vetting
        WHERE d.leave_date IS NULL
    ),
    covered AS (
        SELECT n.person_key FROM needed n JOIN held h ON h.person_key = n.person_key
        WHERE h.valid AND h.held_rank >= n.needed_rank
    )
    SELECT h.person_key, 'vetting' AS source_table, h._source_file AS source_file, h._source_row AS source_row,
           CAST(coalesce(h.expiry_date, h.granted_date) AS TIMESTAMP) AS occurred_at,
           CASE WHEN h.valid
                THEN 'holds ' || h.vetting_level || ' but ' || n.unit_code || ' requires ' || n.required_vetting
                ELSE h.vetting_level || ' vetting ' || coalesce(h.status, '?')
                     || CASE WHEN h.expired THEN ', expired ' || strftime(h.expiry_date, '%-d %b %Y') ELSE '' END
                     || ', while serving in ' || n.unit_code END AS detail,
           NOT h.valid AS lapsed
    FROM needed n JOIN held h ON h.person_key = n.person_key
    WHERE n.person_key NOT IN (SELECT person_key FROM covered)
    UNION ALL
    -- Serving in a unit that needs vetting, with no vetting record at all.
    SELECT n.person_key, 'people', n._source_file, n._source_row, NULL, 'no vetting record, while ' || n.unit_code || ' requires '
           || n.required_vetting, false
    FROM needed n WHERE n.person_key NOT IN (SELECT person_key FROM held)
    """


def _signals(p: Params) -> str:
    # Posted above the vetting held is the graver breach; a lapse is often paperwork (a renewal
    # overdue), and a backlog of lapses says nothing of a posting above the vetting held.
    return f"""
    SELECT person_key,
           CASE WHEN bool_or(NOT lapsed) THEN {rule_strength("0.95", "NOT lapsed")}
                ELSE {rule_strength("0.6", "lapsed")} END AS strength,
           upper(substr(string_agg(detail, '; ' ORDER BY occurred_at, detail), 1, 1))
             || substr(string_agg(detail, '; ' ORDER BY occurred_at, detail), 2) || '.' AS reason,
           min(occurred_at) AS period_start, max(occurred_at) AS period_end
    FROM _evidence GROUP BY person_key
    """


DETECTOR = Detector(
    name="vetting_gap",
    concern="vetting_compliance",
    purpose="professional_standards",
    title="Posted above the vetting held, or vetting lapsed",
    looks_for=(
        "Serving people whose current unit requires a vetting level that they do not hold as an "
        "unexpired clearance, active or under review: either they hold a lower level, or their "
        "clearance lapsed, expired or was withdrawn, or there is no vetting record at all."
    ),
    why=(
        "Vetting is the force's assurance that people with access to sensitive information and "
        "vulnerable people are fit to have it; gaps were a central finding of national inspections."
    ),
    inputs=("vetting", "units"),
    innocent_explanations=(
        "A renewal submitted in time but not yet recorded.",
        "A temporary posting agreed with the vetting unit pending upgrade.",
    ),
    thresholds=(),
    evidence_sql=_evidence,
    signal_sql=_signals,
)

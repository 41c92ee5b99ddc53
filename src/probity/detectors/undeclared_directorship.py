"""Active company directorships in the public register that the person has not declared."""

from __future__ import annotations

from probity.detectors.base import Detector, Params, Threshold, rule_strength


def _evidence(p: Params) -> str:
    return """
    SELECT l.person_key, 'company_officers' AS source_table, c._source_file AS source_file,
           c._source_row AS source_row, CAST(c.appointed_date AS TIMESTAMP) AS occurred_at,
           coalesce(c.officer_role, 'officer') || ' of ' || coalesce(c.company_name, '?') || ' ('
             || c.company_number || ')' || coalesce(' since ' || strftime(c.appointed_date, '%-d %b %Y'), '')
             || ', not declared' AS detail,
           c.company_name, c.company_number, c.appointed_date, c.officer_role
    FROM links l
    JOIN company_officers c ON l.task = 'company_officer' AND l.record_id = c.company_number || '/' || c._source_row
    JOIN person_dim d ON d.person_key = l.person_key
    WHERE c.resigned_date IS NULL AND coalesce(c.company_status, 'active') = 'active'
      AND d.leave_date IS NULL
      AND NOT EXISTS (
          SELECT 1 FROM declarations x JOIN person_refs r ON r.ref = x.person_id
          WHERE r.person_key = l.person_key
            AND x.kind IN ('business_interest', 'secondary_employment')
            AND coalesce(x.decision, 'pending') <> 'refused'
            AND (x.company_number = c.company_number
                 OR lower(trim(x.counterpart_name)) = lower(trim(c.company_name))))
    """


def _signals(p: Params) -> str:
    return f"""
    SELECT person_key,
           {rule_strength("least(0.95, 0.85 + 0.05 * (count(*) - 1))")} AS strength,
           'Listed in the company register as ' || string_agg(detail, '; ' ORDER BY occurred_at, detail)
             || ', with no business interest or secondary employment declared for '
             || CASE WHEN count(*) > 1 THEN 'them.' ELSE 'it.' END AS reason,
           min(occurred_at) AS period_start, max(occurred_at) AS period_end
    FROM (SELECT person_key, occurred_at,
                 coalesce(officer_role, 'officer') || ' of ' || coalesce(company_name, '?') || ' (' || company_number || ')'
                   || coalesce(' since ' || strftime(appointed_date, '%-d %b %Y'), '') AS detail
          FROM _evidence)
    GROUP BY person_key HAVING count(*) >= {int(p["min_directorships"])}
    """


DETECTOR = Detector(
    name="undeclared_directorship",
    concern="undeclared_interest",
    purpose="professional_standards",
    title="Undeclared company directorships",
    looks_for=(
        "Active appointments in the company register (matched on surname, first forename, and month "
        "and year of birth) with no business-interest or secondary-employment declaration naming "
        "the company, for people still serving."
    ),
    why=(
        "Business interests must be declared so that conflicts can be managed; undeclared interests "
        "were among the first findings of the Met's own pilot."
    ),
    inputs=("company_officers", "declarations"),
    innocent_explanations=(
        "A namesake born in the same month and year (the register has no full date of birth).",
        "A dormant family company declared on paper but not in the declarations system.",
    ),
    thresholds=(
        Threshold(
            "min_directorships", 1, "undeclared active appointments before a signal is raised"
        ),
    ),
    evidence_sql=_evidence,
    signal_sql=_signals,
)

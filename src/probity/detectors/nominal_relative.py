"""A relative on police records as an organised-crime nominal, with no notifiable association
declared. Uses the identity links that tie record subjects to people's next of kin."""

from __future__ import annotations

from probity.detectors.base import Detector, Params
from probity.detectors.shared import has_flag


def _evidence(p: Params) -> str:
    # A declaration covers the relative when it names their date of birth or their surname.
    return f"""
    SELECT l.person_key, 'record_subjects' AS source_table, s._source_file AS source_file,
           s._source_row AS source_row, CAST(NULL AS TIMESTAMP) AS occurred_at,
           'their ' || coalesce(l.relationship, 'relative') || ', record ' || s.subject_id
             || ', is recorded as an organised-crime nominal (linked by ' || replace(l.method, '_', ' ')
             || ')' AS detail,
           coalesce(l.relationship, 'relative') AS relationship, s.subject_id
    FROM links l
    JOIN record_subjects s ON s.subject_id = l.record_id
    WHERE l.task = 'record_subject_relative'
      AND {has_flag("s.flags", "ocg_nominal")}
      AND NOT EXISTS (
          SELECT 1 FROM declarations d JOIN person_refs r ON r.ref = d.person_id
          WHERE r.person_key = l.person_key AND d.kind = 'notifiable_association'
            AND coalesce(d.decision, '') <> 'refused'
            AND (d.counterpart_date_of_birth = s.date_of_birth
                 OR contains(upper(coalesce(d.counterpart_name, '')), upper(s.surname))))
    """


def _signals(p: Params) -> str:
    return """
    SELECT person_key,
           0.7 AS strength,
           'Their ' || string_agg(DISTINCT relationship, ', ' ORDER BY relationship) || ' '
             || CASE WHEN count(DISTINCT subject_id) > 1 THEN 'are' ELSE 'is' END
             || ' recorded as an organised-crime nominal, and no notifiable association is declared.'
             AS reason,
           CAST(NULL AS TIMESTAMP) AS period_start, CAST(NULL AS TIMESTAMP) AS period_end
    FROM _evidence GROUP BY person_key
    """


DETECTOR = Detector(
    name="nominal_relative",
    concern="corrupt_association",
    purpose="professional_standards",
    title="A relative who is an organised-crime nominal, not declared",
    looks_for=(
        "Next of kin and household members found on police records (through the identity links) "
        "who carry the organised-crime nominal flag, where the person has declared no notifiable "
        "association naming them."
    ),
    why=(
        "Officers must declare associations that could compromise them; an undeclared tie to "
        "organised crime is a route to leaks and corruption, whatever the officer's own conduct."
    ),
    inputs=("next_of_kin", "record_subjects", "declarations"),
    innocent_explanations=(
        "A wrong identity link (same name and date of birth): check the link's method.",
        "A declaration made on paper and not yet in the declarations system.",
        "The officer may not know of the relative's record.",
    ),
    thresholds=(),
    evidence_sql=_evidence,
    signal_sql=_signals,
)

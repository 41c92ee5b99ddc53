"""Look-ups of someone the person declared a notifiable association with.

A notifiable association is a tie the person has told the force of because it could compromise
them (someone involved in crime, or of interest to police). Declaring it is right; looking the
associate up in police systems without a policing purpose is exactly the compromise the rule
exists to prevent. The tie (declared name and date of birth against the records) is one of those
in `shared.py`, found in the same pass over the audit log as the others.
"""

from __future__ import annotations

from probity.detectors.base import Detector, Params, Threshold
from probity.detectors.lookup_purpose import (
    known_person_detail,
    on_duty,
    purposeful,
    times_off_duty_unexplained,
)
from probity.detectors.shared import has_flag


def _evidence(p: Params) -> str:
    return f"""
    WITH hits AS (
        SELECT person_key, _source_file, _source_row, event_time, action, subject_id,
               linked_reference
        FROM tied_lookups WHERE tie = 'associate'
    ),
    purposeful AS ({purposeful("hits")}),
    on_duty AS ({on_duty("hits")})
    SELECT h.person_key, 'access_log' AS source_table, h._source_file AS source_file,
           h._source_row AS source_row, h.event_time AS occurred_at,
           {known_person_detail("'declared associate'")} AS detail,
           h.subject_id, h._source_row NOT IN (SELECT _source_row FROM on_duty) AS off_duty,
           {has_flag("s.flags", "ocg_nominal")} AS nominal
    FROM hits h JOIN record_subjects s USING (subject_id)
    WHERE h._source_row NOT IN (SELECT _source_row FROM purposeful)
    """


def _signals(p: Params) -> str:
    return f"""
    SELECT person_key,
           least(1.0, 0.55 + 0.05 * count(*) + 0.03 * count(*) FILTER (WHERE off_duty)
                      + CASE WHEN bool_or(nominal) THEN 0.1 ELSE 0 END) AS strength,
           'Looked up the police record of '
             || CASE WHEN count(DISTINCT subject_id) > 1 THEN count(DISTINCT subject_id) || ' people'
                     ELSE 'someone' END
             || ' they declared a notifiable association with'
             || CASE WHEN bool_or(nominal) THEN ' (recorded as an organised-crime nominal)' ELSE '' END
             || {times_off_duty_unexplained()} AS reason,
           min(occurred_at) AS period_start, max(occurred_at) AS period_end
    FROM _evidence GROUP BY person_key HAVING count(*) >= {int(p["min_lookups"])}
    """


DETECTOR = Detector(
    name="associate_lookups",
    concern="corrupt_association",
    purpose="professional_standards",
    title="Look-ups of a declared associate",
    looks_for=(
        "Searches and views in police systems of a record subject the person declared a "
        "notifiable association with (born the same day, the declared name holding the "
        "record's surname), where the look-up cites no incident the person attended; an "
        "associate recorded as an organised-crime nominal weighs more."
    ),
    why=(
        "A notifiable association is declared because it could compromise the person; looking "
        "the associate up without a policing purpose is the compromise itself, and the way "
        "information reaches people involved in crime."
    ),
    inputs=("access_log", "system_accounts", "record_subjects", "declarations"),
    innocent_explanations=(
        "The associate may be part of a case the person was tasked to without the incident "
        "being cited; the declaration's conditions, or a supervisor, can confirm.",
        "A namesake born the same day: check the record against the declaration.",
    ),
    # Declared ties are few and named: two look-ups without purpose are not chance.
    thresholds=(
        Threshold("min_lookups", 2, "look-ups of a declared associate before a signal is raised"),
    ),
    evidence_sql=_evidence,
    signal_sql=_signals,
)

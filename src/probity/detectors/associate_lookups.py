"""Look-ups of someone the person declared a notifiable association with.

A notifiable association is a tie the person has told the force of because it could compromise
them (someone involved in crime, or of interest to police). Declaring it is right; looking the
associate up in police systems without a policing purpose is exactly the compromise the rule
exists to prevent. The tie (declared name and date of birth against the records) is one of those
in `shared.py`, found in the same pass over the audit log as the others.
"""

from __future__ import annotations

from probity.detectors.base import Detector, Params, Threshold
from probity.detectors.lookup_purpose import tied_lookups_unexplained, times_off_duty_unexplained
from probity.detectors.shared import has_flag


def _evidence(p: Params) -> str:
    nominals = f"SELECT subject_id FROM record_subjects WHERE {has_flag('flags', 'ocg_nominal')}"
    return tied_lookups_unexplained(
        "('associate')", "'declared associate'", f"h.subject_id IN ({nominals}) AS nominal"
    )


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

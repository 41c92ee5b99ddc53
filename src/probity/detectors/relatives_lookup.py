"""Look-ups of one's own relatives, partners or household with no policing purpose."""

from __future__ import annotations

from probity.detectors.base import Detector, Params, Threshold
from probity.detectors.lookup_purpose import tied_lookups_unexplained, times_off_duty_unexplained


def _evidence(p: Params) -> str:
    return tied_lookups_unexplained(
        "('relative')", "replace(h.relationship, '_', ' ')", "h.relationship"
    )


def _signals(p: Params) -> str:
    return f"""
    SELECT person_key,
           least(1.0, 0.5 + 0.06 * count(*) + 0.04 * count(*) FILTER (WHERE off_duty)) AS strength,
           'Looked up the police record of their ' || string_agg(DISTINCT replace(relationship, '_', ' '), ' and ' ORDER BY replace(relationship, '_', ' '))
             || {times_off_duty_unexplained()} AS reason,
           min(occurred_at) AS period_start, max(occurred_at) AS period_end
    FROM _evidence GROUP BY person_key HAVING count(*) >= {int(p["min_lookups"])}
    """


DETECTOR = Detector(
    name="relatives_lookup",
    concern="information_misuse",
    purpose="professional_standards",
    title="Look-ups of one's own relatives or household",
    looks_for=(
        "Searches and views in police systems of a record subject who is the person's next of kin "
        "(same surname and date of birth) or shares their surname at their home address, where the "
        "look-up cites no incident the person attended."
    ),
    why=(
        "Unauthorised access to police information is the most common corruption-related breach; "
        "looking up family and partners is its most frequent form."
    ),
    inputs=("access_log", "system_accounts", "record_subjects", "next_of_kin"),
    innocent_explanations=(
        "A relative may be the subject of a live case the person was legitimately tasked to, without "
        "the incident being cited; a supervisor can confirm.",
        "Household links by surname and postcode can catch a lodger or namesake neighbour.",
    ),
    # One look-up can be chance when a relative lives on the person's own patch; two are not.
    thresholds=(
        Threshold(
            "min_lookups", 2, "look-ups of relatives without purpose before a signal is raised"
        ),
    ),
    evidence_sql=_evidence,
    signal_sql=_signals,
)

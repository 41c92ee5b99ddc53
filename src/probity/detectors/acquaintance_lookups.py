"""Look-ups of colleagues and neighbours with no policing purpose.

Colleagues on police records are found through the identity links (record subjects who are
themselves members of the workforce); neighbours are record subjects at the person's home
postcode who are not of their household (relatives are `relatives_lookup`'s). Both ties are
defined in `shared.py` with the others, so that the audit log is read once for all of them.
"""

from __future__ import annotations

from probity.detectors.base import Detector, Params, Threshold, calibrated
from probity.detectors.lookup_purpose import tied_lookups_unexplained, times_off_duty_unexplained
from probity.detectors.null_model import NullModel
from probity.detectors.peers import expected_events_sql, per_lookup_rates_sql


def _evidence(p: Params) -> str:
    return tied_lookups_unexplained("('colleague', 'neighbour')", "h.tie", "h.tie")


def _tested(p: Params) -> str:
    # Look-ups of colleagues and neighbours without purpose, against the person's look-ups of
    # people at the rest of their peer group's rate: someone who works the systems all day
    # meets their own street and their own unit by chance, and their peers show how often.
    rates = per_lookup_rates_sql("SELECT person_key, count(*) AS n FROM _evidence GROUP BY 1")
    return f"""
    WITH rates AS ({rates})
    {expected_events_sql("rates", p["prior_lookups"], int(p["min_peers"]))}
    """


def _signals(p: Params) -> str:
    return f"""
    WITH ties AS (SELECT person_key, tie, count(DISTINCT subject_id) AS n FROM _evidence GROUP BY 1, 2),
    whom AS (
        SELECT person_key, string_agg(CASE WHEN n = 1 THEN 'a ' || tie ELSE n || ' ' || tie || 's' END,
                                      ' and ' ORDER BY tie) AS whom, sum(n) AS records
        FROM ties GROUP BY 1
    )
    SELECT e.person_key,
           CAST(NULL AS DOUBLE) AS strength,
           'Looked up the police record' || CASE WHEN any_value(w.records) > 1 THEN 's' ELSE '' END
             || ' of ' || any_value(w.whom) || {times_off_duty_unexplained()} AS reason,
           min(occurred_at) AS period_start, max(occurred_at) AS period_end
    FROM _evidence e JOIN whom w USING (person_key) GROUP BY e.person_key
    HAVING count(*) >= {int(p["min_lookups"])}
        OR count(*) FILTER (WHERE off_duty) >= {int(p["min_off_duty"])}
    """


DETECTOR = Detector(
    name="acquaintance_lookups",
    concern="information_misuse",
    purpose="professional_standards",
    title="Look-ups of colleagues and neighbours",
    looks_for=(
        "Searches and views in police systems of a record subject who is a colleague in the "
        "person's own unit (through the identity links) or lives at the person's home postcode "
        "outside their household, where the look-up cites no incident the person attended; "
        "raised when their number is improbable for someone in the person's peer group making "
        "as many look-ups of people (null model, false-discovery rate `fdr`)."
    ),
    why=(
        "Curiosity about people one knows (a colleague's domestic incident, a neighbour's "
        "arrest) is among the commonest unauthorised uses of police systems, and the start of "
        "leaks and harassment."
    ),
    inputs=("access_log", "record_subjects"),
    innocent_explanations=(
        "A look-up for a genuine task that cited no reference (e.g. a welfare check on a "
        "colleague requested by a supervisor).",
        "A wrong identity link or an out-of-date address.",
    ),
    # Officers often police where they live, so a single look-up of a neighbour at work is
    # ordinary; repetition, or look-ups while off duty, are not.
    thresholds=(
        Threshold("min_lookups", 5, "look-ups without purpose before a signal is raised"),
        Threshold("min_off_duty", 2, "or this many of them made while off duty"),
        Threshold("prior_lookups", 0.5, "weight of the force's rate in a peer rate, in look-ups"),
        Threshold("min_peers", 5, "others in the peer group needed for a comparison"),
        *calibrated(prior=0.005),
    ),
    evidence_sql=_evidence,
    signal_sql=_signals,
    null_model=NullModel(_tested),
)

"""A share of look-ups citing no incident or crime reference well above peers in the same role.

Routine work in some roles (intelligence, call handling) cites no reference as a matter of
course, so each person is held to their own peer group's share, not to a force-wide rule.
"""

from __future__ import annotations

from probity.detectors.base import Detector, Params, Threshold, calibrated
from probity.detectors.null_model import NullModel


def _per_person() -> str:
    # From the audit log's counts per person and month (`warehouse/log_months.py`), made once
    # per run for this and the model: one pass over the log for both.
    return """
    SELECT person_key, sum(person_lookups) AS lookups, sum(person_unreferenced) AS bare,
           min(first_person_at) AS first_at, max(last_person_at) AS last_at
    FROM log_months GROUP BY person_key HAVING sum(person_lookups) > 0
    """


def _scored(p: Params) -> str:
    """Everyone with enough look-ups of people in a peer group large enough to compare, with the
    share of the rest of their group's look-ups citing no reference."""
    return f"""
    WITH mine AS ({_per_person()}),
    persons AS (
        SELECT g.person_key, g.peer_group, m.lookups, m.bare, m.first_at, m.last_at
        FROM peer_groups g JOIN mine m USING (person_key)
    ),
    groups AS (
        SELECT peer_group, sum(lookups) AS lookups, sum(bare) AS bare, count(*) AS size
        FROM persons GROUP BY 1
    )
    SELECT x.*, (g.bare - x.bare + 1) / (g.lookups - x.lookups + 2) AS peer_share
    FROM persons x JOIN groups g USING (peer_group)
    WHERE g.size - 1 >= {int(p["min_peers"])} AND x.lookups >= {int(p["min_lookups"])}
    """


def _tested(p: Params) -> str:
    return f"""SELECT person_key, peer_group, bare AS observed, lookups AS trials,
                      peer_share AS expected_share
               FROM ({_scored(p)})"""


def _evidence(p: Params) -> str:
    return f"""
    SELECT person_key, 'access_log' AS source_table, NULL AS source_file, NULL AS source_row,
           last_at AS occurred_at,
           bare || ' of ' || lookups || ' look-ups of people cited no incident or crime reference ('
             || CAST(round(100 * bare / lookups) AS INTEGER) || '%; peers in the same role '
             || CAST(round(100 * peer_share) AS INTEGER) || '%)' AS detail,
           lookups, bare, peer_share, first_at, last_at
    FROM ({_scored(p)})
    WHERE (1 - bare / lookups) <= (1 - peer_share) / {p["min_ratio"]}
    """


def _signals(p: Params) -> str:
    return """
    SELECT person_key,
           CAST(NULL AS DOUBLE) AS strength,
           'Cited no incident or crime reference in '
             || CAST(round(100 * any_value(bare) / any_value(lookups)) AS INTEGER)
             || '% of ' || any_value(lookups) || ' look-ups of people, where peers in the same role cite '
             || 'none in ' || CAST(round(100 * any_value(peer_share)) AS INTEGER) || '%.' AS reason,
           min(first_at) AS period_start, max(last_at) AS period_end
    FROM _evidence GROUP BY person_key
    """


DETECTOR = Detector(
    name="unreferenced_lookups",
    concern="information_misuse",
    purpose="professional_standards",
    title="Look-ups that cite no reference, far more than peers",
    looks_for=(
        "People whose look-ups of person records cite no incident or crime reference far more "
        "often than their peer group's do: a share of referenced look-ups under 1/min_ratio of "
        "the peers', and improbable at the peers' share given how much people in the role differ "
        "(null model: beta-binomial, false-discovery rate `fdr`)."
    ),
    why=(
        "A reference is how a look-up shows its policing purpose; someone who never gives one, "
        "where colleagues doing the same work do, makes misuse impossible to tell from work. A "
        "weak signal on its own, it adds weight to others."
    ),
    inputs=("access_log",),
    innocent_explanations=(
        "A task within the role that cites no references (e.g. a research or audit project).",
        "A terminal or system that does not ask for a reference.",
    ),
    thresholds=(
        Threshold("min_lookups", 200, "look-ups of people before a share is judged"),
        Threshold("min_ratio", 4, "peers' share of referenced look-ups over the person's"),
        Threshold("min_peers", 5, "others in the peer group needed for a comparison"),
        # A weak signal on its own: a low prior keeps it below the typologies it adds weight to.
        *calibrated(prior=0.001),
    ),
    evidence_sql=_evidence,
    signal_sql=_signals,
    null_model=NullModel(_tested, kind="shares"),
)

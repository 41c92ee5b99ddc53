"""Stop and search out of line with peers doing the same work: searches that rarely find
anything, or that fall on Black people far more than other searches in the same area.

The ethnicity read here is that of the member of the public searched, recorded for the
disproportionality monitoring PACE Code A requires; the officer's own characteristics are
never read.
"""

from __future__ import annotations

from probity.detectors.base import Detector, Params, Threshold, date_range_sql
from probity.detectors.peers import binomial_tail_sql


def _evidence(p: Params) -> str:
    return """
    SELECT r.person_key, 'stop_search' AS source_table, s._source_file AS source_file,
           s._source_row AS source_row, s.event_time AS occurred_at,
           s.event_id || ': ' || coalesce(s.legislation, '?') || ' search for '
             || coalesce(s.object_of_search, '?') || ', outcome ' || coalesce(replace(s.outcome, '_', ' '), '?')
             || ', person searched recorded as ' || coalesce(s.subject_ethnicity, 'not stated') AS detail,
           coalesce(s.outcome, 'nfa') <> 'nfa' AS found,
           s.subject_ethnicity = 'Black' AS black
    FROM stop_search s JOIN person_refs r ON r.ref = s.person_id
    """


def _signals(p: Params) -> str:
    # Two tests, each needing both an improbable count (binomial tail at the comparison rate)
    # and a large enough difference: the find rate against the rest of the peer group (role ×
    # unit kind × rank), the share of Black people searched against the rest of the command.
    alpha = p["max_tail_probability"]
    return f"""
    WITH mine AS (
        SELECT e.person_key, g.peer_group, d.command, count(*) AS searches,
               count(*) FILTER (WHERE found) AS found, count(*) FILTER (WHERE black) AS black,
               min(occurred_at) AS first_at, max(occurred_at) AS last_at
        FROM _evidence e JOIN peer_groups g USING (person_key) JOIN person_dim d USING (person_key)
        GROUP BY ALL
    ),
    groups AS (SELECT peer_group, sum(searches) AS searches, sum(found) AS found, count(*) AS size FROM mine GROUP BY 1),
    areas AS (SELECT command, sum(searches) AS searches, sum(black) AS black FROM mine GROUP BY 1),
    compared AS (
        SELECT m.*,
               (g.found - m.found) / nullif(g.searches - m.searches, 0) AS peer_found_rate,
               (a.black - m.black) / nullif(a.searches - m.searches, 0) AS area_black_share,
               g.size - 1 AS peers
        FROM mine m JOIN groups g USING (peer_group) JOIN areas a USING (command)
        WHERE m.searches >= {int(p["min_searches"])}
    ),
    tested AS (
        SELECT *,
               found / searches / nullif(peer_found_rate, 0) <= {p["max_found_ratio"]}
                 AND {binomial_tail_sql("found", "searches", "peer_found_rate", upper=False)} < {alpha} AS finds_little,
               black / searches / nullif(area_black_share, 0) >= {p["min_black_ratio"]}
                 AND {binomial_tail_sql("black", "searches", "area_black_share", upper=True)} < {alpha} AS disproportionate
        FROM compared WHERE peers >= {int(p["min_peers"])}
    )
    SELECT person_key,
           least(1.0, 0.5 + CASE WHEN finds_little THEN 0.15 ELSE 0 END
                           + CASE WHEN disproportionate THEN 0.2 ELSE 0 END) AS strength,
           searches || ' searches ' || {date_range_sql("first_at", "last_at")} || ': '
             || CAST(round(100.0 * found / searches) AS INTEGER) || '% found anything (an arrest or other outcome) against '
             || CAST(round(100 * peer_found_rate) AS INTEGER) || '% for peers in the same role'
             || CASE WHEN disproportionate
                     THEN '; ' || CAST(round(100.0 * black / searches) AS INTEGER) || '% of people searched were recorded as Black against '
                          || CAST(round(100 * area_black_share) AS INTEGER) || '% of searches by others in ' || command
                     ELSE '' END || '.' AS reason,
           first_at AS period_start, last_at AS period_end
    FROM tested WHERE coalesce(finds_little, false) OR coalesce(disproportionate, false)
    """


DETECTOR = Detector(
    name="search_outcomes",
    concern="use_of_powers",
    purpose="professional_standards",
    title="Stop and search out of line with peers",
    looks_for=(
        "Officers with enough searches whose share of searches finding anything (arrest or any "
        "outcome other than no further action) is well below the rest of their peer group's, or "
        "whose share of Black people searched is well above that of other officers' searches in "
        "the same command; each needs both a large difference and an improbable count "
        "(binomial tail at the comparison rate)."
    ),
    why=(
        "Low find rates and disproportionality are the measures HMICFRS and the IOPC use for "
        "the fair and effective use of stop and search; a high volume alone is not a concern."
    ),
    inputs=("stop_search",),
    innocent_explanations=(
        "Postings to operations targeting a particular place or group, where rates differ.",
        "Searches whose outcome was recorded late or against another officer.",
    ),
    thresholds=(
        Threshold("min_searches", 20, "searches before the officer is compared"),
        Threshold("max_found_ratio", 0.5, "find rate over the peer rate, at or below"),
        Threshold("min_black_ratio", 1.5, "share of Black people searched over the area's"),
        Threshold(
            "max_tail_probability", 0.0001, "binomial tail probability at the comparison rate"
        ),
        Threshold("min_peers", 5, "others in the peer group needed for a comparison"),
    ),
    evidence_sql=_evidence,
    signal_sql=_signals,
)

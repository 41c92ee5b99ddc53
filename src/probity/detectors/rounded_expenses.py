"""Expense claims in suspiciously round amounts, far more often than colleagues claim them.

A receipt rarely comes to a whole multiple of five pounds; an estimate usually does. Fixed rates
(a round amount that is a common claim in its category, made by several people, such as a
night's accommodation at the force rate) are not estimates and are left out before anything is
compared. In a large force every round sum is claimed by someone, so commonness is a share.
"""

from __future__ import annotations

from probity.detectors.base import Detector, Params, Threshold, date_range_sql
from probity.detectors.peers import binomial_tail_sql


def _claims() -> str:
    return """
    SELECT r.person_key, e.*, CAST(e.amount_gbp AS DOUBLE) % 5 = 0 AS round_amount
    FROM expense_claims e JOIN person_refs r ON r.ref = e.person_id
    WHERE e.amount_gbp IS NOT NULL AND e.amount_gbp > 0
    """


def _evidence(p: Params) -> str:
    return f"""
    WITH claims AS ({_claims()}),
    fixed_rates AS (  -- a round amount common in its category, among several people
        SELECT category, amount_gbp FROM (
            SELECT category, amount_gbp, round_amount, count(DISTINCT person_key) AS people,
                   count(*) / sum(count(*)) OVER (PARTITION BY category) AS share
            FROM claims GROUP BY category, amount_gbp, round_amount)
        WHERE round_amount AND people >= {int(p["fixed_rate_people"])}
          AND share >= {p["fixed_rate_share"]}
    )
    SELECT c.person_key, 'expense_claims' AS source_table, c._source_file AS source_file,
           c._source_row AS source_row, CAST(c.claim_date AS TIMESTAMP) AS occurred_at,
           'claim ' || c.claim_id || ': ' || coalesce(c.category, 'expense') || ' £'
             || format('{{:,.2f}}', CAST(c.amount_gbp AS DOUBLE)) || ' on '
             || strftime(c.claim_date, '%-d %b %Y') AS detail
    FROM claims c
    WHERE c.round_amount AND NOT EXISTS (
        SELECT 1 FROM fixed_rates f WHERE f.category IS NOT DISTINCT FROM c.category
          AND f.amount_gbp = c.amount_gbp)
    """


def _signals(p: Params) -> str:
    # The force-wide share of round claims (fixed rates aside) is what each person is expected
    # to show; a person is raised when their count of round claims is improbable under it.
    return f"""
    WITH totals AS (
        SELECT person_key, count(*) AS claims FROM ({_claims()}) GROUP BY 1
    ),
    mine AS (
        SELECT person_key, count(*) AS rounded, min(occurred_at) AS first_at, max(occurred_at) AS last_at
        FROM _evidence GROUP BY 1
    ),
    force_wide AS (SELECT (SELECT count(*) FROM _evidence) / sum(claims) AS share FROM totals),
    scored AS (
        SELECT m.*, t.claims, f.share,
               {binomial_tail_sql("m.rounded", "t.claims", "f.share", upper=True)} AS p
        FROM mine m JOIN totals t USING (person_key), force_wide f
    )
    SELECT person_key,
           least(1.0, 0.35 + 0.03 * rounded) AS strength,
           rounded || ' of ' || claims || ' expense claims in round multiples of £5 '
             || {date_range_sql("first_at", "last_at")} || ', against '
             || round(100 * share, 1) || '% of claims across the force.' AS reason,
           first_at AS period_start, last_at AS period_end
    FROM scored
    WHERE rounded >= {int(p["min_round"])} AND rounded >= {p["min_share"]} * claims
      AND p < {p["max_p"]}
    """


DETECTOR = Detector(
    name="rounded_expenses",
    concern="claims_and_attendance",
    purpose="professional_standards",
    title="Expense claims in suspiciously round amounts",
    looks_for=(
        "People most of whose expense claims are whole multiples of £5, far more than the "
        "force-wide share of such claims explains (binomial tail); a round amount that makes up "
        "a share of its category's claims, from several people, is a fixed rate and left out."
    ),
    why=(
        "Receipted costs rarely come to round sums; a run of round amounts suggests estimated or "
        "invented claims, which approval one claim at a time does not notice."
    ),
    inputs=("expense_claims",),
    innocent_explanations=(
        "Flat-rate allowances or fixed fares that the force pays but few people claim.",
        "A supplier that charges round sums (e.g. a parking operator).",
    ),
    thresholds=(
        Threshold("min_round", 6, "round-amount claims before a signal is raised"),
        Threshold("min_share", 0.3, "share of the person's claims that are round"),
        Threshold("max_p", 1e-6, "chance of so many round claims at the force-wide share"),
        Threshold("fixed_rate_people", 5, "people who must claim a round amount for a rate"),
        Threshold(
            "fixed_rate_share",
            0.01,
            "share of its category's claims a round amount needs to be a rate",
        ),
    ),
    evidence_sql=_evidence,
    signal_sql=_signals,
)

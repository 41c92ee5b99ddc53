"""The same expense claimed more than once: same person, day, category and amount."""

from __future__ import annotations

from probity.detectors.base import Detector, Params, Threshold, date_range_sql


def _evidence(p: Params) -> str:
    return """
    WITH claims AS (
        SELECT r.person_key, e.*,
               count(*) OVER (PARTITION BY r.person_key, e.claim_date, e.category, e.amount_gbp) AS copies
        FROM expense_claims e JOIN person_refs r ON r.ref = e.person_id
        WHERE e.amount_gbp IS NOT NULL AND e.amount_gbp > 0
    )
    SELECT person_key, 'expense_claims' AS source_table, _source_file AS source_file,
           _source_row AS source_row, CAST(claim_date AS TIMESTAMP) AS occurred_at,
           'claim ' || claim_id || ': ' || coalesce(category, 'expense') || ' £'
             || format('{:,.2f}', CAST(amount_gbp AS DOUBLE)) || ' on ' || strftime(claim_date, '%-d %b %Y')
             || ', one of ' || copies || ' identical claims' AS detail,
           claim_date, category, amount_gbp, copies
    FROM claims WHERE copies > 1
    """


def _signals(p: Params) -> str:
    return f"""
    WITH sets AS (
        SELECT person_key, claim_date, category, amount_gbp, count(*) - 1 AS extra,
               min(occurred_at) AS seen_at
        FROM _evidence GROUP BY ALL
    )
    SELECT person_key,
           least(1.0, 0.45 + 0.1 * sum(extra)) AS strength,
           count(*) || ' expense claims made more than once (same day, category and amount), £'
             || format('{{:,.2f}}', CAST(sum(extra * amount_gbp) AS DOUBLE)) || ' claimed again, '
             || {date_range_sql("min(seen_at)", "max(seen_at)")} || '.' AS reason,
           min(seen_at) AS period_start, max(seen_at) AS period_end
    FROM sets GROUP BY person_key HAVING count(*) >= {int(p["min_duplicates"])}
    """


DETECTOR = Detector(
    name="duplicate_expenses",
    concern="claims_and_attendance",
    purpose="professional_standards",
    title="The same expense claimed more than once",
    looks_for=(
        "Expense claims by one person with the same day, category and amount, on at least two "
        "different occasions."
    ),
    why=(
        "Claiming an expense twice is a simple fraud that approval by different managers, or "
        "on different days, does not catch; one duplicate is often a slip, several are not."
    ),
    inputs=("expense_claims",),
    innocent_explanations=(
        "A claim resubmitted after a rejection, where the first was never paid.",
        "Fixed-rate allowances genuinely claimed twice in a day (e.g. two shifts).",
    ),
    thresholds=(
        Threshold("min_duplicates", 2, "occasions with an identical claim before a signal"),
    ),
    evidence_sql=_evidence,
    signal_sql=_signals,
)

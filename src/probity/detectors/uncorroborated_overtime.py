"""Overtime claimed for hours in which nothing shows the person at work: no badge swipe, no
look-up in police systems, no incident attended."""

from __future__ import annotations

from datetime import date, timedelta

from probity.detectors.base import Detector, Params, Threshold, date_range_sql
from probity.detectors.carry import Assumption, DayLocal, record_days, rows_from
from probity.detectors.peers import poisson_tail_sql


def _margin(p: Params) -> str:
    return f"INTERVAL {int(p['margin_minutes'])} MINUTE"


def _within_a_day(p: Params) -> str:
    """A claim's hours, with the margin, lie between the day before its work date and the day
    after: so activity on a day can change the evidence of claims dated from the day before
    it on (`after=1`), and a claim's evidence reads activity from the day before its own."""
    margin = _margin(p)
    return f"""start_time IS NULL OR end_time IS NULL
               OR (CAST(start_time - {margin} AS DATE) >= work_date - 1
                   AND CAST(end_time + {margin} AS DATE) <= work_date + 1)"""


def _evidence(p: Params, since: date | None = None) -> str:
    """Uncorroborated claims; with `since`, those dated on or after that day, read against
    activity from the day before it on (claims keep within a day of their date: `_within_a_day`)."""
    # Activity is matched on (person, day) first so the time-range test runs on a handful of
    # rows per claim, not on everything the person ever did. Badge swipes and attendance are
    # matched on the person's own references (the claims are put on them, rather than every
    # swipe mapped to a person), and the audit log, the largest table, is probed only for the
    # claims they leave uncorroborated.
    margin = _margin(p)
    claimed = rows_from("overtime_claims", "work_date", since)
    read_from = since - timedelta(days=1) if since else None
    swipes = rows_from("building_access", "event_time", read_from)
    arrivals = rows_from("incident_attendance", "arrived_time", read_from)
    lookups = rows_from("access_log", "event_time", read_from)
    return f"""
    WITH claims AS (
        SELECT r.person_key, o.claim_id, o._source_file, o._source_row, o.work_date, o.hours,
               o.reason_code, o.start_time - {margin} AS from_time, o.end_time + {margin} AS to_time
        FROM {claimed} o JOIN person_refs r ON r.ref = o.person_id
        WHERE o.start_time IS NOT NULL AND o.end_time IS NOT NULL
    ),
    claim_days AS (
        SELECT person_key, claim_id, from_time, to_time, CAST(from_time AS DATE) AS day FROM claims
        UNION
        SELECT person_key, claim_id, from_time, to_time, CAST(to_time AS DATE) FROM claims
    ),
    on_refs AS (SELECT r.ref, c.* FROM claim_days c JOIN person_refs r USING (person_key)),
    on_site AS MATERIALIZED (  -- a badge swipe or an incident attended in the hours claimed
        SELECT c.claim_id FROM on_refs c
        JOIN {swipes} b ON b.person_id = c.ref AND CAST(b.event_time AS DATE) = c.day
        WHERE b.event_time BETWEEN c.from_time AND c.to_time
        UNION
        SELECT c.claim_id FROM on_refs c
        JOIN {arrivals} a ON a.person_id = c.ref AND CAST(a.arrived_time AS DATE) = c.day
        WHERE a.arrived_time BETWEEN c.from_time AND c.to_time
    ),
    on_accounts AS MATERIALIZED (
        SELECT ap.account_id, c.* FROM claim_days c JOIN account_person ap USING (person_key)
        WHERE c.claim_id NOT IN (SELECT claim_id FROM on_site)
    ),
    corroborated AS (  -- the look-ups are matched on the log's own account, not mapped to people
        SELECT claim_id FROM on_site
        UNION
        SELECT c.claim_id FROM on_accounts c
        JOIN {lookups} l ON l.account_id = c.account_id AND CAST(l.event_time AS DATE) = c.day
        WHERE l.event_time BETWEEN c.from_time AND c.to_time
    )
    SELECT c.person_key, 'overtime_claims' AS source_table, c._source_file AS source_file,
           c._source_row AS source_row, CAST(c.work_date AS TIMESTAMP) AS occurred_at,
           'claim ' || c.claim_id || ': ' || coalesce(CAST(c.hours AS VARCHAR), '?') || ' h '
             || coalesce(replace(c.reason_code, '_', ' '), 'overtime') || ' on '
             || strftime(c.work_date, '%a %-d %b %Y')
             || ', no badge swipe, look-up or incident in the hours claimed' AS detail,
           coalesce(c.hours, 0) AS hours
    FROM claims c WHERE c.claim_id NOT IN (SELECT claim_id FROM corroborated)
    """


def _signals(p: Params) -> str:
    # Some claims lack a record for innocent reasons (a forgotten card, a site without
    # readers, a short extension to a shift whose swipe came before it). The force-wide share
    # of such claims sets what is expected of each person; a person is raised when their
    # count is improbable under it. Claims of `long_hours` or more (a shift's worth, often on a
    # rest day) are tested apart at their own force-wide share: a whole day claimed with
    # nothing to show for it is rarer than a missing swipe on an hour's extension, and hides
    # among them when the two are counted together.
    long = f"hours >= {p['long_hours']}"
    tail = p["max_tail_probability"]
    return f"""
    WITH totals AS (
        SELECT r.person_key, count(*) AS claims, count(*) FILTER (WHERE o.{long}) AS long_claims
        FROM overtime_claims o JOIN person_refs r ON r.ref = o.person_id GROUP BY 1
    ),
    mine AS (
        SELECT person_key, count(*) AS bare, count(*) FILTER (WHERE {long}) AS bare_long,
               sum(hours) AS hours, min(occurred_at) AS first_at, max(occurred_at) AS last_at
        FROM _evidence GROUP BY 1
    ),
    force_wide AS (
        SELECT (SELECT count(*) FROM _evidence) / nullif(sum(claims), 0) AS share,
               (SELECT count(*) FROM _evidence WHERE {long}) AS bare_long, sum(long_claims) AS long_claims
        FROM totals
    ),
    scored AS (  -- long claims at everyone else's share: few people claim them
        SELECT m.*, t.claims, t.claims * f.share AS expected,
               t.long_claims * coalesce((f.bare_long - m.bare_long)
                                        / nullif(f.long_claims - t.long_claims, 0), 0) AS expected_long
        FROM mine m JOIN totals t USING (person_key), force_wide f
    ),
    tested AS (
        SELECT *,
               bare >= {int(p["min_claims"])}
                 AND {poisson_tail_sql("bare", "expected")} < {tail} AS many,
               bare_long >= {int(p["min_claims"])}
                 AND {poisson_tail_sql("bare_long", "expected_long")} < {tail} AS many_long
        FROM scored
    )
    SELECT person_key,
           least(1.0, 0.45 + 0.05 * bare + CASE WHEN many_long THEN 0.2 ELSE 0 END) AS strength,
           bare || ' of ' || claims || ' overtime claims (' || round(hours, 1) || ' hours) '
             || {date_range_sql("first_at", "last_at")}
             || ' have no badge swipe, look-up or incident in the hours claimed'
             || CASE WHEN many_long
                     THEN ', ' || bare_long || ' of them for {p["long_hours"]:g} hours or more; about '
                          || round(expected_long, 1) || ' such would be expected at the force-wide rate.'
                     ELSE '; about ' || round(expected, 1) || ' would be expected at the force-wide rate.'
                END AS reason,
           first_at AS period_start, last_at AS period_end
    FROM tested WHERE many OR many_long
    """


DETECTOR = Detector(
    name="uncorroborated_overtime",
    concern="claims_and_attendance",
    purpose="professional_standards",
    title="Overtime with nothing to show the person was at work",
    looks_for=(
        "Overtime claims for hours with no badge swipe, no look-up in police systems and no "
        "incident attended (allowing a margin either side); raised when a person has more such "
        "claims than the force-wide share makes plausible (Poisson tail), or more such claims "
        "of `long_hours` or more than the force-wide share of those makes plausible."
    ),
    why=(
        "Claiming for hours not worked is one of the commonest forms of fraud by police staff; "
        "activity records are the independent check a supervisor signing the claim does not see."
    ),
    inputs=("overtime_claims", "building_access"),
    innocent_explanations=(
        "Work away from any badge reader or system: court, enquiries, events at outside venues.",
        "A forgotten or faulty card, or a colleague holding a door.",
    ),
    thresholds=(
        Threshold("min_claims", 4, "uncorroborated claims before a signal is raised"),
        Threshold("long_hours", 4, "hours from which a claim is tested with the long claims"),
        Threshold(
            "max_tail_probability", 0.0001, "Poisson tail probability at the force-wide share"
        ),
        Threshold("margin_minutes", 30, "minutes either side of the claimed hours that count"),
    ),
    evidence_sql=_evidence,
    signal_sql=_signals,
    day_local=DayLocal(
        evidence_since=_evidence,
        dated=record_days(
            "overtime_claims", "building_access", "incident_attendance", "access_log"
        ),
        after=1,
        fixed=("person_refs", "account_person"),
        assumes=(
            Assumption(
                "overtime_claims",
                _within_a_day,
                "a claim's hours, with the margin, lie within a day of its work date",
            ),
        ),
    ),
)

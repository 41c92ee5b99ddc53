"""Overtime claimed for hours in which nothing shows the person at work: no badge swipe, no
look-up in police systems, no incident attended."""

from __future__ import annotations

from datetime import date, timedelta

from probity.detectors.base import Detector, Params, Threshold, calibrated, date_range_sql
from probity.detectors.carry import Assumption, DayLocal, record_days, rows_from
from probity.detectors.null_model import NullModel
from probity.detectors.peers import binomial_tail_sql

# A person's claims for one reason whose uncorroborated count is this improbable at the share over
# all reasons are left out of that reason's share: a few people claiming whole days with nothing
# would otherwise make it look ordinary, in a small force above all.
ORDINARY = 0.001


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
        WHERE o.start_time IS NOT NULL AND o.end_time IS NOT NULL AND o.hours >= {p["long_hours"]}
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


def _mix(p: Params) -> str:
    """SQL (person_key, bare, claims, hours, expected_bare) over claims of `long_hours` or more:
    each person's uncorroborated ones, and what their claims would bring at everyone else's
    share for each reason (shrunk toward the share over all reasons by one claim's weight,
    claims far beyond that share left out: `ORDINARY`)."""
    # Some claims lack a record for innocent reasons, and how often depends on the reason: an
    # event at an outside venue has no badge reader, a day's cover claimed with nothing to show
    # is rare. Holding every claim to one share lends that mix's spread to the null, where a
    # few whole days with nothing hide.
    return f"""
    WITH bare AS (SELECT DISTINCT source_file, source_row FROM _evidence),
    claims AS (
        SELECT r.person_key, o.hours, coalesce(o.reason_code, '?') AS kind,
               b.source_row IS NOT NULL AS bare
        FROM overtime_claims o JOIN person_refs r ON r.ref = o.person_id
        LEFT JOIN bare b ON b.source_file = o._source_file AND b.source_row = o._source_row
        WHERE o.start_time IS NOT NULL AND o.end_time IS NOT NULL AND o.hours >= {p["long_hours"]}
    ),
    own AS (
        SELECT person_key, kind, count(*) AS n, count(*) FILTER (WHERE bare) AS b,
               sum(hours) FILTER (WHERE bare) AS h
        FROM claims GROUP BY 1, 2
    ),
    overall AS (SELECT sum(b) / sum(n) AS share FROM own),
    judged AS (  -- claims far beyond the force's share do not set what is ordinary for a reason
        SELECT o.*, {binomial_tail_sql("o.b", "o.n", "f.share", upper=True)} >= {ORDINARY} AS ordinary
        FROM own o, overall f
    ),
    kinds AS (SELECT kind, sum(n) AS n, sum(b) AS b FROM judged WHERE ordinary GROUP BY 1)
    SELECT o.person_key, sum(o.b) AS bare, sum(o.n) AS claims, sum(o.h) AS hours,
           sum(o.n * (coalesce(k.b, 0) - CASE WHEN o.ordinary THEN o.b ELSE 0 END + f.share)
                   / (coalesce(k.n, 0) - CASE WHEN o.ordinary THEN o.n ELSE 0 END + 1)) AS expected_bare
    FROM judged o LEFT JOIN kinds k USING (kind), overall f GROUP BY 1
    """


def _tested(p: Params) -> str:
    # The share of a person's claims with nothing to show, against what their reasons bring at
    # everyone else's share, at the rest of the peer group's ratio to it (shrunk toward 1 with
    # `prior_claims` claims' weight): a role that works away from badge readers is held to its
    # own. Anyone may claim overtime, so people in groups too small to compare are held to the
    # others in such groups, not left untested.
    prior = p["prior_claims"]
    return f"""
    WITH persons AS (
        SELECT m.*, CASE WHEN g.peer_group_size - 1 >= {int(p["min_peers"])} THEN g.peer_group
                         ELSE 'smaller groups' END AS peer_group
        FROM peer_groups g JOIN ({_mix(p)}) m USING (person_key)
    ),
    groups AS (SELECT peer_group, sum(bare) AS bare, sum(expected_bare) AS expected,
                      count(*) AS size FROM persons GROUP BY 1)
    SELECT x.person_key, x.peer_group, x.bare AS observed, x.claims AS trials,
           least(0.999, greatest(0.0001, x.expected_bare / x.claims
                 * (g.bare - x.bare + {prior}) / (g.expected - x.expected_bare + {prior})))
             AS expected_share
    FROM persons x JOIN groups g USING (peer_group)
    WHERE g.size - 1 >= {int(p["min_peers"])}
    """


def _signals(p: Params) -> str:
    return f"""
    WITH spans AS (
        SELECT person_key, min(occurred_at) AS first_at, max(occurred_at) AS last_at
        FROM _evidence GROUP BY 1
    )
    SELECT person_key,
           CAST(NULL AS DOUBLE) AS strength,
           bare || ' of ' || claims || ' overtime claims of {p["long_hours"]:g} hours or more ('
             || round(hours, 1) || ' hours) ' || {date_range_sql("first_at", "last_at")}
             || ' have no badge swipe, look-up or incident in the hours claimed.' AS reason,
           first_at AS period_start, last_at AS period_end
    FROM ({_mix(p)}) JOIN spans USING (person_key)
    WHERE bare >= {int(p["min_claims"])}
    """


DETECTOR = Detector(
    name="uncorroborated_overtime",
    concern="claims_and_attendance",
    purpose="professional_standards",
    title="Overtime with nothing to show the person was at work",
    looks_for=(
        "Overtime claims of `long_hours` or more for hours with no badge swipe, no look-up in "
        "police systems and no incident attended (allowing a margin either side); raised when a "
        "person has more such claims than is probable for the reasons they claimed for, at the "
        "force's share for each reason and the ratio of peers in the same role to it (null "
        "model: beta-binomial, false-discovery rate `fdr`). A shorter claim is mostly an extension to a shift, which "
        "the shift itself shows the person at work for."
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
        Threshold("long_hours", 4, "hours from which a claim is tested: most of a shift"),
        Threshold("margin_minutes", 30, "minutes either side of the claimed hours that count"),
        Threshold("prior_claims", 2, "weight of the force's share in a peer ratio, in claims"),
        Threshold("min_peers", 5, "others in the peer group needed for a comparison"),
        *calibrated(prior=0.005),
    ),
    evidence_sql=_evidence,
    signal_sql=_signals,
    null_model=NullModel(_tested, kind="shares"),
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

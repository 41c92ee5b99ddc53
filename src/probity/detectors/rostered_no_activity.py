"""Rostered shifts with nothing to show the person was at work: no badge swipe, no look-up in
police systems, no incident, stop or use of force on the day.

Days are matched whole (a night shift also owns the morning after), so each test is an equality
join on (person, day) rather than a time-range join over hundreds of millions of events, and
only shifts with no badge swipe are looked for in the access log.

Badge swipes are first packed into each person's days with a swipe, 63 days to a number, one
bit a day: tens of millions of swipes become a few hundred thousand rows, and each shift looks
up one of them and tests its bit, instead of tens of millions of shifts being matched against
tens of millions of swipes.
"""

from __future__ import annotations

from datetime import date

from probity.detectors.base import Detector, Params, Threshold, calibrated, date_range_sql
from probity.detectors.carry import DayLocal, record_days, rows_from
from probity.detectors.null_model import NullModel

# Shifts worked at the person's own base. Training and court days are away from it by design.
AT_BASE = ("early", "late", "night", "day")

# Swipe days are packed this many to a BIGINT, a bit each (bits 0 to 62, so that the number
# stays positive on either engine), numbered from a day before any record (so none is negative).
DAYS_PER_BLOCK = 63
DAY_ZERO = "DATE '0001-01-01'"


def _day_number(day: str) -> str:
    return f"date_diff('day', {DAY_ZERO}, {day})"


def _evidence(p: Params, since: date | None = None) -> str:
    """Silent shifts; with `since`, those on or after that day only (a shift's day and the
    morning after decide it, so nothing earlier is read)."""
    duties = ", ".join(f"'{d}'" for d in AT_BASE)
    swipes = rows_from("building_access", "event_time", since)
    shifts = rows_from("duty_intervals", "duty_date", since)
    lookups = rows_from("access_log", "event_time", since)
    n = DAYS_PER_BLOCK
    return f"""
    WITH swipe_days AS (  -- each reference's days with a swipe: bit (day % n) of block (day // n)
        SELECT person_id, day // {n} AS block, bit_or(CAST(1 AS BIGINT) << (day % {n})) AS days
        FROM (SELECT b.person_id, {_day_number("CAST(b.event_time AS DATE)")} AS day
              FROM {swipes} b)
        GROUP BY 1, 2
    ),
    swiped AS (  -- and each person's, over all their references (an HR id, a warrant number)
        SELECT r.person_key, w.block, bit_or(w.days) AS days
        FROM swipe_days w JOIN person_refs r ON r.ref = w.person_id GROUP BY 1, 2
    ),
    shifts AS (
        SELECT s.person_key, s.duty_date, s.duty_type, {_day_number("s.duty_date")} AS day
        FROM {shifts} s WHERE s.duty_type IN ({duties})
    ),
    unbadged AS (  -- usually a small share of shifts: only these are looked for elsewhere
        SELECT s.person_key, s.duty_date, s.duty_type FROM shifts s
        LEFT JOIN swiped w ON w.person_key = s.person_key AND w.block = s.day // {n}
        WHERE w.days IS NULL OR (w.days >> (s.day % {n})) & 1 = 0
    ),
    candidate_days AS (  -- the shift's day, and for a night shift the morning after
        SELECT person_key, duty_date, duty_date AS day FROM unbadged
        UNION ALL
        SELECT person_key, duty_date, duty_date + 1 FROM unbadged WHERE duty_type = 'night'
    ),
    events AS (
        SELECT r.person_key, CAST(coalesce(a.arrived_time, i.opened_time) AS DATE) AS day
        FROM incident_attendance a JOIN person_refs r ON r.ref = a.person_id
        LEFT JOIN incidents i USING (incident_ref)
        UNION ALL
        SELECT r.person_key, CAST(s.event_time AS DATE) FROM stop_search s JOIN person_refs r ON r.ref = s.person_id
        UNION ALL
        SELECT r.person_key, CAST(u.event_time AS DATE) FROM use_of_force u JOIN person_refs r ON r.ref = u.person_id
    ),
    on_duty_events AS MATERIALIZED (  -- an incident, stop or use of force on the day
        SELECT DISTINCT c.person_key, c.duty_date FROM candidate_days c JOIN events e USING (person_key, day)
    ),
    unexplained AS MATERIALIZED (  -- the audit log, the largest table, is probed for the rest only
        SELECT ap.account_id, c.* FROM candidate_days c JOIN account_person ap USING (person_key)
        ANTI JOIN on_duty_events USING (person_key, duty_date)
    ),
    online AS (  -- a semi join: any one look-up on the day will do
        SELECT c.person_key, c.duty_date FROM unexplained c
        SEMI JOIN {lookups} l ON l.account_id = c.account_id AND CAST(l.event_time AS DATE) = c.day
    ),
    silent AS (
        SELECT u.* FROM unbadged u
        ANTI JOIN on_duty_events USING (person_key, duty_date)
        ANTI JOIN online USING (person_key, duty_date)
    )
    SELECT person_key, 'roster' AS source_table, NULL AS source_file, NULL AS source_row,
           CAST(duty_date AS TIMESTAMP) AS occurred_at,
           duty_type || ' shift on ' || strftime(duty_date, '%a %-d %b %Y')
             || ': no badge swipe, look-up, incident, stop or use of force' AS detail
    FROM silent
    """


def _persons(p: Params) -> str:
    """Everyone rostered at base in a peer group large enough to compare, with their silent
    shifts and the share of such shifts among the rest of their group."""
    duties = ", ".join(f"'{d}'" for d in AT_BASE)
    return f"""
    WITH rostered AS (
        SELECT person_key, count(*) AS shifts FROM duty_intervals
        WHERE duty_type IN ({duties}) GROUP BY 1
    ),
    mine AS (SELECT person_key, count(*) AS silent FROM _evidence GROUP BY 1),
    persons AS (
        SELECT g.person_key, g.peer_group, r.shifts, coalesce(m.silent, 0) AS silent
        FROM peer_groups g JOIN rostered r USING (person_key) LEFT JOIN mine m USING (person_key)
    ),
    groups AS (SELECT peer_group, sum(silent) AS silent, sum(shifts) AS shifts, count(*) AS size
               FROM persons GROUP BY 1)
    SELECT x.*, greatest((g.silent - x.silent + 1) / (g.shifts - x.shifts + 1), 0.001) AS peer_share
    FROM persons x JOIN groups g USING (peer_group)
    WHERE g.size - 1 >= {int(p["min_peers"])}
    """


def _tested(p: Params) -> str:
    # Some shifts leave no trace for innocent reasons (a forgotten card, a day of meetings
    # elsewhere). Each person is held to the share of such shifts among the rest of their peer
    # group, and to how much people in that group differ, so a role that rarely swipes or
    # searches is compared with itself.
    return f"""SELECT person_key, peer_group, silent AS observed, shifts AS trials,
                      peer_share AS expected_share
               FROM ({_persons(p)})"""


def _signals(p: Params) -> str:
    return f"""
    WITH spans AS (
        SELECT person_key, min(occurred_at) AS first_at, max(occurred_at) AS last_at
        FROM _evidence GROUP BY 1
    )
    SELECT person_key,
           CAST(NULL AS DOUBLE) AS strength,
           silent || ' of ' || shifts || ' rostered shifts with no badge swipe, look-up, incident, '
             || 'stop or use of force ' || {date_range_sql("first_at", "last_at")} || ', against '
             || round(100 * peer_share, 1) || '% of shifts for peers in the same role.' AS reason,
           first_at AS period_start, last_at AS period_end
    FROM ({_persons(p)}) JOIN spans USING (person_key)
    WHERE silent >= {int(p["min_shifts"])} AND silent > peer_share * shifts
    """


DETECTOR = Detector(
    name="rostered_no_activity",
    concern="claims_and_attendance",
    purpose="professional_standards",
    title="Rostered shifts with no sign of attendance",
    looks_for=(
        "Early, late, night and day shifts on the roster with no badge swipe, look-up, incident "
        "attended, stop or use of force on the day, more often than is probable at the share of "
        "such shifts among peers in the same role, given how much those peers differ (null "
        "model: beta-binomial, false-discovery rate `fdr`). Training and court days are away "
        "from base and not counted."
    ),
    why=(
        "Being paid for shifts not worked is a recognised abuse of the roster; the Met's pilot "
        "reportedly found officers not attending the office they claimed."
    ),
    inputs=("roster", "building_access"),
    innocent_explanations=(
        "Work away from base not recorded as training or court (meetings, visits, home working "
        "by agreement).",
        "A broken badge reader or a site without readers.",
        "Roster entries not corrected after a change of plan.",
    ),
    thresholds=(
        Threshold("min_shifts", 10, "shifts with no activity before a signal is raised"),
        Threshold("min_peers", 5, "others in the peer group needed for a comparison"),
        *calibrated(prior=0.005),
    ),
    evidence_sql=_evidence,
    signal_sql=_signals,
    null_model=NullModel(_tested, kind="shares"),
    # A shift's evidence reads its own day's records and the morning after's (a night shift).
    day_local=DayLocal(
        evidence_since=_evidence,
        dated=record_days(
            "roster",
            "building_access",
            "access_log",
            "incident_attendance",
            "incidents",
            "stop_search",
            "use_of_force",
        ),
        after=1,
        fixed=("person_refs", "account_person"),
        through=("duty_intervals",),
    ),
)

"""What counts as a policing purpose for a look-up, and whether it was made on duty: shared by
the detectors that read the audit trail of police systems.

Each function takes the name of a query whose rows are look-ups with `person_key`, `subject_id`,
`linked_reference`, `event_time` and `_source_row`, and returns SQL selecting `_source_row`.
"""

from __future__ import annotations

from probity.detectors.base import date_range_sql
from probity.detectors.shared import WATCHED_FLAGS, has_flag


def purposeful(lookups: str, grace_days: int = 2, citing_the_subject: bool = False) -> str:
    """Look-ups with a policing purpose: citing an incident the person attended, or made while
    an incident of theirs involving the same subject was open (or within `grace_days` of its
    closing).

    With `citing_the_subject`, also a look-up that cites a real incident the looked-up person is
    part of, whoever attended it: the work of analysts, call handlers and investigators, who
    look people up for incidents they never attend. A reviewer can check the reference. Not for
    the people a person is tied to (relatives, associates, colleagues): dealing with them is a
    conflict of interest whatever the incident."""
    cited = f"""
        UNION ALL
        SELECT x._source_row FROM {lookups} x
        JOIN incident_subjects s
          ON s.incident_ref = x.linked_reference AND s.subject_id = x.subject_id"""
    return f"""
        SELECT x._source_row FROM {lookups} x
        JOIN incident_attendance a ON a.incident_ref = x.linked_reference
        JOIN person_refs r ON r.ref = a.person_id AND r.person_key = x.person_key
        UNION ALL
        SELECT x._source_row FROM {lookups} x
        JOIN incident_subjects s ON s.subject_id = x.subject_id
        JOIN incidents i ON i.incident_ref = s.incident_ref
        JOIN incident_attendance a ON a.incident_ref = i.incident_ref
        JOIN person_refs r ON r.ref = a.person_id AND r.person_key = x.person_key
        WHERE x.event_time BETWEEN i.opened_time
              AND coalesce(i.closed_time, i.opened_time) + INTERVAL {int(grace_days)} DAY{cited if citing_the_subject else ""}"""


def on_duty(lookups: str) -> str:
    """Look-ups made during one of the person's rostered shifts."""
    return f"""
        SELECT x._source_row FROM {lookups} x JOIN duty_intervals d
          ON d.person_key = x.person_key AND x.event_time BETWEEN d.shift_start AND d.shift_end"""


def lookups_of_flagged(flag: str) -> str:
    """Look-ups of person records carrying `flag` (one of `WATCHED_FLAGS`), with the columns
    `purposeful` needs."""
    if flag not in WATCHED_FLAGS:
        raise ValueError(f"look-ups of {flag!r} records are not kept; watched: {WATCHED_FLAGS}")
    return f"""
        SELECT person_key, _source_file, _source_row, event_time, subject_id, action,
               linked_reference
        FROM flagged_lookups WHERE {has_flag("flags", flag)}"""


def unexplained_detail(what: str) -> str:
    """SQL for an evidence line: 'search of <what> N123, no reference cited'."""
    return f"""u.action || ' of {what} ' || u.subject_id
             || CASE WHEN u.linked_reference IS NULL THEN ', no reference cited'
                     ELSE ', citing ' || u.linked_reference || ' which they did not attend' END"""


def known_person_detail(whom: str) -> str:
    """SQL for an evidence line about a look-up `h` of someone the person knows: 'view of S12
    (their <whom>), off duty, no reference cited'. Needs the `on_duty` query in scope."""
    return f"""h.action || ' of ' || h.subject_id || ' (their ' || {whom} || ')'
             || CASE WHEN h._source_row IN (SELECT _source_row FROM on_duty) THEN '' ELSE ', off duty' END
             || CASE WHEN h.linked_reference IS NULL THEN ', no reference cited'
                     ELSE ', citing ' || h.linked_reference || ' which they did not attend' END"""


def times_off_duty_unexplained() -> str:
    """SQL ending a reason about look-ups of someone the person knows, aggregated over rows
    with `occurred_at` and `off_duty`: ' 3 times between 1 May 2026 and 9 May 2026 (2 while
    off duty), citing no incident they attended.'"""
    return f"""' ' || count(*) || ' time' || CASE WHEN count(*) > 1 THEN 's ' ELSE ' ' END
             || {date_range_sql("min(occurred_at)", "max(occurred_at)")}
             || CASE WHEN count(*) FILTER (WHERE off_duty) > 0
                     THEN ' (' || count(*) FILTER (WHERE off_duty) || ' while off duty)' ELSE '' END
             || ', citing no incident they attended.'"""


def tied_lookups_unexplained(ties: str, whom: str, columns: str = "") -> str:
    """SQL for a tie detector's evidence: the look-ups in `tied_lookups` whose tie is in `ties`
    (a SQL list of names) that cite no purpose, with the evidence columns, a `detail` naming
    the person looked up as `whom` (SQL over the look-up `h`), `subject_id`, `off_duty`, and
    any further `columns` (SQL over `h`, each with its name)."""
    extra = f", {columns}" if columns else ""
    return f"""
    WITH hits AS (SELECT * FROM tied_lookups WHERE tie IN {ties}),
    purposeful AS ({purposeful("hits")}),
    on_duty AS ({on_duty("hits")})
    SELECT h.person_key, 'access_log' AS source_table, h._source_file AS source_file,
           h._source_row AS source_row, h.event_time AS occurred_at,
           {known_person_detail(whom)} AS detail, h.subject_id,
           h._source_row NOT IN (SELECT _source_row FROM on_duty) AS off_duty{extra}
    FROM hits h WHERE h._source_row NOT IN (SELECT _source_row FROM purposeful)"""

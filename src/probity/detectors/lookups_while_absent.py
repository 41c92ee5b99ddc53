"""Look-ups in police systems on days the person was recorded absent from work (sick, on
leave or suspended) and not rostered to work."""

from __future__ import annotations

from datetime import date

from probity.detectors.base import Detector, Params, Threshold, date_range_sql
from probity.detectors.carry import DayLocal, Finished, record_days, rows_from
from probity.detectors.lookup_purpose import purposeful

ABSENCES = ("sickness", "annual_leave", "special_leave", "parental", "suspension")


def _rows(p: Params, since: date | None = None) -> str:
    """Look-ups on days the person was absent and not at work, each with its day; with
    `since`, those on or after that day only (a look-up's day and the day before decide it)."""
    # A day with a rostered shift is a day worked, whatever an absence record not yet closed
    # says, and a night shift (or work running over) reaches into the next day. The absent
    # days are turned into (account, day) pairs first so that the access log is probed once,
    # without mapping every row of it to a person. Materialised, so that the optimiser cannot
    # join the log to the absent days on the day alone (every look-up against everyone absent
    # that day), as it did at Met scale on a warehouse loaded incrementally.
    kinds = ", ".join(f"'{k}'" for k in ABSENCES)
    absent_days = rows_from("absence_days", "day", since)
    log = rows_from("access_log", "event_time", since)
    return f"""
    WITH absent AS (
        SELECT a.person_key, a.day, replace(min(a.absence_type), '_', ' ') AS absence,
               bool_or(a.absence_type = 'suspension') AS suspended
        FROM {absent_days} a
        ANTI JOIN duty_intervals d ON d.person_key = a.person_key AND d.duty_date = a.day
        WHERE a.absence_type IN ({kinds})
        GROUP BY 1, 2
    ),
    accounts_absent AS MATERIALIZED (
        SELECT ap.account_id, a.* FROM absent a JOIN account_person ap USING (person_key)
    ),
    raw AS MATERIALIZED (
        SELECT a.person_key, a.day, a.absence, a.suspended, l._source_file, l._source_row,
               l.event_time, l.action, l.system, l.subject_kind, l.subject_id, l.linked_reference
        FROM {log} l
        JOIN accounts_absent a ON a.account_id = l.account_id AND a.day = CAST(l.event_time AS DATE)
    ),
    night_before AS (  -- the tail of the night before's shift, or work running over
        SELECT r._source_row FROM raw r
        JOIN duty_intervals d ON d.person_key = r.person_key AND d.duty_date = r.day - 1
        WHERE r.event_time <= d.shift_end + INTERVAL {int(p["overrun_hours"])} HOUR
    )
    SELECT *, event_time AS occurred_at FROM raw
    WHERE _source_row NOT IN (SELECT _source_row FROM night_before)
    """


def _finish(p: Params, rows: str) -> str:
    """The look-ups among `rows` that cite no incident of the person's: an incident may be
    recorded on any day, so this is done afresh over every row, in every run."""
    return f"""
    WITH purposeful AS ({purposeful(rows)})
    SELECT h.person_key, 'access_log' AS source_table, h._source_file AS source_file,
           h._source_row AS source_row, h.event_time AS occurred_at,
           h.action || ' of ' || coalesce(replace(h.subject_kind, '_', ' ') || ' ', '') || h.subject_id
             || ' in ' || coalesce(h.system, 'a police system') || ' on a day recorded as '
             || h.absence AS detail,
           h.day, h.suspended
    FROM {rows} h WHERE h._source_row NOT IN (SELECT _source_row FROM purposeful)
    """


def _evidence(p: Params) -> str:
    return f"WITH hits AS MATERIALIZED ({_rows(p)}) SELECT * FROM ({_finish(p, 'hits')})"


def _signals(p: Params) -> str:
    return f"""
    SELECT person_key,
           least(1.0, 0.45 + 0.02 * count(*) + CASE WHEN bool_or(suspended) THEN 0.3 ELSE 0 END) AS strength,
           'Made ' || count(*) || ' look-ups in police systems on ' || count(DISTINCT day)
             || ' days recorded as absent from work and not rostered'
             || CASE WHEN bool_or(suspended) THEN ', some while suspended' ELSE '' END || ', '
             || {date_range_sql("min(occurred_at)", "max(occurred_at)")} || '.' AS reason,
           min(occurred_at) AS period_start, max(occurred_at) AS period_end
    FROM _evidence GROUP BY person_key
    HAVING count(*) >= {int(p["min_lookups"])} AND count(DISTINCT day) >= {int(p["min_days"])}
    """


DETECTOR = Detector(
    name="lookups_while_absent",
    concern="information_misuse",
    purpose="professional_standards",
    title="Look-ups while absent from work",
    looks_for=(
        "Searches and views in police systems made on days the person was recorded sick, on "
        "leave or suspended, with no rostered shift that day (nor the night before's running "
        "over) and citing no incident of theirs, on several days."
    ),
    why=(
        "Police systems are for policing duties; access from home while off sick, on leave or "
        "suspended has no duty behind it and is a common route to misuse and leaks."
    ),
    inputs=("access_log",),
    innocent_explanations=(
        "An absence record not closed when the person came back early and worked without a "
        "rostered shift (e.g. called in).",
        "Someone else using the person's login: a separate breach, still worth a look.",
    ),
    thresholds=(
        Threshold("min_lookups", 5, "look-ups on absent days before a signal is raised"),
        Threshold("min_days", 2, "different absent days they fall on"),
        Threshold("overrun_hours", 8, "hours after a shift's end still counted as that shift"),
    ),
    evidence_sql=_evidence,
    signal_sql=_signals,
    # A look-up's row reads its own day's absences, shifts and look-ups, and the night before's
    # shift; whether it had a purpose is decided afresh from all of them.
    day_local=DayLocal(
        evidence_since=_rows,
        dated=record_days("access_log", "roster", "absences"),
        fixed=("person_refs", "account_person"),
        through=("duty_intervals", "absence_days"),
        finished=Finished(rows=_rows, evidence=_finish),
    ),
)

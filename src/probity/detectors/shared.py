"""Look-ups that several detectors read, found together in one pass over the audit log.

The audit log of police systems is by far the largest table (hundreds of millions of rows at
the scale of a large force), and one pass over it costs about as much as everything else a
detector does. So the look-ups detectors share are found once per run, in one pass
(`watched_lookups`), and read through two views:

- `flagged_lookups`: look-ups of person records carrying a watched flag (an organised-crime
  nominal, a high-profile person), with the record's flags. Read by `nominal_lookups` and
  `high_profile_browsing`.
- `tied_lookups`: look-ups by a person of someone they are tied to outside any policing
  purpose, one row per look-up and tie: a relative, a colleague in their unit, a neighbour at
  their home postcode, someone they declared a notifiable association with, or a vulnerable
  victim they met on duty (with the incident; only look-ups after it closed, all its reader
  needs). Read by `relatives_lookup`, `acquaintance_lookups`, `associate_lookups` and
  `victim_lookups_after_closure`.

They are built the first time a detector reads either view in a run (a table in DuckDB, read
through temporary views dropped when detection ends; cached views in Spark). Nothing in them
depends on any detector's thresholds, so sharing them changes no result. They are found row by
row of the audit log (joins, no totals over it) against keys built first (each tie, put on the
person's accounts), so a daily run can keep the last run's rows for the records it kept, look
again among those records only for the keys it adds (new ties, from the day's incidents), and
find look-ups among the new records (`carry.py`). Most keys a day adds are victims of the day's
incidents, closed after every record kept, so none of those records can match them: they are
not looked for there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from probity.warehouse.dialect import tables_read

# The record flags whose look-ups `flagged_lookups` keeps.
WATCHED_FLAGS = ("ocg_nominal", "high_profile")


@dataclass(frozen=True)
class SharedLookups:
    name: str
    # The pass, with `{log}` where it reads audit-log records (any relation with `LOG_COLUMNS`)
    # and `{keys}` where it reads its keys.
    template: str
    # What look-ups are matched on besides watched records: rows with an `account_id` and a
    # `subject_id`. Built before the pass and kept each run, so that the next run matches the
    # records it kept against the keys it adds only.
    keys: str
    # The tables besides the keys and the log that decide which records match: while they are
    # unchanged, a record kept from the last run matches now only if it did then or matches an
    # added key.
    fixed: tuple[str, ...]
    # What detectors read: view name -> query over the rows (`name`).
    views: Mapping[str, str] = field(default_factory=dict)
    # A column of the keys: when set, the key matches only look-ups after that time.
    matches_after: str | None = None

    @property
    def sql(self) -> str:
        """The whole query, over the whole audit log."""
        return self.over("access_log", f"({self.keys})")

    def over(self, log: str, keys: str) -> str:
        """The pass over `log` (a table or subquery of audit-log records) in place of the whole
        audit log, matching against `keys` (a table or subquery)."""
        return self.template.replace("{log}", log).replace("{keys}", keys)


# The audit-log columns the pass reads.
LOG_COLUMNS = (
    "account_id",
    "_source_file",
    "_source_row",
    "event_time",
    "action",
    "subject_kind",
    "subject_id",
    "linked_reference",
)


def has_flag(flags: str, flag: str) -> str:
    """SQL: the ';'-separated `flags` include `flag`."""
    return f"list_contains(string_split(coalesce({flags}, ''), ';'), '{flag}')"


# Victims met on duty (`r` the person, `s` the victim, `i` the incident), at closed incidents
# that put them at risk: the victim tie, and the exposure `victim_lookups_after_closure` weighs
# returns to them against.
VICTIMS_MET = f"""
    FROM incident_attendance a
    JOIN person_refs r ON r.ref = a.person_id
    JOIN incidents i ON i.incident_ref = a.incident_ref
    JOIN incident_subjects s ON s.incident_ref = i.incident_ref AND s.subject_role = 'victim'
    JOIN record_subjects rs ON rs.subject_id = s.subject_id
    WHERE i.closed_time IS NOT NULL
      AND ({has_flag("rs.flags", "vulnerable")} OR i.category IN ('domestic', 'sexual_offence'))"""

_TIES = f"""
    SELECT DISTINCT r.person_key, s.subject_id, 'victim' AS tie,
           CAST(NULL AS VARCHAR) AS relationship, i.incident_ref, i.closed_time
    {VICTIMS_MET}
    UNION ALL
    SELECT person_key, record_id, 'relative', relationship, NULL, NULL
    FROM links WHERE task = 'record_subject_relative'
    UNION ALL  -- a record subject who is a member of the workforce, and the others in their unit
    SELECT o.person_key, l.record_id, 'colleague', NULL, NULL, NULL
    FROM links l JOIN person_dim me ON me.person_key = l.person_key
    JOIN person_dim o ON o.unit_code = me.unit_code AND o.person_key <> me.person_key
    WHERE l.task = 'record_subject_person'
    UNION ALL  -- someone the person declared a notifiable association with, on police records:
               -- born the same day, and the declared name holds the record's surname
    SELECT DISTINCT r.person_key, s.subject_id, 'associate', d.kind, NULL, NULL
    FROM declarations d
    JOIN person_refs r ON r.ref = d.person_id
    JOIN record_subjects s ON s.date_of_birth = d.counterpart_date_of_birth
    WHERE d.kind = 'notifiable_association' AND nullif(trim(s.surname), '') IS NOT NULL
      AND contains(upper(d.counterpart_name), upper(trim(s.surname)))
    UNION ALL  -- at the person's home postcode, not of their household (relatives are above)
    SELECT h.person_key, s.subject_id, 'neighbour', NULL, NULL, NULL
    FROM record_subjects s JOIN person_home h
      ON h.postcode = upper(replace(s.postcode, ' ', '')) AND h.surname <> upper(trim(s.surname))
    WHERE NOT EXISTS (SELECT 1 FROM links k WHERE k.record_id = s.subject_id
                        AND k.person_key = h.person_key
                        AND k.task IN ('record_subject_relative', 'record_subject_person'))"""

# Ties are put on the person's accounts, so the audit log is matched on its own columns
# (account and subject) without mapping every row of it to a person.
_TIED_ACCOUNTS = f"""
    SELECT ap.account_id, t.* FROM ({_TIES}) t JOIN account_person ap USING (person_key)"""

# A tie with this time set (a victim's: when the incident closed) matches look-ups after it only;
# the pass and a daily run's search for added ties (`matches_after`) read the same column.
_TIED_FROM = "closed_time"

# Each look-up is matched against the watched records and the ties in the same pass, then given
# a row per reason (`kind`): its person's flagged look-up, and one per tie.
_WATCHED = f"""
    WITH by_account AS (SELECT * FROM {{keys}} AS k),
    tied_pairs AS (SELECT DISTINCT account_id, subject_id FROM by_account),
    watched_records AS (
        SELECT subject_id, flags FROM record_subjects s
        WHERE {" OR ".join(has_flag("s.flags", f) for f in WATCHED_FLAGS)}
    ),
    watched AS MATERIALIZED (
        SELECT {", ".join(f"l.{c}" for c in LOG_COLUMNS)}, w.flags,
               t.account_id IS NOT NULL AS tied
        FROM {{log}} l
        LEFT JOIN watched_records w ON w.subject_id = l.subject_id
        LEFT JOIN tied_pairs t ON t.account_id = l.account_id AND t.subject_id = l.subject_id
        WHERE l.subject_kind = 'person' AND (w.subject_id IS NOT NULL OR t.account_id IS NOT NULL)
    )
    SELECT 'flagged' AS kind, ap.person_key, w.account_id, w._source_file, w._source_row,
           w.event_time, w.action, w.subject_kind, w.subject_id, w.linked_reference, w.flags,
           CAST(NULL AS VARCHAR) AS tie, CAST(NULL AS VARCHAR) AS relationship,
           CAST(NULL AS VARCHAR) AS incident_ref, CAST(NULL AS TIMESTAMP) AS closed_time
    FROM watched w JOIN account_person ap ON ap.account_id = w.account_id
    WHERE w.flags IS NOT NULL
    UNION ALL
    SELECT 'tied', t.person_key, w.account_id, w._source_file, w._source_row, w.event_time,
           w.action, w.subject_kind, w.subject_id, w.linked_reference, NULL, t.tie,
           t.relationship, t.incident_ref, t.closed_time
    FROM watched w JOIN by_account t ON t.account_id = w.account_id AND t.subject_id = w.subject_id
    WHERE w.tied
      AND (t.{_TIED_FROM} IS NULL OR w.event_time > t.{_TIED_FROM})"""

SHARED = (
    SharedLookups(
        "watched_lookups",
        _WATCHED,
        keys=_TIED_ACCOUNTS,
        # the watched records, and whose accounts are whose (a flagged look-up's person)
        fixed=("record_subjects", "account_person"),
        matches_after=_TIED_FROM,
        views={
            "flagged_lookups": """
                SELECT person_key, _source_file, _source_row, event_time, subject_id, action,
                       linked_reference, flags
                FROM watched_lookups WHERE kind = 'flagged'""",
            "tied_lookups": """
                SELECT person_key, tie, relationship, incident_ref, closed_time, _source_file,
                       _source_row, event_time, action, subject_id, linked_reference
                FROM watched_lookups WHERE kind = 'tied'""",
        },
    ),
)
_BY_NAME = {name: s for s in SHARED for name in (s.name, *s.views)}


def shared_read(*statements: str) -> list[SharedLookups]:
    """The shared look-ups a detector's statements read."""
    read = set().union(*(tables_read(sql) for sql in statements))
    found = {_BY_NAME[name].name: _BY_NAME[name] for name in sorted(read & _BY_NAME.keys())}
    return list(found.values())


def warehouse_tables(tables: set[str]) -> set[str]:
    """`tables` with each shared look-up (or a view of it) replaced by the warehouse tables it
    is built from."""
    found = set(tables)
    for shared in SHARED:
        names = {shared.name, *shared.views}
        if found & names:
            found = (found - names) | tables_read(shared.sql)
    return found

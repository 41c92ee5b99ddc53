"""Derived tables every detector shares: who is who at work, when they were on duty or absent,
who their peers are, and how much public contact their duties bring.

`person_dim` deliberately leaves out sex and ethnicity: detectors read people through it, and
protected characteristics are read only by the fairness audit.
"""

from __future__ import annotations

from typing import Any

from probity.contract.tables import WORKING_DUTY_TYPES
from probity.warehouse import growth, log_months
from probity.warehouse.engine import Engine
from probity.warehouse.growth import Growing, LastBuild

WORKING_DUTIES = "(" + ", ".join(f"'{d}'" for d in WORKING_DUTY_TYPES) + ")"


def _duty_intervals(roster: str) -> str:
    """One row per shift worked, from `roster` records (each row keeps its record's
    `_source_row`, so a daily run can grow the table); night shifts run past midnight."""
    return f"""SELECT r.person_key, d.duty_date, d.duty_type, d.shift_start, d.shift_end,
                      d._source_row
               FROM {roster} d JOIN person_refs r ON r.ref = d.person_id
               WHERE d.duty_type IN {WORKING_DUTIES} AND d.shift_start IS NOT NULL
                 AND d.shift_end IS NOT NULL"""


# Derived tables a daily run grows from the last run's (`growth.py`).
GROWING = {"duty_intervals": Growing("roster", _duty_intervals, fixed=("person_refs",))}

DERIVED: tuple[tuple[str, str], ...] = (
    (
        "person_dim",
        """SELECT p.person_id AS person_key, p.staff_type, p.rank, p.role, p.unit_code,
                  coalesce(u.kind, 'unknown') AS unit_kind, u.command, p.start_date, p.leave_date,
                  p.line_manager_id, p._source_file, p._source_row
           FROM people p LEFT JOIN units u ON u.unit_code = p.unit_code""",
    ),
    (
        # Where each person lives, normalised for matching against other records' postcodes.
        "person_home",
        """SELECT person_id AS person_key, upper(trim(surname)) AS surname,
                  upper(replace(home_postcode, ' ', '')) AS postcode
           FROM people WHERE home_postcode IS NOT NULL""",
    ),
    (
        "peer_groups",
        """SELECT person_key, role || ' | ' || unit_kind || ' | ' || coalesce(rank, '?') AS peer_group,
                  count(*) OVER (PARTITION BY role, unit_kind, rank) AS peer_group_size
           FROM person_dim""",
    ),
    (
        "account_person",
        """SELECT record_id AS account_id, person_key FROM links WHERE task = 'system_account'""",
    ),
    ("duty_intervals", _duty_intervals("roster")),
    (
        # One row per person per day absent, from the roster and from absence records.
        "absence_days",
        """SELECT DISTINCT person_key, day, absence_type FROM (
             SELECT r.person_key, d.duty_date AS day,
                    CASE d.duty_type WHEN 'sick' THEN 'sickness' ELSE d.duty_type END AS absence_type
             FROM roster d JOIN person_refs r ON r.ref = d.person_id
             WHERE d.duty_type IN ('sick', 'annual_leave')
             UNION ALL
             SELECT r.person_key, CAST(g.day AS DATE), a.absence_type
             FROM absences a JOIN person_refs r ON r.ref = a.person_id,
                  LATERAL (SELECT unnest(generate_series(a.start_date, coalesce(a.end_date, a.start_date), INTERVAL 1 DAY)) AS day) g
             WHERE a.absence_type IN ('sickness', 'annual_leave', 'special_leave', 'suspension', 'parental'))""",
    ),
    (
        "exposure",
        """SELECT d.person_key,
                  coalesce(att.n, 0) AS incidents_attended,
                  coalesce(ss.n, 0) AS stops,
                  coalesce(ss.arrests, 0) AS arrests,
                  coalesce(uof.n, 0) AS uses_of_force,
                  coalesce(h.hours, 0) AS hours_rostered
           FROM person_dim d
           LEFT JOIN (SELECT r.person_key, count(*) AS n FROM incident_attendance a
                      JOIN person_refs r ON r.ref = a.person_id GROUP BY 1) att USING (person_key)
           LEFT JOIN (SELECT r.person_key, count(*) AS n, count(*) FILTER (WHERE outcome = 'arrest') AS arrests
                      FROM stop_search s JOIN person_refs r ON r.ref = s.person_id GROUP BY 1) ss USING (person_key)
           LEFT JOIN (SELECT r.person_key, count(*) AS n FROM use_of_force u
                      JOIN person_refs r ON r.ref = u.person_id GROUP BY 1) uof USING (person_key)
           LEFT JOIN (SELECT person_key, sum(epoch(shift_end - shift_start)) / 3600.0 AS hours
                      FROM duty_intervals GROUP BY 1) h USING (person_key)""",
    ),
)


def build_views(
    engine: Engine, last: LastBuild | None = None
) -> tuple[dict[str, int], dict[str, Any]]:
    """Materialise the derived tables in order, growing the last run's where it can (`last`),
    then the audit log's monthly counts; return their row counts, and what the next run needs
    and what was grown or counted again (the report's `warehouse`)."""
    counts, grown = {}, {}
    for name, sql in DERIVED:
        if name in GROWING:
            grown[name] = growth.build(engine, name, GROWING[name], last)
        else:
            engine.execute(f'CREATE OR REPLACE TABLE "{name}" AS {sql}')
        counts[name] = int(engine.fetch(f'SELECT count(*) FROM "{name}"')[0][0])
    built = {**growth.record(engine, GROWING), "grown": grown}
    counted = log_months.build(engine, last)
    if counted is not None:
        counts[log_months.KEPT] = int(engine.fetch(f"SELECT count(*) FROM {log_months.KEPT}")[0][0])
        built["log_months"] = counted
    return counts, built

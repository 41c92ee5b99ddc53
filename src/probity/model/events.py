"""What happened to each person, month by month, as counts the model can window.

Only what was known at the time goes in: a complaint counts from the month it was received,
its outcome from the month it was closed. Deliberately left out: sex and ethnicity (used only
to audit fairness), and sickness, hours and overtime, which point to welfare and never to
misconduct.
"""

from __future__ import annotations

from probity.contract.tables import SUBSTANTIATED_OUTCOMES
from probity.warehouse.engine import Engine

SUBSTANTIATED = "(" + ", ".join(f"'{o}'" for o in SUBSTANTIATED_OUTCOMES) + ")"

# kinds -> (source table, SELECT person_key, month, then one count per kind). Each is optional:
# kinds whose source table was not provided are left out. Kinds from one table share a query,
# so the audit log (the largest table by far) is read once.
EVENT_SOURCES: dict[tuple[str, ...], tuple[str, str]] = {
    ("complaints",): (
        "complaints",
        """SELECT l.person_key, date_trunc('month', c.received_date) AS month, count(*) AS n
           FROM complaints c JOIN links l ON l.task = 'complaint_subject' AND l.record_id = c.complaint_id
           WHERE c.received_date IS NOT NULL GROUP BY ALL""",
    ),
    ("complaints_upheld",): (
        "complaints",
        """SELECT l.person_key, date_trunc('month', c.closed_date), count(*)
           FROM complaints c JOIN links l ON l.task = 'complaint_subject' AND l.record_id = c.complaint_id
           WHERE c.outcome = 'upheld' AND c.closed_date IS NOT NULL GROUP BY ALL""",
    ),
    ("conduct_cases",): (
        "conduct_cases",
        """SELECT r.person_key, date_trunc('month', k.opened_date), count(*)
           FROM conduct_cases k JOIN person_refs r ON r.ref = k.person_id
           WHERE k.opened_date IS NOT NULL GROUP BY ALL""",
    ),
    ("conduct_substantiated",): (
        "conduct_cases",
        f"""SELECT r.person_key, date_trunc('month', k.closed_date), count(*)
            FROM conduct_cases k JOIN person_refs r ON r.ref = k.person_id
            WHERE k.outcome IN {SUBSTANTIATED} AND k.closed_date IS NOT NULL GROUP BY ALL""",
    ),
    ("uses_of_force",): (
        "use_of_force",
        """SELECT r.person_key, date_trunc('month', u.event_time), count(*)
           FROM use_of_force u JOIN person_refs r ON r.ref = u.person_id GROUP BY ALL""",
    ),
    ("stops",): (
        "stop_search",
        """SELECT r.person_key, date_trunc('month', s.event_time), count(*)
           FROM stop_search s JOIN person_refs r ON r.ref = s.person_id GROUP BY ALL""",
    ),
    ("stop_arrests",): (
        "stop_search",
        """SELECT r.person_key, date_trunc('month', s.event_time), count(*)
           FROM stop_search s JOIN person_refs r ON r.ref = s.person_id
           WHERE s.outcome = 'arrest' GROUP BY ALL""",
    ),
    ("incidents_attended",): (
        "incident_attendance",
        """SELECT r.person_key, date_trunc('month', a.arrived_time), count(*)
           FROM incident_attendance a JOIN person_refs r ON r.ref = a.person_id
           WHERE a.arrived_time IS NOT NULL GROUP BY ALL""",
    ),
    # Counted once in the warehouse stage (`warehouse/log_months.py`): the audit log is by far
    # the largest table, and a daily run carries the counts of earlier months over.
    ("lookups", "lookups_unreferenced"): (
        "access_log",
        "SELECT person_key, month, lookups, unreferenced FROM log_months",
    ),
}


def build_person_month_events(engine: Engine, absent_tables: set[str]) -> list[str]:
    """Write `person_month_events` (person_key, month, kind, n); return the kinds present.

    Detector evidence for professional-standards signals is added per concern, dated by the
    evidence row, so the model can learn from what detectors saw before each cutoff."""
    engine.execute(
        "CREATE OR REPLACE TABLE person_month_events (person_key VARCHAR, month DATE, kind VARCHAR, n DOUBLE)"
    )
    kinds: list[str] = []
    for names, (table, sql) in EVENT_SOURCES.items():
        if table in absent_tables:
            continue
        counts = [f"n{i}" for i in range(len(names))]
        engine.execute(
            f"CREATE OR REPLACE TEMP TABLE _events AS SELECT * FROM ({sql}) e(person_key, month, {', '.join(counts)})"
        )
        for kind, n in zip(names, counts, strict=True):
            engine.execute(
                f"""INSERT INTO person_month_events
                    SELECT person_key, CAST(month AS DATE), '{kind}', {n} FROM _events WHERE {n} > 0"""
            )
        engine.execute("DROP TABLE _events")
        kinds.extend(names)
    evidence_kinds = engine.fetch(
        """SELECT DISTINCT 'evidence_' || concern FROM signals WHERE purpose = 'professional_standards' ORDER BY 1"""
    )
    engine.execute(
        """INSERT INTO person_month_events
           SELECT s.person_key, CAST(date_trunc('month', e.occurred_at) AS DATE), 'evidence_' || s.concern, count(*)
           FROM evidence e JOIN signals s USING (signal_id)
           WHERE s.purpose = 'professional_standards' AND e.occurred_at IS NOT NULL GROUP BY ALL"""
    )
    return kinds + [str(k[0]) for k in evidence_kinds]

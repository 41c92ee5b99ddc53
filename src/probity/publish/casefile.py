"""What the person and unit pages show beyond signals: a timeline across sources, monthly
activity against peers, the person's ties (the link graph) and a unit's picture.

Each function reads one published warehouse. People other than the subject appear by pseudonym;
record subjects (members of the public) by their record id and tie only, never by name. Health
data (absence reasons) is included only when the caller may see it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from probity.governance.access import PROFESSIONAL_STANDARDS
from probity.warehouse.engine import Engine


def _rows(engine: Engine, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = engine.fetch_arrow(sql, params).to_pylist()
    return result


def _if_present(engine: Engine, tables: tuple[str, ...], sql: str) -> str | None:
    return sql if all(engine.table_exists(t) for t in tables) else None


# Counts of complaints and conduct cases: professional-standards material.
CONDUCT_KINDS = ("complaints", "complaints_upheld", "conduct_cases", "conduct_substantiated")
# Who may see a timeline row: everyone (NULL), a purpose, or HEALTH (welfare with health data).
HEALTH = "health"


def _timeline_parts(engine: Engine) -> list[str]:
    """SQL, over everyone: person_key, occurred_at, source, event, shown_to."""
    refs = "JOIN person_refs r ON r.ref = t.person_id"
    ps = f"'{PROFESSIONAL_STANDARDS}'"
    parts = [
        _if_present(
            engine,
            ("postings",),
            f"""SELECT r.person_key, CAST(t.start_date AS TIMESTAMP), 'postings',
                       'posted to ' || t.unit_code || coalesce(' as ' || t.role, ''), NULL
                FROM postings t {refs}""",
        ),
        _if_present(
            engine,
            ("conduct_cases",),
            f"""SELECT r.person_key, CAST(t.opened_date AS TIMESTAMP), 'conduct_cases',
                       'conduct case opened: ' || coalesce(t.allegation_category, '?')
                       || coalesce(' (' || t.severity || ')', ''), {ps}
                FROM conduct_cases t {refs} WHERE t.opened_date IS NOT NULL
                UNION ALL
                SELECT r.person_key, CAST(t.closed_date AS TIMESTAMP), 'conduct_cases',
                       'conduct case closed: ' || coalesce(t.outcome, '?'), {ps}
                FROM conduct_cases t {refs} WHERE t.closed_date IS NOT NULL""",
        ),
        _if_present(
            engine,
            ("complaints", "links"),
            f"""SELECT l.person_key, CAST(c.received_date AS TIMESTAMP), 'complaints',
                      'complaint received: ' || coalesce(c.allegation_category, '?')
                      || coalesce(' · outcome ' || c.outcome, ''), {ps}
               FROM links l JOIN complaints c ON c.complaint_id = l.record_id
               WHERE l.task = 'complaint_subject'""",
        ),
        _if_present(
            engine,
            ("vetting",),
            f"""SELECT r.person_key, CAST(t.granted_date AS TIMESTAMP), 'vetting',
                       coalesce(t.vetting_level, '?') || ' vetting ' || coalesce(t.status, '')
                       || coalesce(' until ' || CAST(t.expiry_date AS VARCHAR), ''), NULL
                FROM vetting t {refs} WHERE t.granted_date IS NOT NULL""",
        ),
        _if_present(
            engine,
            ("declarations",),
            f"""SELECT r.person_key, CAST(t.declared_date AS TIMESTAMP), 'declarations',
                       'declared ' || coalesce(t.kind, '?') || coalesce(' · ' || t.decision, ''), NULL
                FROM declarations t {refs} WHERE t.declared_date IS NOT NULL""",
        ),
        _if_present(
            engine,
            ("company_officers", "links"),
            """SELECT l.person_key, CAST(c.appointed_date AS TIMESTAMP), 'company_officers',
                      coalesce(c.officer_role, 'officer') || ' of ' || coalesce(c.company_name, '?')
                      || ' (' || c.company_number || ')', NULL
               FROM links l JOIN company_officers c
                 ON c.company_number || '/' || c._source_row = l.record_id
               WHERE l.task = 'company_officer' AND c.appointed_date IS NOT NULL""",
        ),
        _if_present(
            engine,
            ("signals",),
            """SELECT person_key, coalesce(period_start, period_end), 'signals',
                      detector || ': ' || reason, purpose
               FROM signals WHERE coalesce(period_start, period_end) IS NOT NULL""",
        ),
        _if_present(
            engine,
            ("absences",),
            f"""SELECT r.person_key, CAST(t.start_date AS TIMESTAMP), 'absences',
                       coalesce(t.absence_type, '?') || ' absence'
                       || coalesce(' (' || t.reason_category || ')', '')
                       || coalesce(' until ' || CAST(t.end_date AS VARCHAR), ''), '{HEALTH}'
                FROM absences t {refs}""",
        ),
    ]
    return [p for p in parts if p]


def timeline_sql(engine: Engine) -> str:
    """Every person's dated events from every source: person_key, occurred_at, source, event,
    shown_to (NULL for everyone, a purpose, or HEALTH)."""
    union = "\nUNION ALL\n".join(_timeline_parts(engine))
    return f"""SELECT * FROM ({union}) AS t(person_key, occurred_at, source, event, shown_to)
               WHERE occurred_at IS NOT NULL"""


def activity_sql() -> str:
    """Every person's monthly counts by kind (never the model's evidence kinds)."""
    return """SELECT person_key, month, kind, n FROM person_month_events
              WHERE NOT starts_with(kind, 'evidence_')"""


def recent_sql() -> str:
    """Every person's counts by kind over the last 12 months of duty records (non-zero only)."""
    return """SELECT person_key, kind, sum(n) AS n FROM person_month_events
              WHERE month > (SELECT max(duty_date) FROM duty_intervals) - INTERVAL 12 MONTH
                AND month <= (SELECT max(duty_date) FROM duty_intervals)
                AND NOT starts_with(kind, 'evidence_')
              GROUP BY ALL"""


def peer_stats_sql(recent: str) -> str:
    """Per peer group and kind, the median and 90th percentile of the last 12 months' counts,
    peers with none counting as zero; `recent` is a table, or a query in brackets, of
    `recent_sql`'s shape."""
    return f"""WITH r AS (SELECT * FROM {recent}),
               kinds AS (SELECT DISTINCT g.peer_group, r.kind
                         FROM r JOIN peer_groups g USING (person_key)),
               grid AS (SELECT g.peer_group, k.kind, coalesce(r.n, 0) AS n
                        FROM peer_groups g JOIN kinds k USING (peer_group)
                        LEFT JOIN r ON r.person_key = g.person_key AND r.kind = k.kind)
               SELECT peer_group, kind, quantile_cont(n, 0.5) AS peer_median,
                      quantile_cont(n, 0.9) AS peer_p90, count(*) AS peers
               FROM grid GROUP BY ALL"""


def _source(engine: Engine, table: str, sql: Callable[[], str]) -> str:
    """The serving table the publish stage made (`publish/serving.py`), sorted by person so
    one person's rows are read alone; or, in a run published before there were any, the query
    it is made from."""
    return table if engine.table_exists(table) else f"({sql()})"


def timeline(
    engine: Engine, person_key: str, purposes: frozenset[str], health: bool
) -> list[dict[str, Any]]:
    """Dated events about one person from every source, oldest first: occurred_at, source,
    event. Complaints and conduct cases only for professional standards, signals of the
    user's purposes only, and absences only with `health` (the welfare purpose)."""
    allowed = sorted(purposes | ({HEALTH} if health else set()))
    shown = ", ".join(f"'{p}'" for p in allowed) or "NULL"
    return _rows(
        engine,
        f"""SELECT occurred_at, source, event
            FROM {_source(engine, "serving_timeline", lambda: timeline_sql(engine))}
            WHERE person_key = $1 AND (shown_to IS NULL OR shown_to IN ({shown}))
            ORDER BY occurred_at, source, event""",
        [person_key],
    )


def _shown_kinds(purposes: frozenset[str], column: str = "kind") -> str:
    """SQL: the event kinds a user of `purposes` may see."""
    if PROFESSIONAL_STANDARDS in purposes:
        return "TRUE"
    return f"{column} NOT IN ({', '.join(f'{k!r}' for k in CONDUCT_KINDS)})"


def activity(engine: Engine, person_key: str, purposes: frozenset[str]) -> list[dict[str, Any]]:
    """Monthly counts by kind a user of `purposes` may see: month, kind, n."""
    if not engine.table_exists("person_month_events"):
        return []
    return _rows(
        engine,
        f"""SELECT strftime(month, '%Y-%m-%d') AS month, kind, n
            FROM {_source(engine, "serving_activity", activity_sql)}
            WHERE person_key = $1 AND {_shown_kinds(purposes)} ORDER BY month, kind""",
        [person_key],
    )


def peer_comparison(
    engine: Engine, person_key: str, purposes: frozenset[str]
) -> list[dict[str, Any]]:
    """Per kind, the person's count in the last 12 months of duty records against their peer
    group's median and 90th percentile (peers with none count as zero)."""
    if not engine.table_exists("person_month_events"):
        return []
    recent = _source(engine, "serving_recent", recent_sql)
    if engine.table_exists("serving_peer_stats"):
        stats = "serving_peer_stats"
    else:
        stats = f"({peer_stats_sql(recent)})"
    return _rows(
        engine,
        f"""SELECT s.kind, coalesce(r.n, 0) AS person, s.peer_median, s.peer_p90, s.peers
            FROM {stats} s LEFT JOIN {recent} r ON r.person_key = $1 AND r.kind = s.kind
            WHERE s.peer_group = (SELECT peer_group FROM peer_groups WHERE person_key = $1)
              AND {_shown_kinds(purposes, "s.kind")}
            ORDER BY s.kind""",
        [person_key],
    )


def link_graph(engine: Engine, person_key: str) -> dict[str, list[dict[str, Any]]]:
    """Nodes and edges around one person: their unit, line manager, the record subjects and
    companies linked to them (with the link's method), for Cytoscape."""
    me = _rows(
        engine,
        """SELECT s.pseudonym, d.unit_code, m.pseudonym AS manager
           FROM person_dim d JOIN pseudonyms s USING (person_key)
           LEFT JOIN pseudonyms m ON m.person_key = d.line_manager_id
           WHERE d.person_key = $1""",
        [person_key],
    )
    if not me:
        return {"nodes": [], "edges": []}
    subject = me[0]["pseudonym"]
    nodes = [{"id": subject, "label": subject, "kind": "person"}]
    edges: list[dict[str, Any]] = []

    def tie(node: str, label: str, kind: str, relation: str) -> None:
        nodes.append({"id": node, "label": label, "kind": kind})
        edges.append({"source": subject, "target": node, "label": relation})

    if me[0]["unit_code"]:
        tie(f"unit:{me[0]['unit_code']}", me[0]["unit_code"], "unit", "posted to")
    if me[0]["manager"]:
        tie(me[0]["manager"], me[0]["manager"], "colleague", "line manager")
    for link in _rows(
        engine,
        """SELECT task, record_id, coalesce(relationship, task) AS relationship, method, probability
           FROM links WHERE person_key = $1 AND task IN ('record_subject_relative', 'record_subject_person')
           ORDER BY record_id""",
        [person_key],
    ):
        tie(
            f"subject:{link['record_id']}",
            f"record {link['record_id']}",
            "record_subject",
            f"{link['relationship']} ({link['method']}, p={link['probability']:.2f})",
        )
    if engine.table_exists("company_officers"):
        for link in _rows(
            engine,
            """SELECT DISTINCT c.company_number, c.company_name, l.method
               FROM links l JOIN company_officers c ON c.company_number || '/' || c._source_row = l.record_id
               WHERE l.task = 'company_officer' AND l.person_key = $1 ORDER BY 1""",
            [person_key],
        ):
            tie(
                f"company:{link['company_number']}",
                link["company_name"] or link["company_number"],
                "company",
                f"officer ({link['method']})",
            )
    return {"nodes": nodes, "edges": edges}


def unit(engine: Engine, unit_code: str, purposes: frozenset[str]) -> dict[str, Any] | None:
    """A unit's picture: who it is, its members' signals by concern against the force's rate,
    and its members in the caller's queues."""
    found = _rows(
        engine,
        """SELECT u.unit_code, u.name, u.command, u.kind,
                  (SELECT count(*) FROM person_dim d WHERE d.unit_code = u.unit_code
                     AND d.leave_date IS NULL) AS headcount
           FROM units u WHERE u.unit_code = $1""",
        [unit_code],
    )
    if not found:
        return None
    picture = found[0]
    allowed = ", ".join(f"'{p}'" for p in sorted(purposes)) or "NULL"
    picture["concerns"] = _rows(
        engine,
        f"""WITH flagged AS (
              SELECT s.concern, d.unit_code = $1 AS here, count(DISTINCT s.person_key) AS people
              FROM signals s JOIN person_dim d USING (person_key)
              WHERE s.purpose IN ({allowed}) GROUP BY ALL),
            sizes AS (SELECT count(*) FILTER (WHERE unit_code = $1) AS unit_n, count(*) AS force_n
                      FROM person_dim WHERE leave_date IS NULL)
            SELECT f.concern,
                   coalesce(max(f.people) FILTER (WHERE f.here), 0) AS unit_people,
                   round(coalesce(max(f.people) FILTER (WHERE f.here), 0) / greatest(max(z.unit_n), 1), 4) AS unit_rate,
                   round(sum(f.people) / greatest(max(z.force_n), 1), 4) AS force_rate
            FROM flagged f CROSS JOIN sizes z GROUP BY f.concern ORDER BY f.concern""",
        [unit_code],
    )
    picture["queue"] = _rows(
        engine,
        f"""SELECT q.subject, q.purpose, q.rank, q.priority, q.concerns, q.reason
            FROM queue q JOIN person_dim d USING (person_key)
            WHERE d.unit_code = $1 AND q.purpose IN ({allowed})
            ORDER BY q.priority DESC, q.purpose, q.rank""",
        [unit_code],
    )
    return picture

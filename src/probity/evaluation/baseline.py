"""The threshold early-warning systems many US forces use, as the bar to beat: flag anyone with
at least three complaints in any twelve months, or uses of force in the top 5% of their unit.

Flagged people are ordered by their worst twelve months of complaints, then uses of force, so
the baseline can be cut at the same k as the queue.
"""

from __future__ import annotations

from probity.warehouse.engine import Engine

MIN_COMPLAINTS = 3
FORCE_PERCENTILE = 0.95


def baseline_ranking(engine: Engine) -> list[str]:
    sql = f"""
    WITH complaints AS (
        SELECT l.person_key, CAST(coalesce(c.received_date, c.incident_date) AS DATE) AS day
        FROM complaints c JOIN links l ON l.task = 'complaint_subject' AND l.record_id = c.complaint_id
        WHERE coalesce(c.received_date, c.incident_date) IS NOT NULL
    ),
    worst_year AS (
        SELECT person_key, max(n) AS complaints_12m FROM (
            SELECT a.person_key, count(*) AS n FROM complaints a JOIN complaints b
              ON a.person_key = b.person_key AND b.day >= a.day AND b.day < a.day + INTERVAL 365 DAY
            GROUP BY a.person_key, a.day)
        GROUP BY person_key
    ),
    force AS (
        SELECT d.person_key, coalesce(f.n, 0) AS uses,
               percent_rank() OVER (PARTITION BY d.unit_code ORDER BY coalesce(f.n, 0)) AS unit_percentile
        FROM person_dim d LEFT JOIN (
            SELECT r.person_key, count(*) AS n FROM use_of_force u
            JOIN person_refs r ON r.ref = u.person_id GROUP BY 1) f USING (person_key)
    )
    SELECT f.person_key
    FROM force f LEFT JOIN worst_year w USING (person_key)
    WHERE coalesce(w.complaints_12m, 0) >= {MIN_COMPLAINTS}
       OR (f.uses > 0 AND f.unit_percentile >= {FORCE_PERCENTILE})
    ORDER BY coalesce(w.complaints_12m, 0) DESC, f.uses DESC, f.person_key
    """
    return [str(r[0]) for r in engine.fetch(sql)]

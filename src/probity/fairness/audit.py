"""Flag rates by sex, ethnicity and their intersection against the serving workforce.

This is the only stage that reads protected characteristics. A group's ratio is its flag rate
over the workforce's; an alert is raised only when the group's 95% (Wilson) interval lies
wholly outside 0.8–1.25 of the workforce rate, so chance in small numbers does not cry wolf.
Groups of fewer than ten people are suppressed.
"""

from __future__ import annotations

import math
from typing import Any

from probity.warehouse.engine import Engine

BAND = (0.8, 1.25)
MIN_GROUP = 10
Z = 1.96


def wilson(flagged: int, n: int) -> tuple[float, float]:
    if n == 0:
        return 0.0, 1.0
    p = flagged / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def audit(engine: Engine) -> dict[str, Any]:
    purposes = [str(r[0]) for r in engine.fetch("SELECT DISTINCT purpose FROM queue ORDER BY 1")]
    result: dict[str, Any] = {
        "band": list(BAND),
        "min_group_size": MIN_GROUP,
        "purposes": {},
        "alerts": [],
    }
    dimensions = {
        "sex": "coalesce(p.sex, 'not recorded')",
        "ethnicity": "coalesce(p.ethnicity, 'not recorded')",
        "sex_x_ethnicity": "coalesce(p.sex, 'not recorded') || ' / ' || coalesce(p.ethnicity, 'not recorded')",
    }
    for purpose in purposes:
        total, flagged_total = engine.fetch(
            """SELECT count(*), count(q.person_key) FROM people p
               LEFT JOIN queue q ON q.person_key = p.person_id AND q.purpose = ? WHERE p.leave_date IS NULL""",
            [purpose],
        )[0]
        overall = flagged_total / total if total else 0.0
        per_dim: dict[str, list[dict[str, Any]]] = {}
        for dim, expr in dimensions.items():
            rows = engine.fetch(
                f"""SELECT {expr} AS grp, count(*) AS n, count(q.person_key) AS flagged FROM people p
                    LEFT JOIN queue q ON q.person_key = p.person_id AND q.purpose = ?
                    WHERE p.leave_date IS NULL GROUP BY 1 ORDER BY 1""",
                [purpose],
            )
            groups = []
            for grp, n, flagged in rows:
                if n < MIN_GROUP:
                    groups.append({"group": grp, "suppressed": True})
                    continue
                lo, hi = wilson(int(flagged), int(n))
                ratio = (flagged / n) / overall if overall else None
                entry = {
                    "group": grp,
                    "people": int(n),
                    "flagged": int(flagged),
                    "rate": flagged / n,
                    "ratio": ratio,
                    "ratio_interval": [lo / overall, hi / overall] if overall else None,
                    "suppressed": False,
                }
                groups.append(entry)
                if overall and (lo / overall > BAND[1] or hi / overall < BAND[0]):
                    result["alerts"].append(
                        f"{purpose}: {dim} group '{grp}' flagged at {ratio:.2f}× the workforce rate "
                        f"(95% interval {lo / overall:.2f}–{hi / overall:.2f})"
                    )
            per_dim[dim] = groups
        result["purposes"][purpose] = {
            "people": int(total),
            "flagged": int(flagged_total),
            "rate": overall,
            "groups": per_dim,
        }
    return result

"""The fairness gate: what a run does when the fairness audit of its queue raises an alert.

Each alert on a purpose's queue (a group flagged at a rate outside the audit's band) is
attributed to the detectors behind it: the group's ratio to the workforce rate is measured
again with one detector's signals left out, and that detector's share of the disparity is how
much of the excess (in log ratio) goes with them. The policy says what an alert does
(`fairness.on_alert`):

- `hold` (the default): the signals of the detector with the largest share, if it carries at
  least `fairness.min_share` of an alert, are held out of the queue and kept in `held_signals`
  for a governance review; the queue is built and audited again, until no alert is left or
  none is attributable. The run report, the fairness page and the transparency record name
  what was held and why.
- `report`: the attribution is reported and the queue published as it is.

Protected characteristics are read here only as the fairness audit reads them: to measure.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from probity.fairness.audit import audit, workforce
from probity.ranking.priority import build_queue
from probity.warehouse.engine import Engine

HELD_DDL = """CREATE TABLE IF NOT EXISTS held_signals AS
              SELECT *, CAST(NULL AS VARCHAR) AS held_because FROM signals LIMIT 0"""


def alerting_groups(fairness: dict[str, Any]) -> list[dict[str, Any]]:
    """(purpose, dimension, group, ratio) of every alert on a purpose's queue."""
    found = []
    for purpose, section in fairness.get("purposes", {}).items():
        for dim, groups in section.get("groups", {}).items():
            for g in groups:
                if g.get("alert"):
                    found.append(
                        {
                            "purpose": purpose,
                            "dimension": dim,
                            "group": g["group"],
                            "ratio": g["ratio"],
                        }
                    )
    return found


def _ratio(flagged: pd.Series, members: pd.Series) -> float | None:
    overall = float(flagged.mean())
    if overall == 0 or not members.any():
        return None
    return float(flagged[members].mean()) / overall


def attribute(engine: Engine, people: pd.DataFrame, alert: dict[str, Any]) -> list[dict[str, Any]]:
    """Each detector of the alert's purpose with its share of the group's excess: 1 when leaving
    its signals out brings the group's ratio to 1, 0 when it changes nothing. Largest first."""
    rows = engine.fetch(
        """SELECT DISTINCT q.person_key, s.detector FROM queue q
           JOIN signals s ON s.person_key = q.person_key AND s.purpose = q.purpose
           WHERE q.purpose = ?""",
        [alert["purpose"]],
    )
    by_person: dict[str, set[str]] = {}
    for person, detector in rows:
        by_person.setdefault(str(person), set()).add(str(detector))
    members = people[alert["dimension"]] == alert["group"]
    keys = people["person_key"]
    excess = math.log(max(alert["ratio"], 1e-6))
    shares = []
    for detector in sorted({d for ds in by_person.values() for d in ds}):
        others = {p for p, ds in by_person.items() if ds - {detector}}
        without = _ratio(keys.isin(others), members)
        share = 1.0 if without is None else (excess - math.log(max(without, 1e-6))) / excess
        flagged_by = {p for p, ds in by_person.items() if detector in ds}
        shares.append(
            {
                "detector": detector,
                "share": round(share, 3),
                "ratio_without": None if without is None else round(without, 3),
                "ratio_among_its_flags": _ratio(keys.isin(flagged_by), members),
            }
        )
    return sorted(shares, key=lambda s: -s["share"])


def rank_with_gate(
    engine: Engine, pseudonyms: dict[str, str], on_alert: str, min_share: float
) -> tuple[dict[str, int], dict[str, Any]]:
    """Build the queue, audit it, and apply the gate; the queue's counts per purpose and the
    fairness section of the run report (with `gate`)."""
    counts = build_queue(engine, pseudonyms)
    fairness = audit(engine)
    people = workforce(engine)
    first_alerts = list(fairness["alerts"])
    first_attribution: list[dict[str, Any]] | None = None
    held: dict[str, Any] = {}
    while True:  # one detector held a round, never the same twice: it ends
        attribution = [
            {**a, "detectors": attribute(engine, people, a)} for a in alerting_groups(fairness)
        ]
        if first_attribution is None:
            first_attribution = attribution
        candidates = [
            (d["share"], d["detector"], a)
            for a in attribution
            for d in a["detectors"][:1]
            # Held only for flagging a group more: a group flagged less is not harmed by the queue.
            if a["ratio"] > 1 and d["share"] >= min_share and d["detector"] not in held
        ]
        if on_alert != "hold" or not candidates:
            break
        share, detector, alert = max(candidates, key=lambda c: c[0])
        because = (
            f"{alert['purpose'].replace('_', ' ')} queue: {alert['dimension']} group "
            f"'{alert['group']}' flagged at {alert['ratio']:.2f}× the workforce rate; "
            f"{min(share, 1.0):.0%} of the excess goes with this detector's signals"
        )
        engine.execute(HELD_DDL)
        engine.execute(
            "INSERT INTO held_signals SELECT *, ? FROM signals WHERE detector = ?",
            [because, detector],
        )
        n = engine.fetch("SELECT count(*) FROM signals WHERE detector = ?", [detector])[0][0]
        held[detector] = {"signals": int(n), "because": because}
        engine.execute("DELETE FROM signals WHERE detector = ?", [detector])
        counts = build_queue(engine, pseudonyms)
        fairness = audit(engine)
    fairness["gate"] = {
        "on_alert": on_alert,
        "min_share": min_share,
        "alerts_before": first_alerts,
        "attribution": first_attribution or [],
        "held": held,
    }
    return counts, fairness

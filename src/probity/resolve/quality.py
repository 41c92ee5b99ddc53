"""Linkage quality against known truth (the synthetic force's `identity_links.csv`).

Per task: precision (links that are right), recall (true links found), F1. Records the
truth does not cover are left out of both, except that a link made for a record the truth
says is nobody in the workforce counts as wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from probity.warehouse.engine import Engine

# How a truth record id appears in the links table.
RECORD_ID = {
    # Register rows are identified by company number in the truth (each planted company is
    # new), and by company number and row in the warehouse.
    "company_officer": "split_part(l.record_id, '/', 1)",
}


@dataclass(frozen=True)
class Quality:
    task: str
    true_links: int
    found: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.true_links if self.true_links else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def linkage_quality(engine: Engine, truth_dir: Path) -> dict[str, Quality]:
    path = str(truth_dir / "identity_links.csv").replace("'", "''")
    engine.execute(
        f"""CREATE OR REPLACE TEMP TABLE _truth AS SELECT task, record_id, person_id
            FROM read_csv('{path}', all_varchar = true, header = true)"""
    )
    results = {}
    for (task,) in engine.fetch("SELECT DISTINCT task FROM _truth ORDER BY 1"):
        rid = RECORD_ID.get(task, "l.record_id")
        true_links, found, correct = engine.fetch(
            f"""WITH t AS (SELECT record_id, person_id FROM _truth WHERE task = ?),
                     l AS (SELECT DISTINCT {rid} AS record_id, l.person_key FROM links l WHERE l.task = ?
                           AND {rid} IN (SELECT record_id FROM t))
                SELECT (SELECT count(*) FROM t WHERE person_id IS NOT NULL),
                       (SELECT count(*) FROM l),
                       (SELECT count(*) FROM l JOIN t ON t.record_id = l.record_id AND t.person_id = l.person_key)""",
            [task, task],
        )[0]
        results[task] = Quality(task, int(true_links), int(found), int(correct))
    engine.execute("DROP TABLE _truth")
    return results

"""`probity evaluate --worlds DIR`: the same defaults on every world, one table.

Each world file (`synth/settings.py`) is built into a synthetic force, run with the default
policy (no per-world settings: a world that fails is a fault of the model, not of the world),
and measured:

- recall at k = 1.5 × planted, counting a planted person only when their queue entry names a
  concern that was planted on them;
- the share of the top k that are innocent look-alikes (decoys);
- true positives against the threshold baseline's at the same k;
- for a null world (nothing planted), the professional-standards queue as a share of
  headcount: every entry is a false alarm;
- the flag-rate ratio across ethnic groups of at least `FAIR_GROUP` people, among innocents in
  the top 5% of headcount (highest group rate over lowest), for the queue and for the baseline;
- identity resolution against the truth: precision and recall per linkage task
  (`resolve/quality.py`), shown for the tasks whose records other systems name people in
  their own way (`LINK_TASKS`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from probity.evaluation.baseline import baseline_ranking
from probity.evaluation.evaluate import evaluate_published
from probity.evaluation.truth import Truth
from probity.fairness.audit import workforce
from probity.pipeline import run_pipeline
from probity.policy import Policy
from probity.publish.workspace import Workspace
from probity.resolve.quality import linkage_quality
from probity.synth.force import SynthSpec, build_force
from probity.synth.settings import WorldSettings, load_world
from probity.synth.tables import force_tables
from probity.synth.write import write_force
from probity.warehouse.engine import DuckDBEngine, Engine

PURPOSE = "professional_standards"
# The linkage tasks the table shows (all are kept in the row).
LINK_TASKS = ("complaint_subject", "company_officer", "system_account")
FAIR_GROUP = 150
TOP_SHARE = 0.05


def world_files(folder: Path) -> list[Path]:
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise ValueError(f"{folder}: no world files (*.yaml)")
    return files


def _ranked(engine: Engine) -> list[tuple[str, set[str]]]:
    rows = engine.fetch(
        "SELECT person_key, concerns FROM queue WHERE purpose = ? ORDER BY rank", [PURPOSE]
    )
    return [(str(p), set(str(c).split(";"))) for p, c in rows]


def flag_ratio_among_innocents(
    people: pd.DataFrame, ranking: list[str], innocent: set[str], top: int
) -> float | None:
    """Highest over lowest flag rate across ethnic groups of `FAIR_GROUP`+ innocent people,
    flagged meaning in the top `top` of `ranking`."""
    frame = people[people["person_key"].isin(innocent)]
    flagged = frame["person_key"].isin(set(ranking[:top]))
    rates = flagged.groupby(frame["ethnicity"]).agg(["mean", "size"])
    rates = rates[rates["size"] >= FAIR_GROUP]["mean"]
    if len(rates) < 2 or rates.min() == 0:
        return None
    return round(float(rates.max() / rates.min()), 2)


def measure(ws: Workspace, truth: Truth, truth_dir: Path | None = None) -> dict[str, Any]:
    """One world's row, from its published run (and, with `truth_dir`, its links' quality)."""
    summary = evaluate_published(ws, truth)
    section = summary["purposes"][PURPOSE]
    planted = truth.for_purpose(PURPOSE)
    engine = DuckDBEngine(ws.warehouse(ws.require_current()), read_only=True)
    try:
        ranked = _ranked(engine)
        headcount = summary["headcount"]
        k = max(1, round(1.5 * len(planted)))
        top = ranked[:k]
        right = sum(1 for p, concerns in top if planted.get(p, set()) & concerns)
        people = workforce(engine)
        innocent = set(people["person_key"]) - set(truth.planted)
        top_n = max(1, round(TOP_SHARE * headcount))
        ranking = [p for p, _ in ranked]
        baseline = baseline_ranking(engine)
        at = section["at_k"]["one_and_a_half_times_planted"]
        base_at = section["baseline"]["at_k"]["one_and_a_half_times_planted"]
        links = linkage_quality(engine, truth_dir) if truth_dir is not None else {}
        return {
            "links": {
                task: {"precision": round(q.precision, 3), "recall": round(q.recall, 3)}
                for task, q in links.items()
            },
            "headcount": headcount,
            "planted": len(planted),
            "queued": len(ranked),
            "queue_share_of_headcount": round(len(ranked) / headcount, 4),
            "k": k if planted else None,
            "recall_right_concern": round(right / len(planted), 3) if planted else None,
            "decoy_share": at["decoy_share"] if planted else None,
            "true_positive_ratio": base_at.get("true_positive_ratio") if planted else None,
            "innocents_in_top_5_percent": len(set(ranking[:top_n]) & innocent),
            "ethnic_flag_ratio": flag_ratio_among_innocents(people, ranking, innocent, top_n),
            "baseline_ethnic_flag_ratio": flag_ratio_among_innocents(
                people, baseline, innocent, top_n
            ),
            "fairness_held": sorted(
                ws.read_report(summary["run_id"])["fairness"].get("gate", {}).get("held", {})
            ),
        }
    finally:
        engine.close()


def evaluate_world(
    settings: WorldSettings,
    root: Path,
    spec: SynthSpec,
    policy: Policy | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    """Build one world under `root/<name>`, run it and measure it."""
    exports, truth_dir, workspace = (root / settings.name / d for d in ("exports", "truth", "ws"))
    world = build_force(SynthSpec(spec.people, spec.years, spec.seed, settings))
    write_force(force_tables(world), exports, truth_dir)
    run_pipeline(exports, workspace, policy=policy, actor=actor, incremental=False)
    return {
        "world": settings.name,
        **measure(Workspace(workspace), Truth.read(truth_dir), truth_dir),
    }


def evaluate_worlds(
    folder: Path,
    root: Path,
    spec: SynthSpec,
    policy: Policy | None = None,
    actor: str | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> list[dict[str, Any]]:
    rows = []
    for path in world_files(folder):
        settings = load_world(path)
        progress(settings.name)
        rows.append(evaluate_world(settings, root, spec, policy, actor))
    return rows

"""`probity evaluate`: how well the published queue finds what was planted, against the
threshold baseline at the same k, and whether errors fall evenly across groups."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from aequitas.bias import Bias
from aequitas.group import Group
from fairlearn.metrics import MetricFrame, false_positive_rate, selection_rate

from probity.contract.outputs import PURPOSES
from probity.evaluation.baseline import baseline_ranking
from probity.evaluation.metrics import at_k, average_precision, churn
from probity.evaluation.truth import Truth
from probity.fairness.audit import MIN_GROUP, workforce
from probity.publish.workspace import Workspace
from probity.warehouse.engine import DuckDBEngine, Engine


def queue_ranking(engine: Engine, purpose: str) -> list[str]:
    return [
        str(r[0])
        for r in engine.fetch(
            "SELECT person_key FROM queue WHERE purpose = ? ORDER BY rank", [purpose]
        )
    ]


def _ks(headcount: int, planted: int) -> dict[str, int]:
    return {
        "one_percent_of_headcount": max(1, round(0.01 * headcount)),
        "one_and_a_half_times_planted": max(1, round(1.5 * planted)),
    }


def error_rates_by_group(
    engine: Engine, flagged: set[str], planted: set[str]
) -> dict[str, list[dict[str, Any]]]:
    """False-positive rate (flagged though nothing was planted) and selection rate per group
    (Fairlearn), with Aequitas's disparities against the largest group as a second opinion."""
    people = workforce(engine)
    keys = people["person_key"].to_numpy()
    y_true = np.isin(keys, list(planted)).astype(int)
    y_pred = np.isin(keys, list(flagged)).astype(int)
    disparities = aequitas_disparities(people, y_true, y_pred)
    out: dict[str, list[dict[str, Any]]] = {}
    for dim in ("sex", "ethnicity"):
        frame = MetricFrame(
            metrics={
                "false_positive_rate": false_positive_rate,
                "selection_rate": selection_rate,
                "n": lambda t, p: len(t),
            },
            y_true=y_true,
            y_pred=y_pred,
            sensitive_features=people[dim].to_numpy(),
        )
        rows = []
        for grp, row in frame.by_group.iterrows():
            if row["n"] < MIN_GROUP:
                rows.append({"group": str(grp), "suppressed": True})
                continue
            rows.append(
                {
                    "group": str(grp),
                    "people": int(row["n"]),
                    "false_positive_rate": round(float(row["false_positive_rate"]), 5),
                    "selection_rate": round(float(row["selection_rate"]), 5),
                    **disparities.get((dim, str(grp)), {}),
                    "suppressed": False,
                }
            )
        out[dim] = rows
    return out


def aequitas_disparities(
    people: pd.DataFrame, y_true: np.ndarray, y_pred: np.ndarray
) -> dict[tuple[str, str], dict[str, float | None]]:
    """(dimension, group) -> false-positive-rate and flag-prevalence disparity against the
    largest group, from Aequitas."""
    frame = pd.DataFrame(
        {
            "score": y_pred,
            "label_value": y_true,
            "sex": people["sex"],
            "ethnicity": people["ethnicity"],
        }
    )
    crosstab, _ = Group().get_crosstabs(frame)
    disparity = Bias().get_disparity_major_group(
        crosstab, original_df=frame, alpha=0.05, check_significance=False
    )

    def value(x: Any) -> float | None:
        return None if pd.isna(x) else round(float(x), 4)

    return {
        (str(r.attribute_name), str(r.attribute_value)): {
            "fpr_disparity_vs_largest_group": value(r.fpr_disparity),
            "flag_prevalence_disparity_vs_largest_group": value(r.pprev_disparity),
        }
        for r in disparity.itertuples()
    }


def _previous_good_run(ws: Workspace, current: str) -> str | None:
    earlier = [
        d.name
        for d in sorted(ws.runs.iterdir())
        if d.name < current
        and (d / "report.json").exists()
        and ws.read_report(d.name).get("status") == "succeeded"
        and ws.warehouse(d.name).exists()
    ]
    return earlier[-1] if earlier else None


def evaluate_published(ws: Workspace, truth: Truth) -> dict[str, Any]:
    run_id = ws.require_current()
    previous_id = _previous_good_run(ws, run_id)
    previous: dict[str, list[str]] = {}
    if previous_id:
        old = DuckDBEngine(ws.warehouse(previous_id), read_only=True)
        try:
            previous = {p: queue_ranking(old, p) for p in PURPOSES}
        finally:
            old.close()
    engine = DuckDBEngine(ws.warehouse(run_id), read_only=True)
    try:
        headcount = int(engine.fetch("SELECT count(*) FROM people WHERE leave_date IS NULL")[0][0])
        result: dict[str, Any] = {
            "run_id": run_id,
            "previous_run_id": previous_id,
            "headcount": headcount,
            "purposes": {},
        }
        for purpose in PURPOSES:
            planted = truth.for_purpose(purpose)
            ranking = queue_ranking(engine, purpose)
            section: dict[str, Any] = {
                "planted": len(planted),
                "queued": len(ranking),
                "average_precision": average_precision(ranking, planted),
                "at_k": {},
            }
            for name, k in _ks(headcount, len(planted)).items():
                section["at_k"][name] = {
                    **at_k(ranking, planted, truth.decoys, k),
                    "churn": churn(ranking, previous.get(purpose), k),
                }
            if purpose == "professional_standards":
                section["baseline"] = _baseline(engine, ranking, planted, truth, headcount)
                k = section["at_k"]["one_and_a_half_times_planted"]["k"]
                section["error_rates_at_k"] = error_rates_by_group(
                    engine, set(ranking[:k]), set(planted)
                )
            result["purposes"][purpose] = section
        return result
    finally:
        engine.close()


def _baseline(
    engine: Engine,
    ranking: list[str],
    planted: dict[str, set[str]],
    truth: Truth,
    headcount: int,
) -> dict[str, Any]:
    base = baseline_ranking(engine)
    out: dict[str, Any] = {
        "rule": "at least 3 complaints in any 12 months, or uses of force in the top 5% of the unit",
        "flagged": len(base),
        "average_precision": average_precision(base, planted),
        "at_k": {},
    }
    for name, k in _ks(headcount, len(planted)).items():
        ours = at_k(ranking, planted, truth.decoys, k)
        theirs = at_k(base, planted, truth.decoys, k)
        out["at_k"][name] = {
            **theirs,
            "true_positive_ratio": round(ours["true_positives"] / theirs["true_positives"], 2)
            if theirs["true_positives"]
            else None,
        }
    return out

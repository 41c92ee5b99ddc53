"""Flag rates by sex, ethnicity and their intersection against the serving workforce, on every run.

This is the only stage that reads protected characteristics, and it reads them only to measure
what the queue and the model pass on. Group rates come from Fairlearn's MetricFrame; a group's
ratio is its rate over the workforce's, with a bootstrap interval (people resampled with
replacement, the ratio recomputed each time). An alert is raised only when that interval and
the group's Wilson interval both lie wholly outside 0.8–1.25: the bootstrap carries the
uncertainty of the workforce rate, the Wilson interval stays honest when a group has no one
flagged (where a bootstrap collapses to a point). Groups of fewer than ten people are
suppressed, and a flag set with fewer than twenty people flagged is reported but too small to
alert on.

For the early-warning model it also compares, per group, the mean predicted probability with
the rate actually observed in the out-of-time backtest: a model that turns a group's historic
over-reporting into higher scores over-predicts for that group.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from fairlearn.metrics import MetricFrame, selection_rate

from probity.warehouse.engine import Engine

BAND = (0.8, 1.25)
MIN_GROUP = 10
MIN_FLAGGED = 20
N_BOOT = 500
CI = (2.5, 97.5)
SEED = 0
Z = 1.96

DIMENSIONS = ("sex", "ethnicity", "sex_x_ethnicity")


def workforce(engine: Engine) -> pd.DataFrame:
    """Serving people with their protected characteristics (audit use only)."""
    frame = engine.fetch_arrow(
        """SELECT person_id AS person_key, coalesce(sex, 'not recorded') AS sex,
                  coalesce(ethnicity, 'not recorded') AS ethnicity
           FROM people WHERE leave_date IS NULL"""
    ).to_pandas()
    frame["sex_x_ethnicity"] = frame["sex"] + " / " + frame["ethnicity"]
    return frame


def _flag_sets(engine: Engine) -> dict[str, set[str]]:
    sets: dict[str, set[str]] = {}
    for purpose, person in engine.fetch("SELECT purpose, person_key FROM queue"):
        sets.setdefault(str(purpose), set()).add(str(person))
    model = engine.fetch(
        "SELECT DISTINCT person_key FROM signals WHERE detector = 'early_warning_model'"
    )
    if engine.table_exists("model_scores"):
        sets["early_warning_model"] = {str(r[0]) for r in model}
    return sets


def wilson(flagged: int, n: int) -> tuple[float, float]:
    if n == 0:
        return 0.0, 1.0
    p = flagged / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def bootstrap_ratios(
    codes: np.ndarray, flagged: np.ndarray, groups: int, rng: np.random.Generator
) -> np.ndarray:
    """(N_BOOT, groups) ratios of group rate to overall rate over resampled workforces.

    Only each person's group and whether they were flagged matter, so a resample (everyone
    drawn with replacement) is drawn as its counts of people per (group, flagged) cell: a
    multinomial over the cells' shares, the same distribution at a fraction of the cost."""
    n = len(codes)
    cells = np.bincount(codes * 2 + flagged, minlength=2 * groups)
    draws = rng.multinomial(n, cells / n, size=N_BOOT).reshape(N_BOOT, groups, 2)
    sizes, hits = draws.sum(axis=2), draws[:, :, 1]
    overall = hits.sum(axis=1) / n
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (hits / sizes) / overall[:, None]
    out[overall == 0] = np.nan
    return out


def group_counts(people: pd.DataFrame, flagged: np.ndarray) -> dict[str, pd.DataFrame]:
    """People and people flagged per group of each dimension (`DIMENSIONS`), groups sorted.

    Fairlearn's MetricFrame gives the flag rate of each sex × ethnicity cell; a group of one
    characteristic is the sum of its cells, so one frame serves all three dimensions (each
    frame costs a pass over the workforce in Python)."""
    dims = ["sex", "ethnicity"]
    frame = MetricFrame(
        metrics=selection_rate,
        y_true=flagged,
        y_pred=flagged,
        sensitive_features=people[dims],
    )
    cells = people.groupby(dims).size().rename("people").to_frame()
    cells["flagged"] = (frame.by_group.reindex(cells.index) * cells["people"]).round()
    cells = cells.astype(int).reset_index()
    cells["sex_x_ethnicity"] = cells["sex"] + " / " + cells["ethnicity"]
    return {dim: cells.groupby(dim)[["people", "flagged"]].sum().sort_index() for dim in DIMENSIONS}


def rate_ratios(
    people: pd.DataFrame, flagged: np.ndarray, label: str, alerts: list[str]
) -> dict[str, Any]:
    """Flag rate per group and its ratio to the workforce rate, with intervals."""
    overall = float(flagged.mean()) if len(flagged) else 0.0
    total = int(flagged.sum())
    result: dict[str, Any] = {
        "people": len(flagged),
        "flagged": total,
        "rate": overall,
        "assessable": total >= MIN_FLAGGED,
        "groups": {},
    }
    rng = np.random.default_rng(SEED)
    counts = group_counts(people, flagged) if len(flagged) else {}
    for dim in DIMENSIONS:
        by_group = counts[dim] if counts else pd.DataFrame(columns=["people", "flagged"])
        names = [str(g) for g in by_group.index]
        codes = pd.Categorical(people[dim], categories=names).codes
        boot = bootstrap_ratios(codes, flagged, len(names), rng) if overall else None
        groups = []
        for i, (grp, row) in enumerate(by_group.iterrows()):
            n, hits = int(row["people"]), int(row["flagged"])
            if n < MIN_GROUP:
                groups.append({"group": str(grp), "suppressed": True})
                continue
            rate = hits / n
            entry: dict[str, Any] = {
                "group": str(grp),
                "people": n,
                "flagged": hits,
                "rate": rate,
                "ratio": rate / overall if overall else None,
                "ratio_interval": None,
                "suppressed": False,
            }
            groups.append(entry)
            if boot is None:
                continue
            lo, hi = (float(v) for v in np.nanpercentile(boot[:, i], CI))
            entry["ratio_interval"] = [lo, hi]
            w_lo, w_hi = (v / overall for v in wilson(hits, n))
            outside = (lo > BAND[1] and w_lo > BAND[1]) or (hi < BAND[0] and w_hi < BAND[0])
            if outside and total >= MIN_FLAGGED:
                entry["alert"] = True
                alerts.append(
                    f"{label}: {dim} group '{grp}' flagged at {entry['ratio']:.2f}× the "
                    f"workforce rate (95% interval {lo:.2f}–{hi:.2f})"
                )
        result["groups"][dim] = groups
    return result


def model_calibration_by_group(
    engine: Engine, people: pd.DataFrame, alerts: list[str]
) -> dict[str, Any] | None:
    """Per ethnicity group: mean predicted probability over the rate observed, in the backtest,
    relative to the same figure for the whole workforce (1 means calibrated alike)."""
    if not engine.table_exists("model_backtest"):
        return None
    backtest = engine.fetch_arrow("SELECT person_key, label, probability FROM model_backtest")
    frame = backtest.to_pandas().merge(people, on="person_key")
    if frame.empty or frame["label"].sum() == 0:
        return None
    overall = frame["probability"].mean() / frame["label"].mean()
    groups = []
    for grp, g in frame.groupby("ethnicity"):
        if len(g) < MIN_GROUP or g["label"].sum() < MIN_GROUP:
            groups.append({"group": str(grp), "suppressed": True})
            continue
        predicted, positives = float(g["probability"].mean()), int(g["label"].sum())
        ratio = predicted / float(g["label"].mean()) / overall
        # The observed rate is itself uncertain: the interval divides by its Wilson bounds.
        lo_obs, hi_obs = wilson(positives, len(g))
        interval = [predicted / hi_obs / overall, predicted / lo_obs / overall]
        groups.append(
            {
                "group": str(grp),
                "examples": len(g),
                "observed_rate": float(g["label"].mean()),
                "mean_predicted": predicted,
                "over_prediction": ratio,
                "over_prediction_interval": interval,
                "suppressed": False,
            }
        )
        if interval[0] > BAND[1] or interval[1] < BAND[0]:
            alerts.append(
                f"early-warning model: predicts {ratio:.2f}× the outcomes actually observed for "
                f"ethnicity group '{grp}', relative to the workforce (backtest; 95% interval "
                f"{interval[0]:.2f}–{interval[1]:.2f})"
            )
    return {"dimension": "ethnicity", "groups": groups}


def audit(engine: Engine) -> dict[str, Any]:
    people = workforce(engine)
    alerts: list[str] = []
    result: dict[str, Any] = {
        "band": list(BAND),
        "min_group_size": MIN_GROUP,
        "min_flagged": MIN_FLAGGED,
        "bootstrap_samples": N_BOOT,
        "purposes": {},
        "alerts": alerts,
    }
    for name, members in sorted(_flag_sets(engine).items()):
        flagged = people["person_key"].isin(members).to_numpy().astype(int)
        section = rate_ratios(people, flagged, name.replace("_", " "), alerts)
        if name == "early_warning_model":
            result["model"] = section
        else:
            result["purposes"][name] = section
    calibration = model_calibration_by_group(engine, people, alerts)
    if calibration:
        result["model_calibration"] = calibration
    return result

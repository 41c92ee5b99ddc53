"""The early-warning model (after the University of Chicago's police early intervention work):
the chance of a substantiated conduct outcome in the next 12 months, from what the warehouse
knew at each cutoff.

Validation rolls forward in time: each fold tests at one cutoff and trains only on cutoffs
whose label window closed before it. Out-of-fold predictions calibrate the final model
(isotonic), which is trained on every labelled cutoff and scores everyone serving at the end of
the data. Each flagged person's reason names the factors that raised their score most (exact
tree SHAP values, from LightGBM). The model is one more signal for the priority, never the
whole of it; the fairness audit measures what it passes on from biased history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
import pyarrow as pa
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from probity.model.events import build_person_month_events
from probity.model.features import (
    CATEGORICAL,
    STATIC,
    data_end,
    data_start,
    feature_names,
    features_at,
    labelled,
    labels_at,
)
from probity.model.reuse import LastModel, model_signature, take_previous
from probity.model.temporal import Schedule, add_months, months_between
from probity.warehouse.engine import Engine

DETECTOR = "early_warning_model"
# Counts of allegations made (as opposed to upheld or substantiated), left out by default.
ALLEGATION_VOLUME = ("complaints", "conduct_cases", "open_conduct_cases")
CONCERN = "complaint_pattern"
MIN_POSITIVES = 5

KIND_WORDS = {
    "complaints": "complaints received",
    "complaints_upheld": "complaints upheld",
    "conduct_cases": "conduct cases opened",
    "conduct_substantiated": "conduct cases substantiated",
    "uses_of_force": "uses of force",
    "stops": "stops and searches",
    "stop_arrests": "arrests from stops",
    "incidents_attended": "incidents attended",
    "lookups": "record look-ups",
    "lookups_unreferenced": "look-ups citing no reference",
}
WINDOW_WORDS = {1: "last month", 3: "last 3 months", 12: "last 12 months", 60: "last 5 years"}


@dataclass(frozen=True)
class ModelSettings:
    horizon_months: int = 12
    step_months: int = 3
    warmup_months: int = 3
    top_share: float = 0.01
    min_probability: float = 0.05
    seed: int = 7
    # Feature kinds (or static features) left out of the model.
    exclude: tuple[str, ...] = ()


def describe(feature: str, value: Any) -> str:
    """'3 complaints received in the last 12 months', 'rank: PC', 'tenure 2.5 years'."""
    if feature in CATEGORICAL:
        return f"{feature.replace('_', ' ')}: {value}"
    if feature == "tenure_years":
        return f"{float(value):.1f} years' service"
    if feature == "open_conduct_cases":
        return f"{int(value)} conduct cases open at the time"
    kind, window = feature.rsplit("_", 1)
    months = int(window.rstrip("m"))
    if kind.startswith("evidence_"):
        what = f"pieces of {kind.removeprefix('evidence_').replace('_', ' ')} evidence"
    else:
        what = KIND_WORDS.get(kind, kind.replace("_", " "))
    return f"{float(value):g} {what} in the {WINDOW_WORDS[months]}"


def signal_strength(probability: float) -> float:
    """Weaker than any detector's own signal (those start near 0.5): the model reorders and
    adds to people with converging evidence rather than outranking specific findings."""
    return min(0.4, 0.1 + 0.5 * probability)


def _classifier(seed: int) -> lgb.LGBMClassifier:
    return lgb.LGBMClassifier(
        n_estimators=150,
        learning_rate=0.04,
        num_leaves=7,
        min_child_samples=50,
        subsample=0.8,
        subsample_freq=1,
        colsample_bytree=0.8,
        reg_lambda=1.0,
        n_jobs=2,
        random_state=seed,
        verbose=-1,
    )


def _positive_probability(model: lgb.LGBMClassifier, x: pd.DataFrame) -> np.ndarray:
    return np.asarray(model.predict_proba(x))[:, 1]


def _fold_metrics(y: np.ndarray, p: np.ndarray) -> dict[str, Any]:
    both = 0 < y.sum() < len(y)
    top = max(1, round(0.01 * len(y)))
    order = np.argsort(-p, kind="stable")[:top]
    return {
        "examples": len(y),
        "positives": int(y.sum()),
        "auc": round(float(roc_auc_score(y, p)), 4) if both else None,
        "average_precision": round(float(average_precision_score(y, p)), 4) if both else None,
        "brier": round(float(brier_score_loss(y, p)), 5),
        "precision_top_1pct": round(float(y[order].mean()), 4),
        "base_rate": round(float(y.mean()), 5),
    }


def run_model(
    engine: Engine,
    settings: ModelSettings,
    absent_tables: set[str],
    last: LastModel | None = None,
) -> dict[str, Any]:
    """Build features, validate, train, score; write `model_scores`, `model_backtest` and
    signals. Returns the report section (status 'ran' or 'skipped' with a reason). With `last`
    (a daily run), a model trained on exactly these inputs is taken from the last run
    (`model/reuse.py`); the section then says which run trained it (`taken_from`)."""
    if "conduct_cases" in absent_tables:
        return {"status": "skipped", "reason": "input not provided: conduct_cases"}
    kinds = build_person_month_events(engine, absent_tables)
    return _run_model(engine, settings, kinds, last)


def _run_model(
    engine: Engine, settings: ModelSettings, kinds: list[str], last: LastModel | None
) -> dict[str, Any]:
    start, end = data_start(engine), data_end(engine)
    if start is None or end is None:
        return {"status": "skipped", "reason": "no dated events to learn from"}
    schedule = Schedule(
        add_months(start, settings.warmup_months),
        end,
        settings.horizon_months,
        settings.step_months,
    )
    folds = schedule.folds()
    needed = settings.warmup_months + 2 * settings.horizon_months
    if not folds:
        return {
            "status": "skipped",
            "reason": f"out-of-time validation needs {needed} months of history; "
            f"the data covers {months_between(start, end)}",
        }
    cutoffs = schedule.labelled_cutoffs()
    # One pass over the person-month grid for the training cutoffs and the scoring one.
    features = features_at(engine, kinds, [*cutoffs, end])
    frame = labelled(
        _at(features, features["cutoff"] != end),
        labels_at(engine, cutoffs, settings.horizon_months),
    )
    scoring = _at(features, features["cutoff"] == end)
    columns = [
        c
        for c in [*CATEGORICAL, *STATIC, *feature_names(kinds)]
        if c not in settings.exclude and c.rsplit("_", 1)[0] not in settings.exclude
    ]
    if int(frame["label"].sum()) < MIN_POSITIVES:
        return {
            "status": "skipped",
            "reason": f"fewer than {MIN_POSITIVES} substantiated outcomes to learn from",
        }

    signature = model_signature(frame, scoring, columns, settings, end)
    taken = take_previous(engine, signature, last)
    if taken is not None:
        return taken

    fold_reports, oof = [], []
    for fold in folds:
        train = frame[frame["cutoff"].isin(fold.train_cutoffs)]
        test = frame[frame["cutoff"] == fold.test_cutoff]
        if train["label"].sum() == 0 or test.empty:
            continue
        model = _classifier(settings.seed).fit(train[columns], train["label"])
        p = _positive_probability(model, test[columns])
        fold_reports.append(
            {
                "test_cutoff": fold.test_cutoff.isoformat(),
                "train_cutoffs": [t.isoformat() for t in fold.train_cutoffs],
                **_fold_metrics(test["label"].to_numpy(), p),
            }
        )
        oof.append(test[["person_key", "cutoff", "label"]].assign(raw=p))
    if not oof:
        return {"status": "skipped", "reason": "no fold had substantiated outcomes to train on"}
    backtest = pd.concat(oof, ignore_index=True)
    calibrator = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0)
    calibrator.fit(backtest["raw"], backtest["label"])
    backtest["probability"] = calibrator.predict(backtest["raw"])

    final = _classifier(settings.seed).fit(frame[columns], frame["label"])
    raw = _positive_probability(final, scoring[columns])
    probability = calibrator.predict(raw)
    # Exact tree SHAP values per feature (the last column is the expected value).
    contributions = np.asarray(final.booster_.predict(scoring[columns], pred_contrib=True))[:, :-1]
    importance = np.abs(contributions).mean(axis=0)

    scores = _scores(scoring, columns, probability, contributions)
    flagged = _flag(scores, settings)
    _write(engine, scores, backtest, flagged, end)
    base_rate = float(frame["label"].mean())
    return {
        "status": "ran",
        "signature": signature,
        "label": f"a substantiated conduct outcome in the {settings.horizon_months} months after the cutoff",
        "horizon_months": settings.horizon_months,
        "scored_at": end.isoformat(),
        "training_examples": len(frame),
        "training_positives": int(frame["label"].sum()),
        "base_rate": round(base_rate, 5),
        "folds": fold_reports,
        "backtest": _fold_metrics(backtest["label"].to_numpy(), backtest["probability"].to_numpy()),
        "scored": len(scores),
        "signals": len(flagged),
        "top_features": [
            {"feature": columns[i], "mean_abs_shap": round(float(importance[i]), 4)}
            for i in np.argsort(-importance)[:10]
        ],
    }


def _at(features: pd.DataFrame, rows: pd.Series) -> pd.DataFrame:
    """Some of the rows, each category column holding only the values those rows have, so a
    frame is what reading its cutoffs alone would give (LightGBM codes categories in order)."""
    part = features[rows].reset_index(drop=True)
    for c in CATEGORICAL:
        part[c] = part[c].cat.remove_unused_categories()
    return part


def _scores(
    scoring: pd.DataFrame, columns: list[str], probability: np.ndarray, contributions: np.ndarray
) -> pd.DataFrame:
    """Each person's probability and the (up to) three factors that raised it most."""
    values = scoring[columns].to_numpy(dtype=object)
    strongest = np.argsort(-contributions, axis=1)[:, :3]
    factors = []
    for i, top in enumerate(strongest):
        factors.append(
            [
                (describe(columns[j], values[i, j]), float(contributions[i, j]))
                for j in top
                if contributions[i, j] > 0
            ]
        )
    return pd.DataFrame(
        {"person_key": scoring["person_key"], "probability": probability, "factors": factors}
    )


def _flag(scores: pd.DataFrame, settings: ModelSettings) -> pd.DataFrame:
    """The top `top_share` of people, of those at or above `min_probability`."""
    k = max(1, round(settings.top_share * len(scores)))
    ranked = scores.sort_values(["probability", "person_key"], ascending=[False, True]).head(k)
    return ranked[ranked["probability"] >= settings.min_probability]


def _write(
    engine: Engine, scores: pd.DataFrame, backtest: pd.DataFrame, flagged: pd.DataFrame, at: date
) -> None:
    mean = float(scores["probability"].mean()) or 1e-9
    engine.register(
        "_scores",
        pa.table(
            {
                "person_key": scores["person_key"].tolist(),
                "probability": scores["probability"].astype(float).tolist(),
                "factors": ["; ".join(f for f, _ in fs) for fs in scores["factors"]],
            }
        ),
    )
    engine.execute("CREATE OR REPLACE TABLE model_scores AS SELECT * FROM _scores")
    engine.register(
        "_backtest",
        pa.table(
            {
                "person_key": backtest["person_key"].tolist(),
                "cutoff": backtest["cutoff"].tolist(),
                "label": backtest["label"].astype(int).tolist(),
                "probability": backtest["probability"].astype(float).tolist(),
            }
        ),
    )
    engine.execute("CREATE OR REPLACE TABLE model_backtest AS SELECT * FROM _backtest")
    signal_rows, evidence_rows = [], []
    for person, p, factors in flagged[["person_key", "probability", "factors"]].itertuples(
        index=False
    ):
        signal_id = f"{DETECTOR}:{person}"
        named = "; ".join(f for f, _ in factors) or "no single factor stands out"
        signal_rows.append(
            (
                signal_id,
                person,
                signal_strength(float(p)),
                f"Early-warning model: {p:.0%} estimated chance of a substantiated conduct "
                f"outcome in the next 12 months ({p / mean:.1f} times the force average); "
                f"strongest factors: {named}.",
            )
        )
        for text, weight in factors:
            evidence_rows.append((signal_id, f"{text} (raised the score by {weight:.2f} log-odds)"))
    at_ts = pd.Timestamp(at)
    engine.register(
        "_model_signals",
        pa.table(
            {
                "signal_id": [r[0] for r in signal_rows],
                "person_key": [r[1] for r in signal_rows],
                "strength": [r[2] for r in signal_rows],
                "reason": [r[3] for r in signal_rows],
            },
            schema=pa.schema(
                [
                    ("signal_id", pa.string()),
                    ("person_key", pa.string()),
                    ("strength", pa.float64()),
                    ("reason", pa.string()),
                ]
            ),
        ),
    )
    engine.execute(
        f"""INSERT INTO signals SELECT signal_id, '{DETECTOR}', '{CONCERN}', 'professional_standards',
                   person_key, strength, reason, NULL, ?, 0 FROM _model_signals""",
        [at_ts.to_pydatetime()],
    )
    engine.register(
        "_model_evidence",
        pa.table(
            {
                "signal_id": [r[0] for r in evidence_rows],
                "detail": [r[1] for r in evidence_rows],
            },
            schema=pa.schema([("signal_id", pa.string()), ("detail", pa.string())]),
        ),
    )
    engine.execute(
        """INSERT INTO evidence SELECT signal_id, 'model', NULL, NULL, ?, detail FROM _model_evidence""",
        [at_ts.to_pydatetime()],
    )
    engine.execute(
        """UPDATE signals SET evidence_rows = (SELECT count(*) FROM evidence e WHERE e.signal_id = signals.signal_id)
           WHERE detector = ?""",
        [DETECTOR],
    )
    for staging in ("_scores", "_backtest", "_model_signals", "_model_evidence"):
        engine.execute(f"DROP TABLE {staging}")

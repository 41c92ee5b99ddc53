"""When a daily run can take the early-warning model's results from the last good run.

The model learns and scores only whole months before the end of the data, so a new day in the
middle of a month usually leaves every training example and every score's inputs as they were.
LightGBM trains with a fixed seed and a fixed number of threads, so the same examples, columns,
settings and code give the same model, calibration and reasons. The model's `signature` hashes
exactly those; when it equals the last run's, that run's scores, back-test, signals and evidence
are copied from its warehouse instead of training again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

import lightgbm
import numpy as np
import pandas as pd
import sklearn

from probity.detectors.base import EVIDENCE_DDL, SIGNALS_DDL
from probity.warehouse.engine import Engine

# The last run's results, set aside in the copied warehouse until the model stage.
PREVIOUS = {
    "model_scores": "previous_model_scores",
    "model_backtest": "previous_model_backtest",
    "model_signals": "previous_model_signals",
    "model_evidence": "previous_model_evidence",
}
_CODE = "".join(p.read_text() for p in sorted(Path(__file__).parent.glob("*.py")))


@dataclass(frozen=True)
class LastModel:
    run_id: str
    section: dict[str, Any]  # the model section of that run's report


def model_signature(
    frame: pd.DataFrame, scoring: pd.DataFrame, columns: list[str], settings: Any, end: date
) -> str:
    """Changes with any training example, label, score input, setting or library release."""
    digest = hashlib.sha256()
    for part, wanted in ((frame, [*columns, "label"]), (scoring, columns)):
        rows = part[["person_key", "cutoff", *wanted]]
        digest.update(pd.util.hash_pandas_object(rows, index=False).to_numpy().tobytes())
        for c in rows.select_dtypes("category"):  # LightGBM codes categories in this order
            digest.update(json.dumps(list(map(str, rows[c].cat.categories))).encode())
    digest.update(
        json.dumps(
            {
                "columns": columns,
                "settings": asdict(settings),
                "end": end.isoformat(),
                "code": _CODE,
                "tables": [SIGNALS_DDL, EVIDENCE_DDL],
                "releases": [lightgbm.__version__, sklearn.__version__, np.__version__],
            },
            sort_keys=True,
        ).encode()
    )
    return digest.hexdigest()


def set_aside(engine: Engine) -> None:
    """In a copy of the last run's warehouse: keep the model's results for this run's model
    stage, before every derived table is dropped."""
    for previous in PREVIOUS.values():
        engine.execute(f"DROP TABLE IF EXISTS {previous}")
    if not engine.table_exists("model_scores"):
        return
    for table in ("model_scores", "model_backtest"):
        engine.execute(f"ALTER TABLE {table} RENAME TO {PREVIOUS[table]}")
    from probity.model.early_warning import DETECTOR  # which imports this module

    engine.execute(
        f"CREATE TABLE {PREVIOUS['model_signals']} AS SELECT * FROM signals WHERE detector = ?",
        [DETECTOR],
    )
    engine.execute(
        f"""CREATE TABLE {PREVIOUS["model_evidence"]} AS SELECT e.* FROM evidence e
            SEMI JOIN {PREVIOUS["model_signals"]} s USING (signal_id)"""
    )


def take_previous(engine: Engine, signature: str, last: LastModel | None) -> dict[str, Any] | None:
    """The last run's model section, with its results copied into this run's warehouse, when
    that run trained on exactly these inputs; else None (and nothing is copied)."""
    if (
        last is None
        or last.section.get("signature") != signature
        or last.section.get("status") != "ran"
        or not all(engine.table_exists(t) for t in PREVIOUS.values())
    ):
        return None
    engine.execute(f"CREATE OR REPLACE TABLE model_scores AS FROM {PREVIOUS['model_scores']}")
    engine.execute(f"CREATE OR REPLACE TABLE model_backtest AS FROM {PREVIOUS['model_backtest']}")
    engine.execute(f"INSERT INTO signals BY NAME FROM {PREVIOUS['model_signals']}")
    engine.execute(f"INSERT INTO evidence BY NAME FROM {PREVIOUS['model_evidence']}")
    return {**last.section, "taken_from": last.section.get("taken_from", last.run_id)}


def drop_previous(engine: Engine) -> None:
    for previous in PREVIOUS.values():
        engine.execute(f"DROP TABLE IF EXISTS {previous}")

"""What a task's Splink model weighed, for the run report and the run page's chart.

From the model as Splink holds it after training (`linker.misc.save_model_to_json()`): the
chance that two records taken at random match (λ), and for each comparison level its m and u
probability and its match weight, log2(m/u), the evidence that level adds for a pair."""

from __future__ import annotations

import math
from typing import Any


def model_weights(model: dict[str, Any]) -> dict[str, Any]:
    levels = []
    for comparison in model.get("comparisons", []):
        name = comparison.get("output_column_name")
        for level in comparison.get("comparison_levels", []):
            if level.get("is_null_level"):
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            weight = math.log2(m / u) if m and u else None
            levels.append(
                {
                    "comparison": name,
                    "level": level.get("label_for_charts"),
                    "m": _rounded(m),
                    "u": _rounded(u),
                    "weight": None if weight is None else round(weight, 3),
                }
            )
    return {"prior": _rounded(model.get("probability_two_random_records_match")), "levels": levels}


def _rounded(x: float | None) -> float | None:
    return None if x is None else float(f"{x:.6g}")

"""What the run report says a linkage model weighed: each level's m, u and log2(m/u)."""

from __future__ import annotations

import pytest

from probity.resolve import comparisons as cmp
from probity.resolve.parameters import model_weights


def test_each_level_but_the_null_one_is_reported_with_its_weight() -> None:
    model = {
        "probability_two_random_records_match": 0.000123456789,
        "comparisons": [cmp.surname(), cmp.initial()],
    }
    found = model_weights(model)
    assert found["prior"] == pytest.approx(0.000123457)
    levels = {(lv["comparison"], lv["level"]): lv for lv in found["levels"]}
    assert ("surname", "null") not in levels
    assert len(levels) == 4 + 2
    exact = levels[("surname", "exact")]
    assert (exact["m"], exact["u"]) == (0.86, 0.002)
    assert exact["weight"] == pytest.approx(8.748, abs=1e-3)  # log2(0.86 / 0.002)
    assert levels[("initial", "different")]["weight"] < 0


def test_a_level_without_probabilities_has_no_weight() -> None:
    comparison = cmp.initial()
    comparison["comparison_levels"][1].pop("u_probability")
    found = model_weights({"comparisons": [comparison]})
    assert found["prior"] is None
    assert found["levels"][0]["weight"] is None

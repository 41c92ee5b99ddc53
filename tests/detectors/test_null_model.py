"""The null model: tails under a fitted null, false-discovery control over everyone tested,
and one strength scale for every detector."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from probity.detectors.base import calibrated
from probity.detectors.null_model import (
    calibrate,
    count_dispersion,
    count_tail,
    one_in,
    posterior,
    share_tail,
)


def _null_counts(seed: int, people: int, phi: float) -> tuple[np.ndarray, np.ndarray]:
    """Counts of a workforce with nothing planted: exposures spanning 100×, each person's own
    rate drawn around the peer rate (gamma, variance phi), then Poisson."""
    rng = np.random.default_rng(seed)
    expected = rng.uniform(0.2, 20.0, people)
    own = rng.gamma(1 / phi, phi, people) * expected
    return rng.poisson(own).astype(float), expected


def _table(observed: np.ndarray, expected: np.ndarray) -> pa.Table:
    keys = [f"P{i}" for i in range(len(observed))]
    groups = [f"G{i % 5}" for i in range(len(observed))]
    return pa.table(
        {"person_key": keys, "peer_group": groups, "observed": observed, "expected": expected}
    )


def test_a_workforce_with_nothing_planted_is_almost_never_flagged() -> None:
    flagged = [
        calibrate(_table(*_null_counts(seed, 5_000, 0.3)), "counts", 0.05, 0.005).flagged
        for seed in range(10)
    ]
    # At a false-discovery rate of 5%, a null world raises any flag at all in about 5% of runs.
    assert sum(flagged) <= 2
    assert max(flagged) <= 0.005 * 5_000


def test_a_poisson_null_ignoring_how_people_differ_would_flag_hundreds() -> None:
    # The reason the dispersion is fitted: with it set to zero the same null world is "full of
    # misconduct".
    observed, expected = _null_counts(1, 5_000, 0.3)
    tail = count_tail(observed, expected, 0.0)
    assert (tail < 0.05 * 10 / 5_000).sum() > 100


def test_the_dispersion_is_recovered_from_the_run_s_own_data() -> None:
    observed, expected = _null_counts(2, 20_000, 0.3)
    assert 0.2 < count_dispersion(observed, expected) < 0.4


def test_planted_excess_is_found_among_a_null_workforce() -> None:
    observed, expected = _null_counts(3, 5_000, 0.3)
    planted = np.arange(0, 5_000, 250)  # 20 people at 8 times what their peers do
    observed[planted] = np.maximum(observed[planted], np.ceil(8 * expected[planted]) + 6)
    found = calibrate(_table(observed, expected), "counts", 0.05, 0.005)
    kept = set(found.table.column("person_key").to_pylist())
    assert len(kept & {f"P{i}" for i in planted}) >= 16
    assert len(kept - {f"P{i}" for i in planted}) <= 2


def test_shares_under_a_beta_binomial_null_respect_the_peers_spread() -> None:
    trials = np.array([400.0])
    # 60% of 400 where peers average 40%: improbable binomially, plausible when people differ.
    assert share_tail(np.array([240.0]), trials, np.array([0.4]), 0.0)[0] < 1e-14
    assert share_tail(np.array([240.0]), trials, np.array([0.4]), 0.1)[0] > 1e-3


@given(st.floats(1e-300, 1.0), st.floats(1e-300, 1.0), st.floats(1e-4, 0.5))
def test_a_smaller_tail_probability_is_never_a_weaker_signal(
    a: float, b: float, prior: float
) -> None:
    lo, hi = sorted((a, b))
    assert posterior(np.array([lo]), prior)[0] >= posterior(np.array([hi]), prior)[0]


@given(st.floats(1e-12, 1.0), st.floats(1e-4, 0.5))
def test_strength_is_a_probability_and_no_evidence_leaves_the_prior(p: float, prior: float) -> None:
    s = float(posterior(np.array([p]), prior)[0])
    assert 0 < s < 1
    if p >= 1 / np.e:
        assert abs(s - prior) < 1e-12


def test_a_one_in_a_million_finding_outranks_a_one_in_twenty_one() -> None:
    strong, weak = posterior(np.array([1e-6, 0.05]), 0.005)
    assert strong > 0.9 > 0.05 > weak


def test_chances_read_as_one_in_n() -> None:
    assert one_in(1 / 48_213) == "1 in 48,000"
    assert one_in(0.25) == "1 in 4"
    assert one_in(1e-15) == "1 in 10^15"


def test_one_role_s_spread_is_not_lent_to_another() -> None:
    # Analysts with large, steady counts dominate a force-wide dispersion; call handlers vary
    # far more. Fitted per peer group, the call handlers' spread is their own.
    rng = np.random.default_rng(4)
    steady = rng.poisson(60.0, 300).astype(float)
    varied_expected = rng.uniform(1, 10, 300)
    varied = rng.poisson(rng.gamma(1.0, 1.0, 300) * varied_expected).astype(float)
    observed = np.concatenate([steady, varied])
    expected = np.concatenate([np.full(300, 60.0), varied_expected])
    table = pa.table(
        {
            "person_key": [f"P{i}" for i in range(600)],
            "peer_group": ["analyst"] * 300 + ["call handler"] * 300,
            "observed": observed,
            "expected": expected,
        }
    )
    pooled = count_dispersion(observed, expected)
    assert (count_tail(varied, varied_expected, pooled) < 0.05 / 600).sum() >= 3
    assert calibrate(table, "counts", 0.05, 0.005).flagged == 0


def test_two_people_far_beyond_chance_in_one_peer_group_do_not_hide_each_other() -> None:
    # A peer group where almost nobody does this, and two who did it often; the rest of the
    # force is busy and varied. Fitted with both in it, each widens the other's null.
    rng = np.random.default_rng(6)
    busy_expected = rng.uniform(20, 80, 400)
    busy = rng.poisson(rng.gamma(2.0, 0.5, 400) * busy_expected).astype(float)
    quiet_expected = np.full(60, 0.1)
    quiet = rng.poisson(quiet_expected).astype(float)
    quiet[:2] = 11.0
    table = pa.table(
        {
            "person_key": [f"B{i}" for i in range(400)] + [f"Q{i}" for i in range(60)],
            "peer_group": ["busy"] * 400 + ["quiet"] * 60,
            "observed": np.concatenate([busy, quiet]),
            "expected": np.concatenate([busy_expected, quiet_expected]),
        }
    )
    kept = set(calibrate(table, "counts", 0.05, 0.005).table.column("person_key").to_pylist())
    assert {"Q0", "Q1"} <= kept


def _shares_table(observed: np.ndarray, trials: np.ndarray, share: np.ndarray) -> pa.Table:
    return pa.table(
        {
            "person_key": [f"P{i}" for i in range(len(observed))],
            "peer_group": ["all"] * len(observed),
            "observed": observed,
            "trials": trials,
            "expected_share": share,
        }
    )


def test_the_people_found_do_not_set_the_share_the_rest_are_held_to() -> None:
    # A tenth of claims are ordinarily bare. Twenty people made every one of their claims
    # bare, which lifts the stated share (everyone's claims pooled) above a tenth; ten more
    # made half of theirs bare. Judged against the lifted share, the ten would pass.
    rng = np.random.default_rng(8)
    trials = np.full(400, 20.0)
    observed = rng.binomial(20, 0.1, 400).astype(float)
    observed[:20] = 20.0
    observed[20:30] = 9.0
    stated = np.full(400, observed.sum() / trials.sum())
    found = calibrate(_shares_table(observed, trials, stated), "shares", 0.05, 0.005)
    kept = set(found.table.column("person_key").to_pylist())
    assert {f"P{i}" for i in range(30)} <= kept
    assert len(kept - {f"P{i}" for i in range(30)}) <= 2


def test_the_default_false_discovery_rate_leaves_a_null_world_almost_unflagged() -> None:
    fdr = next(t.default for t in calibrated(prior=0.005) if t.name == "fdr")
    flagged = [
        calibrate(_table(*_null_counts(seed, 5_000, 0.3)), "counts", fdr, 0.005).flagged
        for seed in range(10)
    ]
    assert sum(flagged) <= 4

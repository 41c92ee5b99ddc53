"""Count detectors calibrated on each run's own data, and one strength scale for all of them.

A count detector does not flag at a fixed count. For every person it tests it states what they
did (`observed`) and what chance predicts from their own volume or exposure and the rate of the
people doing the same job (`expected`: their exposure times the rest of their peer group's rate,
shrunk toward the force's, `peers.expected_events_sql`). The framework then:

1. fits how much people doing the same job differ when nothing is wrong (overdispersion), from
   this run's tested people, so that a busy role's spread is not mistaken for misconduct;
2. takes each person's upper tail probability under that null (SciPy: a gamma-Poisson, i.e.
   negative binomial, for counts against an exposure; a beta-binomial for a share of trials);
3. keeps the people whose Benjamini–Hochberg adjusted p-value over everyone tested is at most
   the detector's false-discovery rate (`fdr`), so the number flagged follows the excess over
   chance, not the background volume;
4. turns the tail probability into the common strength: the posterior probability of a true
   concern from the detector's `prior` and the largest Bayes factor the p-value allows,
   1 / (-e·p·ln p) (Sellke, Bayarri and Berger, 2001). The same p gives the same strength
   whichever detector made it, and a smaller p always gives a larger one.

Rule breaches that are findings by definition (overtime claimed on a sick day) are not
calibrated here; they keep the severity their detector grades them with.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pyarrow as pa
from scipy import stats

from probity.detectors.carry import Params

# The share of each dispersion estimate's largest contributions that is capped: the few people
# a detector exists to find must not widen the null enough to hide themselves.
WINSOR_SHARE = 0.01
MAX_STRENGTH = 1.0 - 1e-9


@dataclass(frozen=True)
class NullModel:
    """How a count detector states each tested person's count and what chance predicts.

    `tested_sql` selects one row per person tested (people whose peer group is too small to
    compare are left out), may read `_evidence`, and has the columns:
    - kind "counts": person_key, observed, expected (events expected at the peer rate);
    - kind "shares": person_key, observed, trials, expected_share (the peers' share).
    """

    tested_sql: Callable[[Params], str]
    kind: Literal["counts", "shares"] = "counts"

    @property
    def chance(self) -> str:
        """How the reason names the tail probability."""
        rate = "rate" if self.kind == "counts" else "share"
        return f"the chance of so many at the peers' {rate}"


def _winsorised_sum(values: np.ndarray) -> float:
    if len(values) == 0:
        return 0.0
    cap = float(np.quantile(values, 1.0 - WINSOR_SHARE))
    return float(np.minimum(values, cap).sum())


def count_dispersion(observed: np.ndarray, expected: np.ndarray) -> float:
    """φ in Var(X) = E + φ·E² (method of moments over the tested people, winsorised)."""
    excess = (observed - expected) ** 2 - expected
    scale = float((expected**2).sum())
    if scale <= 0:
        return 0.0
    return max(0.0, _winsorised_sum(excess) / scale)


def count_tail(observed: np.ndarray, expected: np.ndarray, phi: float) -> np.ndarray:
    """P(X ≥ observed) with X gamma-Poisson of mean `expected` and dispersion `phi` (Poisson
    when phi is 0); 1 where nothing was observed."""
    x = np.asarray(observed, dtype=float)
    mu = np.maximum(np.asarray(expected, dtype=float), 1e-12)
    if phi <= 1e-9:
        p = stats.poisson.sf(x - 1, mu)
    else:
        size = 1.0 / phi
        p = stats.nbinom.sf(x - 1, size, size / (size + mu))
    return np.where(x <= 0, 1.0, np.clip(p, 0.0, 1.0))


def share_dispersion(observed: np.ndarray, trials: np.ndarray, share: np.ndarray) -> float:
    """ρ in Var(X) = n·p·(1-p)·(1 + (n-1)·ρ) (method of moments, winsorised), below 1."""
    base = trials * share * (1 - share)
    excess = (observed - trials * share) ** 2 - base
    scale = float((base * (trials - 1)).sum())
    if scale <= 0:
        return 0.0
    return min(0.999, max(0.0, _winsorised_sum(excess) / scale))


def share_tail(
    observed: np.ndarray, trials: np.ndarray, share: np.ndarray, rho: float
) -> np.ndarray:
    """P(X ≥ observed) with X beta-binomial over `trials` with mean share `share` and
    intra-person correlation `rho` (binomial when rho is 0)."""
    x = np.asarray(observed, dtype=float)
    n = np.asarray(trials, dtype=np.int64)
    p = np.clip(np.asarray(share, dtype=float), 1e-12, 1 - 1e-12)
    if rho <= 1e-9:
        tail = stats.binom.sf(x - 1, n, p)
    else:
        a, b = p * (1 - rho) / rho, (1 - p) * (1 - rho) / rho
        tail = stats.betabinom.sf(x - 1, n, a, b)
    return np.where(x <= 0, 1.0, np.clip(tail, 0.0, 1.0))


def bayes_factor_bound(p: np.ndarray) -> np.ndarray:
    """The largest Bayes factor against the null a p-value allows: 1/(-e·p·ln p) below 1/e."""
    p = np.clip(np.asarray(p, dtype=float), 1e-300, 1.0)
    with np.errstate(divide="ignore"):
        bound = 1.0 / (-math.e * p * np.log(p))
    return np.where(p < 1 / math.e, bound, 1.0)


def posterior(p: np.ndarray, prior: float) -> np.ndarray:
    """The common strength: posterior probability of a true concern, from the prior and the
    Bayes-factor bound of the tail probability."""
    odds = prior / (1 - prior) * bayes_factor_bound(p)
    return np.minimum(odds / (1 + odds), MAX_STRENGTH)


@dataclass(frozen=True)
class Calibration:
    """What one detector's null model found on one run."""

    tested: int
    dispersion: float
    flagged: int
    table: pa.Table  # person_key, p_value, q_value, strength: the people kept


def _numbers(table: pa.Table, column: str) -> np.ndarray:
    return np.asarray(table.column(column).to_numpy(zero_copy_only=False), dtype=float)


def calibrate(tested: pa.Table, kind: str, fdr: float, prior: float) -> Calibration:
    """Tail probabilities, Benjamini–Hochberg over everyone tested, and strengths of those kept."""
    keys = tested.column("person_key").to_pylist()
    observed = _numbers(tested, "observed")
    if not keys:
        empty = pa.table(
            {
                "person_key": pa.array([], pa.string()),
                "p_value": pa.array([], pa.float64()),
                "q_value": pa.array([], pa.float64()),
                "strength": pa.array([], pa.float64()),
            }
        )
        return Calibration(0, 0.0, 0, empty)
    if kind == "counts":
        expected = _numbers(tested, "expected")
        dispersion = count_dispersion(observed, expected)
        p = count_tail(observed, expected, dispersion)
    else:
        trials, share = _numbers(tested, "trials"), _numbers(tested, "expected_share")
        dispersion = share_dispersion(observed, trials, share)
        p = share_tail(observed, trials, share, dispersion)
    q = stats.false_discovery_control(p, method="bh")
    keep = q <= fdr
    table = pa.table(
        {
            "person_key": pa.array([k for k, kept in zip(keys, keep, strict=True) if kept]),
            "p_value": pa.array(p[keep], pa.float64()),
            "q_value": pa.array(q[keep], pa.float64()),
            "strength": pa.array(posterior(p[keep], prior), pa.float64()),
        }
    )
    return Calibration(len(keys), round(dispersion, 6), int(keep.sum()), table)


def one_in(p: float) -> str:
    """'1 in 48,000' for a tail probability, rounded to two significant figures."""
    if p <= 0:
        return "less than 1 in 10^300"
    n = 1.0 / p
    if n >= 1e12:
        return f"1 in 10^{math.floor(math.log10(n))}"
    digits = max(0, math.floor(math.log10(n)) - 1)
    return f"1 in {round(n, -digits):,.0f}"

"""Count detectors calibrated on each run's own data, and one strength scale for all of them.

A count detector does not flag at a fixed count. For every person it tests it states what they
did (`observed`) and what chance predicts from their own volume or exposure and the rate of the
people doing the same job (`expected`: their exposure times the rest of their peer group's rate,
shrunk toward the force's, `peers.expected_events_sql`). The framework then:

1. checks the detector's expectation against this run's counts: a count may grow faster than
   the exposure it is stated against (returning to a record grows with the square of the
   look-ups made, not in proportion), so the expectation is recalibrated as c·expected^b, with
   c and b fitted by Poisson regression over everyone tested (b = 1 and c = 1 when the
   detector's expectation is right); a share is rescaled by what the people not found (step 2)
   bore over what it predicted for them (`rescaled`), since the people found are in the
   share everyone else is held to;
2. fits how much people doing the same job differ when nothing is wrong (overdispersion), by
   the method of moments over this run's tested people, per peer group (shrunk toward the
   force's figure with a prior worth `GROUP_PRIOR` people), so that a busy role's spread is not
   mistaken for misconduct and one role's spread is not lent to another; each person's is
   fitted without them (as their peer rate is), the largest `WINSOR_SHARE` of the
   contributions are capped (`capped`), and it is fitted again without the people found
   until they do not change, so that the few people a detector exists to find do not widen the null enough to
   hide themselves or each other (a world with nothing to find is fitted on all its people);
3. takes each person's upper tail probability under that null (SciPy: a gamma-Poisson, i.e.
   negative binomial, for counts against an exposure; a beta-binomial for a share of trials);
4. keeps the people whose Benjamini–Hochberg adjusted p-value over everyone tested is at most
   the detector's false-discovery rate (`fdr`), so the number flagged follows the excess over
   chance, not the background volume;
5. turns the tail probability into the common strength: the posterior probability of a true
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
from sklearn.linear_model import PoissonRegressor

from probity.detectors.carry import Params

MAX_STRENGTH = 1.0 - 1e-9
MAX_RHO = 0.999
# The share of the largest contributions to a dispersion estimate that is capped, and how often
# it is fitted again without the people found.
WINSOR_SHARE = 0.01
MAX_REFITS = 10
# The weight, in people, of the force's dispersion in a peer group's.
GROUP_PRIOR = 10
# How much faster (or slower) than its stated exposure a count may be found to grow.
ELASTICITY = (0.5, 3.0)


@dataclass(frozen=True)
class NullModel:
    """How a count detector states each tested person's count and what chance predicts.

    `tested_sql` selects one row per person tested (people whose peer group is too small to
    compare are left out), may read `_evidence`, and has the columns:
    - kind "counts": person_key, peer_group, observed, expected (events expected at the peer
      rate);
    - kind "shares": person_key, peer_group, observed, trials, expected_share (the peers' share).
    """

    tested_sql: Callable[[Params], str]
    kind: Literal["counts", "shares"] = "counts"

    @property
    def chance(self) -> str:
        """How the reason names the tail probability."""
        # No apostrophe: reasons are compared with pages and exports as written.
        rate = "rate" if self.kind == "counts" else "share"
        return f"the chance of so many at the {rate} of peers"


def recalibrated(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """c·expected^b with c and b fitted by Poisson regression of the counts on log expected;
    the expectation unchanged when nothing was observed or b would leave [ELASTICITY]."""
    if len(observed) < 2 or observed.sum() == 0 or np.ptp(np.log(expected)) == 0:
        return expected
    x = np.log(expected)[:, None]
    fit = PoissonRegressor(alpha=0.0, max_iter=300).fit(x, observed)
    b = float(fit.coef_[0])
    if not ELASTICITY[0] <= b <= ELASTICITY[1]:
        return expected
    return np.asarray(fit.predict(x), dtype=float)


def rescaled(
    observed: np.ndarray, trials: np.ndarray, share: np.ndarray, kept: np.ndarray
) -> np.ndarray:
    """The stated shares times what the `kept` people's trials bore over what the shares
    predicted for them: close to 1 on the first fit, where the stated shares are everyone
    else's, and less once the people found (whose trials went into everyone else's shares) are
    left out."""
    predicted = float((trials * share)[kept].sum())
    if predicted <= 0:
        return share
    return np.clip(share * float(observed[kept].sum()) / predicted, 1e-6, MAX_RHO)


def _count_moments(observed: np.ndarray, expected: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each person's part of the moment estimate of φ in Var(X) = E + φ·E²."""
    return (observed - expected) ** 2 - expected, expected**2


def count_dispersion(observed: np.ndarray, expected: np.ndarray) -> float:
    """φ in Var(X) = E + φ·E², by the method of moments over everyone given."""
    excess, scale = _count_moments(observed, expected)
    return max(0.0, float(excess.sum()) / float(scale.sum())) if scale.sum() > 0 else 0.0


def count_tail(observed: np.ndarray, expected: np.ndarray, phi: float | np.ndarray) -> np.ndarray:
    """P(X ≥ observed) with X gamma-Poisson of mean `expected` and dispersion `phi` (Poisson
    where phi is 0); 1 where nothing was observed."""
    x = np.asarray(observed, dtype=float)
    mu = np.maximum(np.asarray(expected, dtype=float), 1e-12)
    phi = np.broadcast_to(np.asarray(phi, dtype=float), x.shape)
    size = 1.0 / np.maximum(phi, 1e-9)
    p = np.where(
        phi <= 1e-9, stats.poisson.sf(x - 1, mu), stats.nbinom.sf(x - 1, size, size / (size + mu))
    )
    return np.where(x <= 0, 1.0, np.clip(p, 0.0, 1.0))


def _share_moments(
    observed: np.ndarray, trials: np.ndarray, share: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each person's part of the moment estimate of ρ in Var(X) = n·p·(1-p)·(1 + (n-1)·ρ)."""
    base = trials * share * (1 - share)
    return (observed - trials * share) ** 2 - base, base * (trials - 1)


def share_tail(
    observed: np.ndarray, trials: np.ndarray, share: np.ndarray, rho: float | np.ndarray
) -> np.ndarray:
    """P(X ≥ observed) with X beta-binomial over `trials` with mean share `share` and
    intra-person correlation `rho` (binomial where rho is 0)."""
    x = np.asarray(observed, dtype=float)
    n = np.asarray(trials, dtype=np.int64)
    p = np.clip(np.asarray(share, dtype=float), 1e-12, 1 - 1e-12)
    rho = np.broadcast_to(np.asarray(rho, dtype=float), x.shape)
    r = np.clip(rho, 1e-9, MAX_RHO)
    a, b = p * (1 - r) / r, (1 - p) * (1 - r) / r
    tail = np.where(rho <= 1e-9, stats.binom.sf(x - 1, n, p), stats.betabinom.sf(x - 1, n, a, b))
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
    dispersion: float  # the median person's
    flagged: int
    table: pa.Table  # person_key, p_value, q_value, strength: the people kept


def capped(excess: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """The most each person's part may add: the force's top `WINSOR_SHARE` quantile of the
    parts, and of people's own estimates (excess / scale, which a person with a small
    expectation makes huge with a few events) times their scale, whichever is lower. The
    second keeps a quiet peer group's few people far beyond chance from widening each other's
    null when a busy role sets the first."""
    with np.errstate(divide="ignore", invalid="ignore"):
        own = np.where(scale > 0, excess / scale, 0.0)
    top = 1 - WINSOR_SHARE
    return np.minimum(np.quantile(excess, top), np.quantile(own, top) * scale)


def leave_one_out(
    excess: np.ndarray, scale: np.ndarray, groups: np.ndarray, upper: float, kept: np.ndarray
) -> np.ndarray:
    """Each person's dispersion from the moment parts of the `kept` people but their own:
    their peer group's, shrunk toward the force's with a prior worth `GROUP_PRIOR` people,
    within [0, upper]."""

    def ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.clip(np.where(den > 0, num / den, 0.0), 0.0, upper)

    excess, scale = np.where(kept, excess, 0.0), np.where(kept, scale, 0.0)
    pooled = ratio(excess.sum() - excess, scale.sum() - scale)
    codes, inverse = np.unique(groups, return_inverse=True)
    group_excess = np.bincount(inverse, excess, len(codes))[inverse] - excess
    group_scale = np.bincount(inverse, scale, len(codes))[inverse] - scale
    others = np.bincount(inverse, kept.astype(float), len(codes))[inverse] - kept
    own = ratio(group_excess, group_scale)
    return (others * own + GROUP_PRIOR * pooled) / (others + GROUP_PRIOR)


# A null model fitted on the people kept: their tail function (of each person's dispersion) and
# each person's part of the dispersion's moment estimate.
Fit = tuple[Callable[[np.ndarray], np.ndarray], np.ndarray, np.ndarray]


def robust_tails(
    fit: Callable[[np.ndarray], Fit], groups: np.ndarray, upper: float, fdr: float
) -> tuple[np.ndarray, np.ndarray]:
    """Tail probabilities, and each person's dispersion, from the null model `fit` on everyone,
    then again without the people found until those found do not change (at most
    `MAX_REFITS` fits): the spread, and a share's level, are not fitted on them. The largest
    moment parts are capped against everyone's (`capped`)."""
    found = np.zeros(len(groups), dtype=bool)
    for _ in range(MAX_REFITS):
        tail, excess, scale = fit(~found)
        excess = np.minimum(excess, capped(excess, scale))
        dispersion = leave_one_out(excess, scale, groups, upper, ~found)
        p = tail(dispersion)
        now = stats.false_discovery_control(p, method="bh") <= fdr
        if (now == found).all():
            break
        found = now
    return p, dispersion


def _numbers(table: pa.Table, column: str) -> np.ndarray:
    return np.asarray(table.column(column).to_numpy(zero_copy_only=False), dtype=float)


def calibrate(tested: pa.Table, kind: str, fdr: float, prior: float) -> Calibration:
    """Tail probabilities, Benjamini–Hochberg over everyone tested, and strengths of those kept.

    The same people give the same figures whatever order the engine returned them in: sorted,
    and rounded below the noise of summing in another order."""
    tested = tested.sort_by("person_key")
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
    groups = np.asarray(tested.column("peer_group").to_pylist(), dtype=object)
    if kind == "counts":
        expected = recalibrated(observed, np.maximum(_numbers(tested, "expected"), 1e-12))

        def counts(kept: np.ndarray) -> Fit:
            return (
                lambda phi: count_tail(observed, expected, phi),
                *_count_moments(observed, expected),
            )

        p, dispersion = robust_tails(counts, groups, math.inf, fdr)
    else:
        trials, stated_share = _numbers(tested, "trials"), _numbers(tested, "expected_share")

        def shares(kept: np.ndarray) -> Fit:
            share = rescaled(observed, trials, stated_share, kept)
            return (
                lambda rho: share_tail(observed, trials, share, rho),
                *_share_moments(observed, trials, share),
            )

        p, dispersion = robust_tails(shares, groups, MAX_RHO, fdr)
    q = stats.false_discovery_control(p, method="bh")
    keep = q <= fdr
    table = pa.table(
        {
            "person_key": pa.array([k for k, kept in zip(keys, keep, strict=True) if kept]),
            "p_value": pa.array(p[keep], pa.float64()),
            "q_value": pa.array(q[keep], pa.float64()),
            "strength": pa.array(np.round(posterior(p[keep], prior), 9), pa.float64()),
        }
    )
    return Calibration(len(keys), round(float(np.median(dispersion)), 6), int(keep.sum()), table)


def one_in(p: float) -> str:
    """'1 in 48,000' for a tail probability, rounded to two significant figures."""
    if p <= 0:
        return "less than 1 in 10^300"
    n = 1.0 / p
    if n >= 1e12:
        return f"1 in 10^{math.floor(math.log10(n))}"
    digits = max(0, math.floor(math.log10(n)) - 1)
    return f"1 in {round(n, -digits):,.0f}"

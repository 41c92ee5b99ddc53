"""Use of police powers: stop and search, use of force."""

from __future__ import annotations

from typing import Any

import numpy as np

from probity.synth.activity import (
    SEARCH_OUTCOME_P,
    SEARCH_OUTCOMES,
    SUBJECT_ETHNICITY,
    SUBJECT_ETHNICITY_P,
    TACTIC_P,
    TACTICS,
)
from probity.synth.duty import WORKING
from probity.synth.world import World

# Searches per officer-year by unit kind.
SEARCH_RATE = {"response": 15.0, "neighbourhood": 8.0, "public_order": 40.0}


def stop_search_rows(world: World, rate_multiplier: np.ndarray) -> dict[str, Any]:
    rng = world.rng
    kind = world.units.kind[world.people.unit]
    officer = world.people.staff_type == "officer"
    rate = np.array([SEARCH_RATE.get(str(k), 0.0) for k in kind]) * officer * rate_multiplier
    counts = rng.poisson(rate * world.days / 365)
    person = np.repeat(np.arange(world.n), counts)
    day = rng.integers(0, world.days, len(person))
    keep = np.isin(world.duty[person, day], WORKING)
    person, day = person[keep], day[keep]
    n = len(person)
    time = (world.day0 + day.astype("timedelta64[D]")).astype("datetime64[m]") + rng.integers(
        0, 1440, n
    ).astype("timedelta64[m]")
    outcome = rng.choice(SEARCH_OUTCOMES, n, p=SEARCH_OUTCOME_P)
    ethnicity = rng.choice(SUBJECT_ETHNICITY, n, p=SUBJECT_ETHNICITY_P)
    for officer_index, (positive, black) in world.search_profile.items():
        mine = np.flatnonzero(person == officer_index)
        found = rng.random(len(mine)) < positive
        outcome[mine] = np.where(
            found,
            rng.choice(SEARCH_OUTCOMES[1:], len(mine), p=_renormal(SEARCH_OUTCOME_P[1:])),
            "nfa",
        )
        ethnicity[mine] = np.where(rng.random(len(mine)) < black, "Black", ethnicity[mine])
    return {
        "person": person,
        "event_time": time,
        "subject_ethnicity": ethnicity,
        "subject_age_band": rng.choice(
            ["10-17", "18-24", "25-34", "over 34"], n, p=[0.15, 0.4, 0.28, 0.17]
        ),
        "legislation": rng.choice(
            ["PACE_s1", "MDA_s23", "CJPOA_s60", "other"], n, p=[0.35, 0.6, 0.02, 0.03]
        ),
        "object_of_search": rng.choice(
            ["drugs", "weapons", "stolen property", "going equipped"], n, p=[0.6, 0.2, 0.15, 0.05]
        ),
        "outcome": outcome,
        "postcode": rng.choice(world.subjects.postcode, n),
    }


def _renormal(p: np.ndarray) -> np.ndarray:
    return p / p.sum()


def use_of_force_rows(world: World, rate_multiplier: np.ndarray) -> dict[str, Any]:
    rng = world.rng
    inc = world.incidents
    p = 0.03 * rate_multiplier[inc.att_person]
    take = rng.random(len(inc.att_person)) < p
    person = inc.att_person[take]
    n = len(person)
    return {
        "person": person,
        "event_time": inc.att_arrived[take] + rng.integers(1, 30, n).astype("timedelta64[m]"),
        "incident": inc.att_incident[take],
        "subject_ethnicity": rng.choice(SUBJECT_ETHNICITY, n, p=SUBJECT_ETHNICITY_P),
        "tactic": rng.choice(TACTICS, n, p=TACTIC_P),
        "subject_injured": rng.random(n) < 0.08,
        "officer_injured": rng.random(n) < 0.05,
    }

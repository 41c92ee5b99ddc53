"""Routine overtime and expense claims: late turn-outs after shifts, events on rest days."""

from __future__ import annotations

from typing import Any

import numpy as np

from probity.synth.duty import CODE, SHIFT_HOURS, SHIFT_START_H, WORKING
from probity.synth.world import World

OPERATIONS = np.array(
    ["OP-KESTREL", "OP-HARBOUR", "OP-LANTERN", "OP-MERIDIAN", "OP-TRIDENT", "OP-SAFEGUARD"]
)
EXPENSE_CATEGORIES = np.array(["travel", "subsistence", "accommodation", "equipment", "other"])
EXPENSE_P = np.array([0.45, 0.3, 0.08, 0.1, 0.07])
HOURLY_RATE = 32.5


def overtime_rows(world: World) -> dict[str, Any]:
    rng = world.rng
    duty = world.duty
    officer = np.isin(world.people.staff_type, ["officer", "pcso"])
    claimer = officer & (rng.random(world.n) < 0.6)
    working = np.isin(duty, WORKING) & claimer[:, None]
    rest = (duty == CODE["rest_day"]) & claimer[:, None]
    roll = rng.random(duty.shape, dtype=np.float32)
    late_p, late_d = np.nonzero(working & (roll < 0.06))
    rest_p, rest_d = np.nonzero(rest & (roll < 0.025))
    code = duty[late_p, late_d]
    late_start = (world.day0 + late_d.astype("timedelta64[D]")).astype("datetime64[m]") + (
        (SHIFT_START_H[code] + SHIFT_HOURS[code]) * 60
    ).astype("timedelta64[m]")
    late_hours = rng.choice([1.0, 1.5, 2.0, 2.5, 3.0], len(late_p))
    rest_start = (world.day0 + rest_d.astype("timedelta64[D]")).astype(
        "datetime64[m]"
    ) + np.timedelta64(8 * 60, "m")
    rest_hours = rng.choice([8.0, 9.0, 10.0], len(rest_p))
    person = np.concatenate([late_p, rest_p])
    day = np.concatenate([late_d, rest_d])
    start = np.concatenate([late_start, rest_start])
    hours = np.concatenate([late_hours, rest_hours])
    n_rest = len(rest_p)
    reason = np.concatenate(
        [
            np.full(len(late_p), "late_turn_out"),
            rng.choice(["event", "operation", "cover", "court"], n_rest),
        ]
    )
    op = np.full(len(reason), None, dtype=object)
    with_op = np.isin(reason, ["event", "operation"])
    op[with_op] = rng.choice(OPERATIONS, int(with_op.sum()))
    work_date = world.day0 + day.astype("timedelta64[D]")
    return {
        "person": person,
        "work_date": work_date,
        "start_time": start,
        "end_time": start + (hours * 60).astype("timedelta64[m]"),
        "hours": hours,
        "reason_code": reason,
        "operation_ref": op,
        "submitted_date": work_date + rng.integers(1, 21, len(person)).astype("timedelta64[D]"),
    }


def expense_rows(world: World) -> dict[str, Any]:
    rng = world.rng
    counts = rng.poisson(3 * world.days / 365, world.n)
    person = np.repeat(np.arange(world.n), counts)
    day = rng.integers(0, world.days, len(person))
    keep = world.employed[person, day]
    person, day = person[keep], day[keep]
    category = rng.choice(EXPENSE_CATEGORIES, len(person), p=EXPENSE_P)
    amount = np.round(rng.lognormal(3.2, 0.8, len(person)), 2)
    return {
        "person": person,
        "claim_date": world.day0 + day.astype("timedelta64[D]"),
        "category": category,
        "amount_gbp": amount,
        "description": np.char.add(category.astype(str), " claim"),
    }


def overtime_badges(world: World, ot: dict[str, Any]) -> dict[str, np.ndarray]:
    """Badge swipes that corroborate routine overtime: in before a rest-day claim starts, out
    after any claim ends. About one claim in ten has none (a forgotten card, a site without
    readers), so a single uncorroborated claim means little."""
    rng = world.rng
    swiped = rng.random(len(ot["person"])) < 0.9
    person = ot["person"][swiped].astype(np.int64)
    start = ot["start_time"][swiped].astype("datetime64[s]")
    end = ot["end_time"][swiped].astype("datetime64[s]")
    arrive = ot["reason_code"][swiped] != "late_turn_out"  # late turn-outs start on shift
    n = len(person)
    t_in = start[arrive] - rng.integers(5, 20, int(arrive.sum())).astype("timedelta64[m]")
    t_out = end + rng.integers(0, 20, n).astype("timedelta64[m]")
    return {
        "person": np.concatenate([person[arrive], person]),
        "event_time": np.concatenate([t_in, t_out]),
        "direction": np.concatenate([np.zeros(len(t_in), np.int64), np.ones(n, np.int64)]),
    }

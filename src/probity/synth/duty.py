"""Rosters, absences, overtime, expenses and badge records, generated as whole arrays.

The roster is held as a people × days matrix of duty codes (int8), which is small even for
45,000 people over three years, and turned into rows only when written.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from probity.contract.tables import DUTY_TYPES

CODE = {name: i for i, name in enumerate(DUTY_TYPES)}
NO_ROW = -1
WORKING = np.array([CODE[c] for c in ("early", "late", "night", "day", "training", "court")])
# Shift start hour and length in hours, by duty code; rest, leave and sickness have none.
SHIFT_START_H = np.array([7, 15, 22, 8, -1, -1, -1, 9, 9, 9])
SHIFT_HOURS = np.array([8, 8, 9, 8, 0, 0, 0, 8, 8, 8])

_E, _L, _N, _D, _R = CODE["early"], CODE["late"], CODE["night"], CODE["day"], CODE["rest_day"]
ROTATING = np.array([_E, _E, _L, _L, _N, _N, _R, _R, _R, _R], dtype=np.int8)
NEIGHBOURHOOD = np.array([_E, _E, _L, _L, _R, _R, _E, _L, _L, _D, _R, _R, _R, _R], dtype=np.int8)
SICKNESS_REASONS = np.array(
    [
        "musculoskeletal",
        "mental_health",
        "respiratory",
        "gastrointestinal",
        "injury_on_duty",
        "other",
    ]
)
SICKNESS_REASON_P = np.array([0.22, 0.26, 0.2, 0.14, 0.06, 0.12])


@dataclass
class Spell:
    person: int
    kind: str
    first_day: int
    last_day: int
    reason: str | None = None


def roster_matrix(
    rng: np.random.Generator,
    unit_kind: np.ndarray,
    role: np.ndarray,
    staff_type: np.ndarray,
    employed: np.ndarray,
    start_weekday: int,
) -> tuple[np.ndarray, list[Spell]]:
    """Duty codes for every person and day, and the absence spells written into them."""
    n, days = int(employed.shape[0]), int(employed.shape[1])
    duty = np.empty((n, days), dtype=np.int8)
    day_idx = np.arange(days)
    rotating = np.isin(unit_kind, ["response", "public_order", "custody"]) | (
        role == "Call handler"
    )
    neighbourhood = unit_kind == "neighbourhood"
    office = ~(rotating | neighbourhood)
    offset = rng.integers(0, 14, size=n)
    for mask, cycle in ((rotating, ROTATING), (neighbourhood, NEIGHBOURHOOD)):
        idx = np.flatnonzero(mask)
        duty[idx] = cycle[(day_idx[None, :] + offset[idx, None]) % len(cycle)]
    weekday = (day_idx + start_weekday) % 7
    duty[np.flatnonzero(office)] = np.where(weekday < 5, _D, _R).astype(np.int8)[None, :]
    specials = np.flatnonzero(staff_type == "special")
    duty[specials] = np.where(rng.random((len(specials), days)) < 0.12, _L, _R)

    working = np.isin(duty, WORKING)
    roll = rng.random((n, days), dtype=np.float32)
    duty[working & (roll < 0.012)] = CODE["training"]
    officer = (staff_type == "officer")[:, None]
    duty[working & officer & (roll > 0.994)] = CODE["court"]

    spells: list[Spell] = []
    years = days / 365
    # Annual leave: about five blocks a year.
    for p in range(n):
        for _ in range(rng.poisson(5 * years)):
            first = int(rng.integers(0, days))
            last = min(days - 1, first + int(rng.integers(3, 10)))
            spells.append(Spell(p, "annual_leave", first, last))
    # Sickness: spells with a frailty per person, so a few people carry much of it (~4% of days).
    frailty = rng.gamma(1.2, 1 / 1.2, size=n)
    for person in range(n):
        for _ in range(rng.poisson(1.75 * years * frailty[person])):
            first = int(rng.integers(0, days))
            length = int(rng.integers(1, 6)) if rng.random() < 0.8 else int(rng.integers(10, 60))
            last = min(days - 1, first + length - 1)
            reason = str(rng.choice(SICKNESS_REASONS, p=SICKNESS_REASON_P))
            spells.append(Spell(person, "sickness", first, last, reason))
    for s in spells:
        code = CODE["annual_leave"] if s.kind == "annual_leave" else CODE["sick"]
        duty[s.person, s.first_day : s.last_day + 1] = code
    duty[~employed] = NO_ROW
    kept = [s for s in spells if employed[s.person, s.first_day]]
    return duty, kept


def shift_times(duty: np.ndarray, day0: np.datetime64) -> tuple[np.ndarray, np.ndarray]:
    """Shift start and end (datetime64[m], NaT when not working) for a block of the matrix."""
    days = np.arange(duty.shape[1]).astype("timedelta64[D]")
    base = (day0 + days).astype("datetime64[m]")[None, :]
    code = np.where(duty < 0, CODE["rest_day"], duty)
    start_h = SHIFT_START_H[code]
    hours = SHIFT_HOURS[code]
    start = base + (start_h * 60).astype("timedelta64[m]")
    end = start + (hours * 60).astype("timedelta64[m]")
    off = start_h < 0
    start[off] = np.datetime64("NaT")
    end[off] = np.datetime64("NaT")
    return start, end

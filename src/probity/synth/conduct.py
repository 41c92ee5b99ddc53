"""Complaints and conduct cases, in proportion to exposure, with the historic bias of the record.

Historic allegations are not a fair measure of conduct: the Casey Review found Black officers
and staff 81% more likely than White colleagues to receive a misconduct allegation, Asian 55%
and Mixed 41%. The generator reproduces that bias so the product can be shown not to pass
it on.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from probity.contract.tables import ALLEGATIONS, vocabulary
from probity.synth.duty import WORKING
from probity.synth.names import typo
from probity.synth.world import World

ALLEGATION_BIAS = {"Black": 1.81, "Asian": 1.55, "Mixed": 1.41}
ALLEGATION_P = np.array([0.2, 0.08, 0.01, 0.04, 0.35, 0.2, 0.01, 0.02, 0.09])
COMPLAINT_OUTCOMES = np.array(vocabulary("complaints", "outcome", leave_out=("pending",)))
COMPLAINT_OUTCOME_P = np.array([0.1, 0.55, 0.12, 0.23])
CONDUCT_OUTCOMES = np.array(vocabulary("conduct_cases", "outcome", leave_out=("pending",)))
CONDUCT_OUTCOME_P = np.array([0.55, 0.2, 0.12, 0.06, 0.03, 0.02, 0.02])


def exposure(world: World, searches: np.ndarray, force: np.ndarray) -> np.ndarray:
    """Public contact per person: incidents attended, searches and uses of force."""
    attended = np.bincount(world.incidents.att_person, minlength=world.n)
    return (
        attended
        + 2 * np.bincount(searches, minlength=world.n)
        + 3 * np.bincount(force, minlength=world.n)
    )


def allegation_bias(world: World) -> np.ndarray:
    return np.array([ALLEGATION_BIAS.get(str(e), 1.0) for e in world.people.ethnicity])


def name_as_recorded(world: World, person: int) -> str:
    """How a complainant describes an officer: rank, initial and a surname as heard."""
    rng = world.rng
    p = world.people
    surname = str(p.surname[person])
    if rng.random() < 0.15:
        surname = typo(rng, surname)
    initial = str(p.forenames[person])[0]
    roll = rng.random()
    if roll < 0.6:
        return f"{p.rank[person]} {initial} {surname}"
    if roll < 0.85:
        return f"{str(p.forenames[person]).split()[0]} {surname}"
    return f"Officer {surname}"


def complaint_row(
    world: World, person: int, day: int, category: str, complainant: str = "public"
) -> dict[str, Any]:
    rng = world.rng
    p = world.people
    # What is complained of happens on duty: the nearest day the person worked.
    worked = np.flatnonzero(np.isin(world.duty[person], WORKING))
    if len(worked):
        day = int(worked[np.argmin(np.abs(worked - day))])
    incident_date = world.date(day)
    received = incident_date + np.timedelta64(int(rng.integers(0, 60)), "D")
    closed = received + np.timedelta64(int(rng.integers(30, 400)), "D")
    end = world.date(world.days - 1)
    pending = closed > end
    warrant = p.warrant_number[person]
    roll = rng.random()
    if warrant is None or roll < 0.4:
        recorded_warrant = None
    elif roll < 0.95:
        recorded_warrant = warrant
    else:
        recorded_warrant = str(int(rng.integers(100000, 999999)))  # misheard or mistyped
    unit = world.units
    u = int(p.unit[person])
    return {
        "received_date": received,
        "incident_date": incident_date,
        "subject_warrant_number": recorded_warrant,
        "subject_name_as_recorded": name_as_recorded(world, person),
        "subject_unit_as_recorded": str(unit.name[u])
        if rng.random() < 0.7
        else str(unit.command[u]),
        "allegation_category": category,
        "complainant_type": complainant,
        "outcome": "pending"
        if pending
        else str(rng.choice(COMPLAINT_OUTCOMES, p=COMPLAINT_OUTCOME_P)),
        "closed_date": None if pending else closed,
        "_person": person,
    }


def routine_complaints(
    world: World, exposure_counts: np.ndarray, multiplier: np.ndarray
) -> list[dict[str, Any]]:
    rng = world.rng
    # About 0.3 public complaints per public-facing officer-year, by exposure.
    mean_exposure = max(1.0, float(exposure_counts[exposure_counts > 0].mean()))
    rate = (
        0.3
        * exposure_counts
        / mean_exposure
        * world.days
        / 365
        * allegation_bias(world)
        * multiplier
    )
    counts = rng.poisson(rate)
    rows = []
    for person in np.flatnonzero(counts):
        serving = np.flatnonzero(world.employed[person])
        for day in rng.choice(serving, counts[person]):
            rows.append(
                complaint_row(
                    world, int(person), int(day), str(rng.choice(ALLEGATIONS, p=ALLEGATION_P))
                )
            )
    return rows


def conduct_case_row(
    world: World,
    person: int,
    opened: np.datetime64,
    category: str,
    origin: str,
    complaint_id: str | None,
) -> dict[str, Any]:
    rng = world.rng
    closed = opened + np.timedelta64(int(rng.integers(60, 700)), "D")
    pending = closed > world.date(world.days - 1)
    outcome = "pending" if pending else str(rng.choice(CONDUCT_OUTCOMES, p=CONDUCT_OUTCOME_P))
    return {
        "_person": person,
        "opened_date": opened,
        "closed_date": None if pending else closed,
        "allegation_category": category,
        "origin": origin,
        "severity": "gross_misconduct" if rng.random() < 0.2 else "misconduct",
        "outcome": outcome,
        "suspended": bool(rng.random() < 0.05),
        "linked_complaint_id": complaint_id,
    }


def routine_conduct_cases(world: World, complaints: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rng = world.rng
    rows = []
    for c in complaints:
        if rng.random() < 0.12:
            rows.append(
                conduct_case_row(
                    world,
                    c["_person"],
                    c["received_date"] + np.timedelta64(14, "D"),
                    c["allegation_category"],
                    "complaint",
                    c["complaint_id"],
                )
            )
    internal = rng.poisson(0.02 * world.days / 365 * allegation_bias(world))
    for person in np.flatnonzero(internal):
        serving = np.flatnonzero(world.employed[person])
        for day in rng.choice(serving, internal[person]):
            rows.append(
                conduct_case_row(
                    world,
                    int(person),
                    world.date(int(day)),
                    str(rng.choice(ALLEGATIONS, p=ALLEGATION_P)),
                    "internal_report",
                    None,
                )
            )
    return rows

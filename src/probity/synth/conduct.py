"""Complaints and conduct cases, in proportion to exposure, with the historic bias of the record.

Historic allegations are not a fair measure of conduct: the Casey Review found Black officers
and staff 81% more likely than White colleagues to receive a misconduct allegation, Asian 55%
and Mixed 41%. The generator reproduces that bias so the product can be shown not to pass
it on: the extra allegations are over-reporting ("ungrounded") and are rarely substantiated,
while what is substantiated follows each person's latent conduct, which is the same
distribution in every group.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from probity.contract.tables import ALLEGATIONS, SUBSTANTIATED_OUTCOMES, vocabulary
from probity.synth.duty import WORKING
from probity.synth.names import typo
from probity.synth.world import World

ALLEGATION_BIAS = {"Black": 1.81, "Asian": 1.55, "Mixed": 1.41}
ALLEGATION_P = np.array([0.2, 0.08, 0.01, 0.04, 0.35, 0.2, 0.01, 0.02, 0.09])
# Complaints not upheld, and how (the upheld share is drawn per complaint).
COMPLAINT_OTHER_OUTCOMES = np.array(["not_upheld", "withdrawn", "service_level"])
COMPLAINT_OTHER_P = np.array([0.55, 0.12, 0.23]) / 0.9
PROVED = np.array(SUBSTANTIATED_OUTCOMES)
PROVED_P = np.array([0.12, 0.06, 0.03, 0.02]) / 0.23
NOT_PROVED = np.array(
    [
        o
        for o in vocabulary("conduct_cases", "outcome", leave_out=("pending",))
        if o not in SUBSTANTIATED_OUTCOMES
    ]
)
NOT_PROVED_P = np.array([0.55, 0.2, 0.02]) / 0.77
PROPENSITY_SIGMA = 0.8


def draw_propensity(world: World) -> np.ndarray:
    """Each person's latent conduct (mean 1): unobserved, drawn the same way in every group.
    Plants that already set a "propensity" multiplier keep theirs on top."""
    z = world.rng.lognormal(0.0, PROPENSITY_SIGMA, world.n)
    propensity = world.multiplier("propensity") * z / z.mean()
    world.multipliers["propensity"] = propensity
    return propensity


def exposure(world: World, searches: np.ndarray, force: np.ndarray) -> np.ndarray:
    """Public contact per person: incidents attended, searches and uses of force."""
    attended = np.bincount(world.incidents.att_person, minlength=world.n)
    return (
        attended
        + 2 * np.bincount(searches, minlength=world.n)
        + 3 * np.bincount(force, minlength=world.n)
    )


def allegation_bias(world: World) -> np.ndarray:
    chosen = world.settings.allegation_bias
    bias = ALLEGATION_BIAS if chosen is None else chosen
    return np.array([bias.get(str(e), 1.0) for e in world.people.ethnicity])


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


def contact_days(
    world: World, people: list[np.ndarray], times: list[np.ndarray]
) -> list[np.ndarray]:
    """Per person, the days (as day numbers) on which they had public contact on record."""
    person = np.concatenate(people)
    day = np.concatenate([(t.astype("datetime64[D]") - world.day0).astype(np.int64) for t in times])
    order = np.lexsort((day, person))
    person, day = person[order], day[order]
    bounds = np.searchsorted(person, np.arange(world.n + 1))
    return [np.unique(day[bounds[i] : bounds[i + 1]]) for i in range(world.n)]


# A complaint follows a contact on record (an incident attended, a search, a use of force)
# when the person had one within this many days of the drawn day.
CONTACT_WINDOW_DAYS = 30


def complaint_row(
    world: World,
    person: int,
    day: int,
    category: str,
    complainant: str = "public",
    grounded: bool = True,
    contacts: np.ndarray | None = None,
) -> dict[str, Any]:
    """One complaint; `grounded` complaints reflect conduct, the rest are over-reporting.
    `contacts` are the person's days of public contact on record (`contact_days`)."""
    rng = world.rng
    p = world.people
    nearest_contact = (
        int(contacts[np.argmin(np.abs(contacts - day))])
        if contacts is not None and len(contacts)
        else None
    )
    if nearest_contact is not None and abs(nearest_contact - day) <= CONTACT_WINDOW_DAYS:
        # Complaints from the public arise from contact: the nearest contact on record.
        day = nearest_contact
    else:
        # What is complained of happens on duty: the nearest day the person worked.
        worked = np.flatnonzero(np.isin(world.duty[person], WORKING))
        if len(worked):
            day = int(worked[np.argmin(np.abs(worked - day))])
    incident_date = world.date(day)
    end = world.date(world.days - 1)
    # A complaint about the last weeks may be received on the export date, not after it.
    received = min(incident_date + np.timedelta64(int(rng.integers(0, 60)), "D"), end)
    closed = received + np.timedelta64(int(rng.integers(30, 400)), "D")
    pending = closed > end
    warrant = p.warrant_number[person]
    roll = rng.random()
    if warrant is None or roll < 0.4:
        recorded_warrant = None
    elif roll < 0.95:
        recorded_warrant = warrant
        # (Drawn only where the world asks, so that other worlds' draws stay as they were.)
        slips = world.settings.name_habits.warrant_slip_share
        if slips and rng.random() < slips:
            recorded_warrant = typo(rng, warrant)  # a digit doubled, dropped or swapped
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
        "outcome": "pending" if pending else _complaint_outcome(world, person, grounded),
        "closed_date": None if pending else closed,
        "_person": person,
        "_grounded": grounded,
    }


def namesake_complaints(world: World, contacts: list[np.ndarray], k: int) -> list[dict[str, Any]]:
    """Complaints the records cannot settle: about one of two namesakes in the same team, of
    the same rank and initial, on a day both worked and both or neither had contact on
    record, with no warrant number. The right answer is no link, and both namesakes in the
    clerical review band. Chosen without drawing on the force's random stream, so that the
    rest of the force is the same with or without them."""
    p = world.people
    teams: dict[tuple[str, str, str, int], list[int]] = {}
    for i in range(world.n):
        key = (str(p.surname[i]), str(p.forenames[i])[0], str(p.rank[i]), int(p.unit[i]))
        teams.setdefault(key, []).append(i)
    rows: list[dict[str, Any]] = []
    for (surname, initial, rank, unit), members in sorted(teams.items()):
        if len(rows) >= k:
            break
        if len(members) < 2:
            continue
        a, b = members[:2]
        both = np.flatnonzero(
            np.isin(world.duty[a], WORKING)
            & np.isin(world.duty[b], WORKING)
            & world.employed[a]
            & world.employed[b]
        )
        alike = [d for d in both if np.isin(d, contacts[a]) == np.isin(d, contacts[b])]
        if not alike:
            continue
        day = world.date(int(alike[len(alike) // 2]))
        rows.append(
            {
                "received_date": day + np.timedelta64(7, "D"),
                "incident_date": day,
                "subject_warrant_number": None,
                "subject_name_as_recorded": f"{rank} {initial} {surname}",
                "subject_unit_as_recorded": str(world.units.name[unit]),
                "allegation_category": "individual_behaviour",
                "complainant_type": "public",
                "outcome": "pending",
                "closed_date": None,
                "_person": a,
                "_grounded": False,
            }
        )
    return rows


def _propensity(world: World, person: int) -> float:
    return float(world.multiplier("propensity")[person])


def _complaint_outcome(world: World, person: int, grounded: bool) -> str:
    upheld = min(0.6, 0.12 * _propensity(world, person)) if grounded else 0.02
    if world.rng.random() < upheld:
        return "upheld"
    return str(world.rng.choice(COMPLAINT_OTHER_OUTCOMES, p=COMPLAINT_OTHER_P))


def routine_complaints(
    world: World,
    exposure_counts: np.ndarray,
    multiplier: np.ndarray,
    contacts: list[np.ndarray] | None = None,
) -> list[dict[str, Any]]:
    rng = world.rng
    # About 0.3 public complaints per public-facing officer-year, by exposure.
    mean_exposure = max(1.0, float(exposure_counts[exposure_counts > 0].mean()))
    # Conduct raises complaints a little (most complaints are about ordinary contact); the
    # group bias adds complaints that are not grounded in conduct.
    bias = allegation_bias(world)
    rate = (
        0.3
        * world.settings.complaint_rate
        * exposure_counts
        / mean_exposure
        * world.days
        / 365
        * bias
        * np.sqrt(world.multiplier("propensity"))
        * multiplier
    )
    counts = rng.poisson(rate)
    rows = []
    for person in np.flatnonzero(counts):
        serving = np.flatnonzero(world.employed[person])
        for day in rng.choice(serving, counts[person]):
            rows.append(
                complaint_row(
                    world,
                    int(person),
                    int(day),
                    str(rng.choice(ALLEGATIONS, p=ALLEGATION_P)),
                    grounded=bool(rng.random() < 1.0 / bias[person]),
                    contacts=None if contacts is None else contacts[person],
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
    grounded: bool = True,
) -> dict[str, Any]:
    rng = world.rng
    closed = opened + np.timedelta64(int(rng.integers(60, 700)), "D")
    pending = closed > world.date(world.days - 1)
    proved = min(0.8, 0.25 * _propensity(world, person)) if grounded else 0.03
    if pending:
        outcome = "pending"
    elif rng.random() < proved:
        outcome = str(rng.choice(PROVED, p=PROVED_P))
    else:
        outcome = str(rng.choice(NOT_PROVED, p=NOT_PROVED_P))
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
                    c["_grounded"],
                )
            )
    bias = allegation_bias(world)
    internal = rng.poisson(0.02 * world.days / 365 * bias * world.multiplier("propensity"))
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
                    bool(rng.random() < 1.0 / bias[person]),
                )
            )
    return rows

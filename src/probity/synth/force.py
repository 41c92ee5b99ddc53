"""Build a synthetic force: the organisation, its activity, planted cases and decoys.

`build_force` returns a `World`; `tables.py` turns it into the source-export tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from probity.synth.activity import make_incidents, make_record_subjects
from probity.synth.duty import roster_matrix
from probity.synth.lookups import login_ids
from probity.synth.names import variant_forename
from probity.synth.organisation import make_people, make_units
from probity.synth.settings import WorldSettings
from probity.synth.world import World

PERIOD_END = np.datetime64("2026-09-30")
SUPERVISORY_RANKS = {"PS", "DS", "Insp", "DI", "CI", "DCI", "Band C", "Band B"}
NOK_RELATIONSHIPS = (
    ("spouse", 0.45),
    ("partner", 0.15),
    ("parent", 0.5),
    ("sibling", 0.35),
    ("ex_partner", 0.1),
    ("child", 0.12),
)


@dataclass(frozen=True)
class SynthSpec:
    people: int
    years: int
    seed: int
    world: WorldSettings = field(default_factory=WorldSettings)


Progress = Callable[[str], None]


def _line_managers(
    rng: np.random.Generator, world_unit: np.ndarray, rank: np.ndarray
) -> np.ndarray:
    manager = np.full(len(rank), -1)
    supervisory = np.isin(rank, list(SUPERVISORY_RANKS))
    for u in np.unique(world_unit):
        members = np.flatnonzero(world_unit == u)
        bosses = members[supervisory[members]]
        if len(bosses):
            manager[members] = rng.choice(bosses, len(members))
            manager[bosses] = -1 if len(bosses) == 1 else rng.choice(bosses, len(bosses))
            manager[manager == np.arange(len(rank))] = -1
    return manager


def _next_of_kin(rng: np.random.Generator, world: World) -> None:
    """Relatives as HR holds them: spouses and children share the surname and home postcode."""
    p = world.people
    nok = world.nok
    for i in range(len(p)):
        for rel, prob in NOK_RELATIONSHIPS:
            if rng.random() >= prob:
                continue
            same_name = rel in ("spouse", "parent", "sibling", "child") and rng.random() < 0.75
            surname = str(p.surname[i]) if same_name else str(rng.choice(world.subjects.surname))
            age = int((PERIOD_END - p.date_of_birth[i]) / np.timedelta64(365, "D"))
            shift = {"parent": 28, "child": -28}.get(rel, 0) * 365 + int(rng.integers(-2000, 2000))
            dob = (
                p.date_of_birth[i] - np.timedelta64(shift, "D")
                if age > 20 or rel != "parent"
                else p.date_of_birth[i]
            )
            postcode = (
                p.home_postcode[i]
                if rel in ("spouse", "partner", "child")
                else str(rng.choice(world.subjects.postcode))
            )
            nok["person"].append(i)
            nok["surname"].append(surname)
            nok["forenames"].append(str(rng.choice(world.subjects.forenames)))
            nok["relationship"].append(rel)
            nok["date_of_birth"].append(dob)
            nok["postcode"].append(postcode)


def _relatives_on_record(rng: np.random.Generator, world: World) -> None:
    """A few relatives are on police records themselves, under the names police recorded."""
    nok = world.nok
    n_bcu = int(world.subjects.bcu.max()) + 1
    chosen = [int(j) for j in np.flatnonzero(rng.random(len(nok["person"])) < 0.04)]
    rows = [
        (
            nok["surname"][j],
            variant_forename(rng, nok["forenames"][j]),
            nok["date_of_birth"][j],
            nok["postcode"][j],
            int(rng.integers(0, n_bcu)),
            {str(rng.choice(["victim", "witness", "suspect"]))},
        )
        for j in chosen
    ]
    nok["subject"] = [None] * len(nok["person"])
    for j, s in zip(chosen, world.subjects.add_many(rows), strict=True):
        nok["subject"][j] = s
        world.links.append(
            {
                "task": "record_subject_relative",
                "record_id": str(world.subjects.subject_id[s]),
                "person_id": str(world.people.person_id[nok["person"][j]]),
                "relationship": nok["relationship"][j],
            }
        )


def _accounts(rng: np.random.Generator, world: World) -> None:
    """One login per person; a few legacy logins on another system carry no person id."""
    p = world.people
    login = login_ids(p.surname, p.forenames)
    acc = world.accounts
    for i in range(len(p)):
        pid: str | None = str(p.person_id[i])
        if p.warrant_number[i] is not None and rng.random() < 0.03:
            pid = str(p.warrant_number[i])  # a warrant number where the person id belongs
        acc["account_id"].append(str(login[i]))
        acc["system"].append("RMS")
        acc["person_id"].append(pid)
        acc["display_name"].append(f"{p.surname[i]}, {str(p.forenames[i]).split()[0]}")
        acc["created_date"].append(max(p.start_date[i], world.day0 - np.timedelta64(3000, "D")))
        acc["disabled_date"].append(p.leave_date[i])
        acc["person"].append(i)
    world.account_of = np.arange(len(p))
    for j in np.flatnonzero(rng.random(len(p)) < 0.04):
        i = int(j)
        legacy = f"L{login[i]}"
        acc["account_id"].append(legacy)
        acc["system"].append("PNC")
        acc["person_id"].append(None)
        acc["display_name"].append(
            f"{str(p.surname[i]).upper()} {variant_forename(rng, str(p.forenames[i]))}"
        )
        acc["created_date"].append(p.start_date[i])
        acc["disabled_date"].append(p.leave_date[i])
        acc["person"].append(i)
        world.links.append(
            {"task": "system_account", "record_id": legacy, "person_id": str(p.person_id[i])}
        )


def build_force(spec: SynthSpec, progress: Progress = lambda _: None) -> World:
    from probity.synth import plants

    rng = np.random.default_rng(spec.seed)
    days = 365 * spec.years
    day0 = PERIOD_END - np.timedelta64(days - 1, "D")
    progress("organisation")
    units = make_units(spec.people)
    people = make_people(rng, spec.people, units, day0, PERIOD_END, spec.world)
    dates = day0 + np.arange(days).astype("timedelta64[D]")
    leave = np.where(
        np.isnat(people.leave_date), PERIOD_END + np.timedelta64(1, "D"), people.leave_date
    )
    employed = (dates[None, :] >= people.start_date[:, None]) & (dates[None, :] < leave[:, None])
    unit_kind = units.kind[people.unit]
    progress("rosters and absences")
    start_weekday = int(
        (day0.astype("datetime64[D]").astype(np.int64) + 3) % 7
    )  # 1970-01-01 was a Thursday
    duty, spells = roster_matrix(
        rng, unit_kind, people.role, people.staff_type, employed, start_weekday
    )
    progress("incidents")
    n_bcu = int(units.bcu.max()) + 1
    subjects = make_record_subjects(rng, max(2000, spec.people * 20), n_bcu, PERIOD_END)
    person_bcu = np.where(
        units.bcu[people.unit] >= 0, units.bcu[people.unit], rng.integers(0, n_bcu, spec.people)
    )
    unit_index = {
        (int(units.bcu[u]), str(units.kind[u])): u
        for u in range(len(units.code))
        if units.bcu[u] >= 0
    }
    incidents = make_incidents(
        rng, spec.people * 20 * spec.years, day0, duty, person_bcu, unit_kind, unit_index, subjects
    )
    world = World(
        rng=rng,
        day0=day0,
        days=days,
        units=units,
        people=people,
        employed=employed,
        duty=duty,
        spells=spells,
        subjects=subjects,
        incidents=incidents,
        account_of=np.zeros(0, dtype=np.int64),
        accounts={
            k: []
            for k in (
                "account_id",
                "system",
                "person_id",
                "display_name",
                "created_date",
                "disabled_date",
                "person",
            )
        },
        nok={
            k: []
            for k in ("person", "surname", "forenames", "relationship", "date_of_birth", "postcode")
        },
        manager=_line_managers(rng, people.unit, people.rank),
        person_bcu=person_bcu,
        settings=spec.world,
    )
    progress("next of kin and accounts")
    _next_of_kin(rng, world)
    _relatives_on_record(rng, world)
    _accounts(rng, world)
    progress("planted cases and decoys")
    plants.plant_all(world)
    return world
